import pg from 'pg';
import { z } from 'zod';
import type { AlertEvaluationRecord, LeaseName, StoreLease } from '../records';
import { LeaseLostError } from '../records';
import { AlertsSql } from '../sql/alerts';
import { leaseLocks, lockClass, type PgPool, storable, typeParsers } from './runner';

interface PostgresLease extends StoreLease {
  client: pg.Client;
  /** Transactions on `client` run one after another. */
  queue: Promise<void>;
}

export class PostgresAlerts extends AlertsSql {
  private readonly leases = new Set<PostgresLease>();
  private closed = false;
  protected readonly alertOrder = 'raised_at, row_order';

  constructor(private readonly pg: PgPool) {
    super(pg.db);
  }

  /**
   * A session-level advisory lock held on a connection of its own: PostgreSQL frees it the moment
   * that connection ends (the holder stopped, crashed or lost the network), and only that connection
   * can save under the lease — the fencing that keeps a node which lost it from writing over the
   * node that took over.
   */
  async tryAcquireLease(name: LeaseName): Promise<StoreLease | null> {
    if (this.closed) return null;
    const client = new pg.Client({ connectionString: this.pg.connectionString, types: typeParsers, application_name: `chairside ${name}` });
    let markLost = (): void => undefined;
    let lost = false;
    const lostPromise = new Promise<void>((resolve) => {
      markLost = () => {
        lost = true;
        resolve();
      };
    });
    client.on('error', markLost);
    client.on('end', markLost);
    try {
      await client.connect();
      const { rows } = await client.query('SELECT pg_try_advisory_lock($1, $2) AS held', [lockClass, leaseLocks[name]]);
      if (!z.object({ held: z.boolean() }).parse(rows[0]).held) {
        await client.end();
        return null;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    const lease: PostgresLease = {
      name,
      client,
      queue: Promise.resolve(),
      lost: lostPromise,
      isLost: () => lost,
      release: async () => {
        this.leases.delete(lease);
        markLost();
        await client.end().catch(() => undefined);
      },
    };
    this.leases.add(lease);
    return lease;
  }

  async releaseLeases(): Promise<void> {
    this.closed = true;
    for (const lease of [...this.leases]) await lease.release();
  }

  async saveAlertEvaluations(evaluations: readonly AlertEvaluationRecord[], atMs: number, lease: StoreLease): Promise<void> {
    const held = [...this.leases].find((l) => l === lease);
    if (!held || held.isLost()) throw new LeaseLostError(lease.name);
    // One engine row per session (the newest state); each alert once, with its newest snapshot, in
    // the order the alerts first appear (row_order); every event, in order.
    const engines = new Map<string, string>();
    const alerts = new Map<string, unknown[]>();
    const events: unknown[][] = [];
    for (const { sessionId, chairId, state, events: list } of evaluations) {
      engines.set(sessionId, JSON.stringify(state));
      for (const event of list) {
        const a = event.alert;
        const row = [a.id, sessionId, chairId, a.ruleId, a.priority, a.status, a.raisedAtMs, a.clearedAtMs, JSON.stringify(a)];
        const first = alerts.get(a.id);
        if (first) first.splice(0, first.length, ...row);
        else alerts.set(a.id, row);
        events.push([a.id, sessionId, event.type, event.atMs, JSON.stringify(event)]);
      }
    }
    const columns = (rows: readonly unknown[][], count: number): unknown[][] =>
      Array.from({ length: count }, (_, i) => rows.map((row) => storable(row[i])));
    const work = async (): Promise<void> => {
      const db = held.client;
      try {
        await db.query('BEGIN');
        await db.query(
          `INSERT INTO alert_engines (session_id, state, updated_at)
           SELECT s, st, $3::bigint FROM unnest($1::text[], $2::text[]) AS t (s, st)
           ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
          [[...engines.keys()], [...engines.values()], atMs],
        );
        if (alerts.size > 0) {
          await db.query(
            `INSERT INTO alerts (id, session_id, chair_id, rule_id, priority, status, raised_at, cleared_at, snapshot)
             SELECT id, session_id, chair_id, rule_id, priority, status, raised_at, cleared_at, snapshot
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::text[])
               WITH ORDINALITY AS t (id, session_id, chair_id, rule_id, priority, status, raised_at, cleared_at, snapshot, n)
             ORDER BY n
             ON CONFLICT (id) DO UPDATE SET priority = excluded.priority, status = excluded.status,
               cleared_at = excluded.cleared_at, snapshot = excluded.snapshot`,
            columns([...alerts.values()], 9),
          );
          await db.query(
            `INSERT INTO alert_events (alert_id, session_id, type, at, payload)
             SELECT alert_id, session_id, type, at, payload
             FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[]) WITH ORDINALITY AS t (alert_id, session_id, type, at, payload, n)
             ORDER BY n`,
            columns(events, 5),
          );
        }
        await db.query('COMMIT');
      } catch (error) {
        await db.query('ROLLBACK').catch(() => undefined);
        if (held.isLost()) throw new LeaseLostError(lease.name);
        throw error;
      }
    };
    // One transaction at a time on the lease's connection.
    const run = held.queue.then(work, work);
    held.queue = run.catch(() => undefined);
    await run;
  }
}
