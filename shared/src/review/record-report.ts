import type { SessionDetail, SessionEventView } from '../schemas/session';
import { type Protocol, recordSettingsOf } from '../session/protocol';
import type { SessionState } from '../session/session-state';
import { type RecordEventInput, type RecordEventType, isRecordEventType, recordEventSchemas } from '../session-record/record-events';
import {
  type RecordEntry,
  type SessionRecord,
  cumulativeInfusedMg,
  deriveSessionRecord,
  dosingStartMs,
  entryMomentMs,
  infusionPlan,
} from '../session-record/session-record';

/*
 * The session record beyond vitals as the review and its exports show it (docs/architecture.md "The session record"):
 * every record entry with its fields flattened to readable name/value pairs and its corrections marked (the CSV, the
 * FHIR provenance, the timeline), and the report's sections — administration with cumulative mg, scores, interventions,
 * adverse events, eyes-on checks, escort and readiness — drawn from the record derived from the same entries. Pure:
 * the session in, the rows out; "now" is an argument where a running session needs one.
 */

const msPerMin = 60_000;

/** One field of an entry: a key with its unit (`dose_mg`), a label, the value as posted and as a reader reads it. */
export interface RecordField {
  key: string;
  label: string;
  value: string | number | boolean;
  text: string;
}

