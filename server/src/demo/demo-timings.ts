import type { Protocol } from '@chairside/shared';
import {
  defaultMonitorBehaviour,
  defaultNibpIntervalsSec,
  defaultSessionSchedule,
  esketamineNibpIntervalsSec,
  esketamineSessionSchedule,
  type NibpIntervals,
  type SessionSchedule,
} from '@chairside/simulators';

/** A simulated visit's timeline and cuff schedule, in patient seconds. */
export interface DemoVisitTimings {
  schedule: SessionSchedule;
  nibpIntervalsSec: NibpIntervals;
}

/**
 * The simulated patients' visits that the demo protocols (`demoProtocol`, already scaled by the
 * demo speed) are satisfied by, in real time:
 *
 * - the baseline BPs are far enough apart for the protocol's spacing (less its tolerance, plus the
 *   cuff's drift) and all taken before the simulated treatment starts, with a margin for the last
 *   reading to reach the server. Protocol minutes are whole minutes, so at high speeds the scaled
 *   spacing is 1 real minute, which is more patient time than the simulator's usual 5 min: the
 *   simulated baseline then lasts longer in patient time;
 * - the cuff measures at least as often as the protocol asks during treatment and observation.
 *
 * At speed 1 these are the simulator's usual timelines (10 min baseline, BP at 2 and 7 min).
 */
export function demoVisitTimings(protocol: Protocol, speed: number): DemoVisitTimings {
  const nasal = protocol.kind === 'nasal-spray';
  const base = nasal ? esketamineSessionSchedule : defaultSessionSchedule;
  const baseIntervals = nasal ? esketamineNibpIntervalsSec : defaultNibpIntervalsSec;
  const patientSec = (realMin: number): number => realMin * 60 * speed;
  const cuff = defaultMonitorBehaviour.cuffCycleSec;

  const { bpReadings, minSpacingMin, spacingToleranceSec } = protocol.baseline;
  const requiredSpacingSec = Math.max(0, minSpacingMin * 60 - spacingToleranceSec) * speed;
  // After each baseline BP: its cuff cycle, then time for it to reach the server before treatment starts.
  const margin = Math.max(60, 3 * speed);
  const baselineInterval = Math.max(
    baseIntervals.baseline,
    // A cuff cycle takes 30–40 s and the reading is timed at its end: two readings drift apart by up to the difference.
    bpReadings > 1 ? Math.ceil(requiredSpacingSec + (cuff.max - cuff.min) + 1) : 0,
    // Room for a reading and its margin between two BPs, so that the margin below never makes room for another.
    cuff.max + margin + 1,
  );
  let baselineSec = Math.max(base.baselineSec, base.firstBaselineNibpSec + (bpReadings - 1) * baselineInterval + cuff.max + margin);
  // The same margin after a further baseline BP the cuff takes meanwhile (esketamine: 2 BPs, 1 needed).
  const lastSlotSec = base.firstBaselineNibpSec + Math.floor((baselineSec - 1e-9 - base.firstBaselineNibpSec) / baselineInterval) * baselineInterval;
  baselineSec = Math.max(baselineSec, lastSlotSec + cuff.max + margin);

  return {
    schedule: { ...base, baselineSec },
    nibpIntervalsSec: {
      baseline: baselineInterval,
      treatment: Math.min(baseIntervals.treatment, patientSec(protocol.treatment.bpIntervalMin)),
      observation: Math.min(baseIntervals.observation, patientSec(protocol.observation.bpIntervalMin)),
    },
  };
}
