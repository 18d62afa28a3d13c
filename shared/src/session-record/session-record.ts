import { z } from 'zod';
import { type Protocol, type ProtocolRecordSettings, type ReadinessItem, recordSettingsOf } from '../session/protocol';
import type { SessionState } from '../session/session-state';
import {
  type ReadinessAnswer,
  type RecordEventInput,
  type RecordEventType,
  isRecordEventType,
  recordEventSchemas,
} from './record-events';

/*
 * The session record derived from its entries (docs/clinical-defaults.md "The session record beyond vitals"). Pure:
 * entries, protocol and state in, the record out; time is an argument where "now" matters (`overdueItems`).
 */

const msPerMin = 60_000;

/** A stored session event as the derivations read it: the server's sequence number and time, who, and the body. */
export interface RecordEntry {
  seq: number;
  type: string;
  /** When it was written down (server clock), epoch ms. */
  atMs: number;
  username: string;
  /** The body as stored: the entry as posted, plus `occurredAtMs` (the moment it happened, set by the server). */
  payload: unknown;
}

type Typed<T extends RecordEventType> = Extract<RecordEventInput, { type: T }>;

/** One entry in force (not corrected by a later one), at the moment it happened. */
export interface InForce<T extends RecordEventType = RecordEventType> {
  seq: number;
  /** The moment it happened (its `at`, else when it was written down), epoch ms. */
  atMs: number;
  recordedAtMs: number;
  username: string;
  /** The entries it corrects, oldest first (empty when it is an original). */
  corrects: number[];
  entry: Typed<T>;
}

/** When an entry happened: what the server recorded as `occurredAtMs`, else its `at`, else when it was written down. */
export function entryMomentMs(entry: Pick<RecordEntry, 'atMs' | 'payload'>): number {
  const p = entry.payload as { occurredAtMs?: unknown; at?: unknown } | null;
  if (p !== null && typeof p === 'object') {
    if (typeof p.occurredAtMs === 'number') return p.occurredAtMs;
    if (typeof p.at === 'string' && !Number.isNaN(Date.parse(p.at))) return Date.parse(p.at);
  }
  return entry.atMs;
}

/** The entry as posted: the stored payload without what the server added (`occurredAtMs`). */
function bodyOf(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object') return payload;
  const { occurredAtMs: _added, ...body } = payload as Record<string, unknown>;
  return body;
}

/**
 * The record entries in force, by type, in the order they happened: each correction replaces the entry it corrects
 * (which stays in the log). A correction without its own `at` keeps the corrected entry's moment.
 */
export function entriesInForce(entries: readonly RecordEntry[]): Map<RecordEventType, InForce[]> {
  const parsed = new Map<number, InForce>();
  const correctedBy = new Map<number, number>();
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    if (!isRecordEventType(e.type)) continue;
    const result = recordEventSchemas[e.type].safeParse(bodyOf(e.payload));
    if (!result.success) continue;
    const entry = result.data as RecordEventInput;
    const target = entry.corrects === undefined ? undefined : parsed.get(entry.corrects);
    const hasOwnMoment = entry.at !== undefined || typeof (e.payload as { occurredAtMs?: unknown }).occurredAtMs === 'number';
    const atMs = target !== undefined && !hasOwnMoment ? target.atMs : entryMomentMs(e);
    parsed.set(e.seq, {
      seq: e.seq,
      atMs,
      recordedAtMs: e.atMs,
      username: e.username,
      corrects: target === undefined ? [] : [...target.corrects, target.seq],
      entry,
    });
    if (target !== undefined && target.entry.type === entry.type) correctedBy.set(target.seq, e.seq);
  }
  const byType = new Map<RecordEventType, InForce[]>();
  for (const item of parsed.values()) {
    if (correctedBy.has(item.seq)) continue;
    const list = byType.get(item.entry.type) ?? [];
    list.push(item);
    byType.set(item.entry.type, list);
  }
  for (const list of byType.values()) list.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  return byType;
}

