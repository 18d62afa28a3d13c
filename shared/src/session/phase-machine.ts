import { z } from 'zod';
import type { SessionPhase } from '../schemas/common';
import { idSchema, type Role } from '../schemas/common';
import { type DischargeGateResult, describeGateFailures } from './discharge-gate';
import type { Protocol } from './protocol';
import { type DischargeGateItemId, isSessionEnded, isTreatmentPaused, type SessionState, type StartGateItemId } from './session-state';
import { describeStartGateFailures, type StartGateResult } from './start-gate';

/*
 * The session phase machine (README, API: "Sessions", docs/clinical-defaults.md "The session timeline"):
 *
 *   baseline → treatment → observation → discharged
 *   baseline → cancelled (with a reason)
 *
 * Pausing is a flag within treatment, not a phase. Notes are allowed in every phase, even after the
 * session ended. A refused event changes nothing and says why.
 */

const note = z.string().trim().min(1, 'write a note or leave it out').max(2000, 'keep the note under 2000 characters');
const reason = (what: string) =>
  z.string({ error: `give a reason for ${what}` }).trim().min(1, `give a reason for ${what}`).max(2000, 'keep the reason under 2000 characters');

/** `POST /api/v1/sessions/:id/events` body: one event, discriminated on `type`. */
export const sessionEventInputSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('treatment-started'),
      /** Only when the start gate does not hold; clinicians only. */
      override: z.object({ reason: reason('overriding the start gate') }).strict().optional(),
      note: note.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('treatment-paused'),
      reason: z.string().trim().min(1).max(2000).optional(),
      note: note.optional(),
    })
    .strict(),
  z.object({ type: z.literal('treatment-resumed'), note: note.optional() }).strict(),
  z.object({ type: z.literal('treatment-ended'), note: note.optional() }).strict(),
  z
    .object({
      type: z.literal('discharged'),
      /** Only when the discharge gate does not hold; clinicians only. */
      override: z.object({ reason: reason('overriding the discharge gate') }).strict().optional(),
      note: note.optional(),
    })
    .strict(),
  z.object({ type: z.literal('cancelled'), reason: reason('cancelling the session'), note: note.optional() }).strict(),
  z
    .object({
      type: z.literal('note'),
      text: z.string({ error: 'write the note' }).trim().min(1, 'write the note').max(4000, 'keep the note under 4000 characters'),
      note: note.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('checklist-updated'),
      /** Ticked (true) or unticked (false), by the protocol's checklist item id. */
      items: z
        .record(idSchema, z.boolean())
        .refine((items) => Object.keys(items).length > 0, 'tick or untick at least one item'),
      note: note.optional(),
    })
    .strict(),
  /** The bedside monitor was taken off the patient (its silence from now on is expected). */
  z.object({ type: z.literal('monitor-removed'), note: note.optional() }).strict(),
  z
    .object({
      type: z.literal('limits-changed'),
      /** The session's alert limits; their shape belongs to the alert engine. */
      limits: z.record(z.string(), z.unknown()),
      reason: reason('changing the alert limits'),
      note: note.optional(),
    })
    .strict(),
]);
export type SessionEventInput = z.infer<typeof sessionEventInputSchema>;
export type SessionEventType = SessionEventInput['type'];
export const sessionEventTypes = sessionEventInputSchema.options.map((o) => o.shape.type.value);

export interface SessionEventContext {
  /** When the event happens (server clock), epoch ms. */
  atMs: number;
  role: Role;
  /** The discharge gate evaluated at `atMs`; needed for `discharged`, otherwise may be null. */
  gate: DischargeGateResult | null;
  /** The start gate evaluated at `atMs`; needed for `treatment-started` (null: not evaluated, so it is refused), otherwise may be null. */
  startGate: StartGateResult | null;
}

/** What the server stores beside the new state: who (it adds the user), when, and from which phase. */
export interface SessionEventRecord {
  type: SessionEventType;
  fromPhase: SessionPhase;
  toPhase: SessionPhase;
  atMs: number;
  role: Role;
  note: string | null;
  /** The event as posted (reason, text, items, limits, override). */
  event: SessionEventInput;
  /** For `discharged`: whether the gate held, which items failed, and the override's reason. */
  discharge: { gateHeld: boolean; failingItems: DischargeGateItemId[]; overrideReason: string | null } | null;
  /**
   * For `treatment-started`: whether the start gate held, which items failed, and the override's
   * reason (also kept when the gate held and the override was not needed).
   */
  start: { gateHeld: boolean; failingItems: StartGateItemId[]; overrideReason: string | null } | null;
}

