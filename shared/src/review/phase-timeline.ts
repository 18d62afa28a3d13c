import type { SessionPhase } from '../schemas/common';
import { type SessionState, sessionEndedAtMs } from '../session/session-state';

/** A stretch of the session in one phase, for charts and tables. */
export interface PhaseSpan {
  phase: 'baseline' | 'treatment' | 'observation';
  fromMs: number;
  toMs: number;
}

/** A pause of treatment, closed at `untilMs` when it was still open. */
export interface PauseSpan {
  fromMs: number;
  toMs: number;
  reason: string | null;
}

/** Where the session's timeline ends: its end, or `nowMs` while it runs. */
export function timelineEndMs(state: SessionState, nowMs: number): number {
  return sessionEndedAtMs(state) ?? Math.max(nowMs, state.checkedInAtMs);
}

/**
 * The session's phases as spans, oldest first, up to its end (discharge or cancellation) or
 * `nowMs` while it runs. Empty spans are left out.
 */
export function phaseSpans(state: SessionState, nowMs: number): PhaseSpan[] {
  const end = timelineEndMs(state, nowMs);
  const treatmentStart = state.treatmentStartedAtMs;
  const treatmentEnd = state.treatmentEndedAtMs;
  const spans: PhaseSpan[] = [
    { phase: 'baseline', fromMs: state.checkedInAtMs, toMs: treatmentStart ?? end },
  ];
  if (treatmentStart !== null) spans.push({ phase: 'treatment', fromMs: treatmentStart, toMs: treatmentEnd ?? end });
  if (treatmentEnd !== null) spans.push({ phase: 'observation', fromMs: treatmentEnd, toMs: end });
  return spans.filter((s) => s.toMs > s.fromMs);
}

/** Treatment pauses, an open one closed at the end of the timeline. */
export function pauseSpans(state: SessionState, nowMs: number): PauseSpan[] {
  const end = state.treatmentEndedAtMs ?? timelineEndMs(state, nowMs);
  return state.pauses.map((p) => ({ fromMs: p.fromMs, toMs: p.toMs ?? end, reason: p.reason }));
}

/** The phase a reading taken at `atMs` fell in: 'before-check-in' for readings attached from the chair's timeline. */
export type ReadingPhase = SessionPhase | 'before-check-in';

export function phaseAt(state: SessionState, atMs: number): ReadingPhase {
  if (atMs < state.checkedInAtMs) return 'before-check-in';
  if (state.dischargedAtMs !== null && atMs > state.dischargedAtMs) return 'discharged';
  if (state.cancelledAtMs !== null && atMs > state.cancelledAtMs) return 'cancelled';
  if (state.treatmentStartedAtMs === null || atMs < state.treatmentStartedAtMs) return 'baseline';
  if (state.treatmentEndedAtMs === null || atMs < state.treatmentEndedAtMs) return 'treatment';
  return 'observation';
}
