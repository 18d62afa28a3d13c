/**
 * How a simulated bedside monitor behaves, as pure functions of a seed: how long a cuff cycle takes
 * and whether it fails, when a probe falls off, when movement spoils a few samples, when the network
 * drops. All times are patient time (the chair's timeline), so a demo at ×10 has the same events per
 * visit as a real session, ten times faster.
 */
import type { ChairEvent } from './chair-events';
import { chance, forkRandom, uniform, type Random } from './random';

export interface SecRange {
  min: number;
  max: number;
}

export interface MonitorBehaviour {
  /** An NIBP cycle (inflate, deflate, compute) takes this long; the reading is timed at its end. */
  cuffCycleSec: SecRange;
  /** Chance that a cycle fails (patient moved, cuff loose): no reading. */
  cuffFailureProbability: number;
  /** After a failed cycle the monitor retries this much later (±10 %). */
  cuffRetryAfterSec: number;
  /** Retries after a failure before the monitor waits for the next scheduled reading. */
  cuffMaxRetries: number;
  /** Chance that a completed cycle reports an implausible value (artefact). */
  cuffArtefactProbability: number;
  /** Movement artefacts on the 1-s vitals: episodes per hour of patient time, and their length. */
  motionArtefactsPerHour: number;
  motionArtefactSec: SecRange;
  /** SpO₂ probe off: episodes per hour, length, and how the monitor reports it. */
  sensorOffPerHour: number;
  sensorOffSec: SecRange;
  sensorOffReport: 'omit' | 'sentinel';
  /** Network drops: the monitor keeps measuring, posts nothing, then catches up. */
  disconnectsPerHour: number;
  disconnectSec: SecRange;
}

/** A calm clinic with occasional events: a failed cuff every few sessions, a probe off now and then. */
export const defaultMonitorBehaviour: MonitorBehaviour = {
  cuffCycleSec: { min: 30, max: 40 },
  cuffFailureProbability: 0.03,
  cuffRetryAfterSec: 60,
  cuffMaxRetries: 2,
  cuffArtefactProbability: 0.005,
  motionArtefactsPerHour: 1,
  motionArtefactSec: { min: 3, max: 10 },
  sensorOffPerHour: 0.3,
  sensorOffSec: { min: 20, max: 90 },
  sensorOffReport: 'omit',
  disconnectsPerHour: 0.1,
  disconnectSec: { min: 30, max: 120 },
};

/** No failures, artefacts, probe-offs or disconnects (cuff cycles still take their time). */
export const quietMonitorBehaviour: MonitorBehaviour = {
  ...defaultMonitorBehaviour,
  cuffFailureProbability: 0,
  cuffArtefactProbability: 0,
  motionArtefactsPerHour: 0,
  sensorOffPerHour: 0,
  disconnectsPerHour: 0,
};

/** Start times of a Poisson process of `perHour` events in [fromSec, toSec). */
function poissonTimes(random: Random, perHour: number, fromSec: number, toSec: number): number[] {
  const times: number[] = [];
  if (!(perHour > 0)) return times;
  const meanGapSec = 3600 / perHour;
  for (let t = fromSec - meanGapSec * Math.log(1 - random()); t < toSec; t -= meanGapSec * Math.log(1 - random())) {
    times.push(t);
  }
  return times;
}

/**
 * The monitor's own random episodes during one visit (chair time [fromChairSec, toChairSec)): probe
 * off, movement artefacts, network drops. Same seed and visit → same episodes, whatever was asked before.
 */