export type SessionEventRefusal = { ok: false; code: 'conflict' | 'forbidden'; reason: string };
export type SessionEventOutcome = { ok: true; state: SessionState; record: SessionEventRecord } | SessionEventRefusal;

const conflict = (reason: string): SessionEventRefusal => ({ ok: false, code: 'conflict', reason });
const forbidden = (reason: string): SessionEventRefusal => ({ ok: false, code: 'forbidden', reason });

type Change = { state: SessionState; discharge?: SessionEventRecord['discharge']; start?: SessionEventRecord['start'] };

/** Why nothing but a note may happen to a finished session. */
function endedRefusal(state: SessionState): SessionEventRefusal | null {
  if (state.phase === 'discharged') return conflict('The session has ended: the patient was discharged');
  if (state.phase === 'cancelled') return conflict('The session was cancelled');
  return null;
}

/** Why a treatment event cannot happen outside a running treatment. */
function notInTreatment(state: SessionState): SessionEventRefusal | null {
  if (state.phase === 'baseline') return conflict('Treatment has not started');
  if (state.phase === 'observation') return conflict('Treatment has already ended');
  return endedRefusal(state);
}

/** The newest moment on the timeline; a phase change dated before it would make clocks run backwards. */
function lastTransitionAtMs(state: SessionState): number {
  const times = [state.checkedInAtMs, state.treatmentStartedAtMs, state.treatmentEndedAtMs];
  for (const p of state.pauses) times.push(p.fromMs, p.toMs);
  return Math.max(...times.filter((t): t is number => t !== null));
}

