import type { Request } from 'express';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { AuditEntry, AuditFilter, Store } from '../store/store';
import { type AuditEntryWithNames, type AuditNameSource, withAuditNames } from './audit-names';

/** Everything the audit trail records: who looked at or changed what. */
export type AuditAction =
  | 'login'
  | 'login-failed'
  | 'logout'
  | 'user-created'
  | 'user-updated'
  | 'device-token-created'
  | 'device-token-revoked'
  | 'chair-created'
  | 'protocol-saved'
  | 'patient-created'
  | 'session-checked-in'
  | 'session-event'
  | 'session-viewed'
  | 'session-exported'
  | 'session-signed'
  | 'addendum-added'
  | 'demo-triggered'
  | 'readings-attached'
  | 'alert-acknowledged'
  | 'limits-changed'
  | 'discharge-override'
  | 'start-override'
  | 'audio-paused'
  | 'audit-viewed'
  | 'device-registered'
  | 'device-removed'
  | 'assignment-set'
  | 'assignment-released'
  | 'push-subscribed'
  | 'push-removed';

export interface AuditActor {
  userId: string | null;
  username: string;
  role: string;
}

export interface AuditRecord {
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  sessionId?: string;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** Who acts and from which address: `actor` null for nobody logged in (an entry then names its own). */
export interface AuditCaller {
  actor: AuditActor | null;
  ip: string | null;
}

/** What an entry records besides the moment and the caller's address; `actor` when it is not the caller (a login). */
export type AuditFacts = Omit<AuditRecord, 'ip'> & { actor?: AuditActor };

/**
 * The append-only audit trail (the store refuses updates and deletes). Recording is part of the
 * action: if it cannot be written, the request fails rather than happening unrecorded.
 */
/** The repositories the audit trail uses: its own, and the reads that name its entries' ids. */
export type AuditStore = Pick<Store, 'audit' | 'accounts' | 'catalog' | 'sessions' | 'alerts'>;

export class AuditService {
  constructor(
    private readonly store: AuditStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Runs an audited action and writes its entry once the action succeeded, before anyone is
   * answered — each audited action goes through here exactly once (the HTTP routes through
   * `audited()` in audited.ts, the alarm actions through alerts/alert-actions.ts). An action whose
   * entry cannot be written fails rather than having happened unrecorded in the answer. `entry`
   * returning null records nothing; `refusal` is the entry of a refused action (a failed login),
   * written before its error goes on.
   */
  async audited<T>(
    caller: AuditCaller,
    work: () => Promise<T>,
    entry: (result: T) => AuditFacts | null,
    refusal?: (error: unknown) => AuditFacts | null,
  ): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      const refused = refusal?.(error) ?? null;
      if (refused) await this.write(caller, refused);
      throw error;
    }
    const facts = entry(result);
    if (facts) await this.write(caller, facts);
    return result;
  }

  private async write(caller: AuditCaller, { actor, ...record }: AuditFacts): Promise<void> {
    const who = actor ?? caller.actor;
    if (!who) throw new Error(`The audit entry "${record.action}" names no actor.`);
    await this.record(who, { ...record, ip: caller.ip });
  }

  /** Writes one entry; actions are audited through `audited()`, which calls this once they succeeded. */
  async record(actor: AuditActor, record: AuditRecord): Promise<void> {
    try {
      await this.store.audit.appendAudit({
        at: this.clock.now(),
        userId: actor.userId,
        username: actor.username,
        role: actor.role,
        action: record.action,
        targetType: record.targetType ?? null,
        targetId: record.targetId ?? null,
        sessionId: record.sessionId ?? null,
        details: record.details ?? {},
        ip: record.ip ?? null,
      });
    } catch (error) {
      this.logger.error('could not write the audit trail', { action: record.action, error: String(error) });
      throw error;
    }
  }

  list(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.store.audit.listAudit(filter);
  }

  /** The entries with what their ids stand for (audit-names.ts), for the admin page's sentences. */
  async listWithNames(filter: AuditFilter): Promise<AuditEntryWithNames[]> {
    return withAuditNames(await this.store.audit.listAudit(filter), nameSourceOf(this.store));
  }
}

/** The reads that name an entry's ids, from the store. */
function nameSourceOf(store: AuditStore): AuditNameSource {
  return {
    listUsers: () => store.accounts.listUsers(),
    listChairs: () => store.catalog.listChairs(),
    listDeviceTokens: () => store.accounts.listDeviceTokens(),
    listProtocols: () => store.catalog.listProtocols(),
    findSession: (id) => store.sessions.findSession(id),
    listSessionAlerts: (sessionId) => store.alerts.listSessionAlerts(sessionId),
  };
}

/** The logged-in user of a request, as the audit trail records them. */
export function auditActorOf(user: { id: string | null; username: string; role: string }): AuditActor {
  return { userId: user.id, username: user.username, role: user.role };
}

/** The caller's address as the audit trail records it. */
export function clientIp(req: Request): string | null {
  return req.ip ?? null;
}
