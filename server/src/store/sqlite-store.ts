import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { migrations } from './migrations';
import { AccountsSql } from './sql/accounts';
import { AssignmentsSql } from './sql/assignments';
import { DeliveriesSql } from './sql/deliveries';
import { AuditSql } from './sql/audit';
import { CatalogSql } from './sql/catalog';
import { Hl7OutboxSql } from './sql/hl7-outbox';
import { PushSql } from './sql/push';
import { SqliteAlerts } from './sqlite/alerts';
import { SqliteHl7 } from './sqlite/hl7';
import { SqliteReadings } from './sqlite/readings';
import { SqliteRunner, sqliteDialect } from './sqlite/runner';
import { SqliteSessions } from './sqlite/sessions';
import type { Store } from './store';

/** SQLite's wait for another program's lock (see `SqliteStoreOptions.busyTimeoutMs`). */
export const defaultBusyTimeoutMs = 50;

export interface SqliteStoreOptions {
  /** Path of the database file; its folder is created if missing. */
  file: string;
  /**
   * How long a statement waits for another program's lock before failing (SQLITE_BUSY). better-sqlite3
   * waits synchronously, blocking the whole event loop, so this is kept short: a locked write fails
   * fast and answers 503; the write batcher tries a reading group again on a timer. Default 50.
   */
  busyTimeoutMs?: number;
  /** Largest size the database may grow to (a disk quota); unlimited by default. */
  maxSizeBytes?: number;
}

/**
 * SQLite store (better-sqlite3): WAL journal, `synchronous=FULL`, so a committed transaction
 * survives a crash or power loss. better-sqlite3 is synchronous; the async interface keeps the
 * store interchangeable with PostgreSQL. The repositories share one connection.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
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

  constructor(options: SqliteStoreOptions) {
    fs.mkdirSync(path.dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // Starting up, nothing else waits on the event loop: a migration may wait out a brief lock.
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? defaultBusyTimeoutMs))}`);
    if (options.maxSizeBytes !== undefined) {
      const pageSize = Number(this.db.pragma('page_size', { simple: true }));
      this.db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxSizeBytes / pageSize))}`);
    }
    const runner = new SqliteRunner(this.db);
    this.accounts = new AccountsSql(runner, sqliteDialect);
    this.catalog = new CatalogSql(runner, sqliteDialect);
    this.sessions = new SqliteSessions(runner);
    this.readings = new SqliteReadings(runner);
    this.alerts = new SqliteAlerts(runner);
    this.audit = new AuditSql(runner);
    this.hl7 = new SqliteHl7(runner);
    this.hl7Outbox = new Hl7OutboxSql(runner);
    this.assignments = new AssignmentsSql(runner);
    this.deliveries = new DeliveriesSql(runner);
    this.push = new PushSql(runner);
  }

  private migrate(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(
      this.db
        .prepare('SELECT version FROM schema_migrations')
        .all()
        .map((row) => z.object({ version: z.number() }).parse(row).version),
    );
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sqlite);
        this.db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, new Date().toISOString());
      })();
    }
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.alerts.releaseLeases();
    if (this.db.open) this.db.close();
  }
}
