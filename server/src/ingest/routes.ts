import { Router } from 'express';
import { actorOf } from '../auth/auth.middleware';
import { forbidden, unauthorized } from '../http/app-error';
import type { IngestService } from './ingest.service';
import { readingsOfRequest } from './ingest-input';

export function ingestRoutes(ingest: IngestService): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const actor = res.locals.actor;
    if (!actor) throw unauthorized('Send a device token (Authorization: Bearer …) or log in.');
    if (actor.kind === 'user' && actor.user.role === 'admin') {
      throw forbidden('Readings are entered by nurses and clinicians.');
    }
    const { inputs, isArray } = readingsOfRequest(req.body);
    const { readings, createdCount } = await ingest.ingest(inputs, actorOf(res));
    res.status(createdCount > 0 ? 201 : 200).json(isArray ? readings : readings[0]);
  });

  return router;
}
