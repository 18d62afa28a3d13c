import type { Reading } from '@chairside/shared';
import { z } from 'zod';
import type { NewReading, ReadingBatchResult } from '../records';
import { readingFromRow, readingInsertColumns, readingRowSchema, readingValues, toReading } from '../rows';
import { newestCandidates, ReadingsSql } from '../sql/readings';
import { answerBatch, type StoredEntry, storedReading } from '../stored-reading';
import { lockClass, type PgPool, type PgRunner, postgresDialect, readingsLock } from './runner';

/** A multi-row INSERT of this many readings (17 parameters each) stays far below the 65,535 limit. */
const readingsPerInsert = 1000;

const valuesLists = new Map<string, string>();

/** `($1, $2, …), ($18, …)`: placeholders for a multi-row VALUES list (built once per shape). */
function valuesList(rows: number, columns: number): string {
  const key = `${rows}x${columns}`;
  let list = valuesLists.get(key);
  if (list === undefined) {
    list = Array.from({ length: rows }, (_, row) =>
      `(${Array.from({ length: columns }, (_, column) => `$${row * columns + column + 1}`).join(', ')})`,
    ).join(', ');
    if (valuesLists.size < 100) valuesLists.set(key, list);
  }
  return list;
}

const insertedRowSchema = z.object({ seq: z.number(), id: z.string() });

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A request of a group commit conflicted: the group is rolled back and written request by request. */
class GroupConflict extends Error {
  constructor() {
    super('a request of the group conflicts');
  }
}

export class PostgresReadings extends ReadingsSql {
  constructor(private readonly pg: PgPool) {
    super(pg.db, postgresDialect);
  }

  async insertReadingBatches(batches: NewReading[][]): Promise<ReadingBatchResult[]> {
    // The transaction is the group commit. Every request's readings go in together, a few round
    // trips whatever the number of requests (node-pg does not pipeline: one round trip per request
    // would cap a loaded server near a few hundred commits a second). Should a request conflict,
    // which a correct device never causes, the group is written again request by request.
    try {
      return await this.pg.transaction(async (db) => {
        await db.query('SELECT pg_advisory_xact_lock($1, $2)', [lockClass, readingsLock]);
        const results = await this.insertGroup(db, batches);
        if (results.some((result) => !result.ok)) throw new GroupConflict();
        return results;
      });
    } catch (error) {
      if (!(error instanceof GroupConflict)) throw error;
    }
    return this.insertBatchByBatch(batches);
  }

  /**
   * Every batch's readings in one multi-row INSERT, and each batch's answer: stored, answered as
   * retries, or refused whole when an id is taken by other content (then the caller rolls back, as
   * the conflicting batch's other readings went in). A new row is answered from what was written and
   * the seq it got (no RETURNING *). A reading's id sent twice is inserted for the first request that
   * sent it and is a retry for the later ones, as when each request is written in turn.
   */
  private async insertGroup(db: PgRunner, batches: NewReading[][]): Promise<ReadingBatchResult[]> {
    const owner = new Map<string, { reading: NewReading; batch: number }>();
    batches.forEach((batch, index) => {
      for (const r of batch) if (!owner.has(r.id)) owner.set(r.id, { reading: r, batch: index });
    });
    const inserted = new Map<string, StoredEntry>();
    for (const part of chunks([...owner.values()].map((o) => o.reading), readingsPerInsert)) {
      const { rows } = await db.query(
        `INSERT INTO readings (${readingInsertColumns.join(', ')}) VALUES ${valuesList(part.length, readingInsertColumns.length)}
         ON CONFLICT (id) DO NOTHING RETURNING seq, id`,
        part.flatMap((r) => readingValues(r, Date.parse(r.measuredAt))),
      );
      for (const row of rows) {
        const { seq, id } = insertedRowSchema.parse(row);
        const r = owner.get(id)?.reading;
        if (r === undefined) throw new Error(`the store inserted reading ${id}, which was not sent`);
        inserted.set(id, { reading: storedReading(r, seq, Date.parse(r.measuredAt)), payloadHash: r.payloadHash });
      }
    }
    // Ids not inserted were stored before (retries, or clashes): one query for all of them.
    const existing = await this.storedEntries(db, [...owner.keys()].filter((id) => !inserted.has(id)));
    return batches.map((batch, index) => {
      const mine = new Map<string, StoredEntry>();
      const before = new Map(existing);
      for (const r of batch) {
        const entry = inserted.get(r.id);
        if (entry === undefined) continue;
        if (owner.get(r.id)?.batch === index) mine.set(r.id, entry);
        else before.set(r.id, entry);
      }
      const { results, conflictingIds } = answerBatch(batch, mine, before);
      return conflictingIds.length > 0 ? { ok: false, conflictingIds } : { ok: true, results };
    });
  }

  /** Stored readings by id, with the hash of what was sent. */
  private async storedEntries(db: PgRunner, ids: string[]): Promise<Map<string, StoredEntry>> {
    const entries = new Map<string, StoredEntry>();
    if (ids.length === 0) return entries;
    const { rows } = await db.query('SELECT * FROM readings WHERE id = ANY($1::text[])', [ids]);
    for (const row of rows) {
      const r = readingRowSchema.parse(row);
      entries.set(r.id, { reading: readingFromRow(r), payloadHash: r.payload_hash });
    }
    return entries;
  }

  /** Each batch in a savepoint of the group's transaction, rolled back alone on a conflict. */
  private async insertBatchByBatch(batches: NewReading[][]): Promise<ReadingBatchResult[]> {
    return this.pg.transaction(async (db): Promise<ReadingBatchResult[]> => {
      await db.query('SELECT pg_advisory_xact_lock($1, $2)', [lockClass, readingsLock]);
      const results: ReadingBatchResult[] = [];
      for (const batch of batches) {
        await db.query('SAVEPOINT reading_batch');
        const [result] = await this.insertGroup(db, [batch]);
        if (result === undefined) throw new Error('a batch written alone got no answer');
        await db.query(result.ok ? 'RELEASE SAVEPOINT reading_batch' : 'ROLLBACK TO SAVEPOINT reading_batch; RELEASE SAVEPOINT reading_batch');
        results.push(result);
      }
      return results;
    });
  }

  /** One round trip: the newest rows per condition of newestConditions, in their order. */
  async newestReadingsPerVital(chairId: string): Promise<Reading[]> {
    const sql = this.newestConditions
      .map((c, i) => `(SELECT ${i} AS k, * FROM readings WHERE chair_id = $1 AND (${c}) ORDER BY measured_at DESC, seq DESC LIMIT ${newestCandidates})`)
      .join(' UNION ALL ');
    const rows = await this.db.all(`${sql} ORDER BY k`, [chairId], toReading);
    const bySeq = new Map<number, Reading>();
    for (const reading of rows) bySeq.set(reading.seq, reading);
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}
