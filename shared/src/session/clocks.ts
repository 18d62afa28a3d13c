import type { SessionPhase } from '../schemas/common';
import { msPerMin } from './bp-readings';
import type { Protocol, ProtocolCheckpoint, TreatmentMoment } from './protocol';
import { isTreatmentPaused, type SessionState, sessionEndedAtMs, treatmentElapsedMs } from './session-state';

export interface TreatmentClock {
  startedAtMs: number;
  /** Time treating, pauses excluded. */
  elapsedMs: number;
  pausedMs: number;
  plannedMs: number;
  /** Planned time left (0 once reached). */
  remainingMs: number;
  /** Time beyond the plan. */
  overrunMs: number;
  /** When the plan is reached if nothing pauses it; null while paused or after treatment ended. */
  plannedEndAtMs: number | null;
  paused: boolean;
  ended: boolean;
}

export interface ObservationClock {
  /** Where the minimum is measured from (the protocol's `observation.from`). */
  from: TreatmentMoment;
  referenceAtMs: number;
  elapsedMs: number;
  minimumMs: number;
  remainingMs: number;
  minimumEndsAtMs: number;
  minimumReached: boolean;
}

export interface NextBpClock {
  intervalMs: number;
  /** Counted from the last BP in this phase, or from the phase's start when there is none yet. */
  countedFrom: 'last-bp' | 'phase-start';
  dueAtMs: number;
  overdue: boolean;
  overdueMs: number;
}

export type CheckpointStatus = 'pending' | 'met' | 'missed';

export interface CheckpointClock {
  id: string;
  label: string;
  status: CheckpointStatus;
  /** Pending and inside its window now. */
  open: boolean;
  /** null until the reference moment (e.g. treatment start) has happened. */
  targetAtMs: number | null;
  windowStartAtMs: number | null;
  windowEndAtMs: number | null;
  /** The reading that met it: the one inside the window nearest the target. */
  metAtMs: number | null;
}

export interface SessionClocks {
  phase: SessionPhase;
  paused: boolean;
  nowMs: number;
  /** null before treatment starts. */
  treatment: TreatmentClock | null;
  /** null until the protocol's reference moment has happened. */
  observation: ObservationClock | null;
  /** null in baseline (no cadence: see `computeBaseline`) and once the session has ended. */
  nextBp: NextBpClock | null;
  checkpoints: CheckpointClock[];
  /** From check-in to now, or to discharge/cancellation. */
  totalMonitoringMs: number;
  totalMonitoringMinutes: number;
  /** From treatment start to now, or to discharge (REMS: "total minutes from dosing"). */
  sinceTreatmentStartMs: number | null;
}

export interface SessionClockReadings {
  /** The newest plausible BP of the session. */
  lastBpAtMs: number | null;
  /** Times of the session's plausible BPs, for checkpoints. */
  bpReadingTimes: readonly number[];
}

function momentAtMs(state: SessionState, moment: TreatmentMoment): number | null {
  return moment === 'treatment-start' ? state.treatmentStartedAtMs : state.treatmentEndedAtMs;
}

/** Which reading meets a checkpoint: inside the window (inclusive), nearest the target, the earlier on a tie. */
export function checkpointReading(
  checkpoint: ProtocolCheckpoint,
  state: SessionState,
  bpReadingTimes: readonly number[],
): { targetAtMs: number; windowStartAtMs: number; windowEndAtMs: number; metAtMs: number | null } | null {
  const reference = momentAtMs(state, checkpoint.from);
  if (reference === null) return null;
  const targetAtMs = reference + checkpoint.atMin * msPerMin;
  const windowStartAtMs = reference + checkpoint.windowStartMin * msPerMin;
  const windowEndAtMs = reference + checkpoint.windowEndMin * msPerMin;
  let metAtMs: number | null = null;
  for (const t of bpReadingTimes) {
    if (t < windowStartAtMs || t > windowEndAtMs) continue;
    const better =
      metAtMs === null ||
      Math.abs(t - targetAtMs) < Math.abs(metAtMs - targetAtMs) ||
      (Math.abs(t - targetAtMs) === Math.abs(metAtMs - targetAtMs) && t < metAtMs);
    if (better) metAtMs = t;
  }
  return { targetAtMs, windowStartAtMs, windowEndAtMs, metAtMs };
}

