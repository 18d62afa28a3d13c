import { Router } from 'express';
import { acknowledgeAlertBodySchema, idSchema } from '@chairside/shared';
import { requireRole, userOf } from '../auth/auth.middleware';
import type { Store } from '../store/store';
import type { AlertsService } from './alerts.service';

const careTeam = requireRole('nurse', 'clinician');

export function alertRoutes(alerts: AlertsService): Router {
  const router = Router();
  router.get('/', careTeam, (_req, res) => {
    res.json(alerts.openAlerts());
  });
  router.post('/:id/acknowledge', careTeam, async (req, res) => {
    const { note } = acknowledgeAlertBodySchema.parse(req.body ?? {});
    const { user } = userOf(res);
    const item = await alerts.acknowledge(String(req.params.id), { userId: user.id, username: user.username }, note);
    res.json(item.alert);
  });
  return router;
}

export function sessionAlertRoutes(store: Store): Router {
  const router = Router();
  router.get('/:id/alerts', careTeam, async (req, res) => {
    const records = await store.listSessionAlerts(idSchema.parse(req.params.id));
    res.json(records.map((r) => r.alert));
  });
  return router;
}

export function audioPauseRoutes(alerts: AlertsService, emit: (message: ReturnType<AlertsService['pauseAudio']>) => void): Router {
  const router = Router();
  router.post('/:id/audio-pause', careTeam, (req, res) => {
    const message = alerts.pauseAudio(idSchema.parse(req.params.id), userOf(res).user.username);
    emit(message);
    res.json(message);
  });
  return router;
}