/** One record entry as it was written: who, when it happened and when it was written down, its fields, its corrections. */
export interface RecordEntryView {
  seq: number;
  type: RecordEventType;
  label: string;
  /** The moment it happened (its `at`, or the corrected entry's moment for a correction without one), epoch ms. */
  atMs: number;
  /** When it was written down (server clock), epoch ms. */
  recordedAtMs: number;
  username: string;
  role: string;
  fields: RecordField[];
  note: string | null;
  /** The sequence number of the entry it corrects, as posted. */
  corrects: number | null;
  /** The later entry that corrects it (same type); null while it is in force. */
  correctedBy: number | null;
  /** The entry as posted (parsed). */
  entry: RecordEventInput;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
/** A number as a reader writes it: at most one decimal ("52.5", "35"). */
export const recordNumber = (n: number): string => String(round1(n));

export const routeLabels: Record<string, string> = {
  iv: 'IV',
  im: 'IM',
  intranasal: 'intranasal',
  oral: 'oral',
  odt: 'ODT (orally disintegrating)',
  sublingual: 'sublingual',
  subcutaneous: 'subcutaneous',
};
export const adverseEventKindLabels: Record<string, string> = {
  nausea: 'Nausea',
  vomiting: 'Vomiting',
  'emergence-reaction': 'Emergence reaction',
  headache: 'Headache',
  dizziness: 'Dizziness',
  other: 'Other',
};
export const roundingStatusLabels: Record<string, string> = {
  comfortable: 'comfortable',
  distressed: 'distressed',
  'asleep-rousable': 'asleep, rousable',
  other: 'other',
};
export const scoreScaleLabels: Record<'moaa-s' | 'cadss-6', string> = { 'moaa-s': 'MOAA/S', 'cadss-6': 'CADSS-6' };

const routeText = (route: string): string => routeLabels[route] ?? route;
const yesNo = (v: boolean): string => (v ? 'yes' : 'no');

/** What an entry was, in a reader's words ("Device 2 given", "MOAA/S recorded"). */
export function recordEntryLabel(entry: RecordEventInput): string {
  switch (entry.type) {
    case 'readiness-answered':
      return 'Readiness answered';
    case 'escort-recorded':
      return 'Escort recorded';
    case 'infusion-set':
      return 'Infusion set up';
    case 'infusion-rate-changed':
      return 'Infusion rate changed';
    case 'dose-given':
      return entry.device === undefined ? 'Dose given' : `Device ${entry.device} given`;
    case 'prn-given':
      return 'PRN given';
    case 'prn-reassessed':
      return 'PRN reassessed';
    case 'score-recorded':
      return `${scoreScaleLabels[entry.scale]} recorded`;
    case 'rounding-check':
      return 'Eyes-on check';
    case 'adverse-event':
      return 'Adverse event';
    case 'escort-handoff':
      return 'Escort hand-off';
  }
}

/** An entry's fields, flattened: readiness answers by their protocol label, derived totals beside what was posted. */
export function recordEntryFields(entry: RecordEventInput, protocol: Pick<Protocol, 'kind' | 'record'>): RecordField[] {
  const f = (key: string, label: string, value: string | number | boolean, text?: string): RecordField => ({
    key,
    label,
    value,
    text: text ?? (typeof value === 'boolean' ? yesNo(value) : typeof value === 'number' ? recordNumber(value) : value),
  });
  switch (entry.type) {
    case 'readiness-answered': {
      const items = recordSettingsOf(protocol).readiness;
      return Object.entries(entry.answers).map(([id, answer]) => f(`answer.${id}`, items.find((i) => i.id === id)?.label ?? id, answer));
    }
    case 'escort-recorded':
      return [f('name', 'Name', entry.name), f('phone', 'Phone', entry.phone)];
    case 'infusion-set': {
      const plan = infusionPlan(entry);
      return [
        f('drug', 'Drug', entry.drug),
        f('weight_kg', 'Weight', entry.weightKg, `${recordNumber(entry.weightKg)} kg`),
        f('dose_mg_per_kg', 'Dose', entry.doseMgPerKg, `${recordNumber(entry.doseMgPerKg)} mg/kg`),
        f('total_mg', 'Total', plan.totalMg, `${recordNumber(plan.totalMg)} mg`),
        f('concentration_mg_per_ml', 'Concentration', entry.concentrationMgPerMl, `${recordNumber(entry.concentrationMgPerMl)} mg/mL`),
        f('rate_ml_per_h', 'Rate', entry.rateMlPerH, `${recordNumber(entry.rateMlPerH)} mL/h`),
        f('planned_min', 'Planned', plan.plannedMin, `${recordNumber(plan.plannedMin)} min`),
      ];
    }
    case 'infusion-rate-changed':
      return [f('rate_ml_per_h', 'Rate', entry.rateMlPerH, `${recordNumber(entry.rateMlPerH)} mL/h`), f('reason', 'Reason', entry.reason)];
    case 'dose-given':
      return [
        f('drug', 'Drug', entry.drug),
        f('dose_mg', 'Dose', entry.doseMg, `${recordNumber(entry.doseMg)} mg`),
        f('route', 'Route', entry.route, routeText(entry.route)),
        ...(entry.device === undefined ? [] : [f('device', 'Device', entry.device)]),
        ...(entry.lot === undefined ? [] : [f('lot', 'Lot', entry.lot)]),
        ...(entry.override === undefined ? [] : [f('override_reason', 'Override reason', entry.override.reason)]),
      ];
    case 'prn-given':
      return [
        f('drug', 'Drug', entry.drug),
        f('dose_mg', 'Dose', entry.doseMg, `${recordNumber(entry.doseMg)} mg`),
        f('route', 'Route', entry.route, routeText(entry.route)),
        f('indication', 'Indication', entry.indication),
        ...(entry.reassessInMin === undefined ? [] : [f('reassess_in_min', 'Reassess in', entry.reassessInMin, `${entry.reassessInMin} min`)]),
      ];
    case 'prn-reassessed':
      return [f('prn_seq', 'PRN entry', entry.prnSeq, `#${entry.prnSeq}`), f('response', 'Response', entry.response)];
    case 'score-recorded':
      return entry.scale === 'moaa-s'
        ? [f('scale', 'Scale', 'MOAA/S'), f('value', 'MOAA/S', entry.value)]
        : [
            f('scale', 'Scale', 'CADSS-6'),
            f('items', 'Items', entry.items.join(' '), entry.items.join(', ')),
            f('total', 'CADSS-6 total', entry.items.reduce((s, v) => s + v, 0), `${entry.items.reduce((s, v) => s + v, 0)} of 24`),
          ];
    case 'rounding-check':
      return [f('status', 'Status', entry.status, roundingStatusLabels[entry.status] ?? entry.status)];
    case 'adverse-event':
      return [
        f('kind', 'Kind', entry.kind, adverseEventKindLabels[entry.kind] ?? entry.kind),
        f('severity', 'Severity', entry.severity),
        f('serious', 'Serious', entry.serious),
      ];
    case 'escort-handoff':
      return [f('collected_by', 'Collected by', entry.collectedBy)];
  }
}

/** The payload as posted: without what the server added (`occurredAtMs`). */
function bodyOf(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object') return payload;
  const { occurredAtMs: _added, ...body } = payload as Record<string, unknown>;
  return body;
}

/** A session's stored events as the record's derivations read them (record entries only). */
export function recordEntriesOf(events: readonly SessionEventView[]): RecordEntry[] {
  return events
    .filter((e) => isRecordEventType(e.type))
    .map((e) => ({ seq: e.seq, type: e.type, atMs: Date.parse(e.at), username: e.username, payload: e.payload }));
}

/**
 * Every record entry of the session, oldest written first, corrections and the entries they correct included (each
 * marked). An entry whose stored body no longer parses is left out, as the derivations leave it out.
 */
export function recordEntryViews(session: Pick<SessionDetail, 'events' | 'protocol'>): RecordEntryView[] {
  const views: RecordEntryView[] = [];
  const bySeq = new Map<number, RecordEntryView>();
  for (const e of [...session.events].sort((a, b) => a.seq - b.seq)) {
    if (!isRecordEventType(e.type)) continue;
    const parsed = recordEventSchemas[e.type].safeParse(bodyOf(e.payload));
    if (!parsed.success) continue;
    const entry = parsed.data as RecordEventInput;
    const recordedAtMs = Date.parse(e.at);
    const target = entry.corrects === undefined ? undefined : bySeq.get(entry.corrects);
    const hasOwnMoment = entry.at !== undefined || typeof e.payload['occurredAtMs'] === 'number';
    const atMs = target !== undefined && !hasOwnMoment ? target.atMs : entryMomentMs({ atMs: recordedAtMs, payload: e.payload });
    const view: RecordEntryView = {
      seq: e.seq,
      type: e.type,
      label: recordEntryLabel(entry),
      atMs,
      recordedAtMs,
      username: e.username,
      role: e.role,
      fields: recordEntryFields(entry, session.protocol),
      note: entry.note ?? null,
      corrects: entry.corrects ?? null,
      correctedBy: null,
      entry,
    };
    if (target !== undefined && target.type === view.type) target.correctedBy = e.seq;
    bySeq.set(e.seq, view);
    views.push(view);
  }
  return views;
}

/** `key=value; …`: an entry's fields, its note and its correction on one line (the CSV's details). */
export function recordFieldsLine(view: Pick<RecordEntryView, 'fields' | 'note'>): string {
  const parts = view.fields.map((f) => `${f.key}=${typeof f.value === 'boolean' ? yesNo(f.value) : String(f.value)}`);
  if (view.note !== null) parts.push(`note=${view.note}`);
  return parts.join('; ');
}

/**
 * An entry's fields as a reader reads them (the timeline's details): one line of `Label: text` pairs (the scale left
 * out, which the entry's label names), then its note and its correction each on a line.
 */
export function recordFieldLines(view: Pick<RecordEntryView, 'fields' | 'note' | 'corrects' | 'correctedBy'>): string[] {
  const pairs = view.fields.filter((f) => f.key !== 'scale').map((f) => `${f.label}: ${f.text}`);
  const lines = pairs.length === 0 ? [] : [pairs.join(' · ')];
  if (view.note !== null) lines.push(`Note: ${view.note}`);
  if (view.corrects !== null) lines.push(`Corrects entry #${view.corrects}`);
  if (view.correctedBy !== null) lines.push(`Corrected by entry #${view.correctedBy}`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The report's sections.

export interface AdministrationRow {
  /** Stable within the report: `set:12`, `start`, `rate:15`, `pause:4`, `dose:20`, … */
  key: string;
  atMs: number;
  /** What happened: "Infusion started", "Rate changed", "Device 2", "Dose". */
  what: string;
  drug: string;
  /** "0.5 mg/kg × 70 kg = 35 mg", "28 mg". */
  dose: string | null;
  /** "52.5 mL/h (0.75 mg/kg/h)". */
  rate: string | null;
  route: string;
  /** "Device 2 · lot AB123". */
  lotDevice: string | null;
  username: string;
  /** Milligrams given by this moment: infused (IV) plus doses. */
  cumulativeMg: number;
  /** A reason, an override, a correction. */
  note: string | null;
}

export interface ScoreRow {
  seq: number;
  atMs: number;
  scale: 'moaa-s' | 'cadss-6';
  /** MOAA/S 0–5, or the CADSS-6 total 0–24. */
  value: number;
  items: number[] | null;
  /** Minutes since dosing began (negative before), null before it. */
  minFromDosing: number | null;
  username: string;
  corrected: boolean;
}

export interface InterventionRow {
  seq: number;
  atMs: number;
  drug: string;
  doseMg: number;
  route: string;
  indication: string;
  username: string;
  reassessDueAtMs: number;
  reassessment: { atMs: number; response: string; username: string; late: boolean } | null;
}

export interface AdverseEventRow {
  seq: number;
  atMs: number;
  kind: string;
  severity: string;
  serious: boolean;
  note: string | null;
  username: string;
}

export interface RoundingSummary {
  count: number;
  intervalMin: number;
  /** How many checks found each status. */
  byStatus: { status: string; count: number }[];
  /** The longest time without a check from the start of treatment to the end of the session (or now). */
  longestGap: { fromMs: number; toMs: number; ms: number } | null;
  /** Gaps longer than the interval plus the protocol's "overdue" margin. */
  overdueGaps: number;
  checks: { seq: number; atMs: number; status: string; username: string }[];
}

export interface RecordReport {
  record: SessionRecord;
  kind: Protocol['kind'];
  entries: RecordEntryView[];
  administration: AdministrationRow[];
  /** Total milligrams given (infused by the end, or by now, plus doses). */
  totalMg: number;
  scores: ScoreRow[];
  interventions: InterventionRow[];
  adverseEvents: AdverseEventRow[];
  rounding: RoundingSummary;
  escort: { name: string; phone: string; atMs: number; username: string } | null;
  handoff: { collectedBy: string; atMs: number; username: string } | null;
  readiness: SessionRecord['readiness'];
  /** Whether the session has any record entry at all. */
  hasEntries: boolean;
}

/** The record derived from the session's own events (the same derivation as the live summary). */
export function sessionRecordOf(session: Pick<SessionDetail, 'events' | 'protocol' | 'state'>): SessionRecord {
  return deriveSessionRecord({ protocol: session.protocol, state: session.state, entries: recordEntriesOf(session.events) });
}

function sessionEndMs(state: SessionState): number | null {
  return state.dischargedAtMs ?? state.cancelledAtMs;
}

/** The report's record sections of `session`; `asOfMs` ends the open gap of a running session. */
export function recordReport(session: Pick<SessionDetail, 'events' | 'protocol' | 'state'>, asOfMs: number): RecordReport {
  const { state, protocol } = session;
  const settings = recordSettingsOf(protocol);
  const record = sessionRecordOf(session);
  const entries = recordEntryViews(session);
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const who = (seq: number): string => bySeq.get(seq)?.username ?? '';
  const correctionNote = (seq: number): string | null => {
    const c = bySeq.get(seq)?.corrects ?? null;
    return c === null ? null : `corrects entry #${c}`;
  };
  const joinNotes = (...notes: (string | null)[]): string | null => {
    const kept = notes.filter((n): n is string => n !== null && n !== '');
    return kept.length === 0 ? null : kept.join('; ');
  };

  const doses = [...record.doses].sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  const dosedBy = (atMs: number, seq: number | null): number =>
    doses.filter((d) => d.atMs < atMs || (d.atMs === atMs && seq !== null && d.seq <= seq)).reduce((s, d) => s + d.doseMg, 0);
  const cumulative = (atMs: number, seq: number | null = null): number => round1(cumulativeInfusedMg(record, state, atMs) + dosedBy(atMs, seq));

  const rows: AdministrationRow[] = [];
  const { infusion } = record;
  if (infusion !== null) {
    const perKgPerH = (rate: number): string => `${recordNumber(rate)} mL/h (${String(Math.round(((rate * infusion.concentrationMgPerMl) / infusion.weightKg) * 100) / 100)} mg/kg/h)`;
    const set = bySeq.get(infusion.seq);
    const setAt = set?.atMs ?? state.checkedInAtMs;
    rows.push({
      key: `set:${infusion.seq}`,
      atMs: setAt,
      what: 'Infusion set up',
      drug: infusion.drug,
      dose: `${recordNumber(infusion.doseMgPerKg)} mg/kg × ${recordNumber(infusion.weightKg)} kg = ${recordNumber(infusion.totalMg)} mg`,
      rate: `${perKgPerH(infusion.rateMlPerH)}, ${recordNumber(infusion.concentrationMgPerMl)} mg/mL, planned ${recordNumber(infusion.plannedMin)} min`,
      route: routeText('iv'),
      lotDevice: null,
      username: who(infusion.seq),
      cumulativeMg: cumulative(setAt),
      note: joinNotes(set?.note ?? null, correctionNote(infusion.seq)),
    });
    const phaseEvent = (type: string, atMs: number | null): SessionEventView | undefined =>
      session.events.find((e) => e.type === type && (atMs === null || Math.abs(Date.parse(e.at) - atMs) < msPerMin));
    if (state.treatmentStartedAtMs !== null) {
      const at = state.treatmentStartedAtMs;
      // The rate in force at the start: the set-up's, unless a change was recorded at or before it.
      const rate = infusion.rateChanges.filter((c) => c.atMs <= at).at(-1)?.rateMlPerH ?? infusion.rateMlPerH;
      rows.push({
        key: 'start',
        atMs: at,
        what: 'Infusion started',
        drug: infusion.drug,
        dose: null,
        rate: perKgPerH(rate),
        route: routeText('iv'),
        lotDevice: null,
        username: phaseEvent('treatment-started', null)?.username ?? '',
        cumulativeMg: cumulative(at),
        note: null,
      });
    }
    for (const c of infusion.rateChanges) {
      rows.push({
        key: `rate:${c.seq}`,
        atMs: c.atMs,
        what: 'Rate changed',
        drug: infusion.drug,
        dose: null,
        rate: perKgPerH(c.rateMlPerH),
        route: routeText('iv'),
        lotDevice: null,
        username: who(c.seq),
        cumulativeMg: cumulative(c.atMs),
        note: joinNotes(c.reason, correctionNote(c.seq)),
      });
    }
    for (const e of session.events) {
      if (e.type !== 'treatment-paused' && e.type !== 'treatment-resumed') continue;
      const at = Date.parse(e.at);
      const reason = typeof e.payload['reason'] === 'string' ? e.payload['reason'] : null;
      rows.push({
        key: `${e.type === 'treatment-paused' ? 'pause' : 'resume'}:${e.seq}`,
        atMs: at,
        what: e.type === 'treatment-paused' ? 'Infusion paused' : 'Infusion resumed',
        drug: infusion.drug,
        dose: null,
        rate: e.type === 'treatment-paused' ? '0 mL/h' : null,
        route: routeText('iv'),
        lotDevice: null,
        username: e.username,
        cumulativeMg: cumulative(at),
        note: reason,
      });
    }
    if (state.treatmentEndedAtMs !== null) {
      const at = state.treatmentEndedAtMs;
      rows.push({
        key: 'end',
        atMs: at,
        what: 'Infusion ended',
        drug: infusion.drug,
        dose: null,
        rate: null,
        route: routeText('iv'),
        lotDevice: null,
        username: phaseEvent('treatment-ended', null)?.username ?? '',
        cumulativeMg: cumulative(at),
        note: null,
      });
    }
  }
  for (const d of doses) {
    const lotDevice = [d.device === null ? null : `Device ${d.device}`, d.lot === null ? null : `lot ${d.lot}`].filter((x) => x !== null).join(' · ');
    rows.push({
      key: `dose:${d.seq}`,
      atMs: d.atMs,
      what: d.device === null ? 'Dose' : `Device ${d.device}`,
      drug: d.drug,
      dose: `${recordNumber(d.doseMg)} mg`,
      rate: null,
      route: routeText(d.route),
      lotDevice: lotDevice === '' ? null : lotDevice,
      username: who(d.seq),
      cumulativeMg: cumulative(d.atMs, d.seq),
      note: joinNotes(d.overrideReason === null ? null : `override: ${d.overrideReason}`, bySeq.get(d.seq)?.note ?? null, correctionNote(d.seq)),
    });
  }
  const order = (key: string): number => (key.startsWith('set:') ? 0 : key === 'start' ? 1 : key === 'end' ? 3 : 2);
  rows.sort((a, b) => a.atMs - b.atMs || order(a.key) - order(b.key));

  const end = sessionEndMs(state);
  const totalMg = cumulative(end ?? Math.max(asOfMs, state.treatmentEndedAtMs ?? 0), Number.MAX_SAFE_INTEGER);

  const dosingAt = dosingStartMs(record, state);
  const scores: ScoreRow[] = record.scores.map((s) => ({
    seq: s.seq,
    atMs: s.atMs,
    scale: s.scale,
    value: s.value,
    items: s.items,
    minFromDosing: dosingAt === null ? null : Math.round((s.atMs - dosingAt) / msPerMin),
    username: s.username,
    corrected: bySeq.get(s.seq)?.corrects !== null && bySeq.get(s.seq)?.corrects !== undefined,
  }));

  const interventions: InterventionRow[] = record.prns.map((p) => ({
    seq: p.seq,
    atMs: p.atMs,
    drug: p.drug,
    doseMg: p.doseMg,
    route: routeText(p.route),
    indication: p.indication,
    username: who(p.seq),
    reassessDueAtMs: p.reassessDueAtMs,
    reassessment:
      p.reassessment === null
        ? null
        : { atMs: p.reassessment.atMs, response: p.reassessment.response, username: who(p.reassessment.seq), late: p.reassessment.atMs > p.reassessDueAtMs },
  }));

  const adverseEvents: AdverseEventRow[] = record.adverseEvents.map((a) => ({
    seq: a.seq,
    atMs: a.atMs,
    kind: adverseEventKindLabels[a.kind] ?? a.kind,
    severity: a.severity,
    serious: a.serious,
    note: a.note,
    username: who(a.seq),
  }));

  const checks = record.roundingChecks;
  const byStatus = new Map<string, number>();
  for (const c of checks) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
  let longestGap: RoundingSummary['longestGap'] = null;
  let overdueGaps = 0;
  const start = state.treatmentStartedAtMs;
  if (start !== null) {
    const stop = end ?? asOfMs;
    const marks = [start, ...checks.map((c) => c.atMs).filter((t) => t > start && t < stop), stop].sort((a, b) => a - b);
    const overdueMs = (settings.rounding.intervalMin + settings.rounding.lowAfterMin) * msPerMin;
    for (let i = 0; i + 1 < marks.length; i += 1) {
      const fromMs = marks[i] as number;
      const toMs = marks[i + 1] as number;
      const ms = toMs - fromMs;
      if (longestGap === null || ms > longestGap.ms) longestGap = { fromMs, toMs, ms };
      if (ms >= overdueMs) overdueGaps += 1;
    }
  }

  return {
    record,
    kind: protocol.kind,
    entries,
    administration: rows,
    totalMg,
    scores,
    interventions,
    adverseEvents,
    rounding: {
      count: checks.length,
      intervalMin: settings.rounding.intervalMin,
      byStatus: [...byStatus.entries()].map(([status, count]) => ({ status: roundingStatusLabels[status] ?? status, count })),
      longestGap,
      overdueGaps,
      checks,
    },
    escort: record.escort === null ? null : { name: record.escort.name, phone: record.escort.phone, atMs: record.escort.atMs, username: who(record.escort.seq) },
    handoff: record.handoff === null ? null : { collectedBy: record.handoff.collectedBy, atMs: record.handoff.atMs, username: who(record.handoff.seq) },
    readiness: record.readiness,
    hasEntries: entries.length > 0,
  };
}

/**
 * A session event's label and detail lines when it is a record entry ("Device 2 given"; "Dose: 28 mg", "Lot: AB12",
 * "Corrects entry #14"); null for other events or a body that does not parse.
 */
export function recordEventText(
  event: Pick<SessionEventView, 'type' | 'payload'>,
  protocol: Pick<Protocol, 'kind' | 'record'>,
): { label: string; lines: string[] } | null {
  if (!isRecordEventType(event.type)) return null;
  const parsed = recordEventSchemas[event.type].safeParse(bodyOf(event.payload));
  if (!parsed.success) return null;
  const entry = parsed.data as RecordEventInput;
  return {
    label: recordEntryLabel(entry),
    lines: recordFieldLines({ fields: recordEntryFields(entry, protocol), note: entry.note ?? null, corrects: entry.corrects ?? null, correctedBy: null }),
  };
}
