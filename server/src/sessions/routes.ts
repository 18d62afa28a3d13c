import { Router } from 'express';
import { z } from 'zod';
import {
  attachReadingsSchema,
  checkInSchema,
  idSchema,
  isoInstantSchema,
  sessionEventInputSchema,
} from '@chairside/shared';
import { requireRole, userOf } from '../auth/auth.middleware';
import type { Clock } from '../clock';
import type { Store } from '../store/store';
import type { SessionsService } from './sessions.service';

const listQuerySchema = z.object({
  from: isoInstantSchema.optional(),
  to: isoInstantSchema.optional(),
  patientId: idSchema.optional(),
  chairId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

const careTeam = requireRole('nurse', 'clinician');

export function sessionRoutes(sessions: SessionsService, store: Store, clock: Clock): Router {
  const router = Router();

  router.post('/', careTeam, async (req, res) => {
    const input = checkInSchema.parse(req.body);
    res.status(201).json(await sessions.checkIn(input, userOf(res).user));
  });

  router.get('/', careTeam, async (req, res) => {
    const q = listQuerySchema.parse(req.query);
    const records = await store.listSessions({
      fromMs: q.from ? Date.parse(q.from) : 0,
      toMs: q.to ? Date.parse(q.to) : clock.now() + 86_400_000,
      patientId: q.patientId,
      chairId: q.chairId,
      limit: q.limit,
      offset: q.offset,
    });
    res.json(
      records.map((r) => ({
        id: r.id,
        chairId: r.chairId,
        patientId: r.patientId,
        protocolId: r.protocolId,
        protocolVersion: r.protocolVersion,
        phase: r.phase,
        checkedInAt: new Date(r.checkedInAt).toISOString(),
        checkedInBy: r.checkedInBy,
        endedAt: r.endedAt === null ? null : new Date(r.endedAt).toISOString(),
      })),
    );
  });

  router.get('/:id', careTeam, async (req, res) => {
    res.json(await sessions.detail(idSchema.parse(req.params.id)));
  });

  router.get('/:id/gate', careTeam, async (req, res) => {
    res.json(await sessions.gateNow(idSchema.parse(req.params.id)));
  });

  router.post('/:id/events', careTeam, async (req, res) => {
    const event = sessionEventInputSchema.parse(req.body);
    res.status(201).json(await sessions.applyEvent(idSchema.parse(req.params.id), event, userOf(res).user));
  });

  router.post('/:id/readings', careTeam, async (req, res) => {
    const { readingIds } = attachReadingsSchema.parse(req.body);
    res.json(await sessions.attachReadings(idSchema.parse(req.params.id), readingIds, userOf(res).user));
  });

  return router;
}
