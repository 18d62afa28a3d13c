import pg from 'pg';
import { z } from 'zod';
import type { Chair, Patient, Reading } from '@chairside/shared';
import { migrations } from './migrations';
import { postgresMigrations } from './postgres-migrations';
import {
  readingFromRow,
  readingInsertColumns,
  readingRowSchema,
  readingValues,
  toAddendum,
  toAlertEventRecord,
  toAlertRecord,
  toAuditEntry,
  toAuthSession,
  toChair,
  toDeviceToken,
  toHl7Device,
  toHl7Unmapped,
  toPatient,
  toProtocol,
  toReading,
  toSession,
  toSessionEvent,
  toSessionListRow,
  toSessionVersion,
  toSignature,
  toUser,
} from './rows';
import { answerBatch, type StoredEntry, storedReading, toTrendRow, trendRowColumns } from './stored-reading';
import type {
  AddendumRecord,
  CreateSessionOutcome,
  AlertEvaluationRecord,
  AlertEventRecord,
  AlertRecord,
  AuditEntry,
  AuditFilter,
  AuthSessionRecord,
  DeviceTokenRecord,
  Hl7DeviceRecord,
  Hl7UnmappedRecord,
  NewAuditEntry,
  NewHl7Unmapped,
  NewReading,
  NewSessionEvent,
  ProtocolRecord,
  ReadingBatchResult,
  SessionEventRecord,
  SessionFilter,
  SessionListRow,
  SessionRecord,
  SessionUpdate,
  SessionVersion,
  SignatureRecord,
  LeaseName,
  Store,
  StoreLease,
  TrendCursor,
  TrendRow,
  UserRecord,
  UserUpdate,
} from './store';
import { LeaseLostError } from './store';

/**
 * node-pg hands BIGINT (and COUNT(*)) back as strings. Ours are epoch milliseconds and sequence
 * numbers: numbers, as the SQLite store returns them. Anything past 2^53 would be a bug, not data.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`BIGINT ${text} does not fit a JavaScript number`);
  return value;
}

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Advisory lock keys (class, object): one class for Chairside, one object per purpose. */
const lockClass = 0x43686169; // "Chai"
const migrationLock = 1;
/**
 * Held while readings are inserted. Sequence numbers are taken from an identity column when a row
 * is inserted, but become visible when its transaction commits; if two server processes wrote at
 * once, a later seq could commit first and a client syncing `seq > n` would skip the earlier one for
 * good. Under this lock seq order is commit order, as it is in SQLite (one writer at a time).
 */
const readingsLock = 2;
/** Advisory locks of a class of their own, keyed by a hash of the patient's id: check-ins of one patient, one at a time. */
const patientLockClass = 0x50617469; // "Pati"
/** Held (session-level, on a connection of its own) by the node that runs the alert engine. */
const leaseLocks: Record<LeaseName, number> = { 'alert-engine': 3 };

interface PostgresLease extends StoreLease {
  client: pg.Client;
  /** Transactions on `client` run one after another. */
  queue: Promise<void>;
}

/** A multi-row INSERT of this many readings (16 parameters each) stays far below the 65,535 limit. */
const readingsPerInsert = 1000;
/** Readings per vital read for a chair's newest values (see newestReadingsPerVital). */
const newestCandidates = 20;

/** One statement, so one snapshot. */
const sessionVersionSql = `
  SELECT s.revision, s.active, p.display_name, p.mrn, p.risk_flags,
    (SELECT COUNT(*) FROM session_events e WHERE e.session_id = s.id) AS event_count,
    (SELECT MAX(e.seq) FROM session_events e WHERE e.session_id = s.id) AS last_event_seq,
    (SELECT COUNT(*) FROM readings r WHERE r.session_id = s.id) AS reading_count,
    (SELECT MAX(r.seq) FROM readings r WHERE r.session_id = s.id) AS last_reading_seq
  FROM sessions s JOIN patients p ON p.id = s.patient_id WHERE s.id = $1`;

const valuesLists = new Map<string, string>();

/** `($1, $2, …), ($17, …)`: placeholders for a multi-row VALUES list (built once per shape). */
function valuesList(rows: number, columns: number): string {
  const key = `${rows}x${columns}`;
  let list = valuesLists.get(key);
  if (list === undefined) {
    list = Array.from({ length: rows }, (_, row) =>
      `(${Array.from({ length: columns }, (_, column) => `$${row * columns + column + 1}`).join(', ')})`,
    ).join(', ');
    if (valuesLists.size < 100) valuesLists.set(key, list);
  }
  return list;
}

