import { z } from 'zod';
import { type LatestVitals, latestVitalsSchema, sessionPhaseSchema } from '../schemas/chair';
import { type Reading, readingSchema } from '../schemas/reading';
import { emptyLatestVitals, foldLatestVitals } from '../vitals/latest-vitals';
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

/**
 * The alert engine: `evaluate(rules, state, input, nowMs) → { state, events, error }`.
 *
 * Two stages, as in Nightscout but without its shared mutable state:
 * 1. Rule checks turn the input into *requests* ("rule X asks for priority P, because of these
 *    facts"), kept in `state.requests` keyed by condition.
 * 2. One arbiter turns requests into alerts: raises, escalates, latches, clears, and records
 *    acknowledgements. Nothing else creates or ends an alert.
 *
 * Clocks, kept apart:
 * - Measurement time (`reading.measuredAt`): persistence of physiological rules (BP readings
 *   counted in measurement order; HR/SpO₂/RR seconds between measurements) and checkpoint windows.
 * - Server time (`nowMs`): everything about the alert's life (raised, acknowledged, 5-s minimum
 *   visibility, clearing), no-data silence (time since a reading *arrived*), checkpoint deadlines,
 *   and the escalation of technical alerts.
 * - bp-overdue compares the two on purpose: the next BP is due an interval after the last one was
 *   *measured*, and it is overdue when the server's clock passes that (devices must keep time).
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
  /** Mean of the baseline readings, once known. */
  baseline: z.object({ systolic: z.number(), diastolic: z.number() }).nullable(),
  /** The protocol's BP interval in the current phase. */
  bpIntervalMin: z.number().positive(),
  /** When the next BP is due per the session's schedule (server time); null: no schedule now. */
  bpDueAtMs: z.number().nullable(),
  checkpoints: z.array(alertCheckpointSchema),
  /** The discharge gate failed when the minimum observation ended (and still fails). */
  gateFailsAtObservationEnd: z.boolean(),
  /** A device is connected to the chair (no-data only watches connected devices). */
  deviceConnected: z.boolean(),
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
});

export const alertInputSchema = z.discriminatedUnion('kind', [
  /** A stored reading of this session (null values absent or rejected). */
  z.object({ kind: z.literal('reading'), reading: readingSchema }),
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

/** A streamed vital above/below a limit since `startMs` (measurement time). */
const runSchema = z.object({
  startMs: z.number(),
  lastMs: z.number(),
  readings: z.number().int(),
  /** The latest reading of the run was sparse (manual, or long after the previous value). */
  lastWasSpot: z.boolean(),
});
type Run = z.infer<typeof runSchema>;

/** What one rule currently asks of the arbiter. */
const alertRequestSchema = z.object({
  ruleId: z.string(),
  subject: z.string().nullable(),
  priority: alertPrioritySchema,
  facts: alertFactsSchema,
  readingSeq: z.number().int().nullable(),
});
type AlertRequest = z.infer<typeof alertRequestSchema>;

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
    /** Measurement time of the newest BP. */
    lastBpAtMs: z.number().nullable(),
    /** Measurement time of the newest value of each streamed vital. */
    lastValueAtMs: z.object({
      heartRate: z.number().nullable(),
      spo2: z.number().nullable(),
      respRate: z.number().nullable(),
    }),
    /** Per BP rule: consecutive breaching BP readings. */
    bpCounts: z.record(z.string(), z.number().int()),
    /** Per sustained rule (`<id>` and `<id>/escalation`): the current breaching run. */
    runs: z.record(z.string(), runSchema),
    /** Per no-data rule: server time since which silence is counted (last device reading, or when the rule began to apply). */
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
  /** Medium and low alerts stay at least this long after being raised, even if resolved (§4: 5 s). */
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
  deviceConnected: false,
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
      lastBpAtMs: null,
      lastValueAtMs: { heartRate: null, spo2: null, respRate: null },
      bpCounts: {},
      runs: {},
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
      applyReading(rules, draft, input.reading, nowMs);
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
  lastBpAtMs: number | null;
  lastValueAtMs: Record<StreamedVitalField, number | null>;
  bpCounts: Map<string, number>;
  runs: Map<string, Run>;
  watchSinceMs: Map<string, number>;
  checkpointsMet: string[];
  requests: Map<string, AlertRequest>;
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
    lastBpAtMs: tracking.lastBpAtMs,
    lastValueAtMs: { ...tracking.lastValueAtMs },
    bpCounts: new Map(Object.entries(tracking.bpCounts)),
    runs: new Map(Object.entries(tracking.runs)),
    watchSinceMs: new Map(Object.entries(tracking.watchSinceMs)),
    checkpointsMet: [...tracking.checkpointsMet],
    requests: new Map(Object.entries(state.requests)),
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
      lastBpAtMs: draft.lastBpAtMs,
      lastValueAtMs: draft.lastValueAtMs,
      bpCounts: Object.fromEntries(draft.bpCounts),
      runs: Object.fromEntries(draft.runs),
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
    deviceConnected: input.deviceConnected,
  };
}

