import { Router } from 'express';
import { createChairSchema, idSchema, readingRangeQuerySchema } from '@chairside/shared';
import { anyUser, requireRole } from '../auth/auth.middleware';
import type { Clock } from '../clock';
import type { Store } from '../store/store';
import { invalidInput } from '../http/app-error';
import type { ChairsService } from './chairs.service';

const defaultWindowMs = 12 * 60 * 60 * 1000;
const defaultLimit = 50_000;

export function chairRoutes(chairs: ChairsService, store: Store, clock: Clock): Router {
  const router = Router();

  router.get('/', anyUser, async (_req, res) => {
    res.json(await chairs.list());
  });

  router.post('/', requireRole('admin'), async (req, res) => {
    res.status(201).json(await chairs.create(createChairSchema.parse(req.body)));
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
