import {
  type AlertContext,
  alertLimitsSchema,
  type AlertRule,
  applyAlertLimits,
  type DischargeGateResult,
  defaultAlertRules,
  recordSettingsOf,
  sessionClocks,
  type SessionSummary,
} from '@chairside/shared';

/** The rules a session runs: the defaults with the session's limit changes applied. */
export function rulesForSession(session: SessionSummary): readonly AlertRule[] {
  return rulesForLimits(session.state.alertLimits);
}

/** The rules for a session's limit changes as stored (`null`: the defaults; invalid ones are ignored). */
export function rulesForLimits(alertLimits: unknown): readonly AlertRule[] {
  if (alertLimits === null || alertLimits === undefined) return defaultAlertRules;
  const limits = alertLimitsSchema.safeParse(alertLimits);
  if (!limits.success) return defaultAlertRules;
  const applied = applyAlertLimits(defaultAlertRules, limits.data);
  return applied.ok ? applied.rules : defaultAlertRules;
}

/**
 * What the alert engine needs to know of a session at `nowMs`. `gate` is the discharge gate as last
 * evaluated: the not-ready advisory fires only on a gate evaluated at or after the end of the
 * minimum observation that failed, never on an older copy.
 */
export function alertContextFor(session: SessionSummary, nowMs: number, gate: DischargeGateResult | null = null): AlertContext {
  const { protocol, state, baseline } = session;
  const clocks = sessionClocks(
    protocol,
    state,
    { lastBpAtMs: session.bpTimesMs.at(-1) ?? null, bpReadingTimes: session.bpTimesMs },
    nowMs,
  );
  const bpIntervalMin =
    state.phase === 'observation' ? protocol.observation.bpIntervalMin : protocol.treatment.bpIntervalMin;
  const observation = clocks.observation;
  const gateFailsAtObservationEnd =
    state.phase === 'observation' &&
    state.gateFirstHeldAtMs === null &&
    observation !== null &&
    observation.minimumReached &&
    gate !== null &&
    !gate.holds &&
    gate.atMs >= observation.minimumEndsAtMs;
  return {
    phase: state.phase,
    // Rules about the baseline wait for a complete one: a provisional baseline raises nothing.
    baseline:
      baseline.complete && baseline.systolic !== null && baseline.diastolic !== null
        ? { systolic: baseline.systolic, diastolic: baseline.diastolic }
        : null,
    bpIntervalMin,
    bpDueAtMs: clocks.nextBp?.dueAtMs ?? null,
    checkpoints: clocks.checkpoints.map((c) => ({
      id: c.id,
      label: c.label,
      status: c.status,
      windowStartAtMs: c.windowStartAtMs,
      windowEndAtMs: c.windowEndAtMs,
    })),
    gateFailsAtObservationEnd,
    treatmentStartedAtMs: state.treatmentStartedAtMs,
    treatmentEndedAtMs: state.treatmentEndedAtMs,
    monitorRemovedAtMs: state.monitorRemovedAtMs ?? null,
    ...recordContextOf(session),
  };
}

/**
 * The session record's timers for the alert engine (docs/clinical-defaults.md "The session record beyond vitals"):
 * open PRN reassessments, and the next eyes-on check with the protocol's overdue thresholds.
 */
function recordContextOf(session: SessionSummary): Pick<AlertContext, 'rounding' | 'reassessments'> {
  const { record } = session;
  if (record === undefined) return { rounding: null, reassessments: [] };
  const thresholds = recordSettingsOf(session.protocol).rounding;
  // Eyes-on checks are due from the start of treatment, the first one an interval after it, whether or not any was
  // recorded yet (docs/clinical-defaults.md "Eyes-on checks from the start").
  const due = record.due.find((d) => d.kind === 'rounding');
  return {
    rounding: due === undefined ? null : { dueAtMs: due.dueAtMs, lowAfterMin: thresholds.lowAfterMin, mediumAfterMin: thresholds.mediumAfterMin },
    reassessments: record.due.filter((d) => d.kind === 'reassessment').map((d) => ({ id: d.id, label: d.label, dueAtMs: d.dueAtMs })),
  };
}
