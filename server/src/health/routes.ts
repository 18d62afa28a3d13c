import { Router } from 'express';
import type { Clock } from '../clock';
import type { Store } from '../store/store';

export function healthRoutes(store: Store, clock: Clock, version: string): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    try {
      await store.ping();
      res.json({ status: 'ok', store: store.kind, version, time: new Date(clock.now()).toISOString() });
    } catch {
      res.status(503).json({ status: 'unavailable', store: store.kind, version });
    }
  });
  return router;
}
