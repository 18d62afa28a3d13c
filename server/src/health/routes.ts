import { Router } from 'express';
import type { ServerStatus } from '@chairside/shared';
import type { Clock } from '../clock';
import type { Hl7AlertsOutHealth } from '../hl7-out/hl7-alerts-out-health';

/** What the health check asks of the store: which one, and whether it answers. */
export interface StoreProbe {
  readonly kind: string;
  ping(): Promise<void>;
}

/** `hl7AlertsOut`: the HL7 alerts outbox and the gateway's connection, when HL7_ALERT_TARGET is set (docs/hl7-alerts.md). */
export function healthRoutes(
  store: StoreProbe,
  clock: Clock,
  version: string,
  status: () => ServerStatus,
  hl7AlertsOut?: () => Promise<Hl7AlertsOutHealth>,
): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    try {
      await store.ping();
      const { storeWritable, problem } = status();
      const body = {
        status: storeWritable ? 'ok' : 'degraded',
        store: store.kind,
        storeWritable,
        problem,
        version,
        time: new Date(clock.now()).toISOString(),
        ...(hl7AlertsOut ? { hl7AlertsOut: await hl7AlertsOut() } : {}),
      };
      res.status(storeWritable ? 200 : 503).json(body);
    } catch {
      res.status(503).json({ status: 'unavailable', store: store.kind, version });
    }
  });
  return router;
}
