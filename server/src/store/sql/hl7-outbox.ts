import { z } from 'zod';
import type { Hl7OutboxRepository } from '../repositories';
import type { Hl7OutboxRecord, Hl7OutboxSummary, NewHl7OutboxMessage } from '../records';
import type { SqlRunner } from './runner';

const outboxRowSchema = z.object({
  seq: z.number(),
  alert_id: z.string(),
  kind: z.string(),
  message: z.string(),
  created_at: z.number(),
  attempts: z.number(),
  last_attempt_at: z.number().nullable(),
  acked_at: z.number().nullable(),
  last_error: z.string().nullable(),
});

function toOutboxRecord(row: unknown): Hl7OutboxRecord {
  const r = outboxRowSchema.parse(row);
  return {
    seq: r.seq,
    alertId: r.alert_id,
    kind: r.kind,
    message: r.message,
    createdAt: r.created_at,
    attempts: r.attempts,
    lastAttemptAt: r.last_attempt_at,
    ackedAt: r.acked_at,
    lastError: r.last_error,
  };
}

const summaryRowSchema = z.object({ pending: z.coerce.number(), oldest: z.number().nullable() });

/** Longest reason kept for a failed attempt. */
const maxErrorLength = 500;

/**
 * The HL7 alerts outbox (`hl7_alert_outbox`, docs/hl7-alerts.md): the same SQL in both dialects.
 * Rows are never deleted by the sender: an acknowledged row keeps when it was sent and how often it
 * was tried.
 */
export class Hl7OutboxSql implements Hl7OutboxRepository {
  constructor(private readonly db: SqlRunner) {}

  async enqueueHl7Alerts(messages: readonly NewHl7OutboxMessage[]): Promise<number[]> {
    if (messages.length === 0) return [];
    const values = messages.map(() => '(?, ?, ?, ?)').join(', ');
    const params = messages.flatMap((m) => [m.alertId, m.kind, m.message, m.createdAt]);
    const rows = await this.db.all(
      `INSERT INTO hl7_alert_outbox (alert_id, kind, message, created_at) VALUES ${values} RETURNING seq`,
      params,
      (row) => z.object({ seq: z.number() }).parse(row).seq,
    );
    return rows.sort((a, b) => a - b);
  }

  listPendingHl7Alerts(afterSeq: number, limit: number): Promise<Hl7OutboxRecord[]> {
    return this.db.all(
      'SELECT * FROM hl7_alert_outbox WHERE acked_at IS NULL AND seq > ? ORDER BY seq LIMIT ?',
      [afterSeq, limit],
      toOutboxRecord,
    );
  }

  async recordHl7AlertAttempt(seq: number, atMs: number, error: string | null): Promise<void> {
    await this.db.run('UPDATE hl7_alert_outbox SET attempts = attempts + 1, last_attempt_at = ?, last_error = ? WHERE seq = ?', [
      atMs,
      error === null ? null : error.slice(0, maxErrorLength),
      seq,
    ]);
  }

  async markHl7AlertAcked(seq: number, atMs: number): Promise<void> {
    await this.db.run('UPDATE hl7_alert_outbox SET acked_at = ? WHERE seq = ? AND acked_at IS NULL', [atMs, seq]);
  }

  async hl7OutboxSummary(): Promise<Hl7OutboxSummary> {
    const row = await this.db.one(
      'SELECT COUNT(*) AS pending, MIN(created_at) AS oldest FROM hl7_alert_outbox WHERE acked_at IS NULL',
      [],
      (r) => summaryRowSchema.parse(r),
    );
    return { pending: row?.pending ?? 0, oldestPendingAt: row?.oldest ?? null };
  }
}