function ofType<T extends RecordEventType>(map: Map<RecordEventType, InForce[]>, type: T): InForce<T>[] {
  return (map.get(type) ?? []) as unknown as InForce<T>[];
}

// ---------------------------------------------------------------------------------------------
// The derived record (the wire shape of `SessionSummary.record`).

const epochMs = z.number();

export const readinessItemStateSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['yesno', 'text']),
  hardStop: z.boolean(),
  answer: z.union([z.boolean(), z.string()]).nullable(),
  answeredBy: z.string().nullable(),
  answeredAtMs: epochMs.nullable(),
});

export const dueItemSchema = z.object({
  kind: z.enum(['score', 'rounding', 'reassessment']),
  /** `score:20-min`, `rounding`, `reassessment:<prn seq>`. */
  id: z.string(),
  label: z.string(),
  dueAtMs: epochMs,
});
export type DueItem = z.infer<typeof dueItemSchema>;

const scoreView = z.object({
  seq: z.number().int(),
  atMs: epochMs,
  scale: z.enum(['moaa-s', 'cadss-6']),
  /** MOAA/S value, or the CADSS-6 total (0–24). */
  value: z.number(),
  items: z.array(z.number()).nullable(),
  username: z.string(),
});

export const sessionRecordSchema = z.object({
  readiness: z.object({
    items: z.array(readinessItemStateSchema),
    /** Hard-stop items not answered yes: they hold the start. */
    unmetHardStops: z.array(z.string()),
  }),
  escort: z.object({ name: z.string(), phone: z.string(), atMs: epochMs, seq: z.number().int() }).nullable(),
  handoff: z.object({ collectedBy: z.string(), atMs: epochMs, seq: z.number().int() }).nullable(),
  infusion: z
    .object({
      seq: z.number().int(),
      drug: z.string(),
      weightKg: z.number(),
      doseMgPerKg: z.number(),
      concentrationMgPerMl: z.number(),
      rateMlPerH: z.number(),
      totalMg: z.number(),
      plannedMin: z.number(),
      rateChanges: z.array(z.object({ seq: z.number().int(), atMs: epochMs, rateMlPerH: z.number(), reason: z.string() })),
    })
    .nullable(),
  doses: z.array(
    z.object({
      seq: z.number().int(),
      atMs: epochMs,
      drug: z.string(),
      doseMg: z.number(),
      route: z.string(),
      lot: z.string().nullable(),
      device: z.number().int().nullable(),
      overrideReason: z.string().nullable(),
    }),
  ),
  /** Esketamine: the first device's moment ("40 min" and "2 h" count from it); null before. */
  firstDeviceAtMs: epochMs.nullable(),
  /** Esketamine: the next device's number and the earliest moment it may be given without an override; null when all are given or none is expected. */
  nextDevice: z.object({ device: z.number().int(), notBeforeMs: epochMs.nullable() }).nullable(),
  totalDoseMg: z.number(),
  scores: z.array(scoreView),
  sedation: z.object({
    /** The CADSS-6 total before dosing (the newest one), null when none was taken. */
    preDoseCadss: z.number().nullable(),
    latestMoaaS: z.number().nullable(),
    latestCadss: z.number().nullable(),
    /** MOAA/S 5 and CADSS-6 at or below its pre-dose value, on scores since dosing. */
    resolved: z.boolean(),
    /** Since when it has held; null when it does not. */
    resolvedAtMs: epochMs.nullable(),
    /** Any MOAA/S below 5 since dosing (the REMS "sedation"). */
    sedationSeen: z.boolean(),
    /** Any CADSS-6 above its pre-dose value since dosing (the REMS "dissociation"). */
    dissociationSeen: z.boolean(),
    /** Whether any MOAA/S or CADSS-6 was recorded since dosing. */
    scoredSinceDosing: z.boolean(),
  }),
  prns: z.array(
    z.object({
      seq: z.number().int(),
      atMs: epochMs,
      drug: z.string(),
      doseMg: z.number(),
      route: z.string(),
      indication: z.string(),
      reassessDueAtMs: epochMs,
      reassessment: z.object({ seq: z.number().int(), atMs: epochMs, response: z.string() }).nullable(),
    }),
  ),
  roundingChecks: z.array(z.object({ seq: z.number().int(), atMs: epochMs, status: z.string(), username: z.string() })),
  adverseEvents: z.array(
    z.object({ seq: z.number().int(), atMs: epochMs, kind: z.string(), severity: z.string(), serious: z.boolean(), note: z.string().nullable() }),
  ),
  /** What is due, earliest first (only what is open now; overdue ones included). */
  due: z.array(dueItemSchema),
});
export type SessionRecord = z.infer<typeof sessionRecordSchema>;

