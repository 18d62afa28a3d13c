import { Router } from 'express';
import { z } from 'zod';
import {
  clinicDayStartMs,
  idSchema,
  isoInstantSchema,
  reviewExportQuerySchema,
} from '@chairside/shared';
import { type AuditService, auditActorOf, clientIp } from '../audit/audit.service';
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
        phase: s.phase,
        checkedInAt: new Date(s.checkedInAt).toISOString(),
        checkedInBy: s.checkedInBy,
        endedAt: s.endedAt === null ? null : new Date(s.endedAt).toISOString(),
        alertCount,
        highAlertCount,
        signedAt: signedAt === null ? null : new Date(signedAt).toISOString(),
      })),
    });
  });

  router.get('/sessions/:id/report', careTeam, async (req, res) => {
    const { sessionId, body } = await review.reportJson(idSchema.parse(req.params.id));
    await audit.record(auditActorOf(userOf(res).user), {
      action: 'session-viewed',
      targetType: 'session-report',
      targetId: sessionId,
      sessionId,
      ip: clientIp(req),
    });
    res.set('Content-Type', 'application/json; charset=utf-8').send(body); // what res.json(report) would send
  });

  router.post('/sessions/:id/sign', requireRole('clinician'), async (req, res) => {
    signSchema.parse(req.body ?? {});
    const { user } = userOf(res);
    const signature = await review.sign(idSchema.parse(req.params.id), user);
    await audit.record(auditActorOf(user), { action: 'session-signed', targetType: 'session', targetId: signature.sessionId, sessionId: signature.sessionId, ip: clientIp(req) });
    res.status(201).json(signature);
  });

  router.post('/sessions/:id/addenda', careTeam, async (req, res) => {
    const { text } = addendumSchema.parse(req.body);
    const { user } = userOf(res);
    const addendum = await review.addAddendum(idSchema.parse(req.params.id), text, user);
    await audit.record(auditActorOf(user), { action: 'addendum-added', targetType: 'session', targetId: addendum.sessionId, sessionId: addendum.sessionId, ip: clientIp(req) });
    res.status(201).json(addendum);
  });

  router.get('/sessions/:id/export', careTeam, async (req, res) => {
    const { format, paper } = reviewExportQuerySchema.parse(req.query);
    const sessionId = idSchema.parse(req.params.id);
    const file = await review.exportFile(sessionId, format, paper ?? 'a4');
    await audit.record(auditActorOf(userOf(res).user), {
      action: 'session-exported',
      targetType: 'session',
      targetId: sessionId,
      sessionId,
      details: { format, ...(format === 'pdf' ? { paper: paper ?? 'a4' } : {}) },
      ip: clientIp(req),
    });
    // attachment() would set a type from the extension. end(), not send(): send() would hash the whole
    // body for an ETag on the event loop (a FHIR bundle of a 3-hour session is tens of megabytes).
    res.attachment(file.fileName).type(file.contentType).set('Content-Length', String(file.body.length)).end(file.body);
  });

  router.get('/patients/:id/history', careTeam, async (req, res) => {
    const patientId = idSchema.parse(req.params.id);
    const history = await review.patientHistory(patientId);
    await audit.record(auditActorOf(userOf(res).user), { action: 'session-viewed', targetType: 'patient-history', targetId: patientId, ip: clientIp(req) });
    res.json(history);
  });

  return router;
}
