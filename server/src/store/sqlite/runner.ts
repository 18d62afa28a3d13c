import type Database from 'better-sqlite3';
import type { Dialect, SqlRunner } from '../sql/runner';

export const sqliteDialect: Dialect = {
  flag: (value) => (value ? 1 : 0),
  trueSql: '1',
  likeNoCase: 'LIKE',
};

/** Statements kept prepared, by SQL text (a filter's variants included; past this many, prepared each time). */
const maxPrepared = 200;

/**
 * better-sqlite3 behind the async SqlRunner: a statement runs synchronously when called, so each
 * one still is its own consistent read or write. Transactions stay synchronous (`db.transaction`),
 * in the dialect's own repositories: nothing else can run on the connection in between.
 */
export class SqliteRunner implements SqlRunner {
  private readonly prepared = new Map<string, Database.Statement>();
  private readonly preparedRaw = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  /** A prepared statement, kept for the next call. */
  prepare(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      if (this.prepared.size < maxPrepared) this.prepared.set(sql, statement);
    }
    return statement;
  }

  /** A prepared statement that answers rows as arrays (better-sqlite3's raw mode). */
  prepareRaw(sql: string): Database.Statement {
    let statement = this.preparedRaw.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql).raw(true);
      if (this.preparedRaw.size < maxPrepared) this.preparedRaw.set(sql, statement);
    }
    return statement;
  }

  async all<T>(sql: string, params: readonly unknown[], map: (row: unknown) => T): Promise<T[]> {
    return this.prepare(sql).all(...params).map(map);
  }

  async one<T>(sql: string, params: readonly unknown[], map: (row: unknown) => T): Promise<T | null> {
    const row = this.prepare(sql).get(...params);
    return row === undefined ? null : map(row);
  }

  async arrays<T>(sql: string, params: readonly unknown[], map: (row: unknown[]) => T): Promise<T[]> {
    return (this.prepareRaw(sql).all(...params) as unknown[][]).map(map);
  }

  async run(sql: string, params: readonly unknown[]): Promise<number> {
    return this.prepare(sql).run(...params).changes;
  }
}
