import type { Reading } from '@chairside/shared';
import type { SessionsRepository } from '../repositories';
import type {
  AddendumRecord,
  CreateSessionOutcome,
  NewSessionEvent,
  SessionEventRecord,
  SessionFilter,
  SessionListRow,
  SessionRecord,
  SessionUpdate,
  SessionVersion,
  SignatureRecord,
} from '../records';
import { toAddendum, toSeq, toSession, toSessionEvent, toSessionVersion, toSignature } from '../rows';
import type { Dialect, SqlRunner } from './runner';

/** One statement, so one consistent read (SQLite) or one snapshot (PostgreSQL). */
const sessionVersionSql = `
  SELECT s.revision, s.active, p.display_name, p.mrn, p.risk_flags,
    (SELECT COUNT(*) FROM session_events e WHERE e.session_id = s.id) AS event_count,
    (SELECT MAX(e.seq) FROM session_events e WHERE e.session_id = s.id) AS last_event_seq,
    (SELECT COUNT(*) FROM readings r WHERE r.session_id = s.id) AS reading_count,
    (SELECT MAX(r.seq) FROM readings r WHERE r.session_id = s.id) AS last_reading_seq
  FROM sessions s JOIN patients p ON p.id = s.patient_id WHERE s.id = ?`;

/** The statements of the review's session list: the count and the page, to be read together. */
export interface SessionListSql {
  countSql: string;
  pageSql: string;
  params: unknown[];
  pageParams: unknown[];
}

/**
 * Sessions: the reads and single statements both dialects spell alike, and the SQL of the
 * transactions each dialect runs its own way (SQLite synchronously, PostgreSQL on one pooled
 * connection with a patient lock).
 */
export abstract class SessionsSql implements SessionsRepository {
  constructor(
    protected readonly db: SqlRunner,
    protected readonly dialect: Dialect,
  ) {}

  abstract createSession(session: SessionRecord, event: NewSessionEvent): Promise<CreateSessionOutcome>;
  abstract updateSession(id: string, expectedRevision: number, update: SessionUpdate, event: NewSessionEvent | null): Promise<boolean>;
  abstract listSessions(filter: SessionFilter): Promise<{ rows: SessionListRow[]; total: number }>;
  abstract attachReadings(sessionId: string, chairId: string, readingIds: readonly string[], event: NewSessionEvent): Promise<Reading[]>;

  protected readonly insertSessionSql = `INSERT INTO sessions (id, patient_id, chair_id, protocol_id, protocol_version, phase, active, state,
      checked_in_at, checked_in_by, ended_at, revision)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

  protected sessionParams(s: SessionRecord): unknown[] {
    return [s.id, s.patientId, s.chairId, s.protocolId, s.protocolVersion, s.phase, this.dialect.flag(s.active), JSON.stringify(s.state), s.checkedInAt, s.checkedInBy, s.endedAt, s.revision];
  }

  protected readonly insertEventSql = `INSERT INTO session_events (session_id, type, at, user_id, username, role, from_phase, to_phase, payload)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

  protected eventParams(sessionId: string, e: NewSessionEvent): unknown[] {
    return [sessionId, e.type, e.at, e.userId, e.username, e.role, e.fromPhase, e.toPhase, JSON.stringify(e.payload ?? {})];
  }

  protected readonly updateSessionSql = `UPDATE sessions SET phase = ?, active = ?, state = ?, ended_at = ?, override_used = ?, revision = revision + 1
    WHERE id = ? AND revision = ?`;

  protected updateParams(id: string, expectedRevision: number, u: SessionUpdate): unknown[] {
    const { flag } = this.dialect;
    return [u.phase, flag(u.active), JSON.stringify(u.state), u.endedAt, flag(u.overrideUsed === true), id, expectedRevision];
  }

  /** An active session on the chair; the patient's active session (its chair). */
  protected get chairOccupiedSql(): string {
    return `SELECT 1 FROM sessions WHERE chair_id = ? AND active = ${this.dialect.trueSql}`;
  }

