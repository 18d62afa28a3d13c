import type { AssignChair, AssignableUser, AssignedUser, AssignmentsList, ChairAssignment, PublicUser } from '@chairside/shared';
import type { Clock } from '../clock';
import { AppError, forbidden, invalidInput, notFound } from '../http/app-error';
import type { AssignmentRecord, Store, UserRecord } from '../store/store';

export type AssignmentsStore = Pick<Store, 'assignments' | 'accounts' | 'catalog'>;

/** What a change did, for the audit trail and the screens. */
export interface AssignmentChange {
  chairId: string;
  before: AssignmentRecord | null;
  after: AssignmentRecord | null;
}

/**
 * Who watches which chair this shift (docs/architecture.md "Alarm reach"). A nurse takes chairs for
 * herself (and names her backup); a clinician assigns anyone; admins only read. Only active nurses and
 * clinicians can be assigned.
 */
export class AssignmentsService {
  constructor(
    private readonly store: AssignmentsStore,
    private readonly clock: Clock,
  ) {}

  /** Every chair with its primary and backup (null when none), and who can be assigned. */
  async list(): Promise<AssignmentsList> {
    const [chairs, records, users] = await Promise.all([
      this.store.catalog.listChairs(),
      this.store.assignments.listAssignments(),
      this.store.accounts.listUsers(),
    ]);
    const byId = new Map(users.map((u) => [u.id, u]));
    const byChair = new Map(records.map((r) => [r.chairId, r]));
    const person = (id: string | null): AssignedUser | null => {
      const user = id === null ? undefined : byId.get(id);
      return user ? { userId: user.id, displayName: user.displayName } : null;
    };
    const assignments: ChairAssignment[] = chairs.map((chair) => {
      const record = byChair.get(chair.id);
      return {
        chairId: chair.id,
        chairName: chair.name,
        primary: record ? person(record.primaryUserId) : null,
        backup: record ? person(record.backupUserId) : null,
        assignedBy: record?.assignedBy ?? null,
        assignedAtMs: record?.assignedAt ?? null,
      };
    });
    const assignable: AssignableUser[] = users
      .filter(isAssignable)
      .map((u) => ({ userId: u.id, displayName: u.displayName, role: u.role as AssignableUser['role'] }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
    return { assignments, users: assignable };
  }

  async assign(request: AssignChair, by: PublicUser): Promise<AssignmentChange> {
    if (by.role === 'admin') throw forbidden('Admins do not watch chairs: a nurse takes her chairs, a clinician assigns anyone.');
    if (by.role === 'nurse' && request.primaryUserId !== by.id) {
      throw new AppError('forbidden', 'A nurse takes chairs for herself: a clinician assigns others.', [
        { path: ['primaryUserId'], message: 'must be you' },
      ]);
    }
    const chair = await this.store.catalog.findChair(request.chairId);
    if (!chair) throw notFound(`There is no chair ${request.chairId}.`);
    const backupUserId = request.backupUserId ?? null;
    await this.assignable(request.primaryUserId, 'primaryUserId');
    if (backupUserId !== null) {
      if (backupUserId === request.primaryUserId) {
        throw invalidInput('The backup must be someone other than the primary.', [{ path: ['backupUserId'], message: 'same as the primary' }]);
      }
      await this.assignable(backupUserId, 'backupUserId');
    }
    const before = await this.store.assignments.findAssignment(chair.id);
    const after: AssignmentRecord = {
      chairId: chair.id,
      primaryUserId: request.primaryUserId,
      backupUserId,
      assignedBy: by.username,
      assignedAt: this.clock.now(),
    };
    await this.store.assignments.saveAssignment(after);
    return { chairId: chair.id, before, after };
  }

  /** Releases a chair: a nurse the chairs she is primary of, a clinician any. */
  async release(chairId: string, by: PublicUser): Promise<AssignmentChange> {
    if (by.role === 'admin') throw forbidden('Admins do not watch chairs.');
    const before = await this.store.assignments.findAssignment(chairId);
    if (!before) throw notFound(`Chair ${chairId} has no one assigned.`);
    if (by.role === 'nurse' && before.primaryUserId !== by.id) {
      throw forbidden('A nurse releases only her own chairs: ask the nurse who has it, or a clinician.');
    }
    await this.store.assignments.deleteAssignment(chairId);
    return { chairId, before, after: null };
  }

  private async assignable(userId: string, field: 'primaryUserId' | 'backupUserId'): Promise<UserRecord> {
    const user = await this.store.accounts.findUserById(userId);
    const refuse = (why: string) => invalidInput(`${field === 'primaryUserId' ? 'The primary' : 'The backup'} ${why}.`, [{ path: [field], message: why }]);
    if (!user) throw refuse(`is no user of Chairside (${userId})`);
    if (user.disabled) throw refuse(`(${user.displayName}) is disabled`);
    if (!isAssignable(user)) throw refuse(`(${user.displayName}) is an admin account and watches no chairs`);
    return user;
  }
}

/** Active nurses and clinicians: the people who watch chairs. */
export function isAssignable(user: UserRecord): boolean {
  return !user.disabled && (user.role === 'nurse' || user.role === 'clinician');
}
