/**
 * A chair's visits on its timeline (patient seconds; 0 = its first patient sits down, negative = the
 * chair is still empty before that). How a patient leaves decides where every later visit begins:
 *
 * - `on-schedule` (default): every visit lasts baseline + treatment + observation of the schedule,
 *   then the gap; the timeline repeats every `cycleSec` (session-cycle.ts).
 * - `when-released`: the patient stays, in observation past the schedule's end if need be, until
 *   `leave` is called (a nurse discharged them, or the session was cancelled); the gap and the next
 *   patient follow from that moment. Their monitor keeps measuring meanwhile, BP at the observation
 *   interval. Leaving before the end of the schedule ends the visit at that moment, whatever its phase.
 *
 * Pure apart from the visits' ends, which `leave` records.
 */
import {
  chairMomentAt,
  cycleSec,
  nibpEventsBetween,
  nibpSlots,
  observationEndSec,
  observationStartSec,
  treatmentStartSec,
  type ChairMoment,
  type NibpEvent,
  type NibpIntervals,
  type NibpSlot,
  type SessionSchedule,
  type SimPhase,
} from './session-cycle';

export const patientsLeaveModes = ['on-schedule', 'when-released'] as const;
export type PatientsLeave = (typeof patientsLeaveModes)[number];

/** A planned NIBP measurement, with the next one of the same visit (a failed cuff retries before it). */
export interface TimelineNibpEvent extends NibpEvent {
  /** Chair second of the visit's next scheduled measurement; Infinity when there is none. */
  nextChairSec: number;
}

export interface VisitTimeline {
  readonly leaves: PatientsLeave;
  /** Where the chair is at `chairSec`. Before the first patient arrives: visit 0, negative seconds, 'gap'. */
  momentAt(chairSec: number): ChairMoment;
  /** Where visit `cycleIndex` begins; null while an earlier patient has not left yet. */
  visitStartSec(cycleIndex: number): number | null;
  /** Where the patient of visit `cycleIndex` left (the gap begins); null while they stay or when it is not known yet. */
  visitEndSec(cycleIndex: number): number | null;
  /** The NIBP measurements whose chair time lies in (fromExclusive, toInclusive], oldest first. */
  nibpEventsBetween(fromExclusive: number, toInclusive: number): TimelineNibpEvent[];
  /**
   * The patient of visit `cycleIndex` leaves at `chairSec` (`when-released` only). False when the
   * chair does not work that way, that visit has not begun, or its patient has left already.
   */
  leave(cycleIndex: number, chairSec: number): boolean;
}

const beforeFirstPatient = (chairSec: number): ChairMoment => ({ cycleIndex: 0, sessionSec: chairSec, phase: 'gap' });

export function createVisitTimeline(schedule: SessionSchedule, intervals: NibpIntervals, leaves: PatientsLeave = 'on-schedule'): VisitTimeline {
  return leaves === 'when-released' ? releasedTimeline(schedule, intervals) : scheduledTimeline(schedule, intervals);
}

/** Every visit as long as the schedule: the periodic timeline of session-cycle.ts. */
function scheduledTimeline(schedule: SessionSchedule, intervals: NibpIntervals): VisitTimeline {
  const slots = nibpSlots(schedule, intervals);
  const nextSessionSec = new Map(slots.map((slot, i) => [slot.sessionSec, slots[i + 1]?.sessionSec ?? Number.POSITIVE_INFINITY]));
  const cycle = cycleSec(schedule);
  return {
    leaves: 'on-schedule',
    momentAt: (chairSec) => (chairSec < 0 ? beforeFirstPatient(chairSec) : chairMomentAt(schedule, chairSec)),
    visitStartSec: (cycleIndex) => cycleIndex * cycle,
    visitEndSec: (cycleIndex) => cycleIndex * cycle + observationEndSec(schedule),
    nibpEventsBetween: (from, to) =>
      nibpEventsBetween(schedule, slots, from, to).map((e) => ({
        ...e,
        nextChairSec: e.cycleIndex * cycle + (nextSessionSec.get(e.sessionSec) ?? Number.POSITIVE_INFINITY),
      })),
    leave: () => false,
  };
}

/** Visits that last until their patient is released. */
function releasedTimeline(schedule: SessionSchedule, intervals: NibpIntervals): VisitTimeline {
  // The baseline and treatment slots of the schedule; observation slots are generated without end.
  const early = nibpSlots(schedule, intervals).filter((s) => s.phase !== 'observation');
  const obsStart = observationStartSec(schedule);
  const obsStep = intervals.observation;
  const starts: number[] = [0];
  const ends: (number | null)[] = [null];

  const phaseIn = (sessionSec: number): Exclude<SimPhase, 'gap'> =>
    sessionSec < treatmentStartSec(schedule) ? 'baseline' : sessionSec < obsStart ? 'treatment' : 'observation';

  /** The visit begun last at or before `chairSec` (chairSec ≥ 0). */
  const visitAt = (chairSec: number): number => {
    let k = starts.length - 1;
    while (k > 0 && (starts[k] ?? 0) > chairSec) k--;
    return k;
  };

  /** A visit's slots from the session second `fromSessionSec` on, in order (lazy: observation has no end). */
  function* slotsFrom(fromSessionSec: number): Generator<NibpSlot> {
    for (const slot of early) if (slot.sessionSec >= fromSessionSec) yield slot;
    const first = Math.max(0, Math.ceil((fromSessionSec - obsStart) / obsStep));
    for (let n = first; ; n++) yield { sessionSec: obsStart + n * obsStep, phase: 'observation' };
  }

  return {
    leaves: 'when-released',
    momentAt(chairSec) {
      if (chairSec < 0) return beforeFirstPatient(chairSec);
      const k = visitAt(chairSec);
      const start = starts[k] ?? 0;
      const end = ends[k] ?? null;
      const sessionSec = chairSec - start;
      return { cycleIndex: k, sessionSec, phase: end !== null && chairSec >= end ? 'gap' : phaseIn(sessionSec) };
    },
    visitStartSec: (cycleIndex) => starts[cycleIndex] ?? null,
    visitEndSec: (cycleIndex) => ends[cycleIndex] ?? null,
    nibpEventsBetween(from, to) {
      const events: TimelineNibpEvent[] = [];
      if (!(to > from)) return events;
      for (let k = visitAt(Math.max(0, from)); k < starts.length; k++) {
        const start = starts[k] ?? 0;
        if (start > to) break;
        const end = ends[k] ?? Number.POSITIVE_INFINITY;
        // Slots from just after `from` (one before it is needed only as nobody's next).
        const slots = slotsFrom(Math.max(0, from - start));
        let slot = slots.next();
        while (!slot.done) {
          const chairSec = start + slot.value.sessionSec;
          if (chairSec > to || chairSec >= end) break;
          const next = slots.next();
          const nextChairSec = next.done ? Number.POSITIVE_INFINITY : start + next.value.sessionSec;
          if (chairSec > from) events.push({ ...slot.value, cycleIndex: k, chairSec, nextChairSec: nextChairSec < end ? nextChairSec : Number.POSITIVE_INFINITY });
          slot = next;
        }
      }
      return events;
    },
    leave(cycleIndex, chairSec) {
      const start = starts[cycleIndex];
      if (start === undefined || ends[cycleIndex] !== null || chairSec < start) return false;
      ends[cycleIndex] = chairSec;
      starts.push(chairSec + schedule.gapSec);
      ends.push(null);
      return true;
    },
  };
}
