import type { Alert, AudioPauseMessage } from '@chairside/shared';
import { type AuditService, auditActorOf } from '../audit/audit.service';
import type { AlertsService } from './alerts.service';

/** A nurse or clinician acting on alarms, from the dashboard's socket or over HTTP, and their address. */
export interface Caregiver {
  user: { id: string; username: string; role: string };
  ip: string | null;
}

/**
 * What a caregiver does to alarms, each with its audit entry: one definition that the REST routes
 * (alerts/routes.ts) and the dashboard's socket (realtime/socket-server.ts) both call, so an
 * acknowledgement is recorded the same way, exactly once, whichever way it came. An acknowledgement
 * is answered only after the engine's transaction committed (docs/architecture.md, "The contract
 * between server and dashboard").
 */
export class AlertActions {
  /** `alerts` is late-bound: the socket server is built before the alert engine (app.ts). */
  constructor(
    private readonly alerts: () => AlertsService,
    private readonly audit: AuditService,
  ) {}

  async acknowledge(by: Caregiver, alertId: string, note: string | undefined): Promise<Alert> {
    const item = await this.audit.audited(
      { actor: auditActorOf(by.user), ip: by.ip },
      () => this.alerts().acknowledge(alertId, { userId: by.user.id, username: by.user.username }, note),
      (done) => ({
        action: 'alert-acknowledged',
        targetType: 'alert',
        targetId: done.alert.id,
        sessionId: done.sessionId,
        details: { note: note ?? null },
      }),
    );
    return item.alert;
  }

  /** Pauses a chair's alarm audio (the caller tells every screen). */
  pauseAudio(by: Caregiver, chairId: string): Promise<AudioPauseMessage> {
    return this.audit.audited(
      { actor: auditActorOf(by.user), ip: by.ip },
      () => this.alerts().pauseAudio(chairId, by.user.username),
      (message) => ({ action: 'audio-paused', targetType: 'chair', targetId: message.chairId }),
    );
  }
}
