import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { Chair, Patient, Reading } from '@chairside/shared';
import { migrations } from './migrations';
import {
  readingFromRow,
  readingRowColumns,
  readingRowSchema,
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
  toReadingFromArray,
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
  SessionListRow,
  SignatureRecord,
  DeviceTokenRecord,
  Hl7DeviceRecord,
  Hl7UnmappedRecord,
  NewHl7Unmapped,
  UserUpdate,
  AuditEntry,
  AuditFilter,
  NewAuditEntry,
  AlertEvaluationRecord,
  AlertEventRecord,
  AlertRecord,
  AuthSessionRecord,
  NewReading,
  NewSessionEvent,
  ProtocolRecord,
  ReadingBatchResult,
  SessionEventRecord,
  SessionFilter,
  SessionRecord,
  SessionUpdate,
  SessionVersion,
  LeaseName,
  Store,
  StoreLease,
  TrendCursor,
  TrendRow,
  UserRecord,
} from './store';
import { LeaseLostError } from './store';

/** One statement, so one consistent read. */
const sessionVersionSql = `
  SELECT s.revision, s.active, p.display_name, p.mrn, p.risk_flags,
    (SELECT COUNT(*) FROM session_events e WHERE e.session_id = s.id) AS event_count,
    (SELECT MAX(e.seq) FROM session_events e WHERE e.session_id = s.id) AS last_event_seq,
    (SELECT COUNT(*) FROM readings r WHERE r.session_id = s.id) AS reading_count,
    (SELECT MAX(r.seq) FROM readings r WHERE r.session_id = s.id) AS last_reading_seq
  FROM sessions s JOIN patients p ON p.id = s.patient_id WHERE s.id = ?`;

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
 * store interchangeable with PostgreSQL.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly leases = new Map<LeaseName, StoreLease>();

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
    const db = this.db;
    this.statements = {
      // No RETURNING: a new row is answered from what was written and its rowid (= seq), which
      // halves the cost of a row; `changes` 0 means the id is stored already.
      insertReading: db.prepare(`
        INSERT INTO readings (id, chair_id, session_id, measured_at, received_at, source, systolic, diastolic,
          mean, heart_rate, spo2, resp_rate, rejected, flags, entered_by, payload_hash, supersedes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO NOTHING`),
      readingsByIds: db.prepare('SELECT * FROM readings WHERE id IN (SELECT value FROM json_each(?))'),
      upsertEngine: db.prepare(
        `INSERT INTO alert_engines (session_id, state, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      ),
      upsertAlert: db.prepare(
        `INSERT INTO alerts (id, session_id, chair_id, rule_id, priority, status, raised_at, cleared_at, snapshot)
         VALUES (@id, @sessionId, @chairId, @ruleId, @priority, @status, @raisedAt, @clearedAt, @snapshot)
         ON CONFLICT (id) DO UPDATE SET priority = excluded.priority, status = excluded.status,
           cleared_at = excluded.cleared_at, snapshot = excluded.snapshot`,
      ),
      insertAlertEvent: db.prepare('INSERT INTO alert_events (alert_id, session_id, type, at, payload) VALUES (?, ?, ?, ?, ?)'),
    };
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
    for (const lease of [...this.leases.values()]) await lease.release();
    if (this.db.open) this.db.close();
  }

  async countUsers(): Promise<number> {
    const row = this.db.prepare('SELECT COUNT(*) AS n FROM users').get();
    return z.object({ n: z.number() }).parse(row).n;
  }

  async createUser(user: UserRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO users (id, username, display_name, role, password_hash, disabled, is_demo, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        user.id,
        user.username,
        user.displayName,
        user.role,
        user.passwordHash,
        user.disabled ? 1 : 0,
        user.isDemo ? 1 : 0,
        user.createdAt,
      );
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id);
    return row === undefined ? null : toUser(row);
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username);
    return row === undefined ? null : toUser(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.db.prepare('SELECT * FROM users ORDER BY username').all().map(toUser);
  }

  async setDemoUsersDisabled(disabled: boolean): Promise<void> {
    this.db.prepare('UPDATE users SET disabled = ? WHERE is_demo = 1').run(disabled ? 1 : 0);
  }

  async updateUser(id: string, update: UserUpdate): Promise<UserRecord | null> {
    const sets: string[] = [];
    const params: (string | number)[] = [];
    if (update.displayName !== undefined) {
      sets.push('display_name = ?');
      params.push(update.displayName);
    }
    if (update.role !== undefined) {
      sets.push('role = ?');
      params.push(update.role);
    }
    if (update.passwordHash !== undefined) {
      sets.push('password_hash = ?');
      params.push(update.passwordHash);
    }
    if (update.disabled !== undefined) {
      sets.push('disabled = ?');
      params.push(update.disabled ? 1 : 0);
    }
    if (update.isDemo !== undefined) {
      sets.push('is_demo = ?');
      params.push(update.isDemo ? 1 : 0);
    }
    if (sets.length > 0) this.db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
    return this.findUserById(id);
  }

  async deleteAuthSessionsOfUser(userId: string): Promise<void> {
    this.db.prepare('DELETE FROM auth_sessions WHERE user_id = ?').run(userId);
  }

  async createDeviceToken(t: DeviceTokenRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO device_tokens (id, label, token_hash, created_at, created_by, revoked_at, last_used_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.id, t.label, t.tokenHash, t.createdAt, t.createdBy, t.revokedAt, t.lastUsedAt);
  }

  async listDeviceTokens(): Promise<DeviceTokenRecord[]> {
    return this.db.prepare('SELECT * FROM device_tokens ORDER BY created_at DESC').all().map(toDeviceToken);
  }

  async findDeviceTokenByHash(tokenHash: string): Promise<DeviceTokenRecord | null> {
    const row = this.db.prepare('SELECT * FROM device_tokens WHERE token_hash = ?').get(tokenHash);
    return row === undefined ? null : toDeviceToken(row);
  }

  async revokeDeviceToken(id: string, atMs: number): Promise<boolean> {
    return this.db.prepare('UPDATE device_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(atMs, id).changes === 1;
  }

  async touchDeviceToken(id: string, atMs: number): Promise<void> {
    this.db.prepare('UPDATE device_tokens SET last_used_at = ? WHERE id = ?').run(atMs, id);
  }

  async createHl7Device(d: Hl7DeviceRecord): Promise<boolean> {
    const result = this.db
      .prepare('INSERT INTO hl7_devices (device_id, chair_id, created_at, created_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(d.deviceId, d.chairId, d.createdAt, d.createdBy);
    return result.changes === 1;
  }

  async listHl7Devices(): Promise<Hl7DeviceRecord[]> {
    return this.db.prepare('SELECT * FROM hl7_devices ORDER BY chair_id, device_id').all().map(toHl7Device);
  }

  async deleteHl7Device(deviceId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM hl7_devices WHERE device_id = ?').run(deviceId).changes === 1;
  }

  async saveHl7Unmapped(m: NewHl7Unmapped, keep: number): Promise<void> {
    this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO hl7_unmapped_messages (received_at, sending_device, bed, control_id, reason, raw, raw_truncated)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(m.receivedAt, m.sendingDevice, m.bed, m.controlId, m.reason, m.raw, m.rawTruncated ? 1 : 0);
      this.db.prepare('DELETE FROM hl7_unmapped_messages WHERE id <= ?').run(Number(lastInsertRowid) - keep);
    })();
  }

  async listHl7Unmapped(limit: number): Promise<Hl7UnmappedRecord[]> {
    return this.db.prepare('SELECT * FROM hl7_unmapped_messages ORDER BY id DESC LIMIT ?').all(limit).map(toHl7Unmapped);
  }

  async createAuthSession(s: AuthSessionRecord): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO auth_sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(s.tokenHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt);
  }

  async findAuthSession(tokenHash: string): Promise<AuthSessionRecord | null> {
    const row = this.db.prepare('SELECT * FROM auth_sessions WHERE token_hash = ?').get(tokenHash);
    if (row === undefined) return null;
    return toAuthSession(row);
  }

  async touchAuthSession(tokenHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    this.db
      .prepare('UPDATE auth_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?')
      .run(lastSeenAt, expiresAt, tokenHash);
  }

  async deleteAuthSession(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM auth_sessions WHERE token_hash = ?').run(tokenHash);
  }

  async listChairs(): Promise<Chair[]> {
    return this.db.prepare('SELECT * FROM chairs ORDER BY position, name').all().map(toChair);
  }

  async findChair(id: string): Promise<Chair | null> {
    const row = this.db.prepare('SELECT * FROM chairs WHERE id = ?').get(id);
    return row === undefined ? null : toChair(row);
  }

  async createChair(chair: Chair, createdAt: number): Promise<boolean> {
    const result = this.db
      .prepare(
        'INSERT INTO chairs (id, name, hl7_bed, position, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(chair.id, chair.name, chair.hl7Bed, chair.position, createdAt);
    return result.changes === 1;
  }

  async createPatient(patient: Patient): Promise<boolean> {
    const result = this.db
      .prepare(
        'INSERT INTO patients (id, display_name, mrn, risk_flags, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(patient.id, patient.displayName, patient.mrn, JSON.stringify(patient.riskFlags), Date.parse(patient.createdAt));
    return result.changes === 1;
  }

  async findPatient(id: string): Promise<Patient | null> {
    const row = this.db.prepare('SELECT * FROM patients WHERE id = ?').get(id);
    return row === undefined ? null : toPatient(row);
  }

  async listPatients(search: string, limit: number): Promise<Patient[]> {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db
      .prepare(
        `SELECT * FROM patients WHERE display_name LIKE ? ESCAPE '\\' OR mrn LIKE ? ESCAPE '\\'
         ORDER BY created_at DESC LIMIT ?`,
      )
      .all(pattern, pattern, limit)
      .map(toPatient);
  }

  async saveProtocol(p: ProtocolRecord): Promise<boolean> {
    const result = this.db
      .prepare(
        'INSERT INTO protocols (id, version, definition, created_at, created_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(p.id, p.version, JSON.stringify(p.definition), p.createdAt, p.createdBy);
    return result.changes === 1;
  }

  async listProtocols(): Promise<ProtocolRecord[]> {
    return this.db
      .prepare(
        `SELECT p.* FROM protocols p
         JOIN (SELECT id, MAX(version) AS version FROM protocols GROUP BY id) newest USING (id, version)
         ORDER BY p.id`,
      )
      .all()
      .map(toProtocol);
  }

  async findProtocol(id: string, version?: number): Promise<ProtocolRecord | null> {
    const row =
      version === undefined
        ? this.db.prepare('SELECT * FROM protocols WHERE id = ? ORDER BY version DESC LIMIT 1').get(id)
        : this.db.prepare('SELECT * FROM protocols WHERE id = ? AND version = ?').get(id, version);
    return row === undefined ? null : toProtocol(row);
  }

  private insertEvent(sessionId: string, e: NewSessionEvent): void {
    this.db
      .prepare(
        `INSERT INTO session_events (session_id, type, at, user_id, username, role, from_phase, to_phase, payload)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(sessionId, e.type, e.at, e.userId, e.username, e.role, e.fromPhase, e.toPhase, JSON.stringify(e.payload ?? {}));
  }

  async createSession(session: SessionRecord, event: NewSessionEvent): Promise<CreateSessionOutcome> {
    return this.db.transaction((): CreateSessionOutcome => {
      const occupied = this.db.prepare('SELECT 1 FROM sessions WHERE chair_id = ? AND active = 1').get(session.chairId);
      if (occupied !== undefined) return { conflict: 'chair' };
      const elsewhere = this.db
        .prepare('SELECT chair_id FROM sessions WHERE patient_id = ? AND active = 1 ORDER BY checked_in_at LIMIT 1')
        .get(session.patientId);
      if (elsewhere !== undefined) return { conflict: 'patient', chairId: z.object({ chair_id: z.string() }).parse(elsewhere).chair_id };
      this.db
        .prepare(
          `INSERT INTO sessions (id, patient_id, chair_id, protocol_id, protocol_version, phase, active, state,
             checked_in_at, checked_in_by, ended_at, revision)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          session.id,
          session.patientId,
          session.chairId,
          session.protocolId,
          session.protocolVersion,
          session.phase,
          session.active ? 1 : 0,
          JSON.stringify(session.state),
          session.checkedInAt,
          session.checkedInBy,
          session.endedAt,
          session.revision,
        );
      this.insertEvent(session.id, event);
      return { conflict: null };
    })();
  }

  async findSession(id: string): Promise<SessionRecord | null> {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id);
    return row === undefined ? null : toSession(row);
  }

  async listActiveSessions(): Promise<SessionRecord[]> {
    return this.db.prepare('SELECT * FROM sessions WHERE active = 1 ORDER BY checked_in_at').all().map(toSession);
  }

  async updateSession(
    id: string,
    expectedRevision: number,
    update: SessionUpdate,
    event: NewSessionEvent | null,
  ): Promise<boolean> {
    return this.db.transaction((): boolean => {
      const result = this.db
        .prepare(
          `UPDATE sessions SET phase = ?, active = ?, state = ?, ended_at = ?, override_used = ?, revision = revision + 1
           WHERE id = ? AND revision = ?`,
        )
        .run(
          update.phase,
          update.active ? 1 : 0,
          JSON.stringify(update.state),
          update.endedAt,
          update.overrideUsed ? 1 : 0,
          id,
          expectedRevision,
        );
      if (result.changes !== 1) return false;
      if (event) this.insertEvent(id, event);
      return true;
    })();
  }

  async listSessions(f: SessionFilter): Promise<{ rows: SessionListRow[]; total: number }> {
    const where = ['s.checked_in_at >= ?', 's.checked_in_at < ?'];
    const params: (string | number)[] = [f.fromMs, f.toMs];
    for (const [column, value] of [
      ['s.patient_id', f.patientId],
      ['s.chair_id', f.chairId],
      ['s.protocol_id', f.protocolId],
    ] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    if (f.hadAlerts !== undefined) where.push(`${f.hadAlerts ? '' : 'NOT '}EXISTS (SELECT 1 FROM alerts a WHERE a.session_id = s.id)`);
    if (f.overrideUsed !== undefined) where.push(`s.override_used = ${f.overrideUsed ? 1 : 0}`);
    if (f.signed !== undefined) where.push(`sig.session_id IS ${f.signed ? 'NOT ' : ''}NULL`);
    const from = `FROM sessions s JOIN patients p ON p.id = s.patient_id
      LEFT JOIN session_signatures sig ON sig.session_id = s.id WHERE ${where.join(' AND ')}`;
    const orderColumn = { checkedInAt: 's.checked_in_at', chair: 's.chair_id', protocol: 's.protocol_id' }[f.sort ?? 'checkedInAt'];
    const order = f.order === 'asc' ? 'ASC' : 'DESC';
    const total = z.object({ n: z.number() }).parse(this.db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...params)).n;
    const rows = this.db
      .prepare(
        `SELECT s.*, p.display_name AS patient_name, sig.signed_at AS signed_at,
           (SELECT COUNT(*) FROM alerts a WHERE a.session_id = s.id) AS alert_count,
           (SELECT COUNT(*) FROM alerts a WHERE a.session_id = s.id AND a.priority = 'high') AS high_alert_count
         ${from} ORDER BY ${orderColumn} ${order}, s.checked_in_at DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, f.limit, f.offset)
      .map(toSessionListRow);
    return { rows, total };
  }

  async signSession(sig: SignatureRecord): Promise<boolean> {
    const result = this.db
      .prepare(
        `INSERT INTO session_signatures (session_id, signed_by, signed_by_name, signed_at, statement)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(sig.sessionId, sig.signedBy, sig.signedByName, sig.signedAt, sig.statement);
    return result.changes === 1;
  }

  async findSignature(sessionId: string): Promise<SignatureRecord | null> {
    const row = this.db.prepare('SELECT * FROM session_signatures WHERE session_id = ?').get(sessionId);
    return row === undefined ? null : toSignature(row);
  }

  async addAddendum(a: Omit<AddendumRecord, 'seq'>): Promise<AddendumRecord> {
    const result = this.db
      .prepare('INSERT INTO session_addenda (session_id, text, username, display_name, at) VALUES (?, ?, ?, ?, ?)')
      .run(a.sessionId, a.text, a.username, a.displayName, a.at);
    return { ...a, seq: Number(result.lastInsertRowid) };
  }

  async listAddenda(sessionId: string): Promise<AddendumRecord[]> {
    return this.db
      .prepare('SELECT * FROM session_addenda WHERE session_id = ? ORDER BY seq')
      .all(sessionId)
      .map(toAddendum);
  }

  async listSessionEvents(sessionId: string): Promise<SessionEventRecord[]> {
    return this.db.prepare('SELECT * FROM session_events WHERE session_id = ? ORDER BY seq').all(sessionId).map(toSessionEvent);
  }

  /** Rows as arrays (better-sqlite3's raw mode): a 3-hour session's 10,800 rows in half the time of objects. */
  async listSessionReadings(sessionId: string): Promise<Reading[]> {
    return this.db
      .prepare(`SELECT ${readingRowColumns.join(', ')} FROM readings WHERE session_id = ? ORDER BY measured_at, seq`)
      .raw(true)
      .all(sessionId)
      .map(toReadingFromArray);
  }

  async findSessionVersion(sessionId: string): Promise<SessionVersion | null> {
    const row = this.db.prepare(sessionVersionSql).get(sessionId);
    return row === undefined ? null : toSessionVersion(row);
  }

  async attachReadings(
    sessionId: string,
    chairId: string,
    readingIds: readonly string[],
    event: NewSessionEvent,
  ): Promise<Reading[]> {
    return this.db.transaction((): Reading[] => {
      const attach = this.db.prepare(
        'UPDATE readings SET session_id = ? WHERE id = ? AND chair_id = ? AND session_id IS NULL RETURNING *',
      );
      const attached = readingIds.flatMap((id) => {
        const row = attach.get(sessionId, id, chairId);
        return row === undefined ? [] : [toReading(row)];
      });
      if (attached.length > 0) {
        this.insertEvent(sessionId, { ...event, payload: { readingIds: attached.map((r) => r.id) } });
      }
      return attached;
    })();
  }

  async loadAlertEngine(sessionId: string): Promise<unknown> {
    const row = this.db.prepare('SELECT state FROM alert_engines WHERE session_id = ?').get(sessionId);
    return row === undefined ? null : JSON.parse(z.object({ state: z.string() }).parse(row).state);
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

  async saveAlertEvaluations(evaluations: readonly AlertEvaluationRecord[], atMs: number, lease: StoreLease): Promise<void> {
    if (lease.isLost() || this.leases.get(lease.name) !== lease) throw new LeaseLostError(lease.name);
    const { upsertEngine, upsertAlert, insertAlertEvent } = this.statements;
    this.db.transaction(() => {
      for (const { sessionId, chairId, state, events } of evaluations) {
        upsertEngine.run(sessionId, JSON.stringify(state), atMs);
        for (const event of events) {
          const a = event.alert;
          upsertAlert.run({
            id: a.id,
            sessionId,
            chairId,
            ruleId: a.ruleId,
            priority: a.priority,
            status: a.status,
            raisedAt: a.raisedAtMs,
            clearedAt: a.clearedAtMs,
            snapshot: JSON.stringify(a),
          });
          insertAlertEvent.run(a.id, sessionId, event.type, event.atMs, JSON.stringify(event));
        }
      }
    })();
  }

  async listOpenAlerts(): Promise<AlertRecord[]> {
    return this.db.prepare("SELECT * FROM alerts WHERE status <> 'cleared' ORDER BY raised_at").all().map(toAlertRecord);
  }

  async listSessionAlerts(sessionId: string): Promise<AlertRecord[]> {
    return this.db.prepare('SELECT * FROM alerts WHERE session_id = ? ORDER BY raised_at').all(sessionId).map(toAlertRecord);
  }

  async listSessionAlertEvents(sessionId: string): Promise<AlertEventRecord[]> {
    return this.db
      .prepare('SELECT seq, session_id, payload FROM alert_events WHERE session_id = ? ORDER BY seq')
      .all(sessionId)
      .map(toAlertEventRecord);
  }

  async appendAudit(e: NewAuditEntry): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO audit_log (at, user_id, username, role, action, target_type, target_id, session_id, details, ip)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.at, e.userId, e.username, e.role, e.action, e.targetType, e.targetId, e.sessionId, JSON.stringify(e.details), e.ip);
  }

  async listAudit(f: AuditFilter): Promise<AuditEntry[]> {
    const where = ['at >= ?', 'at < ?'];
    const params: (string | number)[] = [f.fromMs, f.toMs];
    for (const [column, value] of [
      ['username', f.username],
      ['action', f.action],
      ['session_id', f.sessionId],
    ] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    return this.db
      .prepare(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ? OFFSET ?`)
      .all(...params, f.limit, f.offset)
      .map(toAuditEntry);
  }

  async insertReadingBatches(batches: NewReading[][]): Promise<ReadingBatchResult[]> {
    const { insertReading, readingsByIds } = this.statements;
    const insertBatch = this.db.transaction((batch: NewReading[]): ReadingBatchResult => {
      const inserted = new Map<string, StoredEntry>();
      const taken: string[] = [];
      for (const r of batch) {
        const measuredAtMs = Date.parse(r.measuredAt);
        const { changes, lastInsertRowid } = insertReading.run(
          r.id, r.chairId, r.sessionId, measuredAtMs, r.receivedAt, r.source, r.systolic, r.diastolic,
          r.mean, r.heartRate, r.spo2, r.respRate, JSON.stringify(r.rejected), JSON.stringify(r.flags),
          r.enteredBy, r.payloadHash, r.supersedes ?? null,
        );
        if (changes > 0) inserted.set(r.id, { reading: storedReading(r, Number(lastInsertRowid), measuredAtMs), payloadHash: r.payloadHash });
        else if (!inserted.has(r.id)) taken.push(r.id);
      }
      // Ids stored before this request (retries, or clashes): one query for all of them.
      const existing = new Map<string, StoredEntry>();
      if (taken.length > 0) {
        for (const row of readingsByIds.all(JSON.stringify(taken))) {
          const r = readingRowSchema.parse(row);
          existing.set(r.id, { reading: readingFromRow(r), payloadHash: r.payload_hash });
        }
      }
      const { results, conflictingIds } = answerBatch(batch, inserted, existing);
      if (conflictingIds.length > 0) throw new BatchConflict(conflictingIds);
      return { ok: true, results };
    });
    // The outer transaction is the group commit; each batch runs in a savepoint of it.
    return this.db.transaction((): ReadingBatchResult[] =>
      batches.map((batch) => {
        try {
          return insertBatch(batch);
        } catch (error) {
          if (error instanceof BatchConflict) return { ok: false, conflictingIds: error.ids };
          throw error;
        }
      }),
    )();
  }

  async listChairReadings(chairId: string, fromMs: number, toMs: number, limit: number, after?: TrendCursor): Promise<Reading[]> {
    if (after === undefined) {
      return this.db
        .prepare(
          `SELECT * FROM readings WHERE chair_id = ? AND measured_at >= ? AND measured_at < ?
           ORDER BY measured_at, seq LIMIT ?`,
        )
        .all(chairId, fromMs, toMs, limit)
        .map(toReading);
    }
    return this.db
      .prepare(
        `SELECT * FROM readings
         WHERE chair_id = ? AND measured_at >= ? AND measured_at < ? AND (measured_at > ? OR (measured_at = ? AND seq > ?))
         ORDER BY measured_at, seq LIMIT ?`,
      )
      .all(chairId, fromMs, toMs, after.t, after.t, after.seq, limit)
      .map(toReading);
  }

  async listChairTrendRows(chairId: string, fromMs: number, toMs: number, after: TrendCursor, limit: number): Promise<TrendRow[]> {
    return this.db
      .prepare(
        `SELECT ${trendRowColumns} FROM readings
         WHERE chair_id = ? AND measured_at >= ? AND measured_at < ? AND (measured_at > ? OR (measured_at = ? AND seq > ?))
         ORDER BY measured_at, seq LIMIT ?`,
      )
      .raw(true)
      .all(chairId, fromMs, toMs, after.t, after.t, after.seq, limit)
      .map(toTrendRow);
  }

  async findReading(id: string): Promise<Reading | null> {
    const row = this.db.prepare('SELECT * FROM readings WHERE id = ?').get(id);
    return row === undefined ? null : toReading(row);
  }

  async readingsAfter(afterSeq: number, limit: number): Promise<Reading[]> {
    return this.db.prepare('SELECT * FROM readings WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit).map(toReading);
  }

  async latestSeq(): Promise<number> {
    const row = this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM readings').get();
    return z.object({ seq: z.number() }).parse(row).seq;
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
      '1 = 1',
    ];
    const bySeq = new Map<number, Reading>();
    for (const condition of conditions) {
      const rows = this.db
        .prepare(`SELECT * FROM readings WHERE chair_id = ? AND (${condition}) ORDER BY measured_at DESC, seq DESC LIMIT ${newestCandidates}`)
        .all(chairId);
      for (const row of rows) {
        const reading = toReading(row);
        bySeq.set(reading.seq, reading);
      }
    }
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}

/** Readings per vital read for a chair's newest values (see newestReadingsPerVital). */
const newestCandidates = 20;

class BatchConflict extends Error {
  constructor(readonly ids: string[]) {
    super('reading ids already stored with different content');
  }
}
