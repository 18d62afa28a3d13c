import { Router } from 'express';
import type { ServerStatus } from '@chairside/shared';
import type { Clock } from '../clock';

/** What the health check asks of the store: which one, and whether it answers. */
export interface StoreProbe {
  readonly kind: string;
  ping(): Promise<void>;
}

export function healthRoutes(store: StoreProbe, clock: Clock, version: string, status: () => ServerStatus): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    try {
      await store.ping();
      const { storeWritable, problem } = status();
      const body = { status: storeWritable ? 'ok' : 'degraded', store: store.kind, storeWritable, problem, version, time: new Date(clock.now()).toISOString() };
      res.status(storeWritable ? 200 : 503).json(body);
    } catch {
      res.status(503).json({ status: 'unavailable', store: store.kind, version });
    }
  });
  return router;
}
