import type { AuditRepository } from '../repositories';
import type { AuditEntry, AuditFilter, NewAuditEntry } from '../records';
import { toAuditEntry } from '../rows';
import type { SqlRunner } from './runner';

/** The append-only audit trail (the schema refuses updates and deletes): the same SQL in both dialects. */
export class AuditSql implements AuditRepository {
  constructor(private readonly db: SqlRunner) {}

  async appendAudit(e: NewAuditEntry): Promise<void> {
    await this.db.run(
      `INSERT INTO audit_log (at, user_id, username, role, action, target_type, target_id, session_id, details, ip)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [e.at, e.userId, e.username, e.role, e.action, e.targetType, e.targetId, e.sessionId, JSON.stringify(e.details), e.ip],
    );
  }

  listAudit(f: AuditFilter): Promise<AuditEntry[]> {
    const where = ['at >= ?', 'at < ?'];
    const params: unknown[] = [f.fromMs, f.toMs];
    for (const [column, value] of [
      ['username', f.username],
      ['action', f.action],
      ['session_id', f.sessionId],
    ] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    return this.db.all(
      `SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ? OFFSET ?`,
      [...params, f.limit, f.offset],
      toAuditEntry,
    );
  }
}
