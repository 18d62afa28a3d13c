import { z } from 'zod';
import { sessionPhaseSchema } from '../schemas/common';

/** The discharge gate's items (docs/clinical-defaults.md "The session timeline"), in the order they are shown. */
export const dischargeGateItemIdSchema = z.enum([
  'observation-time',
  'bp-near-baseline',
  'bp-below-severe',
  'heart-rate',
  'spo2',
  'no-active-alarm',
  'sedation-resolved',
  'escort',
  'checklist',
]);
export type DischargeGateItemId = z.infer<typeof dischargeGateItemIdSchema>;

/** The start gate's items (docs/clinical-defaults.md "The session timeline"), in the order they are shown; more may follow. */
export const startGateItemIdSchema = z.enum(['baseline-bp', 'bp-below-hold', 'readiness']);
export type StartGateItemId = z.infer<typeof startGateItemIdSchema>;

const epochMs = z.number().int();

export const treatmentPauseSchema = z.object({
  fromMs: epochMs,
  /** null while the pause lasts. */
  toMs: epochMs.nullable(),
  reason: z.string().nullable(),
});
export type TreatmentPause = z.infer<typeof treatmentPauseSchema>;

/**
 * A session's timeline state: plain JSON, epoch milliseconds. The server persists it and passes it
 * back in; only `applySessionEvent` and `noteGateResult` produce new states. Validate with this
 * schema when reading it back from storage.
 */
export const sessionStateSchema = z.object({
  phase: sessionPhaseSchema,
  checkedInAtMs: epochMs,
  treatmentStartedAtMs: epochMs.nullable(),
  /** Pauses of treatment, oldest first; "paused" is the last one being open, not a phase. */
  pauses: z.array(treatmentPauseSchema),
  treatmentEndedAtMs: epochMs.nullable(),
  /** When the observation phase began (= when treatment ended). */
  observationStartedAtMs: epochMs.nullable(),
  dischargedAtMs: epochMs.nullable(),
  cancelledAtMs: epochMs.nullable(),
  cancelReason: z.string().nullable(),
  /** The nurse's discharge checklist, by the protocol's item id. */
  checklist: z.record(z.string(), z.boolean()),
  /** The first moment the discharge gate held: "discharge criteria met at" (the REMS form's field). */
  gateFirstHeldAtMs: epochMs.nullable(),
  /** Set when a clinician discharged while the gate did not hold. */
  dischargeOverride: z
    .object({ reason: z.string(), failingItems: z.array(dischargeGateItemIdSchema) })
    .nullable(),
  /** The session's alert limits as last changed by a clinician; null: the protocol's defaults. */
  alertLimits: z.record(z.string(), z.unknown()).nullable(),
  /** Set when a clinician started treatment while the start gate did not hold (null in states stored before). */
  startOverride: z
    .object({ reason: z.string(), failingItems: z.array(startGateItemIdSchema) })
    .nullable()
    .default(null),
  /** When a nurse recorded that the bedside monitor was taken off the patient (null in states stored before). */
  monitorRemovedAtMs: epochMs.nullable().default(null),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

/** A patient just checked into a chair. */
export function initialSessionState(checkedInAtMs: number): SessionState {
  return {
    phase: 'baseline',
    checkedInAtMs,
    treatmentStartedAtMs: null,
    pauses: [],
    treatmentEndedAtMs: null,
    observationStartedAtMs: null,
    dischargedAtMs: null,
    cancelledAtMs: null,
    cancelReason: null,
    checklist: {},
    gateFirstHeldAtMs: null,
    dischargeOverride: null,
    alertLimits: null,
    startOverride: null,
    monitorRemovedAtMs: null,
  };
}

/** Treatment is running but paused. */
export function isTreatmentPaused(state: SessionState): boolean {
  const last = state.pauses[state.pauses.length - 1];
  return state.phase === 'treatment' && last !== undefined && last.toMs === null;
}

/** The session is over: discharged or cancelled. */
export function isSessionEnded(state: SessionState): boolean {
  return state.phase === 'discharged' || state.phase === 'cancelled';
}

/** When the session ended, or null while it runs. */
export function sessionEndedAtMs(state: SessionState): number | null {
  return state.dischargedAtMs ?? state.cancelledAtMs;
}

/**
 * Time spent treating, pauses excluded, up to `nowMs` (or the end of treatment). 0 before it starts.
 */
export function treatmentElapsedMs(state: SessionState, nowMs: number): number {
  const start = state.treatmentStartedAtMs;
  if (start === null) return 0;
  const end = Math.min(state.treatmentEndedAtMs ?? nowMs, nowMs);
  if (end <= start) return 0;
  let paused = 0;
  for (const p of state.pauses) {
    const from = Math.max(p.fromMs, start);
    const to = Math.min(p.toMs ?? end, end);
    if (to > from) paused += to - from;
  }
  return Math.max(0, end - start - paused);
}
