import type { Hl7OutboxSummary } from '../store/store';
import type { Hl7SenderStatus } from './hl7-sender';

/** The HL7 alerts outbox in the health check (`/api/health`, `hl7AlertsOut`). */
export interface Hl7AlertsOutHealth {
  /** `host:port`. */
  target: string;
  /** This server sends (it runs the alert engine); on the others the outbox is another's to send. */
  sending: boolean;
  connected: boolean;
  /** Messages the gateway has not answered AA yet. */
  pending: number;
  /** How long the oldest of them has waited, in seconds; null when none waits. */
  oldestPendingAgeSec: number | null;
  /** Since when the gateway has not answered (server clock, ISO 8601); null while it does. */
  unreachableSince: string | null;
  lastError: string | null;
}

export function hl7AlertsOutHealth(target: string, status: Hl7SenderStatus, summary: Hl7OutboxSummary, nowMs: number): Hl7AlertsOutHealth {
  return {
    target,
    sending: status.sending,
    connected: status.connected,
    pending: summary.pending,
    oldestPendingAgeSec: summary.oldestPendingAt === null ? null : Math.max(0, Math.round((nowMs - summary.oldestPendingAt) / 1000)),
    unreachableSince: status.troubleSinceMs === null ? null : new Date(status.troubleSinceMs).toISOString(),
    lastError: status.lastError,
  };
}