function transition(state: SessionState, event: SessionEventInput, ctx: SessionEventContext): Change | SessionEventRefusal {
  const { atMs } = ctx;
  const isPhaseChange =
    event.type !== 'note' && event.type !== 'checklist-updated' && event.type !== 'limits-changed' && event.type !== 'monitor-removed';
  if (isPhaseChange && !isSessionEnded(state) && atMs < lastTransitionAtMs(state)) {
    return conflict("The event is dated before the session's last change");
  }

  switch (event.type) {
    case 'treatment-started': {
      if (event.override !== undefined && ctx.role !== 'clinician') {
        return forbidden('Only a clinician can override the start gate');
      }
      if (state.phase === 'treatment' || state.phase === 'observation') return conflict('Treatment has already started');
      const ended = endedRefusal(state);
      if (ended) return ended;
      const started: SessionState = { ...state, phase: 'treatment', treatmentStartedAtMs: atMs };
      const gate = ctx.startGate;
      if (gate?.holds === true) {
        // An override sent although the gate holds is not needed: kept in the log, not as an override.
        return { state: started, start: { gateHeld: true, failingItems: [], overrideReason: event.override?.reason ?? null } };
      }
      const failingItems = gate === null ? [] : gate.items.filter((i) => !i.ok).map((i) => i.id);
      if (event.override === undefined) {
        const failures = gate === null ? 'the start gate has not been evaluated' : describeStartGateFailures(gate);
        return conflict(`Start waits for: ${failures}`);
      }
      return {
        state: { ...started, startOverride: { reason: event.override.reason, failingItems } },
        start: { gateHeld: false, failingItems, overrideReason: event.override.reason },
      };
    }
    case 'treatment-paused': {
      const refused = notInTreatment(state);
      if (refused) return refused;
      if (isTreatmentPaused(state)) return conflict('Treatment is already paused');
      return { state: { ...state, pauses: [...state.pauses, { fromMs: atMs, toMs: null, reason: event.reason ?? null }] } };
    }
    case 'treatment-resumed': {
      const refused = notInTreatment(state);
      if (refused) return refused;
      if (!isTreatmentPaused(state)) return conflict('Treatment is not paused');
      return { state: { ...state, pauses: closeOpenPause(state, atMs) } };
    }
    case 'treatment-ended': {
      const refused = notInTreatment(state);
      if (refused) return refused;
      return {
        state: {
          ...state,
          phase: 'observation',
          pauses: closeOpenPause(state, atMs),
          treatmentEndedAtMs: atMs,
          observationStartedAtMs: atMs,
        },
      };
    }
    case 'discharged': {
      if (event.override !== undefined && ctx.role !== 'clinician') {
        return forbidden('Only a clinician can override the discharge gate');
      }
      if (state.phase === 'baseline') return conflict('Treatment has not started: cancel the session instead');
      if (state.phase === 'treatment') return conflict('Treatment has not ended');
      if (state.phase === 'discharged') return conflict('The patient has already been discharged');
      if (state.phase === 'cancelled') return conflict('The session was cancelled');
      const gate = ctx.gate;
      if (gate?.holds === true) {
        return {
          state: { ...state, phase: 'discharged', dischargedAtMs: atMs, gateFirstHeldAtMs: state.gateFirstHeldAtMs ?? atMs },
          discharge: { gateHeld: true, failingItems: [], overrideReason: event.override?.reason ?? null },
        };
      }
      const failingItems = gate === null ? [] : gate.items.filter((i) => !i.ok).map((i) => i.id);
      const failures = gate === null ? 'the discharge gate has not been evaluated' : describeGateFailures(gate);
      if (event.override === undefined) {
        return conflict(`Discharge needs the gate to hold or a clinician's override: ${failures}`);
      }
      return {
        state: {
          ...state,
          phase: 'discharged',
          dischargedAtMs: atMs,
          dischargeOverride: { reason: event.override.reason, failingItems },
        },
        discharge: { gateHeld: false, failingItems, overrideReason: event.override.reason },
      };
    }
    case 'cancelled': {
      if (state.phase === 'treatment' || state.phase === 'observation') {
        return conflict('Treatment has started: a session can only be cancelled before it; end treatment and discharge instead');
      }
      const ended = endedRefusal(state);
      if (ended) return ended;
      return { state: { ...state, phase: 'cancelled', cancelledAtMs: atMs, cancelReason: event.reason } };
    }
    case 'note':
      return { state };
    case 'checklist-updated': {
      const ended = endedRefusal(state);
      if (ended) return ended;
      return { state: { ...state, checklist: { ...state.checklist, ...event.items } } };
    }
    case 'limits-changed': {
      if (ctx.role !== 'clinician') return forbidden("Only a clinician can change a session's alert limits");
      const ended = endedRefusal(state);
      if (ended) return ended;
      return { state: { ...state, alertLimits: event.limits } };
    }
    case 'monitor-removed': {
      const ended = endedRefusal(state);
      if (ended) return ended;
      if (state.monitorRemovedAtMs !== null) return conflict('The monitor has already been recorded as removed');
      return { state: { ...state, monitorRemovedAtMs: atMs } };
    }
  }
}

function closeOpenPause(state: SessionState, atMs: number): SessionState['pauses'] {
  return state.pauses.map((p) => (p.toMs === null ? { ...p, toMs: atMs } : p));
}

/**
 * Applies one validated event to a session. Admins do not run sessions; overriding the discharge
 * gate and changing alert limits are a clinician's. A refused event leaves the state untouched:
 * `conflict` when the session's phase does not allow it, `forbidden` when the role may not.
 */
export function applySessionEvent(state: SessionState, event: SessionEventInput, ctx: SessionEventContext): SessionEventOutcome {
  if (ctx.role === 'admin') return forbidden('Admins do not run sessions: log in as a nurse or clinician');
  const change = transition(state, event, ctx);
  if ('ok' in change) return change;
  return {
    ok: true,
    state: change.state,
    record: {
      type: event.type,
      fromPhase: state.phase,
      toPhase: change.state.phase,
      atMs: ctx.atMs,
      role: ctx.role,
      note: event.note ?? null,
      event,
      discharge: change.discharge ?? null,
      start: change.start ?? null,
    },
  };
}

export type SessionActionId =
  | 'start-treatment'
  | 'start-treatment-with-override'
  | 'pause-treatment'
  | 'resume-treatment'
  | 'end-treatment'
  | 'discharge'
  | 'discharge-with-override'
  | 'cancel'
  | 'update-checklist'
  | 'change-limits'
  | 'record-monitor-removed'
  | 'add-note';

/** What the UI must ask for before posting the action's event. */
export type SessionActionInput = 'nothing' | 'optional-reason' | 'reason' | 'text' | 'checklist' | 'limits-and-reason';

