import { z } from 'zod';
import type { AssignmentsRepository } from '../repositories';
import type { AssignmentRecord } from '../records';
import { toAssignment } from '../rows';
import type { SqlRunner } from './runner';

/** Chair assignments for the shift, one row per chair: the same SQL in both dialects. */
export class AssignmentsSql implements AssignmentsRepository {
  constructor(private readonly db: SqlRunner) {}

  listAssignments(): Promise<AssignmentRecord[]> {
    return this.db.all('SELECT * FROM assignments ORDER BY chair_id', [], toAssignment);
  }

  findAssignment(chairId: string): Promise<AssignmentRecord | null> {
    return this.db.one('SELECT * FROM assignments WHERE chair_id = ?', [chairId], toAssignment);
  }

  async saveAssignment(a: AssignmentRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO assignments (chair_id, primary_user_id, backup_user_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (chair_id) DO UPDATE SET primary_user_id = excluded.primary_user_id, backup_user_id = excluded.backup_user_id,
         assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at`,
      [a.chairId, a.primaryUserId, a.backupUserId, a.assignedBy, a.assignedAt],
    );
  }

  async deleteAssignment(chairId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM assignments WHERE chair_id = ?', [chairId])) > 0;
  }

  listLoggedInUserIds(atMs: number): Promise<string[]> {
    return this.db.all('SELECT DISTINCT user_id FROM auth_sessions WHERE expires_at > ? ORDER BY user_id', [atMs], (row) =>
      z.object({ user_id: z.string() }).parse(row).user_id,
    );
  }
}
