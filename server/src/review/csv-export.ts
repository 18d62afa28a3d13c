import {
  type Reading,
  type SessionDetail,
  type VitalField,
  phaseAt,
  toClinicIso,
} from '@chairside/shared';

/*
 * The session log as CSV (`GET /api/v1/sessions/:id/export?format=csv`): one row per reading of the
 * session, rejected values included with their reason, times as ISO 8601 with the clinic's offset.
 * RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break in double
 * quotes, quotes doubled. Text that a spreadsheet would run as a formula gets a leading apostrophe.
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

export const csvHeaders: readonly string[] = columns.map((c) => c.header);

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

/** Every reading of the session as CSV text (header row first, CRLF line ends, a final CRLF). */
export function sessionReadingsCsv(session: SessionDetail, options: CsvExportOptions): string {
  const lines = [csvRow(csvHeaders)];
  for (const r of inTimeOrder(session.readings)) {
    lines.push(csvRow(columns.map((c) => c.value(r, session, options.timeZone))));
  }
  return `${options.byteOrderMark === true ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}