function conditionKey(ruleId: string, subject: string | null): string {
  return subject === null ? ruleId : `${ruleId}/${subject}`;
}

function applies(rule: AlertRule, context: AlertContext): boolean {
  return rule.enabled && rule.phases.includes(context.phase);
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

// ---------------------------------------------------------------------------------------------
// Stage 1a: rule checks on a reading (measurement time).

const streamedFields = ['heartRate', 'spo2', 'respRate'] as const satisfies readonly StreamedVitalField[];

function applyReading(rules: readonly AlertRule[], draft: Draft, reading: Reading, nowMs: number): void {
  // A reading already evaluated (a replay after a restart) changes nothing.
  if (draft.lastReadingSeq !== null && reading.seq <= draft.lastReadingSeq) return;
  draft.lastReadingSeq = reading.seq;
  draft.latest = foldLatestVitals(draft.latest, reading);

  const measuredAtMs = Date.parse(reading.measuredAt);
  if (!Number.isFinite(measuredAtMs)) return;

  const hasBp = reading.systolic !== null || reading.diastolic !== null || reading.mean !== null;
  // Only a BP measured after the newest one counts as the next reading (late or split copies do not).
  const isNewBp = hasBp && (draft.lastBpAtMs === null || measuredAtMs > draft.lastBpAtMs);

  for (const rule of rules) {
    const active = applies(rule, draft.context);
    switch (rule.kind) {
      case 'bp-threshold':
        if (!active) resetBpRule(draft, rule);
        else if (isNewBp) checkBpThreshold(draft, rule, reading);
        break;
      case 'bp-rise':
        if (!active) resetBpRule(draft, rule);
        else if (isNewBp) checkBpRise(draft, rule, reading);
        break;
      case 'sustained-vital':
        if (!active) resetSustainedRule(draft, rule);
        else checkSustained(draft, rule, reading, measuredAtMs);
        break;
      case 'implausible':
        if (active) checkImplausible(draft, rule, reading);
        break;
      case 'no-data':
        // Server clock: silence is time since a reading *arrived*, whatever its measurement time.
        if (active && draft.context.deviceConnected && rule.sources.includes(reading.source)) {
          draft.watchSinceMs.set(rule.id, nowMs);
        }
        break;
      default:
        break;
    }
  }

  if (isNewBp) {
    draft.lastBpAtMs = measuredAtMs;
    for (const checkpoint of draft.context.checkpoints) {
      const inWindow =
        checkpoint.windowStartAtMs !== null &&
        checkpoint.windowEndAtMs !== null &&
        measuredAtMs >= checkpoint.windowStartAtMs &&
        measuredAtMs <= checkpoint.windowEndAtMs;
      if (inWindow && !draft.checkpointsMet.includes(checkpoint.id)) draft.checkpointsMet.push(checkpoint.id);
    }
  }
  for (const field of streamedFields) {
    const last = draft.lastValueAtMs[field];
    if (reading[field] !== null && (last === null || measuredAtMs > last)) draft.lastValueAtMs[field] = measuredAtMs;
  }
}

function resetBpRule(draft: Draft, rule: AlertRule): void {
  draft.bpCounts.delete(rule.id);
  dropRequest(draft, rule, null);
}

function checkBpThreshold(draft: Draft, rule: Extract<AlertRule, { kind: 'bp-threshold' }>, reading: Reading): void {
  const breaches: AlertBreach[] = [];
  let measured = false;
  for (const limit of rule.anyOf) {
    const value = reading[limit.field];
    if (value === null) continue;
    measured = true;
    if (breachesLimit(value, limit.comparator, limit.limitMmHg)) {
      breaches.push({ field: limit.field, value, comparator: limit.comparator, limit: limit.limitMmHg });
    }
  }
  // A BP without any value this rule looks at neither counts nor breaks the run.
  if (!measured) return;
  if (breaches.length === 0) {
    resetBpRule(draft, rule);
    return;
  }
  const readings = (draft.bpCounts.get(rule.id) ?? 0) + 1;
  draft.bpCounts.set(rule.id, readings);
  const confirmed = readings >= rule.consecutiveReadings;
  if (!confirmed && rule.recheckPrompt === null) {
    dropRequest(draft, rule, null);
    return;
  }
  const facts: AlertFacts = {
    kind: 'bp-threshold',
    breaches,
    readings,
    requiredReadings: rule.consecutiveReadings,
    prompt: confirmed ? null : (rule.recheckPrompt?.text ?? null),
    measuredAt: reading.measuredAt,
  };
  const priority = confirmed ? rule.priority : (rule.recheckPrompt?.priority ?? rule.priority);
  setRequest(draft, rule, null, priority, facts, reading.seq);
}

function checkBpRise(draft: Draft, rule: Extract<AlertRule, { kind: 'bp-rise' }>, reading: Reading): void {
  const baseline = draft.context.baseline;
  if (baseline === null) {
    resetBpRule(draft, rule);
    return;
  }
  const rises: Extract<AlertFacts, { kind: 'bp-rise' }>['rises'] = [];
  let measured = false;
  const checks = [
    { field: 'systolic', value: reading.systolic, baseline: baseline.systolic, limit: rule.systolicRiseMmHg },
    { field: 'diastolic', value: reading.diastolic, baseline: baseline.diastolic, limit: rule.diastolicRiseMmHg },
  ] as const;
  for (const check of checks) {
    if (check.value === null || check.limit === null) continue;
    measured = true;
    const rise = check.value - check.baseline;
    if (rise >= check.limit) {
      rises.push({ field: check.field, value: check.value, baseline: check.baseline, rise, limit: check.limit });
    }
  }
  if (!measured) return;
  if (rises.length === 0) {
    resetBpRule(draft, rule);
    return;
  }
  const readings = (draft.bpCounts.get(rule.id) ?? 0) + 1;
  draft.bpCounts.set(rule.id, readings);
  if (readings < rule.consecutiveReadings) {
    dropRequest(draft, rule, null);
    return;
  }
  const facts: AlertFacts = {
    kind: 'bp-rise',
    rises,
    readings,
    requiredReadings: rule.consecutiveReadings,
    measuredAt: reading.measuredAt,
  };
  setRequest(draft, rule, null, rule.priority, facts, reading.seq);
}

const escalationRunKey = (ruleId: string): string => `${ruleId}/escalation`;

function resetSustainedRule(draft: Draft, rule: AlertRule): void {
  draft.runs.delete(rule.id);
  draft.runs.delete(escalationRunKey(rule.id));
  dropRequest(draft, rule, null);
}

function extendRun(run: Run | undefined, breaching: boolean, atMs: number, spot: boolean): Run | undefined {
  if (!breaching) return undefined;
  if (run === undefined) return { startMs: atMs, lastMs: atMs, readings: 1, lastWasSpot: spot };
  return { startMs: run.startMs, lastMs: atMs, readings: run.readings + 1, lastWasSpot: spot };
}

/** Sustained by duration, or by two consecutive readings of which the latest is sparse. */
function sustained(run: Run | undefined, sustainSec: number): { met: boolean; byDuration: boolean } {
  if (run === undefined) return { met: false, byDuration: false };
  const byDuration = run.lastMs - run.startMs >= sustainSec * 1000;
  return { met: byDuration || (run.readings >= 2 && run.lastWasSpot), byDuration };
}

function setRun(draft: Draft, key: string, run: Run | undefined): void {
  if (run === undefined) draft.runs.delete(key);
  else draft.runs.set(key, run);
}

function checkSustained(
  draft: Draft,
  rule: Extract<AlertRule, { kind: 'sustained-vital' }>,
  reading: Reading,
  measuredAtMs: number,
): void {
  const value = reading[rule.field];
  const previousAtMs = draft.lastValueAtMs[rule.field];
  // Measurement order: a value older than the newest one already seen does not extend a run.
  if (value === null || (previousAtMs !== null && measuredAtMs <= previousAtMs)) return;

  const spot = reading.source === 'manual' || (previousAtMs !== null && measuredAtMs - previousAtMs >= rule.spotGapSec * 1000);
  const run = extendRun(draft.runs.get(rule.id), breachesLimit(value, rule.comparator, rule.limit), measuredAtMs, spot);
  setRun(draft, rule.id, run);
  const escalationRun =
    rule.escalation === null
      ? undefined
      : extendRun(
          draft.runs.get(escalationRunKey(rule.id)),
          breachesLimit(value, rule.comparator, rule.escalation.limit),
          measuredAtMs,
          spot,
        );
  setRun(draft, escalationRunKey(rule.id), escalationRun);

  const request = (runOf: Run, limit: number, sustainSec: number, priority: AlertPriority): void => {
    const { byDuration } = sustained(runOf, sustainSec);
    const facts: AlertFacts = {
      kind: 'sustained-vital',
      breach: { field: rule.field, value, comparator: rule.comparator, limit },
      sustainedSec: (runOf.lastMs - runOf.startMs) / 1000,
      readings: runOf.readings,
      bySpotReadings: !byDuration,
      measuredAt: reading.measuredAt,
    };
    setRequest(draft, rule, null, priority, facts, reading.seq);
  };

  if (rule.escalation !== null && escalationRun !== undefined && sustained(escalationRun, rule.escalation.sustainSec).met) {
    request(escalationRun, rule.escalation.limit, rule.escalation.sustainSec, rule.escalation.priority);
  } else if (run !== undefined && sustained(run, rule.sustainSec).met) {
    request(run, rule.limit, rule.sustainSec, rule.priority);
  } else {
    dropRequest(draft, rule, null);
  }
}

/** The vital a rejected value belongs to: BP values are one measurement. */
const implausibleSubjects = {
  systolic: 'bp',
  diastolic: 'bp',
  mean: 'bp',
  heartRate: 'heartRate',
  spo2: 'spo2',
  respRate: 'respRate',
} as const;

function checkImplausible(draft: Draft, rule: Extract<AlertRule, { kind: 'implausible' }>, reading: Reading): void {
  for (const subject of ['bp', 'heartRate', 'spo2', 'respRate'] as const) {
    const rejected = reading.rejected.filter(
      (value) => implausibleSubjects[value.field] === subject && rule.reasons.includes(value.reason),
    );
    const accepted =
      subject === 'bp'
        ? reading.systolic !== null || reading.diastolic !== null || reading.mean !== null
        : reading[subject] !== null;
    if (rejected.length > 0) {
      setRequest(draft, rule, subject, rule.priority, { kind: 'implausible', rejected, measuredAt: reading.measuredAt }, reading.seq);
    } else if (accepted) {
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
      case 'bp-rise':
        if (!active) resetBpRule(draft, rule);
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
        checkNoData(draft, rule, active && context.deviceConnected, nowMs);
        break;
      case 'not-ready':
        if (active && context.gateFailsAtObservationEnd) setRequest(draft, rule, null, rule.priority, { kind: 'not-ready' }, null);
        else dropRequest(draft, rule, null);
        break;
    }
  }
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

function checkNoData(draft: Draft, rule: Extract<AlertRule, { kind: 'no-data' }>, watching: boolean, nowMs: number): void {
  if (!watching) {
    draft.watchSinceMs.delete(rule.id);
    dropRequest(draft, rule, null);
    return;
  }
  const sinceMs = draft.watchSinceMs.get(rule.id) ?? nowMs;
  draft.watchSinceMs.set(rule.id, sinceMs);
  const silentMs = nowMs - sinceMs;
  if (silentMs >= rule.silentSec * 1000) {
    setRequest(draft, rule, null, rule.priority, { kind: 'no-data', silentSec: Math.floor(silentMs / 1000) }, null);
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
  const ruleById = new Map(rules.map((rule) => [rule.id, rule]));
  const requests = [...draft.requests.entries()];

  // A request gives way to one of a rule that supersedes it, asking for at least its priority.
  const superseded = new Set<string>();
  for (const [key, request] of requests) {
    const outranked = requests.some(
      ([, other]) =>
        (ruleById.get(other.ruleId)?.supersedes.includes(request.ruleId) ?? false) &&
        compareAlertPriority(other.priority, request.priority) >= 0,
    );
    if (outranked) superseded.add(key);
  }
  const effective = new Map(requests.filter(([key]) => !superseded.has(key)));

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
        // The same episode goes on; no event (no nagging re-raise after an acknowledgement).
        stillOpen.push(alert.conditionResolvedAtMs === null ? alert : { ...alert, conditionResolvedAtMs: null });
      }
      continue;
    }

    const resolved: Alert =
      alert.conditionResolvedAtMs === null ? { ...alert, conditionResolvedAtMs: nowMs } : alert;
    // High latches until acknowledged; medium and low stay visible for the minimum time.
    const mayClear =
      alert.priority === 'high' ? alert.status === 'acknowledged' : nowMs - alert.raisedAtMs >= policy.minVisibleMs;
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

  // New episodes, most urgent first, then in rule-table order.
  const ruleOrder = new Map(rules.map((rule, index) => [rule.id, index]));
  const fresh = [...effective.entries()]
    .filter(([key]) => !handled.has(key))
    .sort(
      ([keyA, a], [keyB, b]) =>
        compareAlertPriority(b.priority, a.priority) ||
        (ruleOrder.get(a.ruleId) ?? 0) - (ruleOrder.get(b.ruleId) ?? 0) ||
        (keyA < keyB ? -1 : keyA > keyB ? 1 : 0),
    );
  for (const [, request] of fresh) {
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
      conditionResolvedAtMs: null,
      clearedAtMs: null,
      clearReason: null,
      acknowledgements: [],
    };
    events.push({ type: 'alert-raised', atMs: nowMs, alert });
    stillOpen.push(alert);
  }
  draft.alerts = stillOpen;
}
