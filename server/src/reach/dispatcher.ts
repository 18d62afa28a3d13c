import type { Alert, AlertEvent, AlertListItem, AssignedUser, EscalationStep } from '@chairside/shared';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { AssignmentRecord, Store } from '../store/store';
import type { ReachChannel, ReachMoment, ReachNotice, ReachRecipient, ReachStep } from './alarm-reach';
import { isAssignable } from './assignments.service';
import { type EscalationDelays, defaultEscalationDelays, dueSteps, escalationChain } from './escalation';

export type ReachStore = Pick<Store, 'assignments' | 'deliveries' | 'accounts' | 'catalog'>;

export interface ReachDispatcherDeps {
  store: ReachStore;
  clock: Clock;
  logger: Logger;
  /** Registered in app.ts: Web Push, HL7 alerts out. */
  channels: readonly ReachChannel[];
  delays?: EscalationDelays | undefined;
  /** True while this node runs the alert engine: only that node escalates (one chain per alarm in a cluster). */
  leading: () => boolean;
  /** The open alerts (this node's engine). */
  openAlerts: () => AlertListItem[];
  /** Tells every screen a step was taken. */
  onStep: (step: EscalationStep) => void;
}

/**
 * The reach dispatcher (docs/architecture.md "Alarm reach"): follows every alert's life from the
 * alert engine's events and, on the timer, escalates what nobody acknowledged — the primary at
 * once, the backup after one delay, everyone on shift after another (escalation.ts). Each step is
 * stored as an `escalated-to` alert event with a `screen` delivery per person reached, then told to
 * the screens and to every channel. Which steps an alarm took is read back from the store when a
 * node takes the engine over, so a chain continues rather than restarts.
 */
export class ReachDispatcher {
  private readonly delays: EscalationDelays;
  /** Steps taken per open alert id (loaded from the store on first sight). */
  private taken = new Map<string, Set<ReachStep>>();
  private work: Promise<void> = Promise.resolve();
  private chairs = new Map<string, { name: string; hl7Bed: string | null }>();

  constructor(private readonly deps: ReachDispatcherDeps) {
    this.delays = deps.delays ?? defaultEscalationDelays;
  }

  /** The alert engine's events, after they were stored (called on the node that runs the engine). */
  onAlertEvents(chairId: string, sessionId: string, events: readonly AlertEvent[]): void {
    void this.enqueue(async () => {
      for (const event of events) await this.followEvent(chairId, sessionId, event);
    });
  }