const insertedRowSchema = z.object({ seq: z.number(), id: z.string() });

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The column of each field of a user update (a field the interface gains fails to compile until it is mapped). */
const userUpdateColumns: Record<keyof UserUpdate, string> = {
  displayName: 'display_name',
  role: 'role',
  passwordHash: 'password_hash',
  disabled: 'disabled',
  isDemo: 'is_demo',
};

/**
 * Compile-time guards for the growing Store interface: each names every field of a type that this
 * store writes or filters on. When the interface gains a field (an optional one would otherwise be
 * silently ignored), its line stops compiling until the field is stored here too, as in SQLite.
 */
type Handles<T, K extends keyof T> = [Exclude<keyof T, K>] extends [never] ? true : false;
const handled: true[] = [
  true satisfies Handles<NewReading, 'id' | 'chairId' | 'sessionId' | 'measuredAt' | 'receivedAt' | 'source' | 'systolic' | 'diastolic' | 'mean' | 'heartRate' | 'spo2' | 'respRate' | 'rejected' | 'flags' | 'enteredBy' | 'payloadHash' | 'supersedes'>,
  true satisfies Handles<SessionRecord, 'id' | 'patientId' | 'chairId' | 'protocolId' | 'protocolVersion' | 'phase' | 'active' | 'state' | 'checkedInAt' | 'checkedInBy' | 'endedAt' | 'revision'>,
  true satisfies Handles<SessionUpdate, 'phase' | 'active' | 'state' | 'endedAt' | 'overrideUsed'>,
  true satisfies Handles<SessionFilter, 'fromMs' | 'toMs' | 'patientId' | 'chairId' | 'protocolId' | 'hadAlerts' | 'overrideUsed' | 'signed' | 'sort' | 'order' | 'limit' | 'offset'>,
  true satisfies Handles<NewSessionEvent, 'type' | 'at' | 'userId' | 'username' | 'role' | 'fromPhase' | 'toPhase' | 'payload'>,
  true satisfies Handles<UserRecord, 'id' | 'username' | 'displayName' | 'role' | 'passwordHash' | 'disabled' | 'isDemo' | 'createdAt'>,
  true satisfies Handles<AuthSessionRecord, 'tokenHash' | 'userId' | 'createdAt' | 'lastSeenAt' | 'expiresAt'>,
  true satisfies Handles<DeviceTokenRecord, 'id' | 'label' | 'tokenHash' | 'createdAt' | 'createdBy' | 'revokedAt' | 'lastUsedAt'>,
  true satisfies Handles<Hl7DeviceRecord, 'deviceId' | 'chairId' | 'createdAt' | 'createdBy'>,
  true satisfies Handles<NewHl7Unmapped, 'receivedAt' | 'sendingDevice' | 'bed' | 'controlId' | 'reason' | 'raw' | 'rawTruncated'>,
  true satisfies Handles<Chair, 'id' | 'name' | 'hl7Bed' | 'position'>,
  true satisfies Handles<Patient, 'id' | 'displayName' | 'mrn' | 'riskFlags' | 'createdAt'>,
  true satisfies Handles<ProtocolRecord, 'id' | 'version' | 'definition' | 'createdAt' | 'createdBy'>,
  true satisfies Handles<SignatureRecord, 'sessionId' | 'signedBy' | 'signedByName' | 'signedAt' | 'statement'>,
  true satisfies Handles<AddendumRecord, 'seq' | 'sessionId' | 'text' | 'username' | 'displayName' | 'at'>,
  true satisfies Handles<NewAuditEntry, 'at' | 'userId' | 'username' | 'role' | 'action' | 'targetType' | 'targetId' | 'sessionId' | 'details' | 'ip'>,
  true satisfies Handles<AuditFilter, 'fromMs' | 'toMs' | 'username' | 'action' | 'sessionId' | 'limit' | 'offset'>,
];
void handled;

/** The pool, or a client inside a transaction. */
interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** Rows as arrays of column values, in the order selected: no object per row. */
  queryArrays(text: string, values: unknown[]): Promise<unknown[][]>;
}

/**
 * PostgreSQL text cannot hold U+0000, which SQLite stores (a NUL typed into a login form, or sent in
 * an HL7 message). Rather than fail the request, and lose its audit entry, a NUL is stored as U+FFFD,
 * the replacement character, as Node already does for the other unencodable case (a lone surrogate).
 * JSON text is unaffected: JSON.stringify writes a NUL as the escape "\u0000".
 */
function storable(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  if (Array.isArray(value)) return value.map(storable);
  return value;
}

