import { Router } from 'express';
import { idSchema, pushSubscriptionInputSchema } from '@chairside/shared';
import { requireRole, userOf } from '../auth/auth.middleware';
import type { AuditService } from '../audit/audit.service';
import { audited } from '../audit/audited';
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
 * `/api/v1/push-subscriptions`: this user's devices that receive alarms by Web Push. Subscribing and
 * removing a device are in the audit trail (who, which device by its label and push service); every
 * push sent is recorded with its device in the alert's deliveries.
 */
export function pushSubscriptionRoutes(devices: PushDevicesService, audit: AuditService): Router {
  const router = Router();
  router.use(anyUser);
  router.get('/', async (_req, res) => {
    res.json(await devices.list(userOf(res).user));
  });
  router.post(
    '/',
    audited(audit, {
      run: (req, res) => devices.subscribe(userOf(res).user, pushSubscriptionInputSchema.parse(req.body)),
      entry: (device) => ({ action: 'push-subscribed', targetType: 'push-device', targetId: device.id, details: { label: device.label, service: device.service } }),
      status: 201,
    }),
  );
  router.delete(
    '/:id',
    audited(audit, {
      run: (req, res) => devices.remove(userOf(res).user, idSchema.parse(req.params.id)),
      entry: (device) => ({ action: 'push-removed', targetType: 'push-device', targetId: device.id, details: { label: device.label, service: device.service } }),
      reply: (res) => res.status(204).end(),
    }),
  );
  return router;
}
