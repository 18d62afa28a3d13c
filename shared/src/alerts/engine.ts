import { z } from 'zod';
import { type LatestVitals, latestVitalsSchema, type SessionPhase, sessionPhaseSchema } from '../schemas/chair';
import { type Reading, readingSchema } from '../schemas/reading';
import { emptyLatestVitals, foldLatestVitals } from '../vitals/latest-vitals';
import { readingOrderAtMs } from '../vitals/reading-order';
import {
  type Acknowledgement,
  type Alert,
  type AlertBreach,
  type AlertEvent,
  type AlertFacts,
  alertActorSchema,
  alertFactsSchema,
  alertSchema,
} from './alert';
import { formatAlertMessage } from './messages';
import {
  type AlertPriority,
  type AlertRule,
  type StreamedVitalField,
  alertPrioritySchema,
  breachesLimit,
  compareAlertPriority,
} from './rules';
import {
  type SeriesPoint,
  type SeriesRun,
  coverageToleranceMs,
  extendRun,
  insertionIndex,
  runThrough,
  sendIntervalMs,
  seriesPointSchema,
  seriesRunSchema,
  trimSeries,
} from './series';

/**
 * The alert engine: `evaluate(rules, state, input, nowMs) → { state, events, error }`.
 *
 * Two stages, as in Nightscout but without its shared mutable state:
 * 1. Rule checks turn the input into *requests* ("rule X asks for priority P, because of these
 *    facts"), kept in `state.requests` keyed by condition.
 * 2. One arbiter turns requests into alerts: raises, escalates, latches, clears, and records
 *    acknowledgements. Nothing else creates or ends an alert.
 *
 * Readings are judged in the order they were measured, whatever order they arrive in
 * (docs/clinical-defaults.md, "Late data"). Each vital's recent values are kept in measurement order;
 * a reading that arrives after newer ones is put in its place: one-reading rules fire on it,
 * consecutive-reading and duration rules count it where it belongs. If that makes a condition hold
 * in the past (newer readings show it over), the arbiter raises a *late* alert that names when the
 * reading was measured and stays until someone acknowledges it. A reading stamped ahead of the
 * server's clock is ordered as if measured when it arrived, so no stamp can hide later readings.
 *
 * Clocks, kept apart:
 * - Order time (measurement time, capped at arrival): persistence of physiological rules (BP
 *   readings counted in order; HR/SpO₂/RR seconds between measurements), checkpoint windows, and
 *   the phase a reading belongs to.
 * - Server time (`nowMs`, and a reading's `receivedAt`): the alert's life (raised, acknowledged,
 *   5-s minimum visibility, clearing), no-data silence, checkpoint deadlines, the recheck prompt's
 *   escalation and that of technical alerts.
 * - bp-overdue compares the two on purpose: the next BP is due an interval after the last one was
 *   measured, and it is overdue when the server's clock passes that.
 */

export const alertCheckpointSchema = z.object({
  id: z.string().min(1).max(64),
  label: z.string().min(1).max(80),
  /** The session machine's view; 'pending' with a window lets the engine decide on its own. */
  status: z.enum(['pending', 'met', 'missed', 'waived']),
  /** Measurement-time window: a BP measured inside it meets the checkpoint. */
  windowStartAtMs: z.number().nullable(),
  /** Server time after which a pending checkpoint without a BP counts as missed. */
  windowEndAtMs: z.number().nullable(),
});
export type AlertCheckpoint = z.infer<typeof alertCheckpointSchema>;

/** What the engine knows of the session; replaced whole by each `context` input. */
export const alertContextSchema = z.object({
  phase: sessionPhaseSchema,
  /** Mean of the baseline readings once the baseline is complete; null before (a provisional one raises nothing). */
  baseline: z.object({ systolic: z.number(), diastolic: z.number() }).nullable(),
  /** The protocol's BP interval in the current phase. */
  bpIntervalMin: z.number().positive(),
  /** When the next BP is due per the session's schedule (server time); null: no schedule now. */
  bpDueAtMs: z.number().nullable(),
  checkpoints: z.array(alertCheckpointSchema),
  /** The discharge gate, evaluated at or after the end of the minimum observation, failed (and has not held since). */
  gateFailsAtObservationEnd: z.boolean(),
  /** When treatment started and ended: the phase a late reading belongs to. Null when not (yet) known. */
  treatmentStartedAtMs: z.number().nullable().default(null),
  treatmentEndedAtMs: z.number().nullable().default(null),
  /** A nurse recorded that the monitor was removed: no-data stops watching until the device sends again. */
  monitorRemovedAtMs: z.number().nullable().default(null),
  /** The next eyes-on check and when it counts as overdue (low, then medium); null: none watched. */
  rounding: z.object({ dueAtMs: z.number(), lowAfterMin: z.number(), mediumAfterMin: z.number() }).nullable().default(null),
  /** Open PRN reassessments (`id`: `reassessment:<seq>`), each overdue after its due time. */
  reassessments: z.array(z.object({ id: z.string(), label: z.string(), dueAtMs: z.number() })).default([]),
});
export type AlertContext = z.infer<typeof alertContextSchema>;

const contextInputSchema = alertContextSchema.extend({
  checkpoints: z.array(
    alertCheckpointSchema.extend({
      windowStartAtMs: z.number().nullable().optional(),
      windowEndAtMs: z.number().nullable().optional(),
    }),
  ),
  gateFailsAtObservationEnd: z.boolean().optional(),
  treatmentStartedAtMs: z.number().nullable().optional(),
  treatmentEndedAtMs: z.number().nullable().optional(),
  monitorRemovedAtMs: z.number().nullable().optional(),
  rounding: alertContextSchema.shape.rounding.unwrap().optional(),
  reassessments: alertContextSchema.shape.reassessments.unwrap().optional(),
});

export const alertInputSchema = z.discriminatedUnion('kind', [
  /**
   * A stored reading of this session (null values absent or rejected). `attached`: a reading of the
   * chair attached to the session after it was stored, evaluated in its place although its sequence
   * number is older than readings already evaluated.
   */
  z.object({ kind: z.literal('reading'), reading: readingSchema, attached: z.boolean().optional() }),
  /** Time passes: technical rules, clearing after the minimum visible time. Send every few seconds. */
  z.object({ kind: z.literal('tick') }),
  z.object({
    kind: z.literal('acknowledge'),
    alertId: z.string().min(1),
    by: alertActorSchema,
    note: z.string().max(500).optional(),
  }),
  z.object({ kind: z.literal('context'), ...contextInputSchema.shape }),
]);
export type AlertInput = z.infer<typeof alertInputSchema>;

/** The body of `POST /api/v1/alerts/:id/acknowledge` (the person comes from the login). */
export const acknowledgeAlertBodySchema = z.object({ note: z.string().trim().max(500).optional() }).strict();
export type AcknowledgeAlertBody = z.infer<typeof acknowledgeAlertBodySchema>;

