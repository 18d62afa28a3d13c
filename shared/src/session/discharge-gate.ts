import { z } from 'zod';
import type { Alert } from '../alerts/alert';
import { formatBp, minutesLeft, msPerMin } from './bp-readings';
import { isSpo2Required, type Protocol } from './protocol';
import { type DischargeGateItemId, dischargeGateItemIdSchema, type SessionState } from './session-state';

export const dischargeGateItemSchema = z.object({
  id: dischargeGateItemIdSchema,
  ok: z.boolean(),
  /** What is checked: "Minimum observation time". */
  label: z.string(),
  /**
   * What was found, as a fragment that reads after the label or a colon: "observation has 23 min
   * left", "last BP 168/98 is more than 20 % above baseline 130/80".
   */
  detail: z.string(),
});
export type DischargeGateItem = z.infer<typeof dischargeGateItemSchema>;

/** Whether the patient may leave without a clinician's override, item by item. */
export const dischargeGateResultSchema = z.object({
  holds: z.boolean(),
  items: z.array(dischargeGateItemSchema),
  atMs: z.number().int(),
});
export type DischargeGateResult = z.infer<typeof dischargeGateResultSchema>;

export interface DischargeGateInput {
  protocol: Protocol;
  state: SessionState;
  /** The patient's baseline (a provisional one counts); null when none was taken. */
  baseline: { systolic: number | null; diastolic: number | null; heartRate?: number | null } | null;
  /** The newest plausible BP of the session. */
  lastBp: { systolic: number; diastolic: number; atMs: number } | null;
  /** The newest plausible heart rate of the session. */
  lastHr: { value: number; atMs: number } | null;
  /** The newest plausible SpO₂ of the session; null when none was measured (SpO₂ not monitored). */
  lastSpo2: { value: number; atMs: number } | null;
  /** The session's alerts (open ones; cleared ones are ignored), judged by `alarmsHoldingDischarge`. */
  alerts: readonly Alert[];
  /**
   * The session record's resolution and escort (docs/clinical-defaults.md "The session record beyond vitals"). Absent:
   * those items are not judged (callers that know no record).
   */
  record?: {
    sedation: { resolved: boolean; resolvedAtMs: number | null; scoredSinceDosing: boolean; latestMoaaS: number | null; latestCadss: number | null; preDoseCadss: number | null };
    escort: { name: string; phone: string } | null;
    handoff: { collectedBy: string } | null;
  };
  nowMs: number;
}

export const dischargeGateLabels: Record<DischargeGateItemId, string> = {
  'observation-time': 'Minimum observation time',
  'bp-near-baseline': 'BP near baseline',
  'bp-below-severe': 'BP below severe limit',
  'heart-rate': 'Heart rate',
  spo2: 'SpO₂',
  'no-active-alarm': 'No high or medium alarm condition',
  'sedation-resolved': 'Sedation and dissociation resolved',
  escort: 'Escort',
  checklist: 'Discharge checklist',
};

type Check = { ok: boolean; detail: string };

function observationTime({ protocol, state, nowMs }: DischargeGateInput): Check {
  const { minimumMin, from } = protocol.observation;
  if (state.treatmentEndedAtMs === null) {
    return { ok: false, detail: `"${protocol.labels.endTreatment}" has not been recorded` };
  }
  const reference = from === 'treatment-end' ? state.treatmentEndedAtMs : state.treatmentStartedAtMs;
  if (reference === null) return { ok: false, detail: `${protocol.labels.treatmentStartMoment} has not been recorded` };
  const moment = from === 'treatment-end' ? protocol.labels.treatmentEndMoment : protocol.labels.treatmentStartMoment;
  const remainingMs = reference + minimumMin * msPerMin - nowMs;
  if (remainingMs > 0) return { ok: false, detail: `observation has ${minutesLeft(remainingMs)} min left` };
  const observedMin = Math.floor((nowMs - reference) / msPerMin);
  return { ok: true, detail: `${observedMin} min since ${moment} (minimum ${minimumMin})` };
}

/**
 * |value − base| ≤ pct % of base, so that exactly 20 % is within (a baseline is a mean with one
 * decimal, so the products are compared with a tolerance far below any measured difference).
 */
function within(value: number, base: number, pct: number): boolean {
  return Math.abs(value - base) * 100 <= pct * base + 1e-6;
}

/** The last BP taken since treatment ended, or why there is none. */
function bpSinceEnd({ protocol, state, lastBp }: DischargeGateInput): NonNullable<DischargeGateInput['lastBp']> | string {
  const endedAt = state.treatmentEndedAtMs;
  if (lastBp === null || endedAt === null || lastBp.atMs < endedAt) return `no BP since ${protocol.labels.treatmentEndMoment}`;
  return lastBp;
}

