import type { AssignChair, AssignableUser, AssignmentsList, ChairAssignment, EscalationStep } from '@chairside/shared';
import type { AssignmentsApi } from './assignments-api';

/** An in-memory clinic answering like the server (its rules for who may be assigned), for component tests. */
export class TestClinic implements AssignmentsApi {
  readonly calls: string[] = [];
  private byChair = new Map<string, { primary: string; backup: string | null }>();
  steps: EscalationStep[] = [];

  constructor(
    private readonly chairs: { id: string; name: string }[],
    readonly users: AssignableUser[],
  ) {}

  private person(id: string | null) {
    const user = this.users.find((u) => u.userId === id);
    return user ? { userId: user.userId, displayName: user.displayName } : null;
  }

  current(): AssignmentsList {
    const assignments: ChairAssignment[] = this.chairs.map((c) => {
      const a = this.byChair.get(c.id);
      return { chairId: c.id, chairName: c.name, primary: this.person(a?.primary ?? null), backup: this.person(a?.backup ?? null), assignedBy: null, assignedAtMs: null };
    });
    return { assignments, users: this.users };
  }

  list(): Promise<AssignmentsList> {
    this.calls.push('list');
    return Promise.resolve(this.current());
  }

  assign(request: AssignChair): Promise<AssignmentsList> {
    this.calls.push(`assign ${request.chairId} ${request.primaryUserId} ${request.backupUserId ?? '-'}`);
    if (request.backupUserId === request.primaryUserId) return Promise.reject(new Error('The backup must be someone other than the primary.'));
    this.byChair.set(request.chairId, { primary: request.primaryUserId, backup: request.backupUserId ?? null });
    return Promise.resolve(this.current());
  }

  release(chairId: string): Promise<void> {
    this.calls.push(`release ${chairId}`);
    this.byChair.delete(chairId);
    return Promise.resolve();
  }

  escalations(sessionId: string): Promise<EscalationStep[]> {
    this.calls.push(`escalations ${sessionId}`);
    return Promise.resolve(this.steps.filter((s) => s.sessionId === sessionId));
  }
}