/** One BP reading as the BP rules see it. */
const bpPointSchema = z.object({
  atMs: z.number(),
  seq: z.number().int(),
  measuredAt: z.string(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  /** As sent, or worked out from SBP and DBP (then `meanCalculated`). */
  mean: z.number().nullable(),
  meanCalculated: z.boolean(),
});
type BpPoint = z.infer<typeof bpPointSchema>;

/** What one rule currently asks of the arbiter. */
const alertRequestSchema = z.object({
  ruleId: z.string(),
  subject: z.string().nullable(),
  priority: alertPrioritySchema,
  facts: alertFactsSchema,
  readingSeq: z.number().int().nullable(),
});
type AlertRequest = z.infer<typeof alertRequestSchema>;

const emptySeries = { heartRate: [], spo2: [], respRate: [] };

/** Plain JSON: the server stores it per session and passes it back in. */
export const alertEngineStateSchema = z.object({
  version: z.literal(1),
  /** Prepended to alert ids, e.g. the session id, so that ids are unique across sessions. */
  idPrefix: z.string(),
  nextAlertNumber: z.number().int().min(1),
  context: alertContextSchema,
  /** Newest plausible values, recorded with each acknowledgement. */
  latest: latestVitalsSchema,
  tracking: z.object({
    /** Highest reading sequence number evaluated; a reading at or below it is not counted again. */
    lastReadingSeq: z.number().int().nullable(),
    /** Attached readings evaluated out of sequence (their seq is below `lastReadingSeq`). */
    attachedSeqs: z.array(z.number().int()).default([]),
    /** Order time of the newest BP. */
    lastBpAtMs: z.number().nullable(),
    /** Server time at which the newest BP arrived (the recheck prompt's clock). */
    lastBpArrivedAtMs: z.number().nullable().default(null),
    /** The newest BP readings in measurement order. */
    bp: z.array(bpPointSchema).default([]),
    /** Each streamed vital's recent values in measurement order. */
    series: z
      .object({ heartRate: z.array(seriesPointSchema), spo2: z.array(seriesPointSchema), respRate: z.array(seriesPointSchema) })
      .default(emptySeries),
    /** Per sustained rule (`<id>` and `<id>/escalation`): the current breaching run. */
    runs: z.record(z.string(), seriesRunSchema).default({}),
    /** Server time a device last sent each streamed vital. */
    lastArrivalMs: z
      .object({ heartRate: z.number().nullable(), spo2: z.number().nullable(), respRate: z.number().nullable() })
      .default({ heartRate: null, spo2: null, respRate: null }),
    /** Per no-data rule: server time since which the rule applies (silence before it is not counted). */
    watchSinceMs: z.record(z.string(), z.number()),
    /** Checkpoints met by a BP measured in their window. */
    checkpointsMet: z.array(z.string()),
  }),
  /** Current requests by condition key (`<ruleId>` or `<ruleId>/<subject>`). */
  requests: z.record(z.string(), alertRequestSchema),
  /** Open alerts: active or acknowledged (cleared ones leave with their `alert-cleared` event). */
  alerts: z.array(alertSchema),
  /** Ids of cleared alerts, newest last, so a late acknowledgement gets a clear answer. */
  clearedAlertIds: z.array(z.string()),
});
export type AlertEngineState = z.infer<typeof alertEngineStateSchema>;

export interface ArbiterPolicy {
  /** Medium and low alerts stay at least this long after being raised, even if resolved (5 s). */
  minVisibleMs: number;
  /** How many cleared alert ids the state remembers. */
  clearedIdsKept: number;
}

export const defaultArbiterPolicy: ArbiterPolicy = { minVisibleMs: 5_000, clearedIdsKept: 500 };

export const alertEngineErrorCodeSchema = z.enum(['unknown-alert', 'already-cleared', 'already-acknowledged']);
export type AlertEngineErrorCode = z.infer<typeof alertEngineErrorCodeSchema>;

export interface AlertEngineError {
  code: AlertEngineErrorCode;
  message: string;
}

export interface EvaluateResult {
  state: AlertEngineState;
  /** In the order they happened; empty when nothing changed. */
  events: AlertEvent[];
  /** Set when the input was refused (an acknowledgement of an unknown or cleared alert); state is then unchanged. */
  error: AlertEngineError | null;
}

export const defaultAlertContext: AlertContext = {
  phase: 'baseline',
  baseline: null,
  bpIntervalMin: 5,
  bpDueAtMs: null,
  checkpoints: [],
  gateFailsAtObservationEnd: false,
  treatmentStartedAtMs: null,
  treatmentEndedAtMs: null,
  monitorRemovedAtMs: null,
  rounding: null,
  reassessments: [],
};

export function createAlertEngineState(options: { idPrefix?: string; context?: AlertContext } = {}): AlertEngineState {
  return {
    version: 1,
    idPrefix: options.idPrefix ?? '',
    nextAlertNumber: 1,
    context: options.context ?? defaultAlertContext,
    latest: emptyLatestVitals,
    tracking: {
      lastReadingSeq: null,
      attachedSeqs: [],
      lastBpAtMs: null,
      lastBpArrivedAtMs: null,
      bp: [],
      series: emptySeries,
      runs: {},
      lastArrivalMs: { heartRate: null, spo2: null, respRate: null },
      watchSinceMs: {},
      checkpointsMet: [],
    },
    requests: {},
    alerts: [],
    clearedAlertIds: [],
  };
}

/** The parts of an alert id (`<idPrefix>.<ruleId>.<n>`), e.g. to find the session an acknowledgement is for. */
export function parseAlertId(alertId: string): { idPrefix: string; ruleId: string; number: number } | null {
  const match = /^(?:(.+)\.)?([a-z0-9][a-z0-9-]*)\.(\d+)$/.exec(alertId);
  if (match === null) return null;
  return { idPrefix: match[1] ?? '', ruleId: match[2] ?? '', number: Number(match[3]) };
}

/** Evaluates one input. Pure: the same rules, state, input and time give the same result. */
export function evaluate(
  rules: readonly AlertRule[],
  state: AlertEngineState,
  input: AlertInput,
  nowMs: number,
  policy: ArbiterPolicy = defaultArbiterPolicy,
): EvaluateResult {
  const draft = toDraft(state);
  const events: AlertEvent[] = [];

  switch (input.kind) {
    case 'reading':
      applyReading(rules, draft, input.reading, nowMs, input.attached === true);
      break;
    case 'context':
      draft.context = normalizeContext(input);
      break;
    case 'acknowledge': {
      const error = acknowledge(draft, input, nowMs, events);
      if (error !== null) return { state, events: [], error };
      break;
    }
    case 'tick':
      break;
  }

  applyTimedRules(rules, draft, nowMs);
  arbitrate(rules, draft, nowMs, policy, events);
  return { state: fromDraft(draft), events, error: null };
}

// ---------------------------------------------------------------------------------------------
// Working copy: Maps for what changes, turned back into plain JSON at the end.

interface Draft {
  base: AlertEngineState;
  context: AlertContext;
  latest: LatestVitals;
  lastReadingSeq: number | null;
  attachedSeqs: number[];
  lastBpAtMs: number | null;
  lastBpArrivedAtMs: number | null;
  bp: BpPoint[];
  series: Record<StreamedVitalField, SeriesPoint[]>;
  runs: Map<string, SeriesRun>;
  lastArrivalMs: Record<StreamedVitalField, number | null>;
  watchSinceMs: Map<string, number>;
  checkpointsMet: string[];
  requests: Map<string, AlertRequest>;
  /** Conditions that held in the past only (found through a late reading): raised once, then resolved. */
  pastEpisodes: Map<string, AlertRequest>;
  alerts: Alert[];
  clearedAlertIds: string[];
  nextAlertNumber: number;
}

function toDraft(state: AlertEngineState): Draft {
  const { tracking } = state;
  return {
    base: state,
    context: state.context,
    latest: state.latest,
    lastReadingSeq: tracking.lastReadingSeq,
    attachedSeqs: tracking.attachedSeqs,
    lastBpAtMs: tracking.lastBpAtMs,
    lastBpArrivedAtMs: tracking.lastBpArrivedAtMs,
    bp: tracking.bp,
    series: { ...tracking.series },
    runs: new Map(Object.entries(tracking.runs)),
    lastArrivalMs: { ...tracking.lastArrivalMs },
    watchSinceMs: new Map(Object.entries(tracking.watchSinceMs)),
    checkpointsMet: [...tracking.checkpointsMet],
    requests: new Map(Object.entries(state.requests)),
    pastEpisodes: new Map(),
    alerts: [...state.alerts],
    clearedAlertIds: [...state.clearedAlertIds],
    nextAlertNumber: state.nextAlertNumber,
  };
}

function fromDraft(draft: Draft): AlertEngineState {
  return {
    version: 1,
    idPrefix: draft.base.idPrefix,
    nextAlertNumber: draft.nextAlertNumber,
    context: draft.context,
    latest: draft.latest,
    tracking: {
      lastReadingSeq: draft.lastReadingSeq,
      attachedSeqs: draft.attachedSeqs,
      lastBpAtMs: draft.lastBpAtMs,
      lastBpArrivedAtMs: draft.lastBpArrivedAtMs,
      bp: draft.bp,
      series: draft.series,
      runs: Object.fromEntries(draft.runs),
      lastArrivalMs: draft.lastArrivalMs,
      watchSinceMs: Object.fromEntries(draft.watchSinceMs),
      checkpointsMet: draft.checkpointsMet,
    },
    requests: Object.fromEntries(draft.requests),
    alerts: draft.alerts,
    clearedAlertIds: draft.clearedAlertIds,
  };
}

function normalizeContext(input: Extract<AlertInput, { kind: 'context' }>): AlertContext {
  return {
    phase: input.phase,
    baseline: input.baseline === null ? null : { systolic: input.baseline.systolic, diastolic: input.baseline.diastolic },
    bpIntervalMin: input.bpIntervalMin,
    bpDueAtMs: input.bpDueAtMs,
    checkpoints: input.checkpoints.map((checkpoint) => ({
      id: checkpoint.id,
      label: checkpoint.label,
      status: checkpoint.status,
      windowStartAtMs: checkpoint.windowStartAtMs ?? null,
      windowEndAtMs: checkpoint.windowEndAtMs ?? null,
    })),
    gateFailsAtObservationEnd: input.gateFailsAtObservationEnd ?? false,
    treatmentStartedAtMs: input.treatmentStartedAtMs ?? null,
    treatmentEndedAtMs: input.treatmentEndedAtMs ?? null,
    monitorRemovedAtMs: input.monitorRemovedAtMs ?? null,
    rounding: input.rounding ?? null,
    reassessments: (input.reassessments ?? []).map((r) => ({ id: r.id, label: r.label, dueAtMs: r.dueAtMs })),
  };
}

function conditionKey(ruleId: string, subject: string | null): string {
  return subject === null ? ruleId : `${ruleId}/${subject}`;
}

/** The session phase at an order time (the current phase when treatment times are not known). */
function phaseAt(context: AlertContext, atMs: number): SessionPhase {
  const { phase, treatmentStartedAtMs, treatmentEndedAtMs } = context;
  if (treatmentStartedAtMs === null || phase === 'baseline') return phase;
  if (atMs < treatmentStartedAtMs) return 'baseline';
  if (treatmentEndedAtMs === null || atMs < treatmentEndedAtMs) return 'treatment';
  return 'observation';
}

function appliesIn(rule: AlertRule, phase: SessionPhase): boolean {
  return rule.enabled && rule.phases.includes(phase);
}

function applies(rule: AlertRule, context: AlertContext): boolean {
  return appliesIn(rule, context.phase);
}

function isSessionOver(context: AlertContext): boolean {
  return context.phase === 'discharged' || context.phase === 'cancelled';
}

function setRequest(
  draft: Draft,
  rule: AlertRule,
  subject: string | null,
  priority: AlertPriority,
  facts: AlertFacts,
  readingSeq: number | null,
): void {
  draft.requests.set(conditionKey(rule.id, subject), { ruleId: rule.id, subject, priority, facts, readingSeq });
}

function dropRequest(draft: Draft, rule: AlertRule, subject: string | null): void {
  draft.requests.delete(conditionKey(rule.id, subject));
}

/** A condition that held only in the past: the arbiter raises it once (unless it is open already). */
function setPastEpisode(
  draft: Draft,
  rule: AlertRule,
  subject: string | null,
  priority: AlertPriority,
  facts: AlertFacts,
  readingSeq: number,
): void {
  const key = conditionKey(rule.id, subject);
  const earlier = draft.pastEpisodes.get(key);
  if (earlier !== undefined && compareAlertPriority(earlier.priority, priority) >= 0) return;
  draft.pastEpisodes.set(key, { ruleId: rule.id, subject, priority, facts, readingSeq });
}

// ---------------------------------------------------------------------------------------------
// Stage 1a: rule checks on a reading (order time).

const streamedFields = ['heartRate', 'spo2', 'respRate'] as const satisfies readonly StreamedVitalField[];

/** BP readings kept for the consecutive-reading rules (a session takes a few dozen). */
const bpKept = 24;
/** Streamed values kept beyond the longest window of their rules, so a late value finds its neighbours. */
const seriesMarginMs = 60_000;
/** Device points kept at least, for the cadence. */
const seriesMinPoints = 9;
/** A reading that arrives this long after it was measured says so in its alert. */
const lateNoticeMs = 60_000;
/** Attached readings remembered as evaluated. */
const attachedKept = 1_000;

/** Mean arterial pressure as sent, or DBP + (SBP − DBP) / 3 when the cuff sends none. */
function bpPointOf(reading: Reading, atMs: number): BpPoint | null {
  const { systolic, diastolic, mean } = reading;
  if (systolic === null && diastolic === null && mean === null) return null;
  const calculated = mean === null && systolic !== null && diastolic !== null;
  return {
    atMs,
    seq: reading.seq,
    measuredAt: reading.measuredAt,
    systolic,
    diastolic,
    mean: calculated ? diastolic + (systolic - diastolic) / 3 : mean,
    meanCalculated: calculated,
  };
}

interface ReadingTimes {
  /** Order time: measured, capped at arrival. */
  atMs: number;
  arrivedAtMs: number;
  /** Seconds between measurement and arrival, when long enough to mention. */
  lateBySec: number | undefined;
}

function applyReading(rules: readonly AlertRule[], draft: Draft, reading: Reading, nowMs: number, attached: boolean): void {
  // A reading already evaluated (a replay after a restart) changes nothing.
  if (attached) {
    if (draft.attachedSeqs.includes(reading.seq)) return;
    draft.attachedSeqs = [...draft.attachedSeqs, reading.seq].slice(-attachedKept);
  } else {
    if (draft.lastReadingSeq !== null && reading.seq <= draft.lastReadingSeq) return;
    draft.lastReadingSeq = reading.seq;
  }
  draft.latest = foldLatestVitals(draft.latest, reading);

  const atMs = readingOrderAtMs(reading);
  if (!Number.isFinite(atMs)) return;
  const receivedAtMs = Date.parse(reading.receivedAt);
  const arrivedAtMs = Number.isFinite(receivedAtMs) ? receivedAtMs : nowMs;
  const measuredAtMs = Date.parse(reading.measuredAt);
  const lateByMs = arrivedAtMs - measuredAtMs;
  const times: ReadingTimes = { atMs, arrivedAtMs, lateBySec: lateByMs >= lateNoticeMs ? Math.round(lateByMs / 1000) : undefined };
  const phase = phaseAt(draft.context, atMs);

  const point = bpPointOf(reading, atMs);
  if (point !== null) applyBp(rules, draft, point, times, phase);
  for (const field of streamedFields) {
    const value = reading[field];
    if (value === null) continue;
    applyStreamed(rules, draft, field, [atMs, value, reading.source === 'manual' ? 1 : 0, reading.seq], reading, times, phase);
    if (reading.source !== 'manual') {
      const last = draft.lastArrivalMs[field];
      if (last === null || arrivedAtMs > last) draft.lastArrivalMs[field] = arrivedAtMs;
    }
  }
  for (const rule of rules) {
    if (rule.kind === 'implausible' && appliesIn(rule, phase)) checkImplausible(draft, rule, reading, times);
  }
}

// --- blood pressure: persistence counted in readings -----------------------------------------

function applyBp(rules: readonly AlertRule[], draft: Draft, point: BpPoint, times: ReadingTimes, phase: SessionPhase): void {
  const index = insertionIndex(
    draft.bp.map((p): SeriesPoint => [p.atMs, 0, 0, p.seq]),
    point.atMs,
  );
  const bp = [...draft.bp.slice(0, index), point, ...draft.bp.slice(index)];
  const isNewest = index === bp.length - 1;
  draft.bp = bp.slice(-bpKept);
  const kept = index - (bp.length - draft.bp.length);

  if (isNewest) {
    draft.lastBpAtMs = point.atMs;
    draft.lastBpArrivedAtMs = times.arrivedAtMs;
  }
  for (const checkpoint of draft.context.checkpoints) {
    const inWindow =
      checkpoint.windowStartAtMs !== null &&
      checkpoint.windowEndAtMs !== null &&
      point.atMs >= checkpoint.windowStartAtMs &&
      point.atMs <= checkpoint.windowEndAtMs;
    if (inWindow && !draft.checkpointsMet.includes(checkpoint.id)) draft.checkpointsMet.push(checkpoint.id);
  }

  for (const rule of rules) {
    if (rule.kind !== 'bp-threshold' && rule.kind !== 'bp-rise') continue;
    if (!applies(rule, draft.context)) {
      dropRequest(draft, rule, null);
      continue;
    }
    const judge = bpJudge(rule, draft.context);
    if (judge === null) {
      dropRequest(draft, rule, null);
      continue;
    }
    checkBpRule(draft, rule, judge, isNewest ? null : kept, times, phase);
  }
}

/** One BP judged by one rule: not measured (no value the rule looks at), or the facts of its breach (empty: no breach). */
type BpVerdict = { measured: false } | { measured: true; breaches: BpBreach[] };
type BpBreach =
  | { kind: 'threshold'; breach: AlertBreach }
  | { kind: 'rise'; rise: Extract<AlertFacts, { kind: 'bp-rise' }>['rises'][number] };
type BpJudge = (point: BpPoint) => BpVerdict;

function bpJudge(rule: Extract<AlertRule, { kind: 'bp-threshold' | 'bp-rise' }>, context: AlertContext): BpJudge | null {
  if (rule.kind === 'bp-threshold') {
    return (point) => {
      let measured = false;
      const breaches: BpBreach[] = [];
      for (const limit of rule.anyOf) {
        const value = point[limit.field];
        if (value === null) continue;
        measured = true;
        if (breachesLimit(value, limit.comparator, limit.limitMmHg)) {
          const calculated = limit.field === 'mean' && point.meanCalculated;
          breaches.push({
            kind: 'threshold',
            breach: { field: limit.field, value, comparator: limit.comparator, limit: limit.limitMmHg, ...(calculated ? { calculated } : {}) },
          });
        }
      }
      return measured ? { measured, breaches } : { measured: false };
    };
  }
  // Rises are judged against a complete baseline only.
  const baseline = context.baseline;
  if (baseline === null) return null;
  return (point) => {
    let measured = false;
    const breaches: BpBreach[] = [];
    const checks = [
      { field: 'systolic', value: point.systolic, baseline: baseline.systolic, limit: rule.systolicRiseMmHg },
      { field: 'diastolic', value: point.diastolic, baseline: baseline.diastolic, limit: rule.diastolicRiseMmHg },
    ] as const;
    for (const check of checks) {
      if (check.value === null || check.limit === null) continue;
      measured = true;
      const rise = check.value - check.baseline;
      if (rise >= check.limit) {
        breaches.push({ kind: 'rise', rise: { field: check.field, value: check.value, baseline: check.baseline, rise, limit: check.limit } });
      }
    }
    return measured ? { measured, breaches } : { measured: false };
  };
}

/**
 * The breaching run of BP readings through `index` (readings without a value the rule looks at
 * neither count nor break it): how many, and whether it reaches the newest BP.
 */
function bpRunThrough(bp: readonly BpPoint[], index: number, judge: BpJudge): { readings: number; reachesNewest: boolean } {
  const breaching = (i: number): boolean | null => {
    const point = bp[i];
    if (point === undefined) return false;
    const verdict = judge(point);
    return verdict.measured ? verdict.breaches.length > 0 : null;
  };
  if (breaching(index) !== true) return { readings: 0, reachesNewest: false };
  let readings = 1;
  for (let i = index - 1; i >= 0; i -= 1) {
    const b = breaching(i);
    if (b === false) break;
    if (b === true) readings += 1;
  }
  let reachesNewest = true;
  for (let i = index + 1; i < bp.length; i += 1) {
    const b = breaching(i);
    if (b === false) {
      reachesNewest = false;
      break;
    }
    if (b === true) readings += 1;
  }
  return { readings, reachesNewest };
}

function bpFacts(
  rule: Extract<AlertRule, { kind: 'bp-threshold' | 'bp-rise' }>,
  point: BpPoint,
  breaches: BpBreach[],
  readings: number,
  prompt: string | null,
  lateBySec: number | undefined,
): AlertFacts {
  const late = lateBySec === undefined ? {} : { lateBySec };
  if (rule.kind === 'bp-rise') {
    const rises = breaches.flatMap((b) => (b.kind === 'rise' ? [b.rise] : []));
    return { kind: 'bp-rise', rises, readings, requiredReadings: rule.consecutiveReadings, measuredAt: point.measuredAt, ...late };
  }
  return {
    kind: 'bp-threshold',
    breaches: breaches.flatMap((b) => (b.kind === 'threshold' ? [b.breach] : [])),
    readings,
    requiredReadings: rule.consecutiveReadings,
    prompt,
    bp: { systolic: point.systolic, diastolic: point.diastolic },
    measuredAt: point.measuredAt,
    ...late,
  };
}

/**
 * One BP rule after a BP was added. The current condition is the breaching run that ends at the
 * newest BP; a late BP (`lateIndex`, its place in the history) that completes a run ending before
 * the newest one is a condition that held in the past.
 */
function checkBpRule(
  draft: Draft,
  rule: Extract<AlertRule, { kind: 'bp-threshold' | 'bp-rise' }>,
  judge: BpJudge,
  lateIndex: number | null,
  times: ReadingTimes,
  phase: SessionPhase,
): void {
  const newestIndex = draft.bp.length - 1;
  const newest = draft.bp[newestIndex];
  if (newest === undefined) return;
  const current = bpRunThrough(draft.bp, newestIndex, judge);
  if (current.readings === 0) {
    dropRequest(draft, rule, null);
  } else {
    const verdict = judge(newest);
    const breaches = verdict.measured ? verdict.breaches : [];
    const confirmed = current.readings >= rule.consecutiveReadings;
    const prompt = rule.kind === 'bp-threshold' && !confirmed ? rule.recheckPrompt : null;
    if (!confirmed && prompt === null) {
      dropRequest(draft, rule, null);
    } else {
      const lateBySec = lateIndex === null ? times.lateBySec : undefined;
      const facts = bpFacts(rule, newest, breaches, current.readings, prompt?.text ?? null, lateBySec);
      setRequest(draft, rule, null, confirmed ? rule.priority : (prompt?.priority ?? rule.priority), facts, newest.seq);
    }
  }

  if (lateIndex === null || !appliesIn(rule, phase)) return;
  const late = draft.bp[lateIndex];
  if (late === undefined) return;
  const past = bpRunThrough(draft.bp, lateIndex, judge);
  if (past.reachesNewest || past.readings < rule.consecutiveReadings) return;
  const verdict = judge(late);
  const facts = bpFacts(rule, late, verdict.measured ? verdict.breaches : [], past.readings, null, times.lateBySec);
  setPastEpisode(draft, rule, null, rule.priority, facts, late.seq);
}

// --- streamed vitals: persistence counted in seconds of measurement time ---------------------

function sustainedRulesOf(rules: readonly AlertRule[], field: StreamedVitalField) {
  return rules.filter((rule): rule is Extract<AlertRule, { kind: 'sustained-vital' }> => rule.kind === 'sustained-vital' && rule.field === field);
}

/** How long a vital's values are kept: its rules' longest window, and a margin for late values. */
function seriesKeepMs(rules: readonly AlertRule[], field: StreamedVitalField): number {
  let longestSec = 0;
  for (const rule of sustainedRulesOf(rules, field)) {
    longestSec = Math.max(longestSec, rule.sustainSec, rule.escalation?.sustainSec ?? 0);
  }
  return longestSec * 1000 + seriesMarginMs;
}

const escalationRunKey = (ruleId: string): string => `${ruleId}/escalation`;

/** Sustained by duration, or by two consecutive manual readings. */
function sustained(run: SeriesRun | undefined, sustainSec: number): { met: boolean; byDuration: boolean } {
  if (run === undefined) return { met: false, byDuration: false };
  const byDuration = run.lastMs - run.startMs >= sustainSec * 1000;
  return { met: byDuration || (run.readings >= 2 && run.lastWasSpot), byDuration };
}

function setRun(draft: Draft, key: string, run: SeriesRun | undefined): void {
  if (run === undefined) draft.runs.delete(key);
  else draft.runs.set(key, run);
}

function applyStreamed(
  rules: readonly AlertRule[],
  draft: Draft,
  field: StreamedVitalField,
  point: SeriesPoint,
  reading: Reading,
  times: ReadingTimes,
  phase: SessionPhase,
): void {
  const before = draft.series[field];
  const toleranceMs = coverageToleranceMs(before);
  const index = insertionIndex(before, point[0]);
  const isNewest = index === before.length;
  const points = isNewest ? [...before, point] : [...before.slice(0, index), point, ...before.slice(index)];

  for (const rule of sustainedRulesOf(rules, field)) {
    if (!applies(rule, draft.context)) {
      resetSustainedRule(draft, rule);
      continue;
    }
    const breach = (limit: number) => (value: number) => breachesLimit(value, rule.comparator, limit);
    const runs = (key: string, limit: number): SeriesRun | undefined => {
      const stored = draft.runs.get(key);
      if (isNewest) return breach(limit)(point[1]) ? extendRun(stored, point, toleranceMs) : undefined;
      // A late value may join, split or lengthen the current run: work it out again from the values kept.
      const through = runThrough(points, points.length - 1, breach(limit), toleranceMs);
      if (through === null) return undefined;
      // The run began before the oldest value kept: its start is the one remembered.
      if (through.firstIndex === 0 && stored !== undefined && stored.startMs < through.run.startMs) {
        return {
          ...through.run,
          startMs: stored.startMs,
          readings: Math.max(through.run.readings, stored.readings + 1),
          minValue: Math.min(through.run.minValue, stored.minValue),
          maxValue: Math.max(through.run.maxValue, stored.maxValue),
        };
      }
      return through.run;
    };
    const run = runs(rule.id, rule.limit);
    setRun(draft, rule.id, run);
    const escalationRun = rule.escalation === null ? undefined : runs(escalationRunKey(rule.id), rule.escalation.limit);
    setRun(draft, escalationRunKey(rule.id), escalationRun);

    const newest = points[points.length - 1] ?? point;
    const request = sustainedRequest(rule, run, escalationRun);
    if (request === null) {
      dropRequest(draft, rule, null);
    } else {
      const measuredAt = isNewest ? reading.measuredAt : new Date(newest[0]).toISOString();
      const facts = sustainedFacts(rule, request, newest[1], measuredAt, isNewest ? times.lateBySec : undefined);
      setRequest(draft, rule, null, request.priority, facts, newest[3]);
    }

    if (isNewest || !appliesIn(rule, phase)) continue;
    // The late value may complete an episode that ended before the newest value.
    const pastRun = (limit: number): SeriesRun | undefined => {
      const through = runThrough(points, index, breach(limit), toleranceMs);
      return through === null || through.reachesNewest ? undefined : through.run;
    };
    const past = sustainedRequest(
      rule,
      pastRun(rule.limit),
      rule.escalation === null ? undefined : pastRun(rule.escalation.limit),
    );
    if (past !== null) {
      setPastEpisode(draft, rule, null, past.priority, sustainedFacts(rule, past, point[1], reading.measuredAt, times.lateBySec), reading.seq);
    }
  }
  draft.series = { ...draft.series, [field]: trimSeries(points, seriesKeepMs(rules, field), seriesMinPoints) };
}

interface SustainedRequest {
  run: SeriesRun;
  limit: number;
  sustainSec: number;
  priority: AlertPriority;
}

/** Which of a rule's runs asks for an alarm: the escalation's (higher priority) first. */
function sustainedRequest(
  rule: Extract<AlertRule, { kind: 'sustained-vital' }>,
  run: SeriesRun | undefined,
  escalationRun: SeriesRun | undefined,
): SustainedRequest | null {
  if (rule.escalation !== null && escalationRun !== undefined && sustained(escalationRun, rule.escalation.sustainSec).met) {
    return { run: escalationRun, limit: rule.escalation.limit, sustainSec: rule.escalation.sustainSec, priority: rule.escalation.priority };
  }
  if (run !== undefined && sustained(run, rule.sustainSec).met) {
    return { run, limit: rule.limit, sustainSec: rule.sustainSec, priority: rule.priority };
  }
  return null;
}

function sustainedFacts(
  rule: Extract<AlertRule, { kind: 'sustained-vital' }>,
  request: SustainedRequest,
  value: number,
  measuredAt: string,
  lateBySec: number | undefined,
): AlertFacts {
  const { run } = request;
  return {
    kind: 'sustained-vital',
    breach: { field: rule.field, value, comparator: rule.comparator, limit: request.limit },
    sustainedSec: (run.lastMs - run.startMs) / 1000,
    readings: run.readings,
    bySpotReadings: !sustained(run, request.sustainSec).byDuration,
    range: { min: run.minValue, max: run.maxValue },
    measuredAt,
    ...(lateBySec === undefined ? {} : { lateBySec }),
  };
}

function resetSustainedRule(draft: Draft, rule: AlertRule): void {
  draft.runs.delete(rule.id);
  draft.runs.delete(escalationRunKey(rule.id));
  dropRequest(draft, rule, null);
}

// --- implausible values -----------------------------------------------------------------------

/** The vital a rejected value belongs to: BP values are one measurement. */
const implausibleSubjects = {
  systolic: 'bp',
  diastolic: 'bp',
  mean: 'bp',
  heartRate: 'heartRate',
  spo2: 'spo2',
  respRate: 'respRate',
} as const;

/** Order time of the newest value of a vital (before this reading). */
function newestAtMs(draft: Draft, subject: 'bp' | StreamedVitalField): number | null {
  if (subject === 'bp') return draft.lastBpAtMs;
  return draft.series[subject].at(-1)?.[0] ?? null;
}

function checkImplausible(draft: Draft, rule: Extract<AlertRule, { kind: 'implausible' }>, reading: Reading, times: ReadingTimes): void {
  for (const subject of ['bp', 'heartRate', 'spo2', 'respRate'] as const) {
    const rejected = reading.rejected.filter(
      (value) => implausibleSubjects[value.field] === subject && rule.reasons.includes(value.reason),
    );
    const accepted =
      subject === 'bp'
        ? reading.systolic !== null || reading.diastolic !== null || reading.mean !== null
        : reading[subject] !== null;
    const newest = newestAtMs(draft, subject);
    // This reading's accepted values are already in the history, at its own time: late means that a
    // newer value of the vital came before it.
    const isLate = newest !== null && times.atMs < newest;
    if (rejected.length > 0) {
      const floor = rule.belowFloor;
      const belowFloor =
        floor !== null &&
        rejected.some(
          (value) => value.reason === 'out-of-range' && floor.floors.some((f) => f.field === value.field && value.value < f.below),
        );
      const facts: AlertFacts = {
        kind: 'implausible',
        rejected,
        measuredAt: reading.measuredAt,
        ...(belowFloor ? { belowFloor } : {}),
        ...(times.lateBySec === undefined ? {} : { lateBySec: times.lateBySec }),
      };
      const priority = belowFloor && floor !== null ? floor.priority : rule.priority;
      if (isLate) setPastEpisode(draft, rule, subject, priority, facts, reading.seq);
      else setRequest(draft, rule, subject, priority, facts, reading.seq);
    } else if (accepted && !isLate) {
      dropRequest(draft, rule, subject);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Stage 1b: rule checks on context and time (run on every input).

function applyTimedRules(rules: readonly AlertRule[], draft: Draft, nowMs: number): void {
  const { context } = draft;
  const known = new Set(rules.map((rule) => rule.id));
  // Requests of rules no longer in the set (limits changed, protocol edited) lapse.
  for (const [key, request] of draft.requests) {
    if (!known.has(request.ruleId)) draft.requests.delete(key);
  }

  for (const rule of rules) {
    const active = applies(rule, context);
    switch (rule.kind) {
      case 'bp-threshold':
        if (!active) dropRequest(draft, rule, null);
        else escalateRecheckPrompt(draft, rule, nowMs);
        break;
      case 'bp-rise':
        if (!active || context.baseline === null) dropRequest(draft, rule, null);
        break;
      case 'sustained-vital':
        if (!active) resetSustainedRule(draft, rule);
        break;
      case 'implausible':
        if (!active) dropSubjects(draft, rule);
        break;
      case 'baseline-bp':
        checkBaseline(draft, rule, active);
        break;
      case 'bp-overdue':
        checkBpOverdue(draft, rule, active, nowMs);
        break;
      case 'checkpoint-missed':
        checkCheckpoints(draft, rule, active, nowMs);
        break;
      case 'no-data':
        checkNoData(draft, rule, active, nowMs);
        break;
      case 'not-ready':
        if (active && context.gateFailsAtObservationEnd) setRequest(draft, rule, null, rule.priority, { kind: 'not-ready' }, null);
        else dropRequest(draft, rule, null);
        break;
      case 'rounding-overdue':
        checkRoundingOverdue(draft, rule, active, nowMs);
        break;
      case 'reassessment-overdue':
        checkReassessments(draft, rule, active, nowMs);
        break;
    }
  }
}

/** No eyes-on check since it was due: low once overdue by the first threshold, the escalation's priority at the second. */
function checkRoundingOverdue(draft: Draft, rule: Extract<AlertRule, { kind: 'rounding-overdue' }>, active: boolean, nowMs: number): void {
  const rounding = draft.context.rounding;
  const overdueMs = rounding === null ? 0 : nowMs - rounding.dueAtMs;
  if (!active || rounding === null || overdueMs < rounding.lowAfterMin * 60_000) {
    dropRequest(draft, rule, null);
    return;
  }
  const priority = overdueMs >= rounding.mediumAfterMin * 60_000 ? rule.escalationPriority : rule.priority;
  setRequest(draft, rule, null, priority, { kind: 'rounding-overdue', overdueMin: Math.floor(overdueMs / 60_000) }, null);
}

/** Each open PRN reassessment past its due time, one alert each (subject: its id). */
function checkReassessments(draft: Draft, rule: Extract<AlertRule, { kind: 'reassessment-overdue' }>, active: boolean, nowMs: number): void {
  const overdue = new Set<string>();
  if (active) {
    for (const r of draft.context.reassessments) {
      if (nowMs <= r.dueAtMs) continue;
      overdue.add(r.id);
      setRequest(draft, rule, r.id, rule.priority, { kind: 'reassessment-overdue', label: r.label, overdueMin: Math.floor((nowMs - r.dueAtMs) / 60_000) }, null);
    }
  }
  for (const [key, request] of draft.requests) {
    if (request.ruleId === rule.id && (request.subject === null || !overdue.has(request.subject))) draft.requests.delete(key);
  }
}

/**
 * The recheck prompt ("recheck BP now") rises to its escalation's priority when no newer BP has
 * arrived within its time (server clock: a late entry of an older BP is no recheck).
 */
function escalateRecheckPrompt(draft: Draft, rule: Extract<AlertRule, { kind: 'bp-threshold' }>, nowMs: number): void {
  const escalation = rule.recheckPrompt?.escalation ?? null;
  const request = draft.requests.get(conditionKey(rule.id, null));
  if (escalation === null || request === undefined || request.facts.kind !== 'bp-threshold' || request.facts.prompt === null) return;
  if (draft.lastBpArrivedAtMs === null || nowMs < draft.lastBpArrivedAtMs + escalation.afterMin * 60_000) return;
  if (request.priority === escalation.priority && request.facts.prompt === escalation.text) return;
  setRequest(draft, rule, null, escalation.priority, { ...request.facts, prompt: escalation.text }, request.readingSeq);
}

function dropSubjects(draft: Draft, rule: AlertRule): void {
  for (const [key, request] of draft.requests) {
    if (request.ruleId === rule.id) draft.requests.delete(key);
  }
}

function checkBaseline(draft: Draft, rule: Extract<AlertRule, { kind: 'baseline-bp' }>, active: boolean): void {
  const baseline = draft.context.baseline;
  const breaches: AlertBreach[] = [];
  if (active && baseline !== null) {
    if (rule.systolicAboveMmHg !== null && baseline.systolic > rule.systolicAboveMmHg) {
      breaches.push({ field: 'systolic', value: baseline.systolic, comparator: '>', limit: rule.systolicAboveMmHg });
    }
    if (rule.diastolicAboveMmHg !== null && baseline.diastolic > rule.diastolicAboveMmHg) {
      breaches.push({ field: 'diastolic', value: baseline.diastolic, comparator: '>', limit: rule.diastolicAboveMmHg });
    }
  }
  if (breaches.length > 0) setRequest(draft, rule, null, rule.priority, { kind: 'baseline-bp', breaches }, null);
  else dropRequest(draft, rule, null);
}

function checkBpOverdue(
  draft: Draft,
  rule: Extract<AlertRule, { kind: 'bp-overdue' }>,
  active: boolean,
  nowMs: number,
): void {
  const { bpDueAtMs, bpIntervalMin } = draft.context;
  if (!active || bpDueAtMs === null) {
    dropRequest(draft, rule, null);
    return;
  }
  const intervalMs = bpIntervalMin * 60_000;
  const dueAtMs = draft.lastBpAtMs === null ? bpDueAtMs : Math.max(bpDueAtMs, draft.lastBpAtMs + intervalMs);
  const overdueAtMs = dueAtMs + rule.graceMin * 60_000;
  if (nowMs < overdueAtMs) {
    dropRequest(draft, rule, null);
    return;
  }
  const escalated = rule.escalation !== null && nowMs >= overdueAtMs + rule.escalation.afterMin * 60_000;
  const priority = escalated && rule.escalation !== null ? rule.escalation.priority : rule.priority;
  const sinceMs = draft.lastBpAtMs ?? dueAtMs - intervalMs;
  const facts: AlertFacts = {
    kind: 'bp-overdue',
    minutesWithoutBp: Math.floor((nowMs - sinceMs) / 60_000),
    intervalMin: bpIntervalMin,
  };
  setRequest(draft, rule, null, priority, facts, null);
}

function checkCheckpoints(
  draft: Draft,
  rule: Extract<AlertRule, { kind: 'checkpoint-missed' }>,
  active: boolean,
  nowMs: number,
): void {
  const missed = new Set<string>();
  if (active) {
    for (const checkpoint of draft.context.checkpoints) {
      const overdue =
        checkpoint.status === 'pending' &&
        !draft.checkpointsMet.includes(checkpoint.id) &&
        checkpoint.windowEndAtMs !== null &&
        nowMs >= checkpoint.windowEndAtMs;
      if (checkpoint.status === 'missed' || overdue) {
        missed.add(checkpoint.id);
        const facts: AlertFacts = { kind: 'checkpoint-missed', checkpointId: checkpoint.id, label: checkpoint.label };
        setRequest(draft, rule, checkpoint.id, rule.priority, facts, null);
      }
    }
  }
  for (const [key, request] of draft.requests) {
    if (request.ruleId === rule.id && (request.subject === null || !missed.has(request.subject))) draft.requests.delete(key);
  }
}

/**
 * Per streamed vital: a device that sends it at least every `silentSec` and has gone quiet for
 * `silentSec` (or two of its send intervals, if longer). Silence before the rule began to apply
 * does not count, nor does silence after a nurse recorded the monitor as removed (until it sends
 * again). One alert names every silent vital.
 */
function checkNoData(draft: Draft, rule: Extract<AlertRule, { kind: 'no-data' }>, active: boolean, nowMs: number): void {
  if (!active) {
    draft.watchSinceMs.delete(rule.id);
    dropRequest(draft, rule, null);
    return;
  }
  const watchSinceMs = draft.watchSinceMs.get(rule.id) ?? nowMs;
  draft.watchSinceMs.set(rule.id, watchSinceMs);
  const silentMsLimit = rule.silentSec * 1000;
  const removedAtMs = draft.context.monitorRemovedAtMs;
  const silent: StreamedVitalField[] = [];
  let longestSilentMs = 0;
  for (const field of streamedFields) {
    const lastArrivalMs = draft.lastArrivalMs[field];
    if (lastArrivalMs === null || (removedAtMs !== null && lastArrivalMs <= removedAtMs)) continue;
    const intervalMs = sendIntervalMs(draft.series[field]);
    // Not streamed (one value so far, or sent more sparsely than the silence limit).
    if (intervalMs === null || intervalMs > silentMsLimit) continue;
    const limitMs = Math.max(silentMsLimit, 2 * intervalMs);
    if (nowMs - Math.max(lastArrivalMs, watchSinceMs) < limitMs) continue;
    silent.push(field);
    longestSilentMs = Math.max(longestSilentMs, nowMs - lastArrivalMs);
  }
  if (silent.length > 0) {
    setRequest(draft, rule, null, rule.priority, { kind: 'no-data', silentSec: Math.floor(longestSilentMs / 1000), vitals: silent }, null);
  } else {
    dropRequest(draft, rule, null);
  }
}

// ---------------------------------------------------------------------------------------------
// Stage 2: the arbiter (server time).

function acknowledge(
  draft: Draft,
  input: Extract<AlertInput, { kind: 'acknowledge' }>,
  nowMs: number,
  events: AlertEvent[],
): AlertEngineError | null {
  const index = draft.alerts.findIndex((alert) => alert.id === input.alertId);
  const alert = draft.alerts[index];
  if (alert === undefined) {
    return draft.clearedAlertIds.includes(input.alertId)
      ? { code: 'already-cleared', message: `Alert ${input.alertId} has already cleared; it stays in the history.` }
      : { code: 'unknown-alert', message: `There is no alert ${input.alertId} in this session.` };
  }
  if (alert.status === 'acknowledged') {
    const last = alert.acknowledgements.at(-1);
    return {
      code: 'already-acknowledged',
      message: `Alert ${input.alertId} was already acknowledged${last === undefined ? '' : ` by ${last.by.username}`}.`,
    };
  }
  const note = input.note?.trim() ?? '';
  const acknowledgement: Acknowledgement = {
    by: { userId: input.by.userId, username: input.by.username },
    atMs: nowMs,
    note: note === '' ? null : note,
    priority: alert.priority,
    message: alert.message,
    vitals: draft.latest,
  };
  const acknowledged: Alert = {
    ...alert,
    status: 'acknowledged',
    acknowledgements: [...alert.acknowledgements, acknowledgement],
  };
  draft.alerts[index] = acknowledged;
  events.push({ type: 'alert-acknowledged', atMs: nowMs, acknowledgement, alert: acknowledged });
  return null;
}

function arbitrate(
  rules: readonly AlertRule[],
  draft: Draft,
  nowMs: number,
  policy: ArbiterPolicy,
  events: AlertEvent[],
): void {
  if (isSessionOver(draft.context)) {
    endWithSession(draft, nowMs, policy, events);
    return;
  }
  const ruleById = new Map(rules.map((rule) => [rule.id, rule]));
  const requests = [...draft.requests.entries()];

  // A request gives way to one of a rule that supersedes it, asking for at least its priority.
  const outranked = (request: AlertRequest): boolean =>
    requests.some(
      ([, other]) =>
        (ruleById.get(other.ruleId)?.supersedes.includes(request.ruleId) ?? false) &&
        compareAlertPriority(other.priority, request.priority) >= 0,
    );
  const superseded = new Set<string>();
  for (const [key, request] of requests) if (outranked(request)) superseded.add(key);
  const effective = new Map(requests.filter(([key]) => !superseded.has(key)));
  // Conditions that held only in the past: raised once (not while the same condition is current).
  const pastEpisodes = [...draft.pastEpisodes].filter(([key, request]) => !draft.requests.has(key) && !outranked(request));

  const stillOpen: Alert[] = [];
  const handled = new Set<string>();
  for (const alert of draft.alerts) {
    const key = conditionKey(alert.ruleId, alert.subject);
    const request = effective.get(key);
    if (request !== undefined) {
      handled.add(key);
      if (compareAlertPriority(request.priority, alert.priority) > 0) {
        // New information: a higher priority sounds again, even if the lower one was acknowledged.
        const escalated: Alert = {
          ...alert,
          priority: request.priority,
          status: 'active',
          facts: request.facts,
          message: formatAlertMessage(request.facts),
          readingSeq: request.readingSeq ?? alert.readingSeq,
          escalatedAtMs: nowMs,
          conditionResolvedAtMs: null,
        };
        events.push({ type: 'alert-escalated', atMs: nowMs, fromPriority: alert.priority, alert: escalated });
        stillOpen.push(escalated);
      } else {
        // The same episode goes on; no event (no nagging re-raise after an acknowledgement). Its
        // facts follow the condition, so the record keeps the last value.
        stillOpen.push({
          ...alert,
          facts: request.facts,
          message: formatAlertMessage(request.facts),
          conditionResolvedAtMs: null,
        });
      }
      continue;
    }

    const resolved: Alert =
      alert.conditionResolvedAtMs === null ? { ...alert, conditionResolvedAtMs: nowMs } : alert;
    // High (and late) alerts latch until acknowledged; medium and low stay visible for the minimum time.
    const mayClear =
      alert.priority === 'high' || alert.late === true
        ? alert.status === 'acknowledged'
        : nowMs - alert.raisedAtMs >= policy.minVisibleMs;
    if (!mayClear) {
      stillOpen.push(resolved);
      continue;
    }
    const cleared: Alert = {
      ...resolved,
      status: 'cleared',
      clearedAtMs: nowMs,
      clearReason: superseded.has(key) ? 'superseded' : 'resolved',
    };
    events.push({ type: 'alert-cleared', atMs: nowMs, alert: cleared });
    draft.clearedAlertIds = [...draft.clearedAlertIds, cleared.id].slice(-policy.clearedIdsKept);
  }

  // A past episode of a condition whose alert is still open adds nothing (unless more urgent).
  const fresh: [string, AlertRequest, boolean][] = [
    ...[...effective.entries()].filter(([key]) => !handled.has(key)).map(([key, r]): [string, AlertRequest, boolean] => [key, r, false]),
    ...pastEpisodes
      .filter(([key, request]) => {
        const open = stillOpen.find((a) => conditionKey(a.ruleId, a.subject) === key);
        return open === undefined || compareAlertPriority(request.priority, open.priority) > 0;
      })
      .map(([key, r]): [string, AlertRequest, boolean] => [key, r, true]),
  ];
  // New episodes, most urgent first, then in rule-table order.
  const ruleOrder = new Map(rules.map((rule, index) => [rule.id, index]));
  fresh.sort(
    ([keyA, a], [keyB, b]) =>
      compareAlertPriority(b.priority, a.priority) ||
      (ruleOrder.get(a.ruleId) ?? 0) - (ruleOrder.get(b.ruleId) ?? 0) ||
      (keyA < keyB ? -1 : keyA > keyB ? 1 : 0),
  );
  for (const [, request, past] of fresh) {
    const rule = ruleById.get(request.ruleId);
    if (rule === undefined) continue;
    const number = draft.nextAlertNumber;
    draft.nextAlertNumber = number + 1;
    const alert: Alert = {
      id: [draft.base.idPrefix, rule.id, String(number)].filter((part) => part !== '').join('.'),
      ruleId: rule.id,
      subject: request.subject,
      label: rule.label,
      category: rule.category,
      priority: request.priority,
      status: 'active',
      message: formatAlertMessage(request.facts),
      facts: request.facts,
      readingSeq: request.readingSeq,
      raisedAtMs: nowMs,
      escalatedAtMs: null,
      // A past episode is over already: newer readings show it.
      conditionResolvedAtMs: past ? nowMs : null,
      clearedAtMs: null,
      clearReason: null,
      acknowledgements: [],
      ...(past ? { late: true } : {}),
    };
    events.push({ type: 'alert-raised', atMs: nowMs, alert });
    stillOpen.push(alert);
  }
  draft.alerts = stillOpen;
  draft.pastEpisodes.clear();
}

/**
 * The session ended (discharged or cancelled): every open alert ends with it. It is recorded as
 * ended with the session, never as resolved, and keeps the facts it last had.
 */
function endWithSession(draft: Draft, nowMs: number, policy: ArbiterPolicy, events: AlertEvent[]): void {
  for (const alert of draft.alerts) {
    const cleared: Alert = { ...alert, status: 'cleared', clearedAtMs: nowMs, clearReason: 'session-ended' };
    events.push({ type: 'alert-cleared', atMs: nowMs, alert: cleared });
    draft.clearedAlertIds = [...draft.clearedAlertIds, cleared.id].slice(-policy.clearedIdsKept);
  }
  draft.alerts = [];
  draft.requests.clear();
  draft.pastEpisodes.clear();
}
