import { z } from 'zod';
import { formatBp, minutesLeft, msPerMin } from './bp-readings';
import type { Protocol } from './protocol';
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
  baseline: { systolic: number | null; diastolic: number | null } | null;
  /** The newest plausible BP of the session. */
  lastBp: { systolic: number; diastolic: number; atMs: number } | null;
  /** The newest plausible SpO₂; null when SpO₂ is not monitored. */
  lastSpo2: { value: number; atMs: number } | null;
  activeHighOrMediumAlarms: number;
  nowMs: number;
}

export const dischargeGateLabels: Record<DischargeGateItemId, string> = {
  'observation-time': 'Minimum observation time',
  'bp-near-baseline': 'BP near baseline',
  spo2: 'SpO₂',
  'no-active-alarm': 'No active alarm',
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

/** |value − base| ≤ pct % of base, in integers so that exactly 20 % is within. */
function within(value: number, base: number, pct: number): boolean {
  return Math.abs(value - base) * 100 <= pct * base;
}

function bpNearBaseline({ protocol, state, baseline, lastBp }: DischargeGateInput): Check {
  const pct = protocol.dischargeGate.bpWithinPercentOfBaseline;
  if (baseline === null || baseline.systolic === null || baseline.diastolic === null) {
    return { ok: false, detail: 'no baseline BP to compare with' };
  }
  const base = { systolic: baseline.systolic, diastolic: baseline.diastolic };
  const endedAt = state.treatmentEndedAtMs;
  if (lastBp === null || endedAt === null || lastBp.atMs < endedAt) {
    return { ok: false, detail: `no BP since ${protocol.labels.treatmentEndMoment}` };
  }
  const failing = (['systolic', 'diastolic'] as const).filter((k) => !within(lastBp[k], base[k], pct));
  if (failing.length === 0) {
    return { ok: true, detail: `last BP ${formatBp(lastBp)} is within ${pct} % of baseline ${formatBp(base)}` };
  }
  const above = failing.every((k) => lastBp[k] > base[k]);
  const below = failing.every((k) => lastBp[k] < base[k]);
  const direction = above ? 'above' : below ? 'below' : 'away from';
  return { ok: false, detail: `last BP ${formatBp(lastBp)} is more than ${pct} % ${direction} baseline ${formatBp(base)}` };
}

function spo2({ protocol, lastSpo2 }: DischargeGateInput): Check | null {
  if (lastSpo2 === null) return null;
  const limit = protocol.dischargeGate.spo2AbovePercent;
  return lastSpo2.value > limit
    ? { ok: true, detail: `SpO₂ ${lastSpo2.value} % is above ${limit} %` }
    : { ok: false, detail: `SpO₂ ${lastSpo2.value} % is not above ${limit} %` };
}

function noActiveAlarm({ activeHighOrMediumAlarms: n }: DischargeGateInput): Check {
  if (n <= 0) return { ok: true, detail: 'no high or medium alarm is active' };
  return { ok: false, detail: n === 1 ? '1 high or medium alarm is active' : `${n} high or medium alarms are active` };
}

function checklist({ protocol, state }: DischargeGateInput): Check {
  const items = protocol.dischargeGate.checklist;
  if (items.length === 0) return { ok: true, detail: 'this protocol has no checklist' };
  const unticked = items.filter((item) => state.checklist[item.id] !== true);
  if (unticked.length === 0) return { ok: true, detail: `all ${items.length} items ticked` };
  return { ok: false, detail: `not ticked: ${unticked.map((i) => i.label).join(', ')}` };
}

/**
 * The discharge gate of clinical-reference §2: every item must hold, or a clinician overrides it
 * with a written reason. Observation time is measured from the protocol's reference point; the BP
 * must be taken after treatment ended and lie within N % of the baseline, systolic and diastolic
 * both; SpO₂ is judged only when monitored (a reading exists).
 */
export function evaluateDischargeGate(input: DischargeGateInput): DischargeGateResult {
  const checks: [DischargeGateItemId, Check | null][] = [
    ['observation-time', observationTime(input)],
    ['bp-near-baseline', bpNearBaseline(input)],
    ['spo2', spo2(input)],
    ['no-active-alarm', noActiveAlarm(input)],
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
 * Records the first moment the gate held during observation (`gateFirstHeldAtMs`, the REMS form's
 * "ready to leave at"). Call it whenever the gate is evaluated; it returns the same state object
 * when nothing changes, so the caller can skip persisting.
 */
export function noteGateResult(state: SessionState, gate: DischargeGateResult, nowMs: number): SessionState {
  if (!gate.holds || state.phase !== 'observation' || state.gateFirstHeldAtMs !== null) return state;
  return { ...state, gateFirstHeldAtMs: nowMs };
}