export interface SessionAction {
  id: SessionActionId;
  /**
   * The event to post; `discharge-with-override` posts `discharged` with `override: { reason }`,
   * `start-treatment-with-override` posts `treatment-started` with `override: { reason }`.
   */
  eventType: SessionEventType;
  label: string;
  asks: SessionActionInput;
  enabled: boolean;
  /** Why it is disabled, in plain words; null when enabled. */
  disabledReason: string | null;
}

type Candidate = { id: SessionActionId; label: string; asks: SessionActionInput; sample: SessionEventInput };

function candidates(state: SessionState, protocol: Protocol, gate: DischargeGateResult | null, startGate: StartGateResult | null): Candidate[] {
  const { labels } = protocol;
  const placeholder = 'reason';
  const always: Candidate[] = [{ id: 'add-note', label: 'Add note', asks: 'text', sample: { type: 'note', text: placeholder } }];
  const monitor: Candidate[] =
    state.monitorRemovedAtMs === null
      ? [{ id: 'record-monitor-removed', label: 'Monitor removed', asks: 'nothing', sample: { type: 'monitor-removed' } }]
      : [];
  const whileActive: Candidate[] = [
    ...monitor,
    { id: 'update-checklist', label: 'Discharge checklist', asks: 'checklist', sample: { type: 'checklist-updated', items: {} } },
    {
      id: 'change-limits',
      label: 'Change alert limits',
      asks: 'limits-and-reason',
      sample: { type: 'limits-changed', limits: {}, reason: placeholder },
    },
  ];
  switch (state.phase) {
    case 'baseline':
      return [
        { id: 'start-treatment', label: labels.startTreatment, asks: 'nothing', sample: { type: 'treatment-started' } },
        ...(startGate?.holds === true
          ? []
          : [
              {
                id: 'start-treatment-with-override',
                label: `${labels.startTreatment} with override`,
                asks: 'reason',
                sample: { type: 'treatment-started', override: { reason: placeholder } },
              } satisfies Candidate,
            ]),
        { id: 'cancel', label: 'Cancel session', asks: 'reason', sample: { type: 'cancelled', reason: placeholder } },
        ...whileActive,
        ...always,
      ];
    case 'treatment':
      return [
        isTreatmentPaused(state)
          ? { id: 'resume-treatment', label: labels.resumeTreatment, asks: 'nothing', sample: { type: 'treatment-resumed' } }
          : { id: 'pause-treatment', label: labels.pauseTreatment, asks: 'optional-reason', sample: { type: 'treatment-paused' } },
        { id: 'end-treatment', label: labels.endTreatment, asks: 'nothing', sample: { type: 'treatment-ended' } },
        ...whileActive,
        ...always,
      ];
    case 'observation':
      return [
        { id: 'discharge', label: 'Discharge', asks: 'nothing', sample: { type: 'discharged' } },
        ...(gate?.holds === true
          ? []
          : [
              {
                id: 'discharge-with-override',
                label: 'Discharge with override',
                asks: 'reason',
                sample: { type: 'discharged', override: { reason: placeholder } },
              } satisfies Candidate,
            ]),
        ...whileActive,
        ...always,
      ];
    case 'discharged':
    case 'cancelled':
      return always;
  }
}

/**
 * The actions the UI should offer now, labelled by the protocol, each enabled or disabled with the
 * reason. Whether one is enabled is decided by `applySessionEvent` itself, so the buttons and the
 * server can never disagree. "… with override" (start or discharge) is listed only while its gate
 * does not hold; "Monitor removed" until it is recorded.
 */
export function availableActions(
  state: SessionState,
  protocol: Protocol,
  role: Role,
  gate: DischargeGateResult | null,
  startGate: StartGateResult | null,
): SessionAction[] {
  // Any moment not before the last change will do: the answer depends on the phase, role and gates.
  const atMs = lastTransitionAtMs(state);
  return candidates(state, protocol, gate, startGate).map((c) => {
    const outcome = applySessionEvent(state, c.sample, { atMs, role, gate, startGate });
    return {
      id: c.id,
      eventType: c.sample.type,
      label: c.label,
      asks: c.asks,
      enabled: outcome.ok,
      disabledReason: outcome.ok ? null : outcome.reason,
    };
  });
}
