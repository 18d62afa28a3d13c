import { describe, expect, it } from 'vitest';
import { esketamineProtocol, ivKetamineProtocol } from '@chairside/shared';
import {
  createVisitTimeline,
  defaultMonitorBehaviour,
  defaultNibpIntervalsSec,
  defaultSessionSchedule,
  esketamineNibpIntervalsSec,
  esketamineSessionSchedule,
} from '@chairside/simulators';
import { demoProtocol } from './demo-conductor';
import { demoVisitTimings } from './demo-timings';

const speeds = [1, 2, 3, 4, 5, 7, 10, 15, 30, 60, 120, 300, 1000];
const cases = [ivKetamineProtocol, esketamineProtocol].flatMap((base) => speeds.map((speed) => [base.id, speed, base] as const));
const cuff = defaultMonitorBehaviour.cuffCycleSec;

describe('demoVisitTimings', () => {
  it('are the simulator’s usual visits at speed 1', () => {
    expect(demoVisitTimings(ivKetamineProtocol, 1)).toEqual({ schedule: defaultSessionSchedule, nibpIntervalsSec: defaultNibpIntervalsSec });
    expect(demoVisitTimings(esketamineProtocol, 1)).toEqual({ schedule: esketamineSessionSchedule, nibpIntervalsSec: esketamineNibpIntervalsSec });
  });

  it.each(cases)('%s at %d×: the cuff takes the baseline before the simulated treatment, spaced as the scaled protocol asks', (_id, speed, base) => {
    const protocol = demoProtocol(base, speed);
    const { schedule, nibpIntervalsSec } = demoVisitTimings(protocol, speed);
    const slots = createVisitTimeline(schedule, nibpIntervalsSec, 'when-released')
      .nibpEventsBetween(-1, schedule.baselineSec)
      .filter((e) => e.phase === 'baseline');
    expect(slots.length).toBeGreaterThanOrEqual(protocol.baseline.bpReadings);
    // Worst case for the spacing: the earlier cycle takes longest, the later one shortest.
    const countsMs = (protocol.baseline.minSpacingMin * 60 - protocol.baseline.spacingToleranceSec) * 1000;
    for (let i = 1; i < slots.length; i++) {
      const realGapMs = (((slots[i]?.chairSec ?? 0) + cuff.min - ((slots[i - 1]?.chairSec ?? 0) + cuff.max)) / speed) * 1000;
      expect(realGapMs).toBeGreaterThanOrEqual(countsMs);
    }
    // The last baseline BP is measured, and has a few real seconds to reach the server, before treatment starts.
    const lastEnds = (slots.at(-1)?.chairSec ?? 0) + cuff.max;
    expect(((schedule.baselineSec - lastEnds) / speed) * 1000).toBeGreaterThanOrEqual(Math.min(3_000, 60_000 / speed));
  });

  it.each(cases)('%s at %d×: the cuff measures at least as often as the scaled protocol asks', (_id, speed, base) => {
    const protocol = demoProtocol(base, speed);
    const { nibpIntervalsSec } = demoVisitTimings(protocol, speed);
    expect(nibpIntervalsSec.treatment / speed).toBeLessThanOrEqual(protocol.treatment.bpIntervalMin * 60);
    expect(nibpIntervalsSec.observation / speed).toBeLessThanOrEqual(protocol.observation.bpIntervalMin * 60);
  });

  it.each(cases)('%s at %d×: a BP falls in every checkpoint window', (_id, speed, base) => {
    const protocol = demoProtocol(base, speed);
    const { schedule, nibpIntervalsSec } = demoVisitTimings(protocol, speed);
    const start = schedule.baselineSec;
    const bps = createVisitTimeline(schedule, nibpIntervalsSec, 'when-released').nibpEventsBetween(start - 1, start + 24 * 3600);
    for (const c of protocol.checkpoints) {
      expect(c.from).toBe('treatment-start');
      const inWindow = bps.filter((e) => {
        const [earliest, latest] = [e.chairSec + cuff.min - start, e.chairSec + cuff.max - start].map((sec) => sec / speed / 60);
        return (earliest ?? 0) >= c.windowStartMin && (latest ?? 0) <= c.windowEndMin;
      });
      expect(inWindow.length).toBeGreaterThanOrEqual(1);
    }
  });
});
