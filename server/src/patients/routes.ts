import { Router } from 'express';
import { z } from 'zod';
import { createPatientSchema, idSchema } from '@chairside/shared';
import { requireRole } from '../auth/auth.middleware';
import type { AuditService } from '../audit/audit.service';
import { audited } from '../audit/audited';
import type { PatientsService } from './patients.service';

const listQuerySchema = z.object({
  search: z.string().max(80).default(''),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Patients are seen and created by the people who run sessions and review them. */
const careTeam = requireRole('nurse', 'clinician');

export function patientRoutes(patients: PatientsService, audit: AuditService): Router {
  const router = Router();
  router.get('/', careTeam, async (req, res) => {
    const { search, limit } = listQuerySchema.parse(req.query);
    res.json(await patients.list(search.trim(), limit));
  });
  router.post(
    '/',
    careTeam,
    audited(audit, {
      run: (req) => patients.create(createPatientSchema.parse(req.body)),
      entry: (patient) => ({ action: 'patient-created', targetType: 'patient', targetId: patient.id }),
      status: 201,
    }),
  );
  router.get('/:id', careTeam, async (req, res) => {
    res.json(await patients.get(idSchema.parse(req.params.id)));
  });
  return router;
}
