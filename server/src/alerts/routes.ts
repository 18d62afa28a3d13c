import { Router } from 'express';
import { acknowledgeAlertBodySchema, type AudioPauseMessage, idSchema } from '@chairside/shared';
import { requireRole, userOf } from '../auth/auth.middleware';
import { type AuditService, clientIp } from '../audit/audit.service';
import { audited } from '../audit/audited';
import type { AlertActions } from './alert-actions';
import type { AlertsService } from './alerts.service';

const careTeam = requireRole('nurse', 'clinician');

export function alertRoutes(alerts: AlertsService, actions: AlertActions): Router {
  const router = Router();
  router.get('/', careTeam, (_req, res) => {
    res.json(alerts.openAlerts());
  });
  router.post('/:id/acknowledge', careTeam, async (req, res) => {
    const { note } = acknowledgeAlertBodySchema.parse(req.body ?? {});
    res.json(await actions.acknowledge({ user: userOf(res).user, ip: clientIp(req) }, String(req.params.id), note));
  });
  return router;
}

export function sessionAlertRoutes(alerts: AlertsService, audit: AuditService): Router {
  const router = Router();
  router.get(
    '/:id/alerts',
    careTeam,
    audited(audit, {
      run: async (req) => {
        const sessionId = idSchema.parse(req.params.id);
        return { sessionId, records: await alerts.storedSessionAlerts(sessionId) };
      },
      entry: ({ sessionId }) => ({ action: 'session-viewed', targetType: 'session-alerts', targetId: sessionId, sessionId }),
      reply: (res, { records }) => res.json(records.map((r) => r.alert)),
    }),
  );
  return router;
}

export function audioPauseListRoutes(alerts: AlertsService): Router {
  const router = Router();
  router.get('/', careTeam, (_req, res) => {
    res.json(alerts.audioPauses());
  });
  return router;
}

export function audioPauseRoutes(actions: AlertActions, emit: (message: AudioPauseMessage) => void): Router {
  const router = Router();
  router.post('/:id/audio-pause', careTeam, async (req, res) => {
    const message = await actions.pauseAudio({ user: userOf(res).user, ip: clientIp(req) }, idSchema.parse(req.params.id));
    emit(message);
    res.json(message);
  });
  return router;
}
