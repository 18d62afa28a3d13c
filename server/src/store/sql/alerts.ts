import type { AlertsRepository } from '../repositories';
import type { AlertEvaluationRecord, AlertEventRecord, AlertRecord, LeaseName, StoreLease } from '../records';
import { toAlertEventRecord, toAlertRecord, toEngineState } from '../rows';
import type { SqlRunner } from './runner';

/**
 * Alerts: the reads both dialects spell alike. The lease and the engine's group commit are each
 * dialect's own (SQLite: a lease this process gives; PostgreSQL: an advisory lock on a connection
 * of its own, which fences a node that lost it).
 */
export abstract class AlertsSql implements AlertsRepository {
  constructor(protected readonly db: SqlRunner) {}

  abstract tryAcquireLease(name: LeaseName): Promise<StoreLease | null>;
  abstract saveAlertEvaluations(evaluations: readonly AlertEvaluationRecord[], atMs: number, lease: StoreLease): Promise<void>;
  /** Gives up every lease held (the store closes). */
  abstract releaseLeases(): Promise<void>;
  /** How alerts raised at the same instant are ordered: the order they were first saved in. */
  protected abstract readonly alertOrder: string;

  loadAlertEngine(sessionId: string): Promise<unknown> {
    return this.db.one('SELECT state FROM alert_engines WHERE session_id = ?', [sessionId], toEngineState);
  }

  listOpenAlerts(): Promise<AlertRecord[]> {
    return this.db.all(`SELECT * FROM alerts WHERE status <> 'cleared' ORDER BY ${this.alertOrder}`, [], toAlertRecord);
  }

  listSessionAlerts(sessionId: string): Promise<AlertRecord[]> {
    return this.db.all(`SELECT * FROM alerts WHERE session_id = ? ORDER BY ${this.alertOrder}`, [sessionId], toAlertRecord);
  }

  listSessionAlertEvents(sessionId: string): Promise<AlertEventRecord[]> {
    // The engine's events; escalation steps (type `escalated-to`) are read through the deliveries repository.
    return this.db.all("SELECT seq, session_id, payload FROM alert_events WHERE session_id = ? AND type <> 'escalated-to' ORDER BY seq", [sessionId], toAlertEventRecord);
  }
}
