/**
 * The life of a simulated chair, in patient time (seconds, already accelerated by the demo speed):
 * a patient sits down (baseline), is infused (treatment), is observed, leaves (gap), and the next
 * patient sits down. Pure: positions in, phases and measurement times out.
 */

export type SimPhase = 'baseline' | 'treatment' | 'observation' | 'gap';

/** Durations of one patient's visit, in seconds of patient time (docs/clinical-defaults.md "The session timeline"). */
export interface SessionSchedule {
  /** Seated before the infusion; two baseline BPs are taken. */
  baselineSec: number;
  /** The infusion (default protocol: 40 min). */
  treatmentSec: number;
  /** Minimum observation after the infusion ends. */
  observationSec: number;
  /** Empty chair between two patients. */
  gapSec: number;
  /** When the first baseline BP is taken, after the patient sits down. */
  firstBaselineNibpSec: number;
}

export const defaultSessionSchedule: SessionSchedule = {
  baselineSec: 10 * 60,
  treatmentSec: 40 * 60,
  observationSec: 60 * 60,
  gapSec: 5 * 60,
  firstBaselineNibpSec: 2 * 60,
};

/**
 * An esketamine (Spravato) visit: BP before dosing, devices over ~10 min ("treatment"), then
 * observation until 120 min after dosing started (docs/clinical-defaults.md "The session timeline").
 */
export const esketamineSessionSchedule: SessionSchedule = {
  baselineSec: 10 * 60,
  treatmentSec: 10 * 60,
  observationSec: 110 * 60,
  gapSec: 5 * 60,
  firstBaselineNibpSec: 2 * 60,
};

/** Seconds between NIBP cuff readings, per phase, in patient time. */
export interface NibpIntervals {
  baseline: number;
  treatment: number;
  observation: number;
}

/** Baseline: 2 readings 5 min apart; treatment: every 5 min; observation: every 15 min (docs/clinical-defaults.md "The session timeline"). */
export const defaultNibpIntervalsSec: NibpIntervals = {
  baseline: 5 * 60,
  treatment: 5 * 60,
  observation: 15 * 60,
};

/**
 * Esketamine: BP at dosing start, then every 15 min from the end of dosing — 10, 25, 40 … min after
 * the first device, so one reading falls on the label's 40-min check.
 */
export const esketamineNibpIntervalsSec: NibpIntervals = {
  baseline: 5 * 60,
  treatment: 15 * 60,
  observation: 15 * 60,
};

export function cycleSec(schedule: SessionSchedule): number {
  return schedule.baselineSec + schedule.treatmentSec + schedule.observationSec + schedule.gapSec;
}

export function treatmentStartSec(schedule: SessionSchedule): number {
  return schedule.baselineSec;
}

export function observationStartSec(schedule: SessionSchedule): number {
  return schedule.baselineSec + schedule.treatmentSec;
}

export function observationEndSec(schedule: SessionSchedule): number {
  return observationStartSec(schedule) + schedule.observationSec;
}

/**
 * The phase at `sessionSec` seconds after the patient sat down. Observation includes its last
 * instant, when the final BP before discharge is taken.
 */
export function phaseAt(schedule: SessionSchedule, sessionSec: number): SimPhase {
  if (sessionSec < 0) return 'gap';
  if (sessionSec < treatmentStartSec(schedule)) return 'baseline';
  if (sessionSec < observationStartSec(schedule)) return 'treatment';
  if (sessionSec <= observationEndSec(schedule)) return 'observation';
  return 'gap';
}

/** Where a chair is: which patient (cycle) and how far into their visit. */
export interface ChairMoment {
  /** 0 for the first patient of the run, then 1, 2, … */
  cycleIndex: number;
  /** Seconds since this patient sat down. */
  sessionSec: number;
  phase: SimPhase;
}

/** The moment at `chairSec` seconds of the chair's own timeline (0 = its first patient sits down). */
export function chairMomentAt(schedule: SessionSchedule, chairSec: number): ChairMoment {
  const cycle = cycleSec(schedule);
  const cycleIndex = Math.floor(chairSec / cycle);
  const sessionSec = chairSec - cycleIndex * cycle;
  return { cycleIndex, sessionSec, phase: phaseAt(schedule, sessionSec) };
}

/** A planned NIBP measurement within one visit. */
export interface NibpSlot {
  sessionSec: number;
  phase: Exclude<SimPhase, 'gap'>;
}

/**
 * The NIBP measurements of one visit, in order: baseline readings from `firstBaselineNibpSec`,
 * treatment readings from the infusion start, observation readings from the infusion end up to and
 * including the end of observation (default: 2 + 8 + 5 readings).
 */
export function nibpSlots(schedule: SessionSchedule, intervals: NibpIntervals): NibpSlot[] {
  const slots: NibpSlot[] = [];
  const add = (from: number, toExclusive: number, step: number, phase: NibpSlot['phase']): void => {
    for (let t = from; t < toExclusive; t += step) slots.push({ sessionSec: t, phase });
  };
  add(schedule.firstBaselineNibpSec, treatmentStartSec(schedule), intervals.baseline, 'baseline');
  add(treatmentStartSec(schedule), observationStartSec(schedule), intervals.treatment, 'treatment');
  // `+ 1e-9`: the final reading at the very end of observation is part of the visit.
  add(observationStartSec(schedule), observationEndSec(schedule) + 1e-9, intervals.observation, 'observation');
  return slots;
}

/** A planned NIBP measurement on a chair's timeline. */
export interface NibpEvent extends NibpSlot {
  cycleIndex: number;
  chairSec: number;
}

/** The NIBP measurements whose chair time lies in (fromExclusive, toInclusive], oldest first. */
export function nibpEventsBetween(
  schedule: SessionSchedule,
  slots: readonly NibpSlot[],
  fromExclusive: number,
  toInclusive: number,
): NibpEvent[] {
  const events: NibpEvent[] = [];
  if (!(toInclusive > fromExclusive)) return events;
  const cycle = cycleSec(schedule);
  const firstCycle = Math.max(0, Math.floor(fromExclusive / cycle));
  const lastCycle = Math.floor(toInclusive / cycle);
  for (let cycleIndex = firstCycle; cycleIndex <= lastCycle; cycleIndex++) {
    for (const slot of slots) {
      const chairSec = cycleIndex * cycle + slot.sessionSec;
      if (chairSec > fromExclusive && chairSec <= toInclusive) events.push({ ...slot, cycleIndex, chairSec });
    }
  }
  return events;
}

/**
 * Where each of `count` chairs starts on its timeline, spread evenly over one cycle so that a grid
 * shows chairs in different phases. The first chair starts with a patient sitting down.
 */
export function staggeredStartsSec(schedule: SessionSchedule, count: number): number[] {
  const cycle = cycleSec(schedule);
  return Array.from({ length: count }, (_, i) => Math.round((i * cycle) / count));
}
