import type { Reading } from '@chairside/shared';
import type { CreateSessionOutcome, NewSessionEvent, SessionFilter, SessionListRow, SessionRecord, SessionUpdate } from '../records';
import { toChairId, toCount, toReading, toSessionListRow } from '../rows';
import { SessionsSql } from '../sql/sessions';
import { type SqliteRunner, sqliteDialect } from './runner';

/** Transactions run synchronously: one writer, and nothing else on the connection in between. */
export class SqliteSessions extends SessionsSql {
  constructor(private readonly sqlite: SqliteRunner) {
    super(sqlite, sqliteDialect);
  }

  private insertEvent(sessionId: string, e: NewSessionEvent): void {
    this.sqlite.prepare(this.insertEventSql).run(...this.eventParams(sessionId, e));
  }

  async createSession(session: SessionRecord, event: NewSessionEvent): Promise<CreateSessionOutcome> {
    const { db } = this.sqlite;
    return db.transaction((): CreateSessionOutcome => {
      if (this.sqlite.prepare(this.chairOccupiedSql).get(session.chairId) !== undefined) return { conflict: 'chair' };
      const elsewhere = this.sqlite.prepare(this.patientActiveSql).get(session.patientId);
      if (elsewhere !== undefined) return { conflict: 'patient', chairId: toChairId(elsewhere) };
      this.sqlite.prepare(this.insertSessionSql).run(...this.sessionParams(session));
      this.insertEvent(session.id, event);
      return { conflict: null };
    })();
  }

  async updateSession(id: string, expectedRevision: number, update: SessionUpdate, event: NewSessionEvent | null): Promise<boolean> {
    return this.sqlite.db.transaction((): boolean => {
      if (this.sqlite.prepare(this.updateSessionSql).run(...this.updateParams(id, expectedRevision, update)).changes !== 1) return false;
      if (event) this.insertEvent(id, event);
      return true;
    })();
  }

  /** The count and the page: two statements with nothing in between (synchronous), so one consistent read. */
  async listSessions(f: SessionFilter): Promise<{ rows: SessionListRow[]; total: number }> {
    const { countSql, pageSql, params, pageParams } = this.listSql(f);
    const total = toCount(this.sqlite.prepare(countSql).get(...params));
    const rows = this.sqlite.prepare(pageSql).all(...pageParams).map(toSessionListRow);
    return { rows, total };
  }

  async attachReadings(sessionId: string, chairId: string, readingIds: readonly string[], event: NewSessionEvent): Promise<Reading[]> {
    return this.sqlite.db.transaction((): Reading[] => {
      const attach = this.sqlite.prepare('UPDATE readings SET session_id = ? WHERE id = ? AND chair_id = ? AND session_id IS NULL RETURNING *');
      const attached = readingIds.flatMap((id) => {
        const row = attach.get(sessionId, id, chairId);
        return row === undefined ? [] : [toReading(row)];
      });
      if (attached.length > 0) this.insertEvent(sessionId, { ...event, payload: { readingIds: attached.map((r) => r.id) } });
      return attached;
    })();
  }
}
