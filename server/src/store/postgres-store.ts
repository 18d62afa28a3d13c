import pg from 'pg';
import { z } from 'zod';
import { migrations } from './migrations';
import { PostgresAlerts } from './postgres/alerts';
import { PostgresHl7 } from './postgres/hl7';
import { PostgresReadings } from './postgres/readings';
import { lockClass, migrationLock, PgPool, postgresDialect, typeParsers } from './postgres/runner';
import { PostgresSessions } from './postgres/sessions';
import { postgresMigrations } from './postgres-migrations';
import { AccountsSql } from './sql/accounts';
import { AssignmentsSql } from './sql/assignments';
import { DeliveriesSql } from './sql/deliveries';
import { AuditSql } from './sql/audit';
import { CatalogSql } from './sql/catalog';
import { Hl7OutboxSql } from './sql/hl7-outbox';
import { PushSql } from './sql/push';
import type { Store } from './store';


export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (DATABASE_URL). */
  connectionString: string;
  /** Connections the server keeps open at most. Default 10. */
  poolSize?: number;
  /**
   * How long a statement waits for a lock another program holds before failing, like SQLite's busy
   * timeout. Default 5000.
   */
  lockTimeoutMs?: number;
}

/**
 * PostgreSQL store on a `pg.Pool`, with the same behaviour as the SQLite store, method by method.
 * Commits are durable: `synchronous_commit` is left on (PostgreSQL's default), so a transaction has
 * reached the write-ahead log on disk before its caller hears of it. The repositories share the pool.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private closed = false;
  readonly accounts;
  readonly catalog;
  readonly sessions;
  readonly readings;
  readonly alerts;
  readonly audit;
  readonly hl7;
  readonly hl7Outbox;
  readonly assignments;
  readonly deliveries;
  readonly push;

  private constructor(private readonly pg: PgPool) {
    this.accounts = new AccountsSql(pg.db, postgresDialect);
    this.catalog = new CatalogSql(pg.db, postgresDialect);
    this.sessions = new PostgresSessions(pg);
    this.readings = new PostgresReadings(pg);
    this.alerts = new PostgresAlerts(pg);
    this.audit = new AuditSql(pg.db);
    this.hl7 = new PostgresHl7(pg);
    this.hl7Outbox = new Hl7OutboxSql(pg.db);
    this.assignments = new AssignmentsSql(pg.db);
    this.deliveries = new DeliveriesSql(pg.db);
    this.push = new PushSql(pg.db);
  }

  /** Connects and brings the schema up to date (once, even when several servers start together). */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      types: typeParsers,
      lock_timeout: Math.max(1, Math.floor(options.lockTimeoutMs ?? 5000)),
      application_name: 'chairside',
    });
    // An idle connection the server dropped (restart, network): pg discards it, and the next query
    // opens a new one or reports the real problem to its caller. Without a listener it would crash the process.
    pool.on('error', () => undefined);
    const store = new PostgresStore(new PgPool(pool, options.connectionString));
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const twins = new Map(postgresMigrations.map((m) => [m.version, m.sql]));
    const missing = migrations.filter((m) => !twins.has(m.version));
    if (missing.length > 0) {
      throw new Error(`No PostgreSQL version of migration ${missing.map((m) => `${m.version} (${m.name})`).join(', ')}.`);
    }
    await this.pg.transaction(async (db) => {
      // Servers starting together wait here for the first one to finish migrating (no lock timeout).
      await db.query('SET LOCAL lock_timeout = 0');
      await db.query('SELECT pg_advisory_xact_lock($1, $2)', [lockClass, migrationLock]);
      await db.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
      );
      const applied = new Set(await db.all('SELECT version FROM schema_migrations', [], (row) => z.object({ version: z.number() }).parse(row).version));
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(migration.version)) continue;
        await db.query(twins.get(migration.version) ?? '');
        await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
      }
    });
  }

  async ping(): Promise<void> {
    await this.pg.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.alerts.releaseLeases();
    await this.pg.pool.end();
  }
}