function bpNearBaseline(input: DischargeGateInput): Check {
  const { protocol, baseline } = input;
  const pct = protocol.dischargeGate.bpWithinPercentOfBaseline;
  if (baseline === null || baseline.systolic === null || baseline.diastolic === null) {
    return { ok: false, detail: 'no baseline BP to compare with' };
  }
  const base = { systolic: baseline.systolic, diastolic: baseline.diastolic };
  const lastBp = bpSinceEnd(input);
  if (typeof lastBp === 'string') return { ok: false, detail: lastBp };
  const failing = (['systolic', 'diastolic'] as const).filter((k) => !within(lastBp[k], base[k], pct));
  if (failing.length === 0) {
    return { ok: true, detail: `last BP ${formatBp(lastBp)} is within ${pct} % of baseline ${formatBp(base)}` };
  }
  const above = failing.every((k) => lastBp[k] > base[k]);
  const below = failing.every((k) => lastBp[k] < base[k]);
  const direction = above ? 'above' : below ? 'below' : 'away from';
  return { ok: false, detail: `last BP ${formatBp(lastBp)} is more than ${pct} % ${direction} baseline ${formatBp(base)}` };
}

/** Below the severe limits whatever the baseline: a high baseline does not make 182/100 near enough. */
function bpBelowSevere(input: DischargeGateInput): Check {
  const limit = input.protocol.dischargeGate.bpBelowMmHg;
  const lastBp = bpSinceEnd(input);
  if (typeof lastBp === 'string') return { ok: false, detail: lastBp };
  const below = lastBp.systolic < limit.systolic && lastBp.diastolic < limit.diastolic;
  return below
    ? { ok: true, detail: `last BP ${formatBp(lastBp)} is below ${formatBp(limit)}` }
    : { ok: false, detail: `last BP ${formatBp(lastBp)} is not below ${formatBp(limit)}` };
}

/** The pulse item: within N % of the baseline heart rate, or at or below the limit, on a heart rate taken since treatment ended. */
function heartRate({ protocol, state, baseline, lastHr }: DischargeGateInput): Check {
  const { heartRateWithinPercentOfBaseline: pct, heartRateAtOrBelowPerMin: max } = protocol.dischargeGate;
  const endedAt = state.treatmentEndedAtMs;
  if (lastHr === null || endedAt === null || lastHr.atMs < endedAt) {
    return { ok: false, detail: `no heart rate since ${protocol.labels.treatmentEndMoment}` };
  }
  const hr = Math.round(lastHr.value);
  if (lastHr.value <= max) return { ok: true, detail: `heart rate ${hr}/min is at or below ${max}/min` };
  const base = baseline?.heartRate ?? null;
  if (base !== null && within(lastHr.value, base, pct)) {
    return { ok: true, detail: `heart rate ${hr}/min is within ${pct} % of baseline ${Math.round(base)}/min` };
  }
  const baseText = base === null ? 'no baseline heart rate to compare with' : `more than ${pct} % above baseline ${Math.round(base)}/min`;
  return { ok: false, detail: `heart rate ${hr}/min is above ${max}/min and ${baseText}` };
}

/** "3 min old", "40 s old". */
function ageText(ms: number): string {
  if (ms < msPerMin) return `${Math.max(0, Math.floor(ms / 1000))} s old`;
  return `${Math.floor(ms / msPerMin)} min old`;
}

function spo2({ protocol, lastSpo2, nowMs }: DischargeGateInput): Check | null {
  const { spo2AbovePercent: limit, spo2MaxAgeMin } = protocol.dischargeGate;
  if (lastSpo2 === null) return isSpo2Required(protocol) ? { ok: false, detail: 'no SpO₂ reading' } : null;
  const ageMs = nowMs - lastSpo2.atMs;
  if (ageMs > spo2MaxAgeMin * msPerMin) {
    return { ok: false, detail: `last SpO₂ is ${ageText(ageMs)}: needs a reading from the last ${spo2MaxAgeMin} min` };
  }
  return lastSpo2.value > limit
    ? { ok: true, detail: `SpO₂ ${lastSpo2.value} % is above ${limit} %` }
    : { ok: false, detail: `SpO₂ ${lastSpo2.value} % is not above ${limit} %` };
}

/**
 * The alerts that keep a patient from leaving: high or medium priority, not cleared, and either
 * their condition is still present (acknowledged or not: acknowledging says a person has seen the
 * alarm, it does not make the condition go away), or it latched and nobody has seen it yet (a high
 * or late alarm whose condition is over waits for an acknowledgement). A medium alarm whose
 * condition resolved holds nothing: it only stays on screen for its last seconds.
 */
export function alarmsHoldingDischarge(alerts: readonly Alert[]): Alert[] {
  return alerts.filter(
    (a) =>
      (a.priority === 'high' || a.priority === 'medium') &&
      a.status !== 'cleared' &&
      (a.conditionResolvedAtMs === null || (a.status === 'active' && (a.priority === 'high' || a.late === true))),
  );
}

/** "Marked tachycardia (acknowledged, condition present)". */
export function describeHoldingAlarm(alert: Alert): string {
  const seen = alert.status === 'acknowledged' ? 'acknowledged' : 'not acknowledged';
  const condition = alert.conditionResolvedAtMs === null ? 'condition present' : 'condition resolved';
  return `${alert.label} (${seen}, ${condition})`;
}

