import { Router } from 'express';
import { createChairSchema, idSchema, readingRangeQuerySchema } from '@chairside/shared';
import { anyUser, requireRole, userOf } from '../auth/auth.middleware';
import type { Clock } from '../clock';
import type { Store } from '../store/store';
import { invalidInput } from '../http/app-error';
import { type AuditService, auditActorOf, clientIp } from '../audit/audit.service';
import type { ChairsService } from './chairs.service';

const defaultWindowMs = 12 * 60 * 60 * 1000;
const defaultLimit = 50_000;

export function chairRoutes(chairs: ChairsService, store: Store, clock: Clock, audit: AuditService): Router {
  const router = Router();

  router.get('/', anyUser, async (_req, res) => {
    res.json(await chairs.list());
  });

  router.post('/', requireRole('admin'), async (req, res) => {
    const chair = await chairs.create(createChairSchema.parse(req.body));
    await audit.record(auditActorOf(userOf(res).user), { action: 'chair-created', targetType: 'chair', targetId: chair.id, ip: clientIp(req) });
    res.status(201).json(chair);
  });

  router.get('/:id/readings', anyUser, async (req, res) => {
    const chair = await chairs.get(idSchema.parse(req.params.id));
    const query = readingRangeQuerySchema.parse(req.query);
    const toMs = query.to ? Date.parse(query.to) : clock.now() + 24 * 60 * 60 * 1000;
    const fromMs = query.from ? Date.parse(query.from) : clock.now() - defaultWindowMs;
    if (fromMs >= toMs) throw invalidInput('"from" must be before "to".', [{ path: ['from'], message: 'must be before "to"' }]);
    res.json(await store.listChairReadings(chair.id, fromMs, toMs, query.limit ?? defaultLimit));
  });

  return router;
}
