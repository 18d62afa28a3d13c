import {
  type Reading,
  type RecordEntryView,
  type SessionDetail,
  type VitalField,
  phaseAt,
  recordEntryViews,
  recordFieldsLine,
  toClinicIso,
} from '@chairside/shared';

/*
 * The session log as CSV (`GET /api/v1/sessions/:id/export?format=csv`): one row per reading of the
 * session, rejected values included with their reason, times as ISO 8601 with the clinic's offset.
 * RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break in double
 * quotes, quotes doubled. Text that a spreadsheet would run as a formula gets a leading apostrophe.
 *
 * The session record beyond vitals (docs/architecture.md "The session record") shares the table: one row per record
 * entry — doses, rate changes, scores, eyes-on checks, PRNs, adverse events, readiness, escort — in time order among
 * the readings, its columns added at the end (`record_type`, `record_seq`, `record_entry`, `record_details`,
 * `corrects_seq`, `corrected_by_seq`) so the reading columns stay as they were. A record row fills `session_id`,
 * `measured_at` (when it happened), `received_at` (when it was written down), `phase` and `entered_by`, and leaves the
 * reading columns empty; a reading row leaves the record columns empty. Every entry is there, corrected ones too: the
 * correction names the entry it corrects (`corrects_seq`) and that entry names it back (`corrected_by_seq`).
 */

export const csvContentType = 'text/csv; charset=utf-8; header=present';

export interface CsvExportOptions {
  /** IANA time zone of the clinic (`config.clinicTimeZone`). */
  timeZone: string;
  /** Start with a UTF-8 byte order mark, which Excel needs to read non-ASCII text. */
  byteOrderMark?: boolean;
}

type Cell = string | number | null;

interface Column {
  header: string;
  value: (r: Reading, session: SessionDetail, timeZone: string) => Cell;
}

interface RecordColumn {
  header: string;
  value: (e: RecordEntryView) => Cell;
}

const vital = (field: VitalField) => (r: Reading): Cell => r[field];

/** The columns, units in the header names. */
const columns: readonly Column[] = [
  { header: 'session_id', value: (_r, s) => s.id },
  { header: 'seq', value: (r) => r.seq },
  { header: 'reading_id', value: (r) => r.id },
  { header: 'measured_at', value: (r, _s, tz) => isoOrRaw(r.measuredAt, tz) },
  { header: 'received_at', value: (r, _s, tz) => isoOrRaw(r.receivedAt, tz) },
  { header: 'phase', value: (r, s) => readingPhase(r, s) },
  { header: 'source', value: (r) => r.source },
  { header: 'entered_by', value: (r) => r.enteredBy },
  { header: 'systolic_mmHg', value: vital('systolic') },
  { header: 'diastolic_mmHg', value: vital('diastolic') },
  { header: 'mean_mmHg', value: vital('mean') },
  { header: 'heart_rate_per_min', value: vital('heartRate') },
  { header: 'spo2_percent', value: vital('spo2') },
  { header: 'resp_rate_per_min', value: vital('respRate') },
  { header: 'flags', value: (r) => r.flags.join(';') },
  { header: 'rejected', value: (r) => r.rejected.map((x) => `${x.field}=${x.value} (${x.reason})`).join('; ') },
  { header: 'rejected_reason', value: (r) => r.rejected.map((x) => `${x.field}: ${x.message}`).join('; ') },
];

/** The record entries' own columns, after the readings'. */
const recordColumns: readonly RecordColumn[] = [
  { header: 'record_type', value: (e) => e.type },
  { header: 'record_seq', value: (e) => e.seq },
  { header: 'record_entry', value: (e) => e.label },
  { header: 'record_details', value: (e) => recordFieldsLine(e) },
  { header: 'corrects_seq', value: (e) => e.corrects },
  { header: 'corrected_by_seq', value: (e) => e.correctedBy },
];

/** The reading columns a record row fills. */
const recordRowReadingCells: Partial<Record<string, (e: RecordEntryView, session: SessionDetail, timeZone: string) => Cell>> = {
  session_id: (_e, s) => s.id,
  measured_at: (e, _s, tz) => toClinicIso(e.atMs, tz),
  received_at: (e, _s, tz) => toClinicIso(e.recordedAtMs, tz),
  phase: (e, s) => phaseAt(s.state, e.atMs),
  entered_by: (e) => e.username,
};

export const csvHeaders: readonly string[] = [...columns.map((c) => c.header), ...recordColumns.map((c) => c.header)];

function isoOrRaw(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : toClinicIso(ms, timeZone);
}

function readingPhase(r: Reading, session: SessionDetail): string {
  const ms = Date.parse(r.measuredAt);
  return Number.isNaN(ms) ? '' : phaseAt(session.state, ms);
}

/** A number as text, or a text that is exactly a number ("-12.5"): a spreadsheet reads it as a number. */
const plainNumber = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * One CSV field. Numbers are written as numbers (a negative one stays a number). Text starting with
 * = + - @ (or a tab or carriage return, which some spreadsheets skip before a formula) gets a
 * leading apostrophe so that it is shown, never run (CSV/formula injection, OWASP).
 */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) && !plainNumber.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',');
}

/** Readings oldest first by measurement time, then by server order. */
function inTimeOrder(readings: readonly Reading[]): Reading[] {
  const time = (r: Reading): number => {
    const ms = Date.parse(r.measuredAt);
    return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
  };
  return [...readings].sort((a, b) => time(a) - time(b) || a.seq - b.seq);
}

function readingRow(r: Reading, session: SessionDetail, timeZone: string): Cell[] {
  return [...columns.map((c) => c.value(r, session, timeZone)), ...recordColumns.map(() => null)];
}

function recordRow(e: RecordEntryView, session: SessionDetail, timeZone: string): Cell[] {
  return [...columns.map((c) => recordRowReadingCells[c.header]?.(e, session, timeZone) ?? null), ...recordColumns.map((c) => c.value(e))];
}

/**
 * Every reading and record entry of the session as CSV text (header row first, CRLF line ends, a final CRLF), in
 * time order: a reading by when it was measured, an entry by when it happened; at the same moment readings first.
 */
export function sessionReadingsCsv(session: SessionDetail, options: CsvExportOptions): string {
  const { timeZone } = options;
  const lines = [csvRow(csvHeaders)];
  const readings = inTimeOrder(session.readings);
  const entries = recordEntryViews(session).sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  let next = 0;
  for (const r of readings) {
    const ms = Date.parse(r.measuredAt);
    while (next < entries.length && !Number.isNaN(ms) && (entries[next] as RecordEntryView).atMs < ms) {
      lines.push(csvRow(recordRow(entries[next] as RecordEntryView, session, timeZone)));
      next += 1;
    }
    lines.push(csvRow(readingRow(r, session, timeZone)));
  }
  for (const e of entries.slice(next)) lines.push(csvRow(recordRow(e, session, timeZone)));
  return `${options.byteOrderMark === true ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}
