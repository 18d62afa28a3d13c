import { Router } from 'express';
import { z } from 'zod';
import { createPatientSchema, idSchema } from '@chairside/shared';
import { requireRole } from '../auth/auth.middleware';
import type { PatientsService } from './patients.service';

const listQuerySchema = z.object({
  search: z.string().max(80).default(''),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Patients are seen and created by the people who run sessions and review them. */
const careTeam = requireRole('nurse', 'clinician');

export function patientRoutes(patients: PatientsService): Router {
  const router = Router();
  router.get('/', careTeam, async (req, res) => {
    const { search, limit } = listQuerySchema.parse(req.query);
    res.json(await patients.list(search.trim(), limit));
  });
  router.post('/', careTeam, async (req, res) => {
    res.status(201).json(await patients.create(createPatientSchema.parse(req.body)));
  });
  router.get('/:id', careTeam, async (req, res) => {
    res.json(await patients.get(idSchema.parse(req.params.id)));
  });
  return router;
}
