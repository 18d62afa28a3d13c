import pg from 'pg';
import type { LeaseName } from '../records';
import type { Dialect, SqlRunner } from '../sql/runner';

export const postgresDialect: Dialect = {
  flag: (value) => value,
  trueSql: 'true',
  likeNoCase: 'ILIKE',
};

/**
 * node-pg hands BIGINT (and COUNT(*)) back as strings. Ours are epoch milliseconds and sequence
 * numbers: numbers, as the SQLite store returns them. Anything past 2^53 would be a bug, not data.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`BIGINT ${text} does not fit a JavaScript number`);
  return value;
}

export const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Advisory lock keys (class, object): one class for Chairside, one object per purpose. */
export const lockClass = 0x43686169; // "Chai"
export const migrationLock = 1;
/**
 * Held while readings are inserted. Sequence numbers are taken from an identity column when a row
 * is inserted, but become visible when its transaction commits; if two server processes wrote at
 * once, a later seq could commit first and a client syncing `seq > n` would skip the earlier one for
 * good. Under this lock seq order is commit order, as it is in SQLite (one writer at a time).
 */
export const readingsLock = 2;
/** Advisory locks of a class of their own, keyed by a hash of the patient's id: check-ins of one patient, one at a time. */
export const patientLockClass = 0x50617469; // "Pati"
/** Held (session-level, on a connection of its own) by the node that runs the alert engine. */
export const leaseLocks: Record<LeaseName, number> = { 'alert-engine': 3 };

/**
 * PostgreSQL text cannot hold U+0000, which SQLite stores (a NUL typed into a login form, or sent in
 * an HL7 message). Rather than fail the request, and lose its audit entry, a NUL is stored as U+FFFD,
 * the replacement character, as Node already does for the other unencodable case (a lone surrogate).
 * JSON text is unaffected: JSON.stringify writes a NUL as the escape "\u0000".
 */
export function storable(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  if (Array.isArray(value)) return value.map(storable);
  return value;
}

const numbered = new Map<string, string>();

/** `?` placeholders as `$1`, `$2`, … (none stand inside a quoted literal in our SQL; those are skipped anyway). */
export function numberPlaceholders(sql: string): string {
  if (!sql.includes('?')) return sql;
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/'[^']*'|\?/g, (match) => (match === '?' ? `$${(n += 1)}` : match));
    if (numbered.size < 500) numbered.set(sql, text);
  }
  return text;
}

/**
 * The pool, or a client inside a transaction, as an SqlRunner. Statements may be written with `?`
 * (numbered here) or `$n`; every string parameter is made storable.
 */
export class PgRunner implements SqlRunner {
  constructor(private readonly client: pg.Pool | pg.PoolClient) {}

  query(sql: string, params: readonly unknown[] = []): Promise<pg.QueryResult> {
    return this.client.query(numberPlaceholders(sql), params.map(storable));
  }

  async all<T>(sql: string, params: readonly unknown[], map: (row: unknown) => T): Promise<T[]> {
    return (await this.query(sql, params)).rows.map(map);
  }

  async one<T>(sql: string, params: readonly unknown[], map: (row: unknown) => T): Promise<T | null> {
    const { rows } = await this.query(sql, params);
    return rows[0] === undefined ? null : map(rows[0]);
  }

  async arrays<T>(sql: string, params: readonly unknown[], map: (row: unknown[]) => T): Promise<T[]> {
    const { rows } = await this.client.query<unknown[]>({ text: numberPlaceholders(sql), values: params.map(storable), rowMode: 'array' });
    return rows.map(map);
  }

  async run(sql: string, params: readonly unknown[]): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }
}

/** The pool the repositories share: single statements, and transactions on one connection. */
export class PgPool {
  /** Every statement outside a transaction runs through this. */
  readonly db: PgRunner;

  constructor(
    readonly pool: pg.Pool,
    readonly connectionString: string,
  ) {
    this.db = new PgRunner(pool);
  }

  /** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
  async transaction<T>(work: (db: PgRunner) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await work(new PgRunner(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection is unusable: drop it rather than return it to the pool
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
