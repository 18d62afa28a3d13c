import { type LatestVitalKey, type Reading, latestVitalKeys } from '@chairside/shared';
import type { ReadingsRepository } from '../repositories';
import type { NewReading, ReadingBatchResult, TrendCursor, TrendRow } from '../records';
import { readingRowColumns, toReading, toReadingFromArray, toSeq } from '../rows';
import { toTrendRow, trendRowColumns } from '../stored-reading';
import type { Dialect, SqlRunner } from './runner';

/** shared's `latestVitalCarriers` in SQL: the rows that can set each of a chair's newest values. */
const carriesInSql: Record<LatestVitalKey, string> = {
  bp: 'systolic IS NOT NULL OR diastolic IS NOT NULL OR mean IS NOT NULL',
  heartRate: 'heart_rate IS NOT NULL',
  spo2: 'spo2 IS NOT NULL',
  respRate: 'resp_rate IS NOT NULL',
  lastRejection: "rejected <> '[]'",
};

/** Readings per vital read for a chair's newest values (see newestReadingsPerVital). */
export const newestCandidates = 20;

/**
 * Readings: the reads both dialects spell alike. The group commit (insertReadingBatches) is each
 * dialect's own, and so is the read of a chair's newest values (one round trip on PostgreSQL).
 */
export abstract class ReadingsSql implements ReadingsRepository {
  constructor(
    protected readonly db: SqlRunner,
    protected readonly dialect: Dialect,
  ) {}

  abstract insertReadingBatches(batches: NewReading[][]): Promise<ReadingBatchResult[]>;
  abstract newestReadingsPerVital(chairId: string): Promise<Reading[]>;

  /**
   * What a chair's newest values are picked from: per vital, the newest few rows by stamp that carry
   * it (plus any row); the fold (foldLatestVitals) picks by order time, so a stamp ahead of the clock
   * cannot hide newer readings. The tests are shared's `latestVitalCarriers` spelled in SQL: keyed by
   * the same names, so a new newest value cannot be forgotten here.
   */
  protected get newestConditions(): string[] {
    return [...latestVitalKeys.map((key) => carriesInSql[key]), '1 = 1'];
  }

  listChairReadings(chairId: string, fromMs: number, toMs: number, limit: number, after?: TrendCursor): Promise<Reading[]> {
    if (after === undefined) {
      return this.db.all(
        `SELECT * FROM readings WHERE chair_id = ? AND measured_at >= ? AND measured_at < ?
         ORDER BY measured_at, seq LIMIT ?`,
        [chairId, fromMs, toMs, limit],
        toReading,
      );
    }
    return this.db.all(
      `SELECT * FROM readings
       WHERE chair_id = ? AND measured_at >= ? AND measured_at < ? AND (measured_at > ? OR (measured_at = ? AND seq > ?))
       ORDER BY measured_at, seq LIMIT ?`,
      [chairId, fromMs, toMs, after.t, after.t, after.seq, limit],
      toReading,
    );
  }

  listChairTrendRows(chairId: string, fromMs: number, toMs: number, after: TrendCursor, limit: number): Promise<TrendRow[]> {
    return this.db.arrays(
      `SELECT ${trendRowColumns} FROM readings
       WHERE chair_id = ? AND measured_at >= ? AND measured_at < ? AND (measured_at > ? OR (measured_at = ? AND seq > ?))
       ORDER BY measured_at, seq LIMIT ?`,
      [chairId, fromMs, toMs, after.t, after.t, after.seq, limit],
      toTrendRow,
    );
  }

  /** Rows as arrays: a 3-hour session's 10,800 rows in half the time of objects. */
  listSessionReadings(sessionId: string): Promise<Reading[]> {
    return this.db.arrays(
      `SELECT ${readingRowColumns.join(', ')} FROM readings WHERE session_id = ? ORDER BY measured_at, seq`,
      [sessionId],
      toReadingFromArray,
    );
  }

  findReading(id: string): Promise<Reading | null> {
    return this.db.one('SELECT * FROM readings WHERE id = ?', [id], toReading);
  }

  readingsAfter(afterSeq: number, limit: number): Promise<Reading[]> {
    return this.db.all('SELECT * FROM readings WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, limit], toReading);
  }

  async latestSeq(): Promise<number> {
    return (await this.db.one('SELECT COALESCE(MAX(seq), 0) AS seq FROM readings', [], toSeq)) ?? 0;
  }
}