function storing(db: pg.Pool | pg.PoolClient): Queryable {
  return {
    query: (text, values) => (values === undefined ? db.query(text) : db.query(text, values.map(storable))),
    queryArrays: async (text, values) => (await db.query<unknown[]>({ text, values: values.map(storable), rowMode: 'array' })).rows,
  };
}

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

/** A request of a group commit conflicted: the group is rolled back and written request by request. */
class GroupConflict extends Error {
  constructor() {
    super('a request of the group conflicts');
  }
}

/**
 * PostgreSQL store on a `pg.Pool`, with the same behaviour as the SQLite store, method by method.
 * Commits are durable: `synchronous_commit` is left on (PostgreSQL's default), so a transaction has
 * reached the write-ahead log on disk before its caller hears of it.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private closed = false;

  /** Every statement outside a transaction runs through this. */
  private readonly db: Queryable;

  private readonly leases = new Set<PostgresLease>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
  ) {
    this.db = storing(pool);
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
    const store = new PostgresStore(pool, options.connectionString);
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
    await this.transaction(async (db) => {
      // Servers starting together wait here for the first one to finish migrating (no lock timeout).
      await db.query('SET LOCAL lock_timeout = 0');
      await db.query('SELECT pg_advisory_xact_lock($1, $2)', [lockClass, migrationLock]);
      await db.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
      );
      const { rows } = await db.query('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((row) => z.object({ version: z.number() }).parse(row).version));
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

  /** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
  private async transaction<T>(work: (db: Queryable) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await work(storing(client));
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

  private async all<T>(sql: string, params: unknown[], map: (row: unknown) => T, db: Queryable = this.db): Promise<T[]> {
    const { rows } = await db.query(sql, params);
    return rows.map(map);
  }

  private async one<T>(sql: string, params: unknown[], map: (row: unknown) => T, db: Queryable = this.db): Promise<T | null> {
    const { rows } = await db.query(sql, params);
    return rows[0] === undefined ? null : map(rows[0]);
  }

  private async changes(sql: string, params: unknown[], db: Queryable = this.db): Promise<number> {
    return (await db.query(sql, params)).rowCount ?? 0;
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const lease of [...this.leases]) await lease.release();
    await this.pool.end();
  }

  async countUsers(): Promise<number> {
    const n = await this.one('SELECT COUNT(*) AS n FROM users', [], (row) => z.object({ n: z.number() }).parse(row).n);
    return n ?? 0;
  }

  async createUser(user: UserRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO users (id, username, display_name, role, password_hash, disabled, is_demo, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [user.id, user.username, user.displayName, user.role, user.passwordHash, user.disabled, user.isDemo, user.createdAt],
    );
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    return this.one('SELECT * FROM users WHERE id = $1', [id], toUser);
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    return this.one('SELECT * FROM users WHERE username = $1', [username], toUser);
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.all('SELECT * FROM users ORDER BY username', [], toUser);
  }

  async setDemoUsersDisabled(disabled: boolean): Promise<void> {
    await this.db.query('UPDATE users SET disabled = $1 WHERE is_demo', [disabled]);
  }

  async updateUser(id: string, update: UserUpdate): Promise<UserRecord | null> {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [field, column] of Object.entries(userUpdateColumns) as [keyof UserUpdate, string][]) {
      const value = update[field];
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length > 0) {
      params.push(id);
      await this.db.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $${params.length}`, params);
    }
    return this.findUserById(id);
  }

  async deleteAuthSessionsOfUser(userId: string): Promise<void> {
    await this.db.query('DELETE FROM auth_sessions WHERE user_id = $1', [userId]);
  }

  async createDeviceToken(t: DeviceTokenRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO device_tokens (id, label, token_hash, created_at, created_by, revoked_at, last_used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [t.id, t.label, t.tokenHash, t.createdAt, t.createdBy, t.revokedAt, t.lastUsedAt],
    );
  }

  async listDeviceTokens(): Promise<DeviceTokenRecord[]> {
    return this.all('SELECT * FROM device_tokens ORDER BY created_at DESC', [], toDeviceToken);
  }

  async findDeviceTokenByHash(tokenHash: string): Promise<DeviceTokenRecord | null> {
    return this.one('SELECT * FROM device_tokens WHERE token_hash = $1', [tokenHash], toDeviceToken);
  }

  async revokeDeviceToken(id: string, atMs: number): Promise<boolean> {
    return (await this.changes('UPDATE device_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [atMs, id])) === 1;
  }

  async touchDeviceToken(id: string, atMs: number): Promise<void> {
    await this.db.query('UPDATE device_tokens SET last_used_at = $1 WHERE id = $2', [atMs, id]);
  }

  async createHl7Device(d: Hl7DeviceRecord): Promise<boolean> {
    const inserted = await this.changes(
      'INSERT INTO hl7_devices (device_id, chair_id, created_at, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [d.deviceId, d.chairId, d.createdAt, d.createdBy],
    );
    return inserted === 1;
  }

  async listHl7Devices(): Promise<Hl7DeviceRecord[]> {
    // SQLite orders the NOCASE column case-insensitively.
    return this.all('SELECT * FROM hl7_devices ORDER BY chair_id, lower(device_id)', [], toHl7Device);
  }

  async deleteHl7Device(deviceId: string): Promise<boolean> {
    // lower() under "C" folds ASCII only, as SQLite's NOCASE does; the parameter needs the collation spelled out.
    return (await this.changes('DELETE FROM hl7_devices WHERE lower(device_id) = lower($1::text COLLATE "C")', [deviceId])) === 1;
  }

  async saveHl7Unmapped(m: NewHl7Unmapped, keep: number): Promise<void> {
    await this.transaction(async (db) => {
      await db.query(
        `INSERT INTO hl7_unmapped_messages (received_at, sending_device, bed, control_id, reason, raw, raw_truncated)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [m.receivedAt, m.sendingDevice, m.bed, m.controlId, m.reason, m.raw, m.rawTruncated],
      );
      await db.query(
        'DELETE FROM hl7_unmapped_messages WHERE id IN (SELECT id FROM hl7_unmapped_messages ORDER BY id DESC OFFSET $1)',
        [Math.max(0, keep)],
      );
    });
  }

  async listHl7Unmapped(limit: number): Promise<Hl7UnmappedRecord[]> {
    return this.all('SELECT * FROM hl7_unmapped_messages ORDER BY id DESC LIMIT $1', [limit], toHl7Unmapped);
  }

  async createAuthSession(s: AuthSessionRecord): Promise<void> {
    await this.db.query(
      'INSERT INTO auth_sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [s.tokenHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt],
    );
  }

  async findAuthSession(tokenHash: string): Promise<AuthSessionRecord | null> {
    return this.one('SELECT * FROM auth_sessions WHERE token_hash = $1', [tokenHash], toAuthSession);
  }

  async touchAuthSession(tokenHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    await this.db.query('UPDATE auth_sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3', [lastSeenAt, expiresAt, tokenHash]);
  }

  async deleteAuthSession(tokenHash: string): Promise<void> {
    await this.db.query('DELETE FROM auth_sessions WHERE token_hash = $1', [tokenHash]);
  }

  async listChairs(): Promise<Chair[]> {
    return this.all('SELECT * FROM chairs ORDER BY position, name', [], toChair);
  }

  async findChair(id: string): Promise<Chair | null> {
    return this.one('SELECT * FROM chairs WHERE id = $1', [id], toChair);
  }

  async createChair(chair: Chair, createdAt: number): Promise<boolean> {
    const inserted = await this.changes(
      'INSERT INTO chairs (id, name, hl7_bed, position, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [chair.id, chair.name, chair.hl7Bed, chair.position, createdAt],
    );
    return inserted === 1;
  }

  async createPatient(patient: Patient): Promise<boolean> {
    const inserted = await this.changes(
      'INSERT INTO patients (id, display_name, mrn, risk_flags, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [patient.id, patient.displayName, patient.mrn, JSON.stringify(patient.riskFlags), Date.parse(patient.createdAt)],
    );
    return inserted === 1;
  }

  async findPatient(id: string): Promise<Patient | null> {
    return this.one('SELECT * FROM patients WHERE id = $1', [id], toPatient);
  }

  async listPatients(search: string, limit: number): Promise<Patient[]> {
    // SQLite's LIKE ignores ASCII case; ILIKE under the columns' "C" collation does the same.
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.all(
      `SELECT * FROM patients WHERE display_name ILIKE $1 ESCAPE '\\' OR mrn ILIKE $1 ESCAPE '\\'
       ORDER BY created_at DESC LIMIT $2`,
      [pattern, limit],
      toPatient,
    );
  }

  async saveProtocol(p: ProtocolRecord): Promise<boolean> {
    const inserted = await this.changes(
      'INSERT INTO protocols (id, version, definition, created_at, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [p.id, p.version, JSON.stringify(p.definition), p.createdAt, p.createdBy],
    );
    return inserted === 1;
  }

  async listProtocols(): Promise<ProtocolRecord[]> {
    return this.all(
      `SELECT p.* FROM protocols p
       JOIN (SELECT id, MAX(version) AS version FROM protocols GROUP BY id) newest USING (id, version)
       ORDER BY p.id`,
      [],
      toProtocol,
    );
  }

  async findProtocol(id: string, version?: number): Promise<ProtocolRecord | null> {
    return version === undefined
      ? this.one('SELECT * FROM protocols WHERE id = $1 ORDER BY version DESC LIMIT 1', [id], toProtocol)
      : this.one('SELECT * FROM protocols WHERE id = $1 AND version = $2', [id, version], toProtocol);
  }

  private async insertEvent(db: Queryable, sessionId: string, e: NewSessionEvent): Promise<void> {
    await db.query(
      `INSERT INTO session_events (session_id, type, at, user_id, username, role, from_phase, to_phase, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [sessionId, e.type, e.at, e.userId, e.username, e.role, e.fromPhase, e.toPhase, JSON.stringify(e.payload ?? {})],
    );
  }

  async createSession(session: SessionRecord, event: NewSessionEvent): Promise<CreateSessionOutcome> {
    return this.transaction(async (db): Promise<CreateSessionOutcome> => {
      // Check-ins of one patient wait for each other (on every server), so two chairs cannot both take them.
      await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [patientLockClass, session.patientId]);
      const occupied = await db.query('SELECT 1 FROM sessions WHERE chair_id = $1 AND active', [session.chairId]);
      if (occupied.rows.length > 0) return { conflict: 'chair' };
      const elsewhere = await db.query('SELECT chair_id FROM sessions WHERE patient_id = $1 AND active ORDER BY checked_in_at LIMIT 1', [session.patientId]);
      if (elsewhere.rows.length > 0) return { conflict: 'patient', chairId: z.object({ chair_id: z.string() }).parse(elsewhere.rows[0]).chair_id };
      // Two check-ins racing for one chair: the partial unique index lets one in, the other gets false.
      const inserted = await this.changes(
        `INSERT INTO sessions (id, patient_id, chair_id, protocol_id, protocol_version, phase, active, state,
           checked_in_at, checked_in_by, ended_at, revision)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (chair_id) WHERE active DO NOTHING`,
        [
          session.id,
          session.patientId,
          session.chairId,
          session.protocolId,
          session.protocolVersion,
          session.phase,
          session.active,
          JSON.stringify(session.state),
          session.checkedInAt,
          session.checkedInBy,
          session.endedAt,
          session.revision,
        ],
        db,
      );
      if (inserted !== 1) return { conflict: 'chair' };
      await this.insertEvent(db, session.id, event);
      return { conflict: null };
    });
  }

  async findSession(id: string): Promise<SessionRecord | null> {
    return this.one('SELECT * FROM sessions WHERE id = $1', [id], toSession);
  }

  async listActiveSessions(): Promise<SessionRecord[]> {
    return this.all('SELECT * FROM sessions WHERE active ORDER BY checked_in_at', [], toSession);
  }

  async updateSession(id: string, expectedRevision: number, update: SessionUpdate, event: NewSessionEvent | null): Promise<boolean> {
    return this.transaction(async (db): Promise<boolean> => {
      // A concurrent update of the same row waits for the other to commit, then sees the new revision and matches nothing.
      const updated = await this.changes(
        `UPDATE sessions SET phase = $1, active = $2, state = $3, ended_at = $4, override_used = $5, revision = revision + 1
         WHERE id = $6 AND revision = $7`,
        [update.phase, update.active, JSON.stringify(update.state), update.endedAt, update.overrideUsed === true, id, expectedRevision],
        db,
      );
      if (updated !== 1) return false;
      if (event) await this.insertEvent(db, id, event);
      return true;
    });
  }

  async listSessions(f: SessionFilter): Promise<{ rows: SessionListRow[]; total: number }> {
    const params: unknown[] = [f.fromMs, f.toMs];
    const where = ['s.checked_in_at >= $1', 's.checked_in_at < $2'];
    for (const [column, value] of [
      ['s.patient_id', f.patientId],
      ['s.chair_id', f.chairId],
      ['s.protocol_id', f.protocolId],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    if (f.hadAlerts !== undefined) where.push(`${f.hadAlerts ? '' : 'NOT '}EXISTS (SELECT 1 FROM alerts a WHERE a.session_id = s.id)`);
    if (f.overrideUsed !== undefined) where.push(`s.override_used = ${f.overrideUsed ? 'true' : 'false'}`);
    if (f.signed !== undefined) where.push(`sig.session_id IS ${f.signed ? 'NOT ' : ''}NULL`);
    const from = `FROM sessions s JOIN patients p ON p.id = s.patient_id
      LEFT JOIN session_signatures sig ON sig.session_id = s.id WHERE ${where.join(' AND ')}`;
    const orderColumn = { checkedInAt: 's.checked_in_at', chair: 's.chair_id', protocol: 's.protocol_id' }[f.sort ?? 'checkedInAt'];
    const order = f.order === 'asc' ? 'ASC' : 'DESC';
    // The count and the page from one snapshot, as SQLite reads them with nothing in between.
    return this.transaction(async (db) => {
      const total = await this.one(`SELECT COUNT(*) AS n ${from}`, params, (row) => z.object({ n: z.number() }).parse(row).n, db);
      const rows = await this.all(
        `SELECT s.*, p.display_name AS patient_name, sig.signed_at AS signed_at,
           (SELECT COUNT(*) FROM alerts a WHERE a.session_id = s.id) AS alert_count,
           (SELECT COUNT(*) FROM alerts a WHERE a.session_id = s.id AND a.priority = 'high') AS high_alert_count
         ${from} ORDER BY ${orderColumn} ${order}, s.checked_in_at DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, f.limit, f.offset],
        toSessionListRow,
        db,
      );
      return { rows, total: total ?? 0 };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async signSession(sig: SignatureRecord): Promise<boolean> {
    const inserted = await this.changes(
      `INSERT INTO session_signatures (session_id, signed_by, signed_by_name, signed_at, statement)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [sig.sessionId, sig.signedBy, sig.signedByName, sig.signedAt, sig.statement],
    );
    return inserted === 1;
  }

  async findSignature(sessionId: string): Promise<SignatureRecord | null> {
    return this.one('SELECT * FROM session_signatures WHERE session_id = $1', [sessionId], toSignature);
  }

  async addAddendum(a: Omit<AddendumRecord, 'seq'>): Promise<AddendumRecord> {
    const seq = await this.one(
      'INSERT INTO session_addenda (session_id, text, username, display_name, at) VALUES ($1, $2, $3, $4, $5) RETURNING seq',
      [a.sessionId, a.text, a.username, a.displayName, a.at],
      (row) => z.object({ seq: z.number() }).parse(row).seq,
    );
    if (seq === null) throw new Error('the addendum was not stored');
    return { ...a, seq };
  }

  async listAddenda(sessionId: string): Promise<AddendumRecord[]> {
    return this.all('SELECT * FROM session_addenda WHERE session_id = $1 ORDER BY seq', [sessionId], toAddendum);
  }

  async listSessionEvents(sessionId: string): Promise<SessionEventRecord[]> {
    return this.all('SELECT * FROM session_events WHERE session_id = $1 ORDER BY seq', [sessionId], toSessionEvent);
  }

  async listSessionReadings(sessionId: string): Promise<Reading[]> {
    return this.all('SELECT * FROM readings WHERE session_id = $1 ORDER BY measured_at, seq', [sessionId], toReading);
  }

  async findSessionVersion(sessionId: string): Promise<SessionVersion | null> {
    return this.one(sessionVersionSql, [sessionId], toSessionVersion);
  }

  async attachReadings(sessionId: string, chairId: string, readingIds: readonly string[], event: NewSessionEvent): Promise<Reading[]> {
    return this.transaction(async (db): Promise<Reading[]> => {
      const updated = await this.all(
        'UPDATE readings SET session_id = $1 WHERE id = ANY($2::text[]) AND chair_id = $3 AND session_id IS NULL RETURNING *',
        [sessionId, [...readingIds], chairId],
        toReading,
        db,
      );
      // In the order asked for, as the SQLite store attaches them one by one.
      const byId = new Map(updated.map((r) => [r.id, r]));
      const attached: Reading[] = [];
      for (const id of readingIds) {
        const reading = byId.get(id);
        if (reading === undefined) continue;
        attached.push(reading);
        byId.delete(id);
      }
      if (attached.length > 0) {
        await this.insertEvent(db, sessionId, { ...event, payload: { readingIds: attached.map((r) => r.id) } });
      }
      return attached;
    });
  }

  async loadAlertEngine(sessionId: string): Promise<unknown> {
    return this.one('SELECT state FROM alert_engines WHERE session_id = $1', [sessionId], (row) =>
      JSON.parse(z.object({ state: z.string() }).parse(row).state),
    );
  }

  /**
   * A session-level advisory lock held on a connection of its own: PostgreSQL frees it the moment
   * that connection ends (the holder stopped, crashed or lost the network), and only that connection
   * can save under the lease — the fencing that keeps a node which lost it from writing over the
   * node that took over.
   */
  async tryAcquireLease(name: LeaseName): Promise<StoreLease | null> {
    if (this.closed) return null;
    const client = new pg.Client({ connectionString: this.connectionString, types: typeParsers, application_name: `chairside ${name}` });
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

  async listOpenAlerts(): Promise<AlertRecord[]> {
    return this.all("SELECT * FROM alerts WHERE status <> 'cleared' ORDER BY raised_at, row_order", [], toAlertRecord);
  }

  async listSessionAlerts(sessionId: string): Promise<AlertRecord[]> {
    return this.all('SELECT * FROM alerts WHERE session_id = $1 ORDER BY raised_at, row_order', [sessionId], toAlertRecord);
  }

  async listSessionAlertEvents(sessionId: string): Promise<AlertEventRecord[]> {
    return this.all('SELECT seq, session_id, payload FROM alert_events WHERE session_id = $1 ORDER BY seq', [sessionId], toAlertEventRecord);
  }

  async appendAudit(e: NewAuditEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_log (at, user_id, username, role, action, target_type, target_id, session_id, details, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [e.at, e.userId, e.username, e.role, e.action, e.targetType, e.targetId, e.sessionId, JSON.stringify(e.details), e.ip],
    );
  }

  async listAudit(f: AuditFilter): Promise<AuditEntry[]> {
    const params: unknown[] = [f.fromMs, f.toMs];
    const where = ['at >= $1', 'at < $2'];
    for (const [column, value] of [
      ['username', f.username],
      ['action', f.action],
      ['session_id', f.sessionId],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    params.push(f.limit, f.offset);
    return this.all(
      `SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
      toAuditEntry,
    );
  }

  async insertReadingBatches(batches: NewReading[][]): Promise<ReadingBatchResult[]> {
    // The transaction is the group commit. Every request's readings go in together, a few round
    // trips whatever the number of requests (node-pg does not pipeline: one round trip per request
    // would cap a loaded server near a few hundred commits a second). Should a request conflict,
    // which a correct device never causes, the group is written again request by request.
    try {
      return await this.transaction(async (db) => {
        await db.query('SELECT pg_advisory_xact_lock($1, $2)', [lockClass, readingsLock]);
        const results = await this.insertGroup(db, batches);
        if (results.some((result) => !result.ok)) throw new GroupConflict();
        return results;
      });
    } catch (error) {
      if (!(error instanceof GroupConflict)) throw error;
    }
    return this.insertBatchByBatch(batches);
  }

  /**
   * Every batch's readings in one multi-row INSERT, and each batch's answer: stored, answered as
   * retries, or refused whole when an id is taken by other content (then the caller rolls back, as
   * the conflicting batch's other readings went in). A new row is answered from what was written and
   * the seq it got (no RETURNING *). A reading's id sent twice is inserted for the first request that
   * sent it and is a retry for the later ones, as when each request is written in turn.
   */
  private async insertGroup(db: Queryable, batches: NewReading[][]): Promise<ReadingBatchResult[]> {
    const owner = new Map<string, { reading: NewReading; batch: number }>();
    batches.forEach((batch, index) => {
      for (const r of batch) if (!owner.has(r.id)) owner.set(r.id, { reading: r, batch: index });
    });
    const inserted = new Map<string, StoredEntry>();
    for (const part of chunks([...owner.values()].map((o) => o.reading), readingsPerInsert)) {
      const { rows } = await db.query(
        `INSERT INTO readings (${readingInsertColumns.join(', ')}) VALUES ${valuesList(part.length, readingInsertColumns.length)}
         ON CONFLICT (id) DO NOTHING RETURNING seq, id`,
        part.flatMap((r) => readingValues(r, Date.parse(r.measuredAt))),
      );
      for (const row of rows) {
        const { seq, id } = insertedRowSchema.parse(row);
        const r = owner.get(id)?.reading;
        if (r === undefined) throw new Error(`the store inserted reading ${id}, which was not sent`);
        inserted.set(id, { reading: storedReading(r, seq, Date.parse(r.measuredAt)), payloadHash: r.payloadHash });
      }
    }
    // Ids not inserted were stored before (retries, or clashes): one query for all of them.
    const existing = await this.storedEntries(db, [...owner.keys()].filter((id) => !inserted.has(id)));
    return batches.map((batch, index) => {
      const mine = new Map<string, StoredEntry>();
      const before = new Map(existing);
      for (const r of batch) {
        const entry = inserted.get(r.id);
        if (entry === undefined) continue;
        if (owner.get(r.id)?.batch === index) mine.set(r.id, entry);
        else before.set(r.id, entry);
      }
      const { results, conflictingIds } = answerBatch(batch, mine, before);
      return conflictingIds.length > 0 ? { ok: false, conflictingIds } : { ok: true, results };
    });
  }

  /** Stored readings by id, with the hash of what was sent. */
  private async storedEntries(db: Queryable, ids: string[]): Promise<Map<string, StoredEntry>> {
    const entries = new Map<string, StoredEntry>();
    if (ids.length === 0) return entries;
    const { rows } = await db.query('SELECT * FROM readings WHERE id = ANY($1::text[])', [ids]);
    for (const row of rows) {
      const r = readingRowSchema.parse(row);
      entries.set(r.id, { reading: readingFromRow(r), payloadHash: r.payload_hash });
    }
    return entries;
  }

  /** Each batch in a savepoint of the group's transaction, rolled back alone on a conflict. */
  private async insertBatchByBatch(batches: NewReading[][]): Promise<ReadingBatchResult[]> {
    return this.transaction(async (db): Promise<ReadingBatchResult[]> => {
      await db.query('SELECT pg_advisory_xact_lock($1, $2)', [lockClass, readingsLock]);
      const results: ReadingBatchResult[] = [];
      for (const batch of batches) {
        await db.query('SAVEPOINT reading_batch');
        const [result] = await this.insertGroup(db, [batch]);
        if (result === undefined) throw new Error('a batch written alone got no answer');
        await db.query(result.ok ? 'RELEASE SAVEPOINT reading_batch' : 'ROLLBACK TO SAVEPOINT reading_batch; RELEASE SAVEPOINT reading_batch');
        results.push(result);
      }
      return results;
    });
  }

  async listChairReadings(chairId: string, fromMs: number, toMs: number, limit: number, after?: TrendCursor): Promise<Reading[]> {
    if (after === undefined) {
      return this.all(
        `SELECT * FROM readings WHERE chair_id = $1 AND measured_at >= $2 AND measured_at < $3
         ORDER BY measured_at, seq LIMIT $4`,
        [chairId, fromMs, toMs, limit],
        toReading,
      );
    }
    return this.all(
      `SELECT * FROM readings
       WHERE chair_id = $1 AND measured_at >= $2 AND measured_at < $3 AND (measured_at > $4 OR (measured_at = $4 AND seq > $5))
       ORDER BY measured_at, seq LIMIT $6`,
      [chairId, fromMs, toMs, after.t, after.seq, limit],
      toReading,
    );
  }

  async listChairTrendRows(chairId: string, fromMs: number, toMs: number, after: TrendCursor, limit: number): Promise<TrendRow[]> {
    const rows = await this.db.queryArrays(
      `SELECT ${trendRowColumns} FROM readings
       WHERE chair_id = $1 AND measured_at >= $2 AND measured_at < $3 AND (measured_at > $4 OR (measured_at = $4 AND seq > $5))
       ORDER BY measured_at, seq LIMIT $6`,
      [chairId, fromMs, toMs, after.t, after.seq, limit],
    );
    return rows.map(toTrendRow);
  }

  async findReading(id: string): Promise<Reading | null> {
    return this.one('SELECT * FROM readings WHERE id = $1', [id], toReading);
  }

  async readingsAfter(afterSeq: number, limit: number): Promise<Reading[]> {
    return this.all('SELECT * FROM readings WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit], toReading);
  }

  async latestSeq(): Promise<number> {
    const seq = await this.one('SELECT COALESCE(MAX(seq), 0) AS seq FROM readings', [], (row) => z.object({ seq: z.number() }).parse(row).seq);
    return seq ?? 0;
  }

  /**
   * Candidates for a chair's newest values: the newest few by stamp per vital, from which the fold
   * (foldLatestVitals) picks by order time, so a stamp ahead of the clock cannot hide newer readings.
   */
  async newestReadingsPerVital(chairId: string): Promise<Reading[]> {
    const conditions = [
      'systolic IS NOT NULL OR diastolic IS NOT NULL OR mean IS NOT NULL',
      'heart_rate IS NOT NULL',
      'spo2 IS NOT NULL',
      'resp_rate IS NOT NULL',
      "rejected <> '[]'",
      'true',
    ];
    // One round trip: the newest row per condition, in the order of the conditions.
    const sql = conditions
      .map((c, i) => `(SELECT ${i} AS k, * FROM readings WHERE chair_id = $1 AND (${c}) ORDER BY measured_at DESC, seq DESC LIMIT ${newestCandidates})`)
      .join(' UNION ALL ');
    const rows = await this.all(`${sql} ORDER BY k`, [chairId], toReading);
    const bySeq = new Map<number, Reading>();
    for (const reading of rows) bySeq.set(reading.seq, reading);
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}
