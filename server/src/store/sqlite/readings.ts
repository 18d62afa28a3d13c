import type { Reading } from '@chairside/shared';
import type { NewReading, ReadingBatchResult } from '../records';
import { readingFromRow, readingInsertColumns, readingRowSchema, readingValues, toReading } from '../rows';
import { newestCandidates, ReadingsSql } from '../sql/readings';
import { answerBatch, type StoredEntry, storedReading } from '../stored-reading';
import { type SqliteRunner, sqliteDialect } from './runner';

/**
 * No RETURNING: a new row is answered from what was written and its rowid (= seq), which halves the
 * cost of a row; `changes` 0 means the id is stored already.
 */
const insertReadingSql = `INSERT INTO readings (${readingInsertColumns.join(', ')})
  VALUES (${readingInsertColumns.map(() => '?').join(', ')})
  ON CONFLICT (id) DO NOTHING`;

export class SqliteReadings extends ReadingsSql {
  constructor(private readonly sqlite: SqliteRunner) {
    super(sqlite, sqliteDialect);
  }

  async insertReadingBatches(batches: NewReading[][]): Promise<ReadingBatchResult[]> {
    const insertReading = this.sqlite.prepare(insertReadingSql);
    const readingsByIds = this.sqlite.prepare('SELECT * FROM readings WHERE id IN (SELECT value FROM json_each(?))');
    const insertBatch = this.sqlite.db.transaction((batch: NewReading[]): ReadingBatchResult => {
      const inserted = new Map<string, StoredEntry>();
      const taken: string[] = [];
      for (const r of batch) {
        const measuredAtMs = Date.parse(r.measuredAt);
        const { changes, lastInsertRowid } = insertReading.run(...readingValues(r, measuredAtMs));
        if (changes > 0) inserted.set(r.id, { reading: storedReading(r, Number(lastInsertRowid), measuredAtMs), payloadHash: r.payloadHash });
        else if (!inserted.has(r.id)) taken.push(r.id);
      }
      // Ids stored before this request (retries, or clashes): one query for all of them.
      const existing = new Map<string, StoredEntry>();
      if (taken.length > 0) {
        for (const row of readingsByIds.all(JSON.stringify(taken))) {
          const r = readingRowSchema.parse(row);
          existing.set(r.id, { reading: readingFromRow(r), payloadHash: r.payload_hash });
        }
      }
      const { results, conflictingIds } = answerBatch(batch, inserted, existing);
      if (conflictingIds.length > 0) throw new BatchConflict(conflictingIds);
      return { ok: true, results };
    });
    // The outer transaction is the group commit; each batch runs in a savepoint of it.
    return this.sqlite.db.transaction((): ReadingBatchResult[] =>
      batches.map((batch) => {
        try {
          return insertBatch(batch);
        } catch (error) {
          if (error instanceof BatchConflict) return { ok: false, conflictingIds: error.ids };
          throw error;
        }
      }),
    )();
  }

  /** A query per condition (no round trips to save), from newestConditions. */
  async newestReadingsPerVital(chairId: string): Promise<Reading[]> {
    const bySeq = new Map<number, Reading>();
    for (const condition of this.newestConditions) {
      const rows = this.sqlite
        .prepare(`SELECT * FROM readings WHERE chair_id = ? AND (${condition}) ORDER BY measured_at DESC, seq DESC LIMIT ${newestCandidates}`)
        .all(chairId);
      for (const row of rows) {
        const reading = toReading(row);
        bySeq.set(reading.seq, reading);
      }
    }
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}

class BatchConflict extends Error {
  constructor(readonly ids: string[]) {
    super('reading ids already stored with different content');
  }
}
