import { Router } from 'express';
import { idSchema, pushSubscriptionInputSchema } from '@chairside/shared';
import { requireRole, userOf } from '../auth/auth.middleware';
import type { PushDevicesService } from './push-devices.service';

const anyUser = requireRole('nurse', 'clinician', 'admin');

/** `/api/v1/push/public-key`: the VAPID key a browser subscribes with. */
export function pushKeyRoutes(publicKey: string): Router {
  const router = Router();
  router.get('/public-key', anyUser, (_req, res) => {
    res.json({ publicKey });
  });
  return router;
}

/**
 * `/api/v1/push-subscriptions`: this user's devices that receive alarms by Web Push. Not in the
 * audit trail: every push sent is recorded with its device in the alert's deliveries.
 */
export function pushSubscriptionRoutes(devices: PushDevicesService): Router {
  const router = Router();
  router.use(anyUser);
  router.get('/', async (_req, res) => {
    res.json(await devices.list(userOf(res).user));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await devices.subscribe(userOf(res).user, pushSubscriptionInputSchema.parse(req.body)));
  });
  router.delete('/:id', async (req, res) => {
    await devices.remove(userOf(res).user, idSchema.parse(req.params.id));
    res.status(204).end();
  });
  return router;
}
