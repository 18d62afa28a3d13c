import { Router } from 'express';
import { z } from 'zod';
import { maxReadingsPerRequest, readingInputSchema } from '@chairside/shared';
import { actorOf } from '../auth/auth.middleware';
import { AppError, forbidden, unauthorized } from '../http/app-error';
import type { IngestService } from './ingest.service';

const readingArraySchema = z.array(readingInputSchema).min(1, 'send at least one reading');

export function ingestRoutes(ingest: IngestService): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const actor = res.locals.actor;
    if (!actor) throw unauthorized('Send a device token (Authorization: Bearer …) or log in.');
    if (actor.kind === 'user' && actor.user.role === 'admin') {
      throw forbidden('Readings are entered by nurses and clinicians.');
    }
    if (Array.isArray(req.body) && req.body.length > maxReadingsPerRequest) {
      throw new AppError('payload_too_large', `Send at most ${maxReadingsPerRequest} readings per request.`);
    }
    const isArray = Array.isArray(req.body);
    // Parsed separately (not as a union) so every 400 names the field: `[3, "systolic"]` or `["systolic"]`.
    const inputs = isArray ? readingArraySchema.parse(req.body) : [readingInputSchema.parse(req.body)];
    const { readings, createdCount } = await ingest.ingest(inputs, actorOf(res));
    res.status(createdCount > 0 ? 201 : 200).json(isArray ? readings : readings[0]);
  });

  return router;
}
