import type { Reading } from '@chairside/shared';
import type { NewReading, TrendRow } from './store';

// The ISO text of the last time converted: every reading of a request shares its receivedAt, and
// readings of one batch often share their measuredAt; toISOString is a visible cost at 10,000/s.
let lastMeasured = { ms: Number.NaN, iso: '' };
let lastReceived = { ms: Number.NaN, iso: '' };

/**
 * The reading a store answers after writing `r` under sequence number `seq`: exactly what reading
 * the row back would give (times to the millisecond, as stored), built without that read-back.
 * Both stores use it for the readings they just inserted; retries are read from the table.
 */
export function storedReading(r: NewReading, seq: number, measuredAtMs: number): Reading {
  if (measuredAtMs !== lastMeasured.ms) lastMeasured = { ms: measuredAtMs, iso: new Date(measuredAtMs).toISOString() };
  if (r.receivedAt !== lastReceived.ms) lastReceived = { ms: r.receivedAt, iso: new Date(r.receivedAt).toISOString() };
  return {
    seq,
    id: r.id,
    chairId: r.chairId,
    sessionId: r.sessionId,
    measuredAt: lastMeasured.iso,
    receivedAt: lastReceived.iso,
    source: r.source,
    systolic: r.systolic,
    diastolic: r.diastolic,
    mean: r.mean,
    heartRate: r.heartRate,
    spo2: r.spo2,
    respRate: r.respRate,
    rejected: r.rejected,
    flags: r.flags,
    enteredBy: r.enteredBy,
    supersedes: r.supersedes ?? null,
  };
}

/** What one request's readings came to; any conflicting id makes the store roll the request back. */
export interface BatchOutcome {
  results: { reading: Reading; created: boolean }[];
  conflictingIds: string[];
}

/** A stored reading with the hash of the reading as sent. */
export interface StoredEntry {
  reading: Reading;
  payloadHash: string;
}

/**
 * One answer per reading of `batch`, in its order, from what the insert stored (`inserted`: the first
 * occurrence of each new id) and the rows found for the ids it did not insert (`existing`). The first
 * occurrence of an inserted id is new; a repeat of an id (a retry, or the same id twice in one
 * request) is answered with the stored reading when its content hashes the same, else it conflicts.
 */
export function answerBatch(batch: readonly NewReading[], inserted: ReadonlyMap<string, StoredEntry>, existing: ReadonlyMap<string, StoredEntry>): BatchOutcome {
  const results: { reading: Reading; created: boolean }[] = [];
  const conflictingIds: string[] = [];
  const answered = new Set<string>();
  for (const r of batch) {
    const mine = inserted.get(r.id);
    const created = mine !== undefined && !answered.has(r.id);
    answered.add(r.id);
    const stored = mine ?? existing.get(r.id);
    if (stored === undefined) throw new Error(`reading ${r.id} was neither stored nor found`);
    if (created) results.push({ reading: stored.reading, created: true });
    else if (stored.payloadHash !== r.payloadHash) conflictingIds.push(r.id);
    else results.push({ reading: stored.reading, created: false });
  }
  return { results, conflictingIds };
}

/** The columns listChairTrendRows selects, in the order toTrendRow reads them. */
export const trendRowColumns = 'seq, measured_at, systolic, diastolic, mean, heart_rate, spo2, resp_rate';

function numberAt(row: readonly unknown[], i: number): number {
  const value = row[i];
  if (typeof value !== 'number') throw new Error(`readings row: column ${i} of the trend holds ${typeof value}, not a number`);
  return value;
}

function valueAt(row: readonly unknown[], i: number): number | null {
  return row[i] === null ? null : numberAt(row, i);
}

/**
 * One row of trendRowColumns, read as an array (better-sqlite3's raw mode, pg's rowMode 'array'),
 * as a TrendRow. Checked by hand rather than by a schema, and no object per row from the driver: a
 * trend folds tens of thousands of rows per request, which this reads in half the time.
 */
export function toTrendRow(row: unknown): TrendRow {
  if (!Array.isArray(row) || row.length !== 8) throw new Error('a readings row of the trend that is not its 8 columns');
  return {
    seq: numberAt(row, 0),
    t: numberAt(row, 1),
    reading: {
      systolic: valueAt(row, 2),
      diastolic: valueAt(row, 3),
      mean: valueAt(row, 4),
      heartRate: valueAt(row, 5),
      spo2: valueAt(row, 6),
      respRate: valueAt(row, 7),
    },
  };
}
