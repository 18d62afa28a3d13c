import type { AlertEvaluationRecord, LeaseName, StoreLease } from '../records';
import { LeaseLostError } from '../records';
import { AlertsSql } from '../sql/alerts';
import type { SqliteRunner } from './runner';

export class SqliteAlerts extends AlertsSql {
  private readonly leases = new Map<LeaseName, StoreLease>();
  protected readonly alertOrder = 'raised_at';

  constructor(private readonly sqlite: SqliteRunner) {
    super(sqlite);
  }

  /**
   * SQLite serves one server process (several nodes need PostgreSQL), so the lease is this store's to
   * give: held until released or the store closes.
   */
  async tryAcquireLease(name: LeaseName): Promise<StoreLease | null> {
    if (this.leases.has(name)) return null;
    let markLost = (): void => undefined;
    let lost = false;
    const lease: StoreLease = {
      name,
      lost: new Promise<void>((resolve) => {
        markLost = () => {
          lost = true;
          resolve();
        };
      }),
      isLost: () => lost,
      release: async () => {
        if (this.leases.get(name) === lease) this.leases.delete(name);
        markLost();
      },
    };
    this.leases.set(name, lease);
    return lease;
  }

  async releaseLeases(): Promise<void> {
    for (const lease of [...this.leases.values()]) await lease.release();
  }

  async saveAlertEvaluations(evaluations: readonly AlertEvaluationRecord[], atMs: number, lease: StoreLease): Promise<void> {
    if (lease.isLost() || this.leases.get(lease.name) !== lease) throw new LeaseLostError(lease.name);
    const upsertEngine = this.sqlite.prepare(
      `INSERT INTO alert_engines (session_id, state, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    );
    const upsertAlert = this.sqlite.prepare(
      `INSERT INTO alerts (id, session_id, chair_id, rule_id, priority, status, raised_at, cleared_at, snapshot)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET priority = excluded.priority, status = excluded.status,
         cleared_at = excluded.cleared_at, snapshot = excluded.snapshot`,
    );
    const insertAlertEvent = this.sqlite.prepare('INSERT INTO alert_events (alert_id, session_id, type, at, payload) VALUES (?, ?, ?, ?, ?)');
    this.sqlite.db.transaction(() => {
      for (const { sessionId, chairId, state, events } of evaluations) {
        upsertEngine.run(sessionId, JSON.stringify(state), atMs);
        for (const event of events) {
          const a = event.alert;
          upsertAlert.run(a.id, sessionId, chairId, a.ruleId, a.priority, a.status, a.raisedAtMs, a.clearedAtMs, JSON.stringify(a));
          insertAlertEvent.run(a.id, sessionId, event.type, event.atMs, JSON.stringify(event));
        }
      }
    })();
  }
}