function noActiveAlarm({ alerts }: DischargeGateInput): Check {
  const holding = alarmsHoldingDischarge(alerts);
  if (holding.length === 0) return { ok: true, detail: 'no high or medium alarm condition is present' };
  return { ok: false, detail: holding.map(describeHoldingAlarm).join(', ') };
}

/**
 * Esketamine: monitoring lasts until sedation and dissociation resolve (MOAA/S 5 and CADSS-6 at or below its pre-dose
 * value). Once scores were recorded after dosing they must show it; with none recorded, the nurse's checklist tick
 * "Sedation and dissociation resolved" (still required) is the only evidence, as before the record existed.
 */
function sedationResolved({ protocol, record }: DischargeGateInput): Check | null {
  if (record === undefined || protocol.kind !== 'nasal-spray') return null;
  const s = record.sedation;
  if (!s.scoredSinceDosing) return { ok: true, detail: 'no MOAA/S or CADSS-6 since dosing: the checklist’s tick decides' };
  if (s.resolved) return { ok: true, detail: `MOAA/S 5 and CADSS-6 ${s.latestCadss ?? 0} at or below its pre-dose ${s.preDoseCadss ?? 0}` };
  const moaa = s.latestMoaaS === null ? 'no MOAA/S since dosing' : `MOAA/S ${s.latestMoaaS}`;
  const cadss = s.latestCadss === null ? 'no CADSS-6 since dosing' : `CADSS-6 ${s.latestCadss} (pre-dose ${s.preDoseCadss ?? 'none, read as 0'})`;
  return { ok: false, detail: `not resolved: ${moaa}, ${cadss}` };
}

/**
 * Someone takes the patient home (no driving until the next day): an escort recorded with name and phone, or the
 * hand-off recorded. The checklist's "Escort present" tick stays a separate item: a name taken at check-in does not
 * say the escort is here now.
 */
function escort({ record }: DischargeGateInput): Check | null {
  if (record === undefined) return null;
  if (record.handoff !== null) return { ok: true, detail: `collected by ${record.handoff.collectedBy}` };
  if (record.escort !== null) return { ok: true, detail: `${record.escort.name} (${record.escort.phone})` };
  return { ok: false, detail: 'no escort recorded (name and phone)' };
}

function checklist({ protocol, state }: DischargeGateInput): Check {
  const items = protocol.dischargeGate.checklist;
  if (items.length === 0) return { ok: true, detail: 'this protocol has no checklist' };
  const unticked = items.filter((item) => state.checklist[item.id] !== true);
  if (unticked.length === 0) return { ok: true, detail: `all ${items.length} items ticked` };
  return { ok: false, detail: `not ticked: ${unticked.map((i) => i.label).join(', ')}` };
}

/**
 * The discharge gate of docs/clinical-defaults.md "The session timeline": every item must hold, or a clinician overrides it
 * with a written reason. Observation time is measured from the protocol's reference point; the BP
 * must be taken after treatment ended, lie within N % of the baseline (systolic and diastolic
 * both) and, as an item of its own, below the severe limits whatever the baseline; the heart rate,
 * taken after treatment ended, within N % of baseline or at most the limit; SpO₂ above the limit
 * on a recent reading, judged when the protocol requires it or when SpO₂ is monitored (a reading
 * exists); no high or medium alarm whose condition is present or which nobody acknowledged.
 */
export function evaluateDischargeGate(input: DischargeGateInput): DischargeGateResult {
  const checks: [DischargeGateItemId, Check | null][] = [
    ['observation-time', observationTime(input)],
    ['bp-near-baseline', bpNearBaseline(input)],
    ['bp-below-severe', bpBelowSevere(input)],
    ['heart-rate', heartRate(input)],
    ['spo2', spo2(input)],
    ['no-active-alarm', noActiveAlarm(input)],
    ['sedation-resolved', sedationResolved(input)],
    ['escort', escort(input)],
    ['checklist', checklist(input)],
  ];
  const items = checks.flatMap(([id, check]) => (check === null ? [] : [{ id, label: dischargeGateLabels[id], ...check }]));
  return { holds: items.every((i) => i.ok), items, atMs: input.nowMs };
}

/** The failing items' details, for a refusal or a tooltip: "observation has 23 min left; …". */
export function describeGateFailures(gate: DischargeGateResult): string {
  return gate.items
    .filter((i) => !i.ok)
    .map((i) => i.detail)
    .join('; ');
}

/**
 * Records the first moment the gate held during observation (`gateFirstHeldAtMs`: "discharge
 * criteria met at"). Call it whenever the gate is evaluated; it returns the same state object
 * when nothing changes, so the caller can skip persisting.
 */
export function noteGateResult(state: SessionState, gate: DischargeGateResult, nowMs: number): SessionState {
  if (!gate.holds || state.phase !== 'observation' || state.gateFirstHeldAtMs !== null) return state;
  return { ...state, gateFirstHeldAtMs: nowMs };
}