  protected get patientActiveSql(): string {
    return `SELECT chair_id FROM sessions WHERE patient_id = ? AND active = ${this.dialect.trueSql} ORDER BY checked_in_at LIMIT 1`;
  }

  protected listSql(f: SessionFilter): SessionListSql {
    const where = ['s.checked_in_at >= ?', 's.checked_in_at < ?'];
    const params: unknown[] = [f.fromMs, f.toMs];
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
    if (f.overrideUsed !== undefined) {
      where.push('s.override_used = ?');
      params.push(this.dialect.flag(f.overrideUsed));
    }
    if (f.signed !== undefined) where.push(`sig.session_id IS ${f.signed ? 'NOT ' : ''}NULL`);
    const from = `FROM sessions s JOIN patients p ON p.id = s.patient_id
      LEFT JOIN session_signatures sig ON sig.session_id = s.id WHERE ${where.join(' AND ')}`;
    const orderColumn = { checkedInAt: 's.checked_in_at', chair: 's.chair_id', protocol: 's.protocol_id' }[f.sort ?? 'checkedInAt'];
    const order = f.order === 'asc' ? 'ASC' : 'DESC';
    return {
      countSql: `SELECT COUNT(*) AS n ${from}`,
      pageSql: `SELECT s.*, p.display_name AS patient_name, sig.signed_at AS signed_at,
           (SELECT COUNT(*) FROM alerts a WHERE a.session_id = s.id) AS alert_count,
           (SELECT COUNT(*) FROM alerts a WHERE a.session_id = s.id AND a.priority = 'high') AS high_alert_count
         ${from} ORDER BY ${orderColumn} ${order}, s.checked_in_at DESC LIMIT ? OFFSET ?`,
      params,
      pageParams: [...params, f.limit, f.offset],
    };
  }

  findSession(id: string): Promise<SessionRecord | null> {
    return this.db.one('SELECT * FROM sessions WHERE id = ?', [id], toSession);
  }

  listActiveSessions(): Promise<SessionRecord[]> {
    return this.db.all(`SELECT * FROM sessions WHERE active = ${this.dialect.trueSql} ORDER BY checked_in_at`, [], toSession);
  }

  async signSession(sig: SignatureRecord): Promise<boolean> {
    const inserted = await this.db.run(
      `INSERT INTO session_signatures (session_id, signed_by, signed_by_name, signed_at, statement)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [sig.sessionId, sig.signedBy, sig.signedByName, sig.signedAt, sig.statement],
    );
    return inserted === 1;
  }

  findSignature(sessionId: string): Promise<SignatureRecord | null> {
    return this.db.one('SELECT * FROM session_signatures WHERE session_id = ?', [sessionId], toSignature);
  }

  async addAddendum(a: Omit<AddendumRecord, 'seq'>): Promise<AddendumRecord> {
    const seq = await this.db.one(
      'INSERT INTO session_addenda (session_id, text, username, display_name, at) VALUES (?, ?, ?, ?, ?) RETURNING seq',
      [a.sessionId, a.text, a.username, a.displayName, a.at],
      toSeq,
    );
    if (seq === null) throw new Error('the addendum was not stored');
    return { ...a, seq };
  }

  listAddenda(sessionId: string): Promise<AddendumRecord[]> {
    return this.db.all('SELECT * FROM session_addenda WHERE session_id = ? ORDER BY seq', [sessionId], toAddendum);
  }

  listSessionEvents(sessionId: string): Promise<SessionEventRecord[]> {
    return this.db.all('SELECT * FROM session_events WHERE session_id = ? ORDER BY seq', [sessionId], toSessionEvent);
  }

  findSessionVersion(sessionId: string): Promise<SessionVersion | null> {
    return this.db.one(sessionVersionSql, [sessionId], toSessionVersion);
  }
}
