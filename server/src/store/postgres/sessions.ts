import type { Reading } from '@chairside/shared';
import type { CreateSessionOutcome, NewSessionEvent, SessionFilter, SessionListRow, SessionRecord, SessionUpdate } from '../records';
import { toChairId, toCount, toReading, toSessionListRow } from '../rows';
import { SessionsSql } from '../sql/sessions';
import { type PgPool, type PgRunner, patientLockClass, postgresDialect } from './runner';

/** Transactions on one pooled connection; check-ins of one patient serialized by an advisory lock on every server. */
export class PostgresSessions extends SessionsSql {
  constructor(private readonly pg: PgPool) {
    super(pg.db, postgresDialect);
  }

  private async insertEvent(db: PgRunner, sessionId: string, e: NewSessionEvent): Promise<void> {
    await db.run(this.insertEventSql, this.eventParams(sessionId, e));
  }

  async createSession(session: SessionRecord, event: NewSessionEvent): Promise<CreateSessionOutcome> {
    return this.pg.transaction(async (db): Promise<CreateSessionOutcome> => {
      // Check-ins of one patient wait for each other (on every server), so two chairs cannot both take them.
      await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [patientLockClass, session.patientId]);
      if ((await db.one(this.chairOccupiedSql, [session.chairId], () => true)) !== null) return { conflict: 'chair' };
      const elsewhere = await db.one(this.patientActiveSql, [session.patientId], toChairId);
      if (elsewhere !== null) return { conflict: 'patient', chairId: elsewhere };
      // Two check-ins racing for one chair: the partial unique index lets one in, the other gets false.
      const inserted = await db.run(`${this.insertSessionSql} ON CONFLICT (chair_id) WHERE active DO NOTHING`, this.sessionParams(session));
      if (inserted !== 1) return { conflict: 'chair' };
      await this.insertEvent(db, session.id, event);
      return { conflict: null };
    });
  }

  async updateSession(id: string, expectedRevision: number, update: SessionUpdate, event: NewSessionEvent | null): Promise<boolean> {
    return this.pg.transaction(async (db): Promise<boolean> => {
      // A concurrent update of the same row waits for the other to commit, then sees the new revision and matches nothing.
      if ((await db.run(this.updateSessionSql, this.updateParams(id, expectedRevision, update))) !== 1) return false;
      if (event) await this.insertEvent(db, id, event);
      return true;
    });
  }

  /** The count and the page from one snapshot, as SQLite reads them with nothing in between. */
  async listSessions(f: SessionFilter): Promise<{ rows: SessionListRow[]; total: number }> {
    const { countSql, pageSql, params, pageParams } = this.listSql(f);
    return this.pg.transaction(async (db) => {
      const total = await db.one(countSql, params, toCount);
      const rows = await db.all(pageSql, pageParams, toSessionListRow);
      return { rows, total: total ?? 0 };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async attachReadings(sessionId: string, chairId: string, readingIds: readonly string[], event: NewSessionEvent): Promise<Reading[]> {
    return this.pg.transaction(async (db): Promise<Reading[]> => {
      const updated = await db.all(
        'UPDATE readings SET session_id = $1 WHERE id = ANY($2::text[]) AND chair_id = $3 AND session_id IS NULL RETURNING *',
        [sessionId, [...readingIds], chairId],
        toReading,
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
      if (attached.length > 0) await this.insertEvent(db, sessionId, { ...event, payload: { readingIds: attached.map((r) => r.id) } });
      return attached;
    });
  }
}
