import { Router } from 'express';
import {
  attachReadingsSchema,
  formatClinicDate,
  checkInSchema,
  idSchema,
  isRecordEventType,
  parseRecordEvent,
  remsFormSignSchema,
  remsFormSubmittedSchema,
  remsQueueQuerySchema,
  sessionEventInputSchema,
} from '@chairside/shared';
import { requireRole, userOf } from '../auth/auth.middleware';
import type { AuditAction, AuditService } from '../audit/audit.service';
import { audited } from '../audit/audited';
import { systemClock } from '../clock';
import { AppError, notFound } from '../http/app-error';
import { pdfContentType, renderRemsFormPdf } from '../review';
import type { SessionsService } from './sessions.service';

const careTeam = requireRole('nurse', 'clinician');

/** How the printable REMS form is dated: the clinic's time zone and the clock. */
export interface RemsPdfSettings {
  timeZone: string;
  clock: { now(): number };
}

export function sessionRoutes(sessions: SessionsService, audit: AuditService, remsPdf: RemsPdfSettings = { timeZone: 'UTC', clock: systemClock }): Router {
  const router = Router();

  router.post(
    '/',
    careTeam,
    audited(audit, {
      run: (req, res) => sessions.checkIn(checkInSchema.parse(req.body), userOf(res).user),
      entry: (session) => ({
        action: 'session-checked-in',
        targetType: 'session',
        targetId: session.id,
        sessionId: session.id,
        details: { chairId: session.chairId, patientId: session.patient.id, protocolId: session.protocol.id },
      }),
      status: 201,
    }),
  );

  router.get(
    '/:id',
    careTeam,
    audited(audit, {
      run: (req) => sessions.detail(idSchema.parse(req.params.id)),
      entry: (detail) => ({ action: 'session-viewed', targetType: 'session', targetId: detail.id, sessionId: detail.id }),
    }),
  );

  router.get('/:id/rems-form', careTeam, async (req, res) => {
    res.json(await sessions.remsForm(idSchema.parse(req.params.id)));
  });

  router.post(
    '/:id/rems-form',
    requireRole('clinician'),
    audited(audit, {
      run: (req, res) => sessions.signRemsForm(idSchema.parse(req.params.id), remsFormSignSchema.parse(req.body), userOf(res).user),
      entry: (form) => ({ action: 'session-event', targetType: 'session', targetId: form.sessionId, sessionId: form.sessionId, details: { type: 'rems-form-signed' } }),
      status: 201,
    }),
  );

  // The REMS form printable in Chairside's own layout (review/rems-pdf.ts), audited like the report's export. An IV
  // session has no REMS form: 404.
  router.get(
    '/:id/rems-form.pdf',
    careTeam,
    audited(audit, {
      run: async (req) => {
        const sessionId = idSchema.parse(req.params.id);
        const form = await sessions.remsForm(sessionId).catch((error: unknown) => {
          throw error instanceof AppError && error.code === 'conflict' ? notFound('This session has no REMS form: it runs an IV protocol.') : error;
        });
        const generatedAtMs = remsPdf.clock.now();
        const body = await renderRemsFormPdf(form, { timeZone: remsPdf.timeZone, generatedAtMs });
        return { sessionId, body, fileName: `rems-form-${sessionId}-${formatClinicDate(generatedAtMs, remsPdf.timeZone)}.pdf` };
      },
      entry: ({ sessionId }) => ({ action: 'session-exported', targetType: 'session', targetId: sessionId, sessionId, details: { format: 'rems-form-pdf' } }),
      reply: (res, { body, fileName }) => res.attachment(fileName).type(pdfContentType).set('Content-Length', String(body.length)).end(body),
    }),
  );

  router.post(
    '/:id/rems-form/submitted',
    careTeam,
    audited(audit, {
      run: async (req, res) => {
        const input = remsFormSubmittedSchema.parse(req.body);
        return { via: input.via, form: await sessions.remsFormSubmitted(idSchema.parse(req.params.id), input, userOf(res).user) };
      },
      entry: ({ via, form }) => ({ action: 'session-event', targetType: 'session', targetId: form.sessionId, sessionId: form.sessionId, details: { type: 'rems-form-submitted', via } }),
      reply: (res, { form }) => res.status(201).json(form),
    }),
  );

  router.get('/:id/gate', careTeam, async (req, res) => {
    res.json(await sessions.gateNow(idSchema.parse(req.params.id)));
  });

  // A session event and its audit entry: which kind of entry, and what it records of the event.
  type RecordedEvent = { session: { id: string }; action: AuditAction; details: Record<string, unknown> };
  router.post(
    '/:id/events',
    careTeam,
    audited(audit, {
      run: async (req, res): Promise<RecordedEvent> => {
        const body: unknown = req.body;
        if (typeof body === 'object' && body !== null && isRecordEventType((body as { type?: unknown }).type)) {
          // An entry of the session record beyond vitals (docs/architecture.md "The session record").
          const parsed = parseRecordEvent(body as Parameters<typeof parseRecordEvent>[0]);
          if (!parsed.success) throw parsed.error;
          const entry = parsed.data;
          const { user } = userOf(res);
          const session = await sessions.applyRecordEvent(idSchema.parse(req.params.id), entry, user);
          const override = entry.type === 'dose-given' && entry.override ? entry.override : null;
          return {
            session,
            action: 'session-event',
            details: { type: entry.type, ...(entry.corrects === undefined ? {} : { corrects: entry.corrects }), ...(override ? { reason: override.reason } : {}) },
          };
        }
        const event = sessionEventInputSchema.parse(req.body);
        const { user } = userOf(res);
        const session = await sessions.applyEvent(idSchema.parse(req.params.id), event, user);
        const override = (event.type === 'discharged' || event.type === 'treatment-started') && event.override ? event.override : null;
        const action =
          event.type === 'limits-changed'
            ? 'limits-changed'
            : override && event.type === 'discharged'
              ? 'discharge-override'
              : override
                ? 'start-override'
                : 'session-event';
        return {
          session,
          action,
          details: { type: event.type, ...(event.type === 'limits-changed' ? { limits: event.limits, reason: event.reason } : {}), ...(override ? { reason: override.reason } : {}) },
        };
      },
      entry: ({ session, action, details }) => ({ action, targetType: 'session', targetId: session.id, sessionId: session.id, details }),
      reply: (res, { session }) => res.status(201).json(session),
    }),
  );

  router.post(
    '/:id/readings',
    careTeam,
    audited(audit, {
      run: async (req, res) => {
        const { readingIds } = attachReadingsSchema.parse(req.body);
        const { user } = userOf(res);
        const sessionId = idSchema.parse(req.params.id);
        return { sessionId, attached: await sessions.attachReadings(sessionId, readingIds, user) };
      },
      entry: ({ sessionId, attached }) => ({ action: 'readings-attached', targetType: 'session', targetId: sessionId, sessionId, details: { readingIds: attached.map((r) => r.id) } }),
      reply: (res, { attached }) => res.json(attached),
    }),
  );

  return router;
}

/** `GET /api/v1/rems-forms?status=draft|signed|submitted&from&to`: the REMS form queue (default: drafts of the last 30 days). */
export function remsFormRoutes(sessions: SessionsService, clock: { now(): number }): Router {
  const router = Router();
  router.get('/', careTeam, async (req, res) => {
    const query = remsQueueQuerySchema.parse(req.query);
    const toMs = query.to === undefined ? clock.now() : Date.parse(query.to);
    const fromMs = query.from === undefined ? toMs - 30 * 86_400_000 : Date.parse(query.from);
    res.json(await sessions.remsQueue(query.status, fromMs, toMs));
  });
  return router;
}