  /** Takes the steps that are due; does nothing on a node that does not run the alert engine. */
  tick(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.deps.leading()) {
        this.taken.clear();
        return;
      }
      const open = this.deps.openAlerts();
      const openIds = new Set(open.map((item) => item.alert.id));
      for (const id of this.taken.keys()) if (!openIds.has(id)) this.taken.delete(id);
      for (const item of open) {
        if (item.alert.status !== 'active') continue;
        await this.escalate(item.chairId, item.sessionId, item.alert, 'escalated-to');
      }
    });
  }

  /** Resolves when the work queued so far is done (tests, shutdown). */
  idle(): Promise<void> {
    return this.enqueue(async () => undefined);
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.work.then(job).catch((error: unknown) => this.deps.logger.error('alarm reach failed', { error: String(error) }));
    this.work = run;
    return run;
  }

  private async followEvent(chairId: string, sessionId: string, event: AlertEvent): Promise<void> {
    const { alert } = event;
    switch (event.type) {
      case 'alert-raised':
        this.taken.set(alert.id, new Set());
        if (escalationChain(alert.priority, { hasPrimary: true, hasBackup: true }, this.delays).length === 0) {
          // Low alarms and advisories stay on the screens; the paging gateway still hears of them.
          await this.notify({ moment: 'raised', step: null, recipients: [], chairId, sessionId, alert, by: null });
        } else {
          await this.escalate(chairId, sessionId, alert, 'raised');
        }
        return;
      case 'alert-escalated':
        // A rise in priority may start or hasten the chain: the next tick judges it.
        return;
      case 'alert-acknowledged': {
        this.taken.delete(alert.id);
        const byUser = await this.deps.store.accounts.findUserById(event.acknowledgement.by.userId);
        const by = { userId: event.acknowledgement.by.userId, displayName: byUser?.displayName ?? event.acknowledgement.by.username };
        await this.notify({ moment: 'acknowledged', step: null, recipients: [], chairId, sessionId, alert, by });
        return;
      }
      case 'alert-cleared':
        this.taken.delete(alert.id);
        await this.notify({ moment: 'cleared', step: null, recipients: [], chairId, sessionId, alert, by: null });
        return;
    }
  }

  /** Takes the alert's due steps; the first of a newly raised alert is told as `raised`. */
  private async escalate(chairId: string, sessionId: string, alert: Alert, moment: 'raised' | 'escalated-to'): Promise<void> {
    let taken = this.taken.get(alert.id);
    if (!taken) {
      const stored = await this.deps.store.deliveries.listEscalations({ alertId: alert.id });
      taken = new Set(stored.map((s) => s.step));
      this.taken.set(alert.id, taken);
    }
    const assignment = await this.deps.store.assignments.findAssignment(chairId);
    const chain = escalationChain(alert.priority, { hasPrimary: assignment !== null, hasBackup: assignment?.backupUserId != null }, this.delays);
    const now = this.deps.clock.now();
    let first = moment === 'raised';
    for (const step of dueSteps(chain, alert.raisedAtMs, now, taken)) {
      const recipients = await this.recipients(step, assignment, now);
      const record: EscalationStep = { type: 'escalated-to', alertId: alert.id, sessionId, chairId, priority: alert.priority, step, recipients, atMs: now };
      await this.deps.store.deliveries.appendEscalation(record);
      for (const person of recipients.length > 0 ? recipients : [null]) {
        await this.deps.store.deliveries.appendDelivery({
          alertId: alert.id,
          sessionId,
          channel: 'screen',
          target: person?.userId ?? 'nobody',
          step,
          status: person ? 'reached' : 'no one on shift',
          detail: person?.displayName ?? null,
          at: now,
        });
      }
      taken.add(step);
      this.deps.onStep(record);
      await this.notify({ moment: first ? 'raised' : 'escalated-to', step, recipients, chairId, sessionId, alert, by: null });
      first = false;
    }
  }

  /**
   * Whom a step reaches. `all`: every active nurse and clinician on shift — holding any chair
   * (primary or backup) or logged in now (docs/clinical-defaults.md "Alarm reach and escalation").
   */
  private async recipients(step: ReachStep, assignment: AssignmentRecord | null, now: number): Promise<ReachRecipient[]> {
    const people = async (ids: readonly string[]): Promise<AssignedUser[]> => {
      const found: AssignedUser[] = [];
      for (const id of new Set(ids)) {
        const user = await this.deps.store.accounts.findUserById(id);
        if (user && isAssignable(user)) found.push({ userId: user.id, displayName: user.displayName });
      }
      return found;
    };
    if (step === 'primary') return people(assignment ? [assignment.primaryUserId] : []);
    if (step === 'backup') return people(assignment?.backupUserId ? [assignment.backupUserId] : []);
    const [assignments, loggedIn, users] = await Promise.all([
      this.deps.store.assignments.listAssignments(),
      this.deps.store.assignments.listLoggedInUserIds(now),
      this.deps.store.accounts.listUsers(),
    ]);
    const onShift = new Set([...assignments.flatMap((a) => [a.primaryUserId, a.backupUserId ?? '']), ...loggedIn]);
    return users
      .filter((u) => onShift.has(u.id) && isAssignable(u))
      .map((u) => ({ userId: u.id, displayName: u.displayName }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  private async notify(moment: {
    moment: ReachMoment;
    step: ReachStep | null;
    recipients: readonly ReachRecipient[];
    chairId: string;
    sessionId: string;
    alert: Alert;
    by: ReachRecipient | null;
  }): Promise<void> {
    if (this.deps.channels.length === 0) return;
    const chair = await this.chair(moment.chairId);
    const notice: ReachNotice = {
      ...moment,
      priority: moment.alert.priority,
      chairName: chair?.name ?? moment.chairId,
      hl7Bed: chair?.hl7Bed ?? null,
      atMs: this.deps.clock.now(),
    };
    for (const channel of this.deps.channels) {
      try {
        channel.notify(notice);
      } catch (error) {
        this.deps.logger.error('an alarm reach channel failed', { channel: channel.name, error: String(error) });
      }
    }
  }

  private async chair(chairId: string): Promise<{ name: string; hl7Bed: string | null } | null> {
    const known = this.chairs.get(chairId);
    if (known) return known;
    const chair = await this.deps.store.catalog.findChair(chairId);
    if (!chair) return null;
    const entry = { name: chair.name, hl7Bed: chair.hl7Bed };
    this.chairs.set(chairId, entry);
    return entry;
  }

  /** Closes every channel (after the alert engine stopped). */
  async close(): Promise<void> {
    await this.idle();
    await Promise.all(this.deps.channels.map((channel) => channel.close()));
  }
}