export interface DeriveRecordInput {
  protocol: Pick<Protocol, 'kind' | 'record'>;
  state: SessionState;
  entries: readonly RecordEntry[];
}

/** The latest answer of each readiness item. */
function readinessOf(items: readonly ReadinessItem[], answered: readonly InForce<'readiness-answered'>[]): SessionRecord['readiness'] {
  const latest = new Map<string, { answer: ReadinessAnswer; by: string; atMs: number }>();
  for (const a of answered) {
    for (const [id, answer] of Object.entries(a.entry.answers)) latest.set(id, { answer, by: a.username, atMs: a.atMs });
  }
  const states = items.map((item) => {
    const found = latest.get(item.id);
    return {
      id: item.id,
      label: item.label,
      kind: item.kind,
      hardStop: item.hardStop === true,
      answer: found?.answer ?? null,
      answeredBy: found?.by ?? null,
      answeredAtMs: found?.atMs ?? null,
    };
  });
  return { items: states, unmetHardStops: states.filter((s) => s.hardStop && s.answer !== true).map((s) => s.id) };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Total mg and planned minutes of an infusion set-up: weight × mg/kg; total ÷ (rate × concentration). */
export function infusionPlan(set: { weightKg: number; doseMgPerKg: number; concentrationMgPerMl: number; rateMlPerH: number }): {
  totalMg: number;
  plannedMin: number;
} {
  const totalMg = round1(set.weightKg * set.doseMgPerKg);
  return { totalMg, plannedMin: round1((totalMg / (set.rateMlPerH * set.concentrationMgPerMl)) * 60) };
}

/** The CADSS-6 total of its six items (0–24). */
export function cadssTotal(items: readonly number[]): number {
  return items.reduce((sum, v) => sum + v, 0);
}

/** When dosing began: the first device for esketamine (treatment start until one is recorded), else treatment start. */
export function dosingStartMs(record: Pick<SessionRecord, 'firstDeviceAtMs'>, state: SessionState): number | null {
  return record.firstDeviceAtMs ?? state.treatmentStartedAtMs;
}

function sedationOf(scores: SessionRecord['scores'], dosingAtMs: number | null): SessionRecord['sedation'] {
  const before = dosingAtMs === null ? scores : scores.filter((s) => s.atMs <= dosingAtMs);
  const after = dosingAtMs === null ? [] : scores.filter((s) => s.atMs > dosingAtMs);
  const preDoseCadss = before.filter((s) => s.scale === 'cadss-6').at(-1)?.value ?? null;
  // Without a pre-dose CADSS-6, "back to its pre-dose value" is read as back to 0 (the safer reading).
  const limit = preDoseCadss ?? 0;
  let moaa: number | null = null;
  let cadss: number | null = null;
  let resolvedAtMs: number | null = null;
  for (const s of after) {
    if (s.scale === 'moaa-s') moaa = s.value;
    else cadss = s.value;
    const holds = moaa === 5 && cadss !== null && cadss <= limit;
    if (!holds) resolvedAtMs = null;
    else if (resolvedAtMs === null) resolvedAtMs = s.atMs;
  }
  return {
    preDoseCadss,
    latestMoaaS: moaa,
    latestCadss: cadss,
    resolved: resolvedAtMs !== null,
    resolvedAtMs,
    sedationSeen: after.some((s) => s.scale === 'moaa-s' && s.value < 5),
    dissociationSeen: after.some((s) => s.scale === 'cadss-6' && s.value > limit),
    scoredSinceDosing: after.length > 0,
  };
}

/** Whether both scales were scored at or after `fromMs` (and, with `toMs`, at or before it). */
function bothScored(scores: SessionRecord['scores'], fromMs: number | null, toMs: number | null = null): boolean {
  const inRange = (s: { atMs: number }) => (fromMs === null || s.atMs >= fromMs) && (toMs === null || s.atMs <= toMs);
  return scores.some((s) => s.scale === 'moaa-s' && inRange(s)) && scores.some((s) => s.scale === 'cadss-6' && inRange(s));
}

/** The next score time point not yet met, if any (docs/clinical-defaults.md "The session record beyond vitals"). */
function scoreDue(settings: ProtocolRecordSettings, state: SessionState, record: Omit<SessionRecord, 'due'>): DueItem | null {
  const { scores } = record;
  const dosingAt = dosingStartMs(record, state);
  const toleranceMs = settings.scores.earlyToleranceMin * msPerMin;
  if (state.phase === 'baseline') {
    return bothScored(scores, null) ? null : { kind: 'score', id: 'score:pre-dose', label: 'MOAA/S and CADSS-6 before dosing', dueAtMs: state.checkedInAtMs };
  }
  if (dosingAt === null || (state.phase !== 'treatment' && state.phase !== 'observation')) return null;
  const points: DueItem[] = settings.scores.atMinFromDosing.map((m) => ({
    kind: 'score',
    id: `score:${m}-min`,
    label: `MOAA/S and CADSS-6 at ~${m} min`,
    dueAtMs: dosingAt + m * msPerMin,
  }));
  const endedAt = state.treatmentEndedAtMs;
  if (endedAt !== null) {
    points.push({ kind: 'score', id: 'score:end', label: 'MOAA/S and CADSS-6 at the end of treatment', dueAtMs: endedAt });
  }
  const open = points.filter((p) => !bothScored(scores, p.dueAtMs - toleranceMs)).sort((a, b) => a.dueAtMs - b.dueAtMs);
  if (open[0] !== undefined) return open[0];
  if (endedAt === null || record.sedation.resolved) return null;
  // Every 30 min in observation until resolved, from the newest moment both scales had been scored since the end.
  const lastMoaa = scores.filter((s) => s.scale === 'moaa-s' && s.atMs >= endedAt - toleranceMs).at(-1)?.atMs;
  const lastCadss = scores.filter((s) => s.scale === 'cadss-6' && s.atMs >= endedAt - toleranceMs).at(-1)?.atMs;
  const since = lastMoaa !== undefined && lastCadss !== undefined ? Math.max(Math.min(lastMoaa, lastCadss), endedAt) : endedAt;
  return { kind: 'score', id: 'score:observation', label: 'MOAA/S and CADSS-6 until resolved', dueAtMs: since + settings.scores.observationEveryMin * msPerMin };
}

/** The next eyes-on check during treatment and observation: an interval after the last one (or after the start). */
function roundingDue(settings: ProtocolRecordSettings, state: SessionState, checks: SessionRecord['roundingChecks']): DueItem | null {
  const start = state.treatmentStartedAtMs;
  if (start === null || (state.phase !== 'treatment' && state.phase !== 'observation')) return null;
  const last = checks.filter((c) => c.atMs >= start).at(-1)?.atMs ?? start;
  return { kind: 'rounding', id: 'rounding', label: 'Eyes-on check', dueAtMs: last + settings.rounding.intervalMin * msPerMin };
}

/** Derives the session record from its entries. */
export function deriveSessionRecord({ protocol, state, entries }: DeriveRecordInput): SessionRecord {
  const settings = recordSettingsOf(protocol);
  const inForce = entriesInForce(entries);

  const escort = ofType(inForce, 'escort-recorded').at(-1);
  const handoff = ofType(inForce, 'escort-handoff').at(-1);

  const set = ofType(inForce, 'infusion-set').at(-1);
  const infusion: SessionRecord['infusion'] =
    set === undefined
      ? null
      : {
          seq: set.seq,
          drug: set.entry.drug,
          weightKg: set.entry.weightKg,
          doseMgPerKg: set.entry.doseMgPerKg,
          concentrationMgPerMl: set.entry.concentrationMgPerMl,
          rateMlPerH: set.entry.rateMlPerH,
          ...infusionPlan(set.entry),
          rateChanges: ofType(inForce, 'infusion-rate-changed').map((c) => ({
            seq: c.seq,
            atMs: c.atMs,
            rateMlPerH: c.entry.rateMlPerH,
            reason: c.entry.reason,
          })),
        };

  const doses = ofType(inForce, 'dose-given').map((d) => ({
    seq: d.seq,
    atMs: d.atMs,
    drug: d.entry.drug,
    doseMg: d.entry.doseMg,
    route: d.entry.route,
    lot: d.entry.lot ?? null,
    device: d.entry.device ?? null,
    overrideReason: d.entry.override?.reason ?? null,
  }));
  const devices = doses.filter((d) => d.device !== null);
  const firstDeviceAtMs = devices[0]?.atMs ?? null;
  const lastDevice = devices.at(-1);
  const nextDevice =
    settings.devices === null || devices.length >= settings.devices.maxDevices
      ? null
      : { device: devices.length + 1, notBeforeMs: lastDevice === undefined ? null : lastDevice.atMs + settings.devices.restMin * msPerMin };

  const scores = ofType(inForce, 'score-recorded').map((s) => ({
    seq: s.seq,
    atMs: s.atMs,
    scale: s.entry.scale,
    value: s.entry.scale === 'moaa-s' ? s.entry.value : cadssTotal(s.entry.items),
    items: s.entry.scale === 'cadss-6' ? [...s.entry.items] : null,
    username: s.username,
  }));

  // A reassessment names the PRN entry it reassesses: the original or its correction.
  const reassessments = ofType(inForce, 'prn-reassessed');
  const prns = ofType(inForce, 'prn-given').map((p) => {
    const found = reassessments.find((r) => r.entry.prnSeq === p.seq || p.corrects.includes(r.entry.prnSeq));
    return {
      seq: p.seq,
      atMs: p.atMs,
      drug: p.entry.drug,
      doseMg: p.entry.doseMg,
      route: p.entry.route,
      indication: p.entry.indication,
      reassessDueAtMs: p.atMs + (p.entry.reassessInMin ?? settings.prnReassessMin) * msPerMin,
      reassessment: found === undefined ? null : { seq: found.seq, atMs: found.atMs, response: found.entry.response },
    };
  });

  const partial: Omit<SessionRecord, 'due'> = {
    readiness: readinessOf(settings.readiness, ofType(inForce, 'readiness-answered')),
    escort: escort === undefined ? null : { name: escort.entry.name, phone: escort.entry.phone, atMs: escort.atMs, seq: escort.seq },
    handoff: handoff === undefined ? null : { collectedBy: handoff.entry.collectedBy, atMs: handoff.atMs, seq: handoff.seq },
    infusion,
    doses,
    firstDeviceAtMs,
    nextDevice,
    totalDoseMg: round1(doses.reduce((sum, d) => sum + d.doseMg, 0)),
    scores,
    sedation: sedationOf(scores, firstDeviceAtMs ?? state.treatmentStartedAtMs),
    prns,
    roundingChecks: ofType(inForce, 'rounding-check').map((c) => ({ seq: c.seq, atMs: c.atMs, status: c.entry.status, username: c.username })),
    adverseEvents: ofType(inForce, 'adverse-event').map((a) => ({
      seq: a.seq,
      atMs: a.atMs,
      kind: a.entry.kind,
      severity: a.entry.severity,
      serious: a.entry.serious,
      note: a.entry.note ?? null,
    })),
  };

  const running = state.phase !== 'discharged' && state.phase !== 'cancelled';
  const due: DueItem[] = [];
  if (running) {
    const score = scoreDue(settings, state, partial);
    if (score) due.push(score);
    const rounding = roundingDue(settings, state, partial.roundingChecks);
    if (rounding) due.push(rounding);
    for (const p of prns) {
      if (p.reassessment === null) {
        due.push({ kind: 'reassessment', id: `reassessment:${p.seq}`, label: `Reassess after ${p.drug} (${p.indication})`, dueAtMs: p.reassessDueAtMs });
      }
    }
  }
  due.sort((a, b) => a.dueAtMs - b.dueAtMs);
  return { ...partial, due };
}

/**
 * Milligrams infused by `atMs`: from the start of treatment at the set-up's rate, each rate change from its moment,
 * nothing while paused or after the end, never more than the set-up's total (the pump stops at the programmed dose).
 */
export function cumulativeInfusedMg(record: Pick<SessionRecord, 'infusion'>, state: SessionState, atMs: number): number {
  const { infusion } = record;
  const start = state.treatmentStartedAtMs;
  if (infusion === null || start === null) return 0;
  const end = Math.min(atMs, state.treatmentEndedAtMs ?? atMs);
  if (end <= start) return 0;
  const changes = [...infusion.rateChanges].sort((a, b) => a.atMs - b.atMs);
  // Breakpoints: rate changes and pause edges within [start, end].
  const cuts = new Set<number>([start, end]);
  for (const c of changes) if (c.atMs > start && c.atMs < end) cuts.add(c.atMs);
  for (const p of state.pauses) {
    for (const t of [p.fromMs, p.toMs]) if (t !== null && t > start && t < end) cuts.add(t);
  }
  const times = [...cuts].sort((a, b) => a - b);
  let mg = 0;
  for (let i = 0; i + 1 < times.length; i += 1) {
    const from = times[i] as number;
    const to = times[i + 1] as number;
    const paused = state.pauses.some((p) => p.fromMs <= from && (p.toMs === null || p.toMs >= to));
    if (paused) continue;
    const rate = changes.filter((c) => c.atMs <= from).at(-1)?.rateMlPerH ?? infusion.rateMlPerH;
    mg += ((rate * infusion.concentrationMgPerMl) / 60) * ((to - from) / msPerMin);
  }
  return Math.min(round1(mg), infusion.totalMg);
}

export const overdueLevelSchema = z.enum(['low', 'medium']);
export type OverdueLevel = z.infer<typeof overdueLevelSchema>;

/**
 * What is overdue at `nowMs` and how urgently: an eyes-on check overdue by the protocol's 5 min is low, by 10 min
 * medium; a PRN reassessment past its due time is low. A score past its time is shown as due, with no alert.
 */
export function overdueItems(
  protocol: Pick<Protocol, 'kind' | 'record'>,
  due: readonly DueItem[],
  nowMs: number,
): { item: DueItem; overdueByMs: number; level: OverdueLevel }[] {
  const { rounding } = recordSettingsOf(protocol);
  const result: { item: DueItem; overdueByMs: number; level: OverdueLevel }[] = [];
  for (const item of due) {
    const overdueByMs = nowMs - item.dueAtMs;
    if (item.kind === 'rounding') {
      if (overdueByMs >= rounding.mediumAfterMin * msPerMin) result.push({ item, overdueByMs, level: 'medium' });
      else if (overdueByMs >= rounding.lowAfterMin * msPerMin) result.push({ item, overdueByMs, level: 'low' });
    } else if (item.kind === 'reassessment' && overdueByMs > 0) {
      result.push({ item, overdueByMs, level: 'low' });
    }
  }
  return result;
}
