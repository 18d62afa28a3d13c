import { Router } from 'express';
import { acknowledgeAlertBodySchema, idSchema } from '@chairside/shared';
import { requireRole, userOf } from '../auth/auth.middleware';
import { type AuditService, auditActorOf, clientIp } from '../audit/audit.service';
import type { AlertsService } from './alerts.service';

const careTeam = requireRole('nurse', 'clinician');

export function alertRoutes(alerts: AlertsService, audit: AuditService): Router {
  const router = Router();
  router.get('/', careTeam, (_req, res) => {
    res.json(alerts.openAlerts());
  });
  router.post('/:id/acknowledge', careTeam, async (req, res) => {
    const { note } = acknowledgeAlertBodySchema.parse(req.body ?? {});
    const { user } = userOf(res);
    const item = await alerts.acknowledge(String(req.params.id), { userId: user.id, username: user.username }, note);
    await audit.record(auditActorOf(user), {
      action: 'alert-acknowledged',
      targetType: 'alert',
      targetId: item.alert.id,
      sessionId: item.sessionId,
      details: { note: note ?? null },
      ip: clientIp(req),
    });
    res.json(item.alert);
  });
  return router;
}

export function sessionAlertRoutes(alerts: AlertsService, audit: AuditService): Router {
  const router = Router();
  router.get('/:id/alerts', careTeam, async (req, res) => {
    const sessionId = idSchema.parse(req.params.id);
    const records = await alerts.storedSessionAlerts(sessionId);
    await audit.record(auditActorOf(userOf(res).user), { action: 'session-viewed', targetType: 'session-alerts', targetId: sessionId, sessionId, ip: clientIp(req) });
    res.json(records.map((r) => r.alert));
  });
  return router;
}

export function audioPauseListRoutes(alerts: AlertsService): Router {
  const router = Router();
  router.get('/', careTeam, (_req, res) => {
    res.json(alerts.audioPauses());
  });
  return router;
}

export function audioPauseRoutes(alerts: AlertsService, audit: AuditService, emit: (message: Awaited<ReturnType<AlertsService['pauseAudio']>>) => void): Router {
  const router = Router();
  router.post('/:id/audio-pause', careTeam, async (req, res) => {
    const { user } = userOf(res);
    const message = await alerts.pauseAudio(idSchema.parse(req.params.id), user.username);
    await audit.record(auditActorOf(user), { action: 'audio-paused', targetType: 'chair', targetId: message.chairId, ip: clientIp(req) });
    emit(message);
    res.json(message);
  });
  return router;
}
