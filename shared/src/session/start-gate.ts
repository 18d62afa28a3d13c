import { z } from 'zod';
import type { SessionBaseline } from './baseline';
import { formatBp, msPerMin } from './bp-readings';
import type { Protocol } from './protocol';
import { type StartGateItemId, startGateItemIdSchema } from './session-state';

export const startGateItemSchema = z.object({
  id: startGateItemIdSchema,
  ok: z.boolean(),
  /** What is checked: "Baseline BP". */
  label: z.string(),
  /**
   * Met: what was found ("baseline 130/82, mean of 2 BPs"). Not met: what the start waits for, as a
   * fragment that reads after "Start waits for: " ("1 more baseline BP at least 5 min after the last one").
   */
  detail: z.string(),
  /** When what it waits for can first be done (the next baseline BP), epoch ms; null when not timed. */
  dueAtMs: z.number().nullable(),
});
export type StartGateItem = z.infer<typeof startGateItemSchema>;

/** Whether treatment may start without a clinician's override, item by item. */
export const startGateResultSchema = z.object({
  holds: z.boolean(),
  items: z.array(startGateItemSchema),
});
export type StartGateResult = z.infer<typeof startGateResultSchema>;

export interface StartGateInput {
  protocol: Protocol;
  /** The baseline from the readings taken before the start (see `computeBaseline`). */
  baseline: SessionBaseline;
  /** The newest plausible BP taken before the start; null when none was taken. */
  lastBp: { systolic: number; diastolic: number; atMs: number } | null;
  /**
   * The readiness answers (the session record's `readiness`); each hard-stop item not answered yes holds the start.
   * Absent: not judged (callers that know no record).
   */
  readiness?: { items: readonly { id: string; label: string; hardStop: boolean; answer: boolean | string | null }[] };
}

export const startGateLabels: Record<StartGateItemId, string> = {
  'baseline-bp': 'Baseline BP',
  'bp-below-hold': 'BP below the start limit',
  readiness: 'Readiness hard stops',
};

type Check = { ok: boolean; detail: string; dueAtMs: number | null };

const bps = (n: number): string => (n === 1 ? 'BP' : 'BPs');

function baselineBp({ protocol, baseline, lastBp }: StartGateInput): Check {
  const { bpReadings: wanted, minSpacingMin } = protocol.baseline;
  if (baseline.complete && baseline.systolic !== null && baseline.diastolic !== null) {
    const bp = formatBp({ systolic: baseline.systolic, diastolic: baseline.diastolic });
    const of = baseline.bpReadingCount === 1 ? '1 BP' : `mean of ${baseline.bpReadingCount} BPs`;
    return { ok: true, detail: `baseline ${bp} (${of})`, dueAtMs: null };
  }
  const have = baseline.bpReadingCount;
  const needed = Math.max(1, wanted - have);
  if (have === 0) {
    const start = protocol.labels.treatmentStartMoment;
    if (wanted === 1) return { ok: false, detail: `a baseline BP before ${start}`, dueAtMs: null };
    if (minSpacingMin === 0) return { ok: false, detail: `${wanted} baseline BPs before ${start}`, dueAtMs: null };
    return { ok: false, detail: `${wanted} baseline BPs at least ${minSpacingMin} min apart`, dueAtMs: null };
  }
  if (minSpacingMin === 0) return { ok: false, detail: `${needed} more baseline ${bps(needed)}`, dueAtMs: null };
  // The newest BP is always one of the chosen (they are chosen walking back from it).
  return {
    ok: false,
    detail: `${needed} more baseline ${bps(needed)} at least ${minSpacingMin} min after the last one`,
    dueAtMs: lastBp === null ? null : lastBp.atMs + minSpacingMin * msPerMin,
  };
}

function bpBelowHold({ protocol, lastBp }: StartGateInput): Check | null {
  if (lastBp === null) return null; // the baseline item already waits for a BP
  const limit = protocol.startGate.holdAtOrAboveMmHg;
  const bp = formatBp(lastBp);
  const limitText = formatBp(limit);
  const held = lastBp.systolic >= limit.systolic || lastBp.diastolic >= limit.diastolic;
  return held
    ? { ok: false, detail: `a BP below ${limitText} (last ${bp})`, dueAtMs: null }
    : { ok: true, detail: `last BP ${bp} is below ${limitText}`, dueAtMs: null };
}

/** The readiness hard stops (docs/clinical-defaults.md "The session record beyond vitals"): each must be answered yes. */
function readiness({ readiness: answers }: StartGateInput): Check | null {
  const hardStops = answers?.items.filter((i) => i.hardStop) ?? [];
  if (hardStops.length === 0) return null;
  const unmet = hardStops.filter((i) => i.answer !== true);
  if (unmet.length === 0) return { ok: true, detail: `${hardStops.map((i) => i.label).join(', ')}: yes`, dueAtMs: null };
  const what = unmet.map((i) => (i.answer === false ? `${i.label} (answered no)` : i.label)).join(', ');
  return { ok: false, detail: `yes to ${what}`, dueAtMs: null };
}

/**
 * The start gate of docs/clinical-defaults.md "The session timeline": treatment starts once the protocol's baseline exists
 * (IV ketamine: 2 BPs ≥5 min apart, 4 min 30 s counting; esketamine: a BP before dosing) and the
 * newest BP before the start is below the hold limit (≥180 systolic or ≥110 diastolic holds it),
 * every readiness hard stop is answered yes (docs/clinical-defaults.md "The session record beyond vitals"), or a
 * clinician overrides it with a written reason. The hold is judged once a BP exists.
 */
export function evaluateStartGate(input: StartGateInput): StartGateResult {
  const checks: [StartGateItemId, Check | null][] = [
    ['baseline-bp', baselineBp(input)],
    ['bp-below-hold', bpBelowHold(input)],
    ['readiness', readiness(input)],
  ];
  const items = checks.flatMap(([id, check]) => (check === null ? [] : [{ id, label: startGateLabels[id], ...check }]));
  return { holds: items.every((i) => i.ok), items };
}

/** What the start waits for, for a refusal: "1 more baseline BP at least 5 min after the last one; …". */
export function describeStartGateFailures(gate: StartGateResult): string {
  return gate.items
    .filter((i) => !i.ok)
    .map((i) => i.detail)
    .join('; ');
}
