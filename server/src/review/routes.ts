import { Router } from 'express';
import { z } from 'zod';
import {
  type PatientHistoryItem,
  type SessionAddendum,
  type SessionListPage,
  type SessionSignature,
  clinicDayStartMs,
  idSchema,
  isoInstantSchema,
  reviewExportQuerySchema,
  sessionPhaseSchema,
} from '@chairside/shared';
import type { AuditService } from '../audit/audit.service';
import { audited } from '../audit/audited';
import { requireRole, userOf } from '../auth/auth.middleware';
import { invalidInput } from '../http/app-error';
import type { ReviewService } from './review.service';

const careTeam = requireRole('nurse', 'clinician');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)), 'not a date');
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const listQuerySchema = z
  .object({
    /** Instants, or clinic days (`fromDate`/`toDate`, inclusive, in CLINIC_TIMEZONE). */
    from: isoInstantSchema.optional(),
    to: isoInstantSchema.optional(),
    fromDate: day.optional(),
    toDate: day.optional(),
    patientId: idSchema.optional(),
    chairId: idSchema.optional(),
    protocolId: idSchema.optional(),
    hadAlerts: flag.optional(),
    overrideUsed: flag.optional(),
    signed: flag.optional(),
    sort: z.enum(['checkedInAt', 'chair', 'protocol']).default('checkedInAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const signSchema = z.object({}).strict();
const addendumSchema = z.object({ text: z.string().trim().min(1, 'write the correction').max(4000) }).strict();

export function reviewRoutes(review: ReviewService, audit: AuditService, timeZone: string): Router {
  const router = Router();

  router.get('/sessions', careTeam, async (req, res) => {
    const q = listQuerySchema.parse(req.query);
    const fromMs = q.from ? Date.parse(q.from) : q.fromDate ? clinicDayStartMs(q.fromDate, timeZone) : 0;
    const toMs = q.to
      ? Date.parse(q.to)
      : q.toDate
        ? clinicDayStartMs(new Date(Date.parse(q.toDate) + 36 * 3_600_000).toISOString().slice(0, 10), timeZone)
        : Number.MAX_SAFE_INTEGER;
    if (fromMs >= toMs) throw invalidInput('The start of the range must be before its end.', [{ path: ['from'], message: 'must be before "to"' }]);
    const { rows, total } = await review.list({ ...q, fromMs, toMs });
    res.json({
      timeZone,
      total,
      limit: q.limit,
      offset: q.offset,
      items: rows.map(({ session: s, patientName, alertCount, highAlertCount, signedAt }) => ({
        id: s.id,
        chairId: s.chairId,
        patientId: s.patientId,
        patientName,
        protocolId: s.protocolId,
        protocolVersion: s.protocolVersion,
        phase: sessionPhaseSchema.parse(s.phase), // stored as text
        checkedInAt: new Date(s.checkedInAt).toISOString(),
        checkedInBy: s.checkedInBy,
        endedAt: s.endedAt === null ? null : new Date(s.endedAt).toISOString(),
        alertCount,
        highAlertCount,
        signedAt: signedAt === null ? null : new Date(signedAt).toISOString(),
      })),
    } satisfies SessionListPage); // the answers' shapes are the dashboard's schemas (docs/architecture.md, "The contract")
  });

  router.get(
    '/sessions/:id/report',
    careTeam,
    audited(audit, {
      run: (req) => review.reportJson(idSchema.parse(req.params.id)),
      entry: ({ sessionId }) => ({ action: 'session-viewed', targetType: 'session-report', targetId: sessionId, sessionId }),
      reply: (res, { body }) => res.set('Content-Type', 'application/json; charset=utf-8').send(body), // what res.json(report) would send
    }),
  );

  router.post(
    '/sessions/:id/sign',
    requireRole('clinician'),
    audited(audit, {
      run: (req, res) => {
        signSchema.parse(req.body ?? {});
        return review.sign(idSchema.parse(req.params.id), userOf(res).user);
      },
      entry: (signature) => ({ action: 'session-signed', targetType: 'session', targetId: signature.sessionId, sessionId: signature.sessionId }),
      reply: (res, signature) => res.status(201).json(signature satisfies SessionSignature),
    }),
  );

  router.post(
    '/sessions/:id/addenda',
    careTeam,
    audited(audit, {
      run: (req, res) => {
        const { text } = addendumSchema.parse(req.body);
        return review.addAddendum(idSchema.parse(req.params.id), text, userOf(res).user);
      },
      entry: (addendum) => ({ action: 'addendum-added', targetType: 'session', targetId: addendum.sessionId, sessionId: addendum.sessionId }),
      reply: (res, addendum) => res.status(201).json(addendum satisfies SessionAddendum),
    }),
  );

  router.get(
    '/sessions/:id/export',
    careTeam,
    audited(audit, {
      run: async (req) => {
        const { format, paper } = reviewExportQuerySchema.parse(req.query);
        const sessionId = idSchema.parse(req.params.id);
        return { sessionId, format, paper, file: await review.exportFile(sessionId, format, paper ?? 'a4') };
      },
      entry: ({ sessionId, format, paper }) => ({
        action: 'session-exported',
        targetType: 'session',
        targetId: sessionId,
        sessionId,
        details: { format, ...(format === 'pdf' ? { paper: paper ?? 'a4' } : {}) },
      }),
      // attachment() would set a type from the extension. end(), not send(): send() would hash the whole
      // body for an ETag on the event loop (a FHIR bundle of a 3-hour session is tens of megabytes).
      reply: (res, { file }) => res.attachment(file.fileName).type(file.contentType).set('Content-Length', String(file.body.length)).end(file.body),
    }),
  );

  router.get(
    '/patients/:id/history',
    careTeam,
    audited(audit, {
      run: async (req) => {
        const patientId = idSchema.parse(req.params.id);
        return { patientId, history: await review.patientHistory(patientId) };
      },
      entry: ({ patientId }) => ({ action: 'session-viewed', targetType: 'patient-history', targetId: patientId }),
      reply: (res, { history }) => res.json(history satisfies PatientHistoryItem[]),
    }),
  );

  return router;
}