export function drawMonitorEpisodes(
  seed: number,
  cycleIndex: number,
  fromChairSec: number,
  toChairSec: number,
  behaviour: MonitorBehaviour,
): ChairEvent[] {
  const episodes: ChairEvent[] = [];
  const offRandom = forkRandom(seed, 'sensor-off', cycleIndex);
  for (const t of poissonTimes(offRandom, behaviour.sensorOffPerHour, fromChairSec, toChairSec)) {
    const duration = uniform(offRandom, behaviour.sensorOffSec.min, behaviour.sensorOffSec.max);
    episodes.push({ kind: 'sensor-off', source: 'monitor', fromChairSec: t, untilChairSec: t + duration, sensors: ['spo2'], report: behaviour.sensorOffReport });
  }
  const motionRandom = forkRandom(seed, 'motion', cycleIndex);
  for (const t of poissonTimes(motionRandom, behaviour.motionArtefactsPerHour, fromChairSec, toChairSec)) {
    const duration = uniform(motionRandom, behaviour.motionArtefactSec.min, behaviour.motionArtefactSec.max);
    // Half of them implausible (the server rejects them), half plausible but briefly past the limits.
    const implausible = chance(motionRandom, 0.5);
    episodes.push({
      kind: 'motion-artefact',
      source: 'monitor',
      fromChairSec: t,
      untilChairSec: t + duration,
      heartRate: implausible ? Math.round(uniform(motionRandom, 305, 400)) : Math.round(uniform(motionRandom, 150, 210)),
      spo2: chance(motionRandom, 0.5) ? Math.round(uniform(motionRandom, 72, 86)) : null,
    });
  }
  const netRandom = forkRandom(seed, 'disconnect', cycleIndex);
  for (const t of poissonTimes(netRandom, behaviour.disconnectsPerHour, fromChairSec, toChairSec)) {
    const duration = uniform(netRandom, behaviour.disconnectSec.min, behaviour.disconnectSec.max);
    episodes.push({ kind: 'disconnect', source: 'monitor', fromChairSec: t, untilChairSec: t + duration });
  }
  return episodes.sort((a, b) => a.fromChairSec - b.fromChairSec);
}

export type CuffOutcome = 'reading' | 'failed' | 'artefact';

export interface CuffAttempt {
  /** 0 for the scheduled cycle, then 1, 2 … for retries. */
  attempt: number;
  startChairSec: number;
  /** When the cycle ends: the reading's time, or when the monitor gives up on this cycle. */
  endChairSec: number;
  outcome: CuffOutcome;
}

/**
 * The cuff cycles of one scheduled NIBP reading: the scheduled cycle and, after each failure, a retry
 * ~1 min later, as long as it starts before the next scheduled reading and ends within the visit.
 * A cycle due so late that it would end after the visit is started early enough to end with it.
 */
export function cuffAttempts(options: {
  seed: number;
  cycleIndex: number;
  /** Session second of the scheduled reading (names the random stream). */
  slotSessionSec: number;
  slotChairSec: number;
  /** Next scheduled reading (retries start before it). */
  nextSlotChairSec: number;
  /** The visit ends here; no cycle ends after it. */
  visitEndChairSec: number;
  behaviour: MonitorBehaviour;
}): CuffAttempt[] {
  const b = options.behaviour;
  const random = forkRandom(options.seed, 'cuff', options.cycleIndex, Math.round(options.slotSessionSec));
  const attempts: CuffAttempt[] = [];
  let start = options.slotChairSec;
  for (let attempt = 0; attempt <= b.cuffMaxRetries; attempt++) {
    const duration = uniform(random, b.cuffCycleSec.min, b.cuffCycleSec.max);
    const failed = chance(random, b.cuffFailureProbability);
    const artefact = chance(random, b.cuffArtefactProbability);
    const retryDelay = b.cuffRetryAfterSec * uniform(random, 0.9, 1.1);
    if (attempt === 0) start = Math.min(start, options.visitEndChairSec - duration);
    else if (start >= options.nextSlotChairSec || start + duration > options.visitEndChairSec) break;
    const end = start + duration;
    attempts.push({ attempt, startChairSec: start, endChairSec: end, outcome: failed ? 'failed' : artefact ? 'artefact' : 'reading' });
    if (!failed) break;
    start = end + retryDelay;
  }
  return attempts;
}

/** Longest time from a scheduled reading to the end of its last retry. */
export function maxCuffLagSec(behaviour: MonitorBehaviour): number {
  return (behaviour.cuffMaxRetries + 1) * behaviour.cuffCycleSec.max + behaviour.cuffMaxRetries * behaviour.cuffRetryAfterSec * 1.1 + 1;
}

/** An implausible NIBP result, as cuffs produce them: absurd systolic, or diastolic above systolic. */
export function cuffArtefactValues(random: Random): { systolic: number; diastolic: number; mean: number } {
  if (chance(random, 0.5)) {
    const systolic = Math.round(uniform(random, 305, 340));
    const diastolic = Math.round(uniform(random, 50, 90));
    return { systolic, diastolic, mean: Math.round(diastolic + (systolic - diastolic) / 3) };
  }
  const systolic = Math.round(uniform(random, 85, 110));
  const diastolic = systolic + Math.round(uniform(random, 5, 25));
  return { systolic, diastolic, mean: Math.round((systolic + diastolic) / 2) };
}
