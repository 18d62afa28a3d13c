import type { Alert, AlertPriority } from '@chairside/shared';

/**
 * Alarm reach: how an alarm leaves the screens (docs/architecture.md "Alarm reach").
 *
 * The reach dispatcher follows every alert's life (raised, escalated to the next person,
 * acknowledged, cleared) and hands each moment to the channels registered in app.ts: Web Push to
 * the phones of whoever the step reaches, and ORU^R40 to a paging gateway. A channel must never
 * throw into the caller nor make it wait: it queues, retries on its own and records every attempt
 * (`alert_deliveries`), so ingest and the dashboards never depend on a phone or a gateway.
 */

/** Who an escalation step reaches: the chair's primary nurse, then the backup, then every nurse on shift. */
export type ReachStep = 'primary' | 'backup' | 'all';

export type ReachMoment = 'raised' | 'escalated-to' | 'acknowledged' | 'cleared';

export interface ReachRecipient {
  userId: string;
  displayName: string;
}

export interface ReachNotice {
  moment: ReachMoment;
  /** For `raised` (the primary, or everyone on shift when the chair has no one) and `escalated-to`. */
  step: ReachStep | null;
  /** Whose devices this moment should reach (empty for `acknowledged`/`cleared` on a person channel). */
  recipients: readonly ReachRecipient[];
  alert: Alert;
  priority: AlertPriority;
  sessionId: string;
  chairId: string;
  chairName: string;
  /** The chair's HL7 bed, when it has one (the gateway's location). */
  hl7Bed: string | null;
  /** Who acknowledged, for `acknowledged`. */
  by: ReachRecipient | null;
  atMs: number;
}

export interface ReachChannel {
  readonly name: 'push' | 'hl7';
  /** Takes the moment and returns at once; delivery happens (and is recorded) in the background. */
  notify(notice: ReachNotice): void;
  /** Stops timers and sockets; resolves when in-flight work is settled. */
  close(): Promise<void>;
}