function checkpointClock(checkpoint: ProtocolCheckpoint, state: SessionState, times: readonly number[], nowMs: number): CheckpointClock {
  const found = checkpointReading(checkpoint, state, times);
  const base = { id: checkpoint.id, label: checkpoint.label };
  if (found === null) {
    return { ...base, status: 'pending', open: false, targetAtMs: null, windowStartAtMs: null, windowEndAtMs: null, metAtMs: null };
  }
  const status: CheckpointStatus = found.metAtMs !== null ? 'met' : nowMs > found.windowEndAtMs ? 'missed' : 'pending';
  return { ...base, ...found, status, open: status === 'pending' && nowMs >= found.windowStartAtMs };
}

function treatmentClock(protocol: Protocol, state: SessionState, t: number): TreatmentClock | null {
  const startedAtMs = state.treatmentStartedAtMs;
  if (startedAtMs === null) return null;
  const elapsedMs = treatmentElapsedMs(state, t);
  const plannedMs = protocol.treatment.plannedMin * msPerMin;
  const spanEnd = Math.min(state.treatmentEndedAtMs ?? t, t);
  const paused = isTreatmentPaused(state);
  const ended = state.treatmentEndedAtMs !== null;
  const remainingMs = Math.max(0, plannedMs - elapsedMs);
  return {
    startedAtMs,
    elapsedMs,
    pausedMs: Math.max(0, spanEnd - startedAtMs - elapsedMs),
    plannedMs,
    remainingMs,
    overrunMs: Math.max(0, elapsedMs - plannedMs),
    plannedEndAtMs: paused || ended ? null : t + remainingMs,
    paused,
    ended,
  };
}

function observationClock(protocol: Protocol, state: SessionState, t: number): ObservationClock | null {
  const { from, minimumMin } = protocol.observation;
  const referenceAtMs = momentAtMs(state, from);
  if (referenceAtMs === null) return null;
  const elapsedMs = Math.max(0, t - referenceAtMs);
  const minimumMs = minimumMin * msPerMin;
  const remainingMs = Math.max(0, minimumMs - elapsedMs);
  return {
    from,
    referenceAtMs,
    elapsedMs,
    minimumMs,
    remainingMs,
    minimumEndsAtMs: referenceAtMs + minimumMs,
    minimumReached: remainingMs === 0,
  };
}

function nextBpClock(protocol: Protocol, state: SessionState, lastBpAtMs: number | null, nowMs: number): NextBpClock | null {
  const phase =
    state.phase === 'treatment' && state.treatmentStartedAtMs !== null
      ? { startMs: state.treatmentStartedAtMs, intervalMin: protocol.treatment.bpIntervalMin }
      : state.phase === 'observation' && state.treatmentEndedAtMs !== null
        ? { startMs: state.treatmentEndedAtMs, intervalMin: protocol.observation.bpIntervalMin }
        : null;
  if (phase === null) return null;
  const intervalMs = phase.intervalMin * msPerMin;
  const fromLastBp = lastBpAtMs !== null && lastBpAtMs >= phase.startMs;
  const dueAtMs = (fromLastBp ? lastBpAtMs : phase.startMs) + intervalMs;
  const overdueMs = Math.max(0, nowMs - dueAtMs);
  return { intervalMs, countedFrom: fromLastBp ? 'last-bp' : 'phase-start', dueAtMs, overdue: overdueMs > 0, overdueMs };
}

/**
 * Every clock a chair tile or session page shows, at `nowMs`. Clocks stop when the session ends
 * (discharge or cancellation), except checkpoints, which turn 'missed' once their window has passed
 * without a reading.
 */
export function sessionClocks(protocol: Protocol, state: SessionState, readings: SessionClockReadings, nowMs: number): SessionClocks {
  const endedAt = sessionEndedAtMs(state);
  const t = endedAt === null ? nowMs : Math.min(endedAt, nowMs);
  const totalMonitoringMs = Math.max(0, t - state.checkedInAtMs);
  return {
    phase: state.phase,
    paused: isTreatmentPaused(state),
    nowMs,
    treatment: treatmentClock(protocol, state, t),
    observation: observationClock(protocol, state, t),
    nextBp: nextBpClock(protocol, state, readings.lastBpAtMs, nowMs),
    checkpoints: protocol.checkpoints.map((c) => checkpointClock(c, state, readings.bpReadingTimes, nowMs)),
    totalMonitoringMs,
    totalMonitoringMinutes: Math.floor(totalMonitoringMs / msPerMin),
    sinceTreatmentStartMs: state.treatmentStartedAtMs === null ? null : Math.max(0, t - state.treatmentStartedAtMs),
  };
}
