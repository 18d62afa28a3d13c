import { Router } from 'express';
import {
  attachReadingsSchema,
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
import { type AuditService, auditActorOf, clientIp } from '../audit/audit.service';
import type { SessionsService } from './sessions.service';

const careTeam = requireRole('nurse', 'clinician');

export function sessionRoutes(sessions: SessionsService, audit: AuditService): Router {
  const router = Router();

  router.post('/', careTeam, async (req, res) => {
    const input = checkInSchema.parse(req.body);
    const { user } = userOf(res);
    const session = await sessions.checkIn(input, user);
    await audit.record(auditActorOf(user), {
      action: 'session-checked-in',
      targetType: 'session',
      targetId: session.id,
      sessionId: session.id,
      details: { chairId: session.chairId, patientId: session.patient.id, protocolId: session.protocol.id },
      ip: clientIp(req),
    });
    res.status(201).json(session);
  });

  router.get('/:id', careTeam, async (req, res) => {
    const detail = await sessions.detail(idSchema.parse(req.params.id));
    await audit.record(auditActorOf(userOf(res).user), {
      action: 'session-viewed',
      targetType: 'session',
      targetId: detail.id,
      sessionId: detail.id,
      ip: clientIp(req),
    });
    res.json(detail);
  });

  router.get('/:id/rems-form', careTeam, async (req, res) => {
    res.json(await sessions.remsForm(idSchema.parse(req.params.id)));
  });

  router.post('/:id/rems-form', requireRole('clinician'), async (req, res) => {
    const input = remsFormSignSchema.parse(req.body);
    const { user } = userOf(res);
    const form = await sessions.signRemsForm(idSchema.parse(req.params.id), input, user);
    await audit.record(auditActorOf(user), {
      action: 'session-event',
      targetType: 'session',
      targetId: form.sessionId,
      sessionId: form.sessionId,
      details: { type: 'rems-form-signed' },
      ip: clientIp(req),
    });
    res.status(201).json(form);
  });

  router.post('/:id/rems-form/submitted', careTeam, async (req, res) => {
    const input = remsFormSubmittedSchema.parse(req.body);
    const { user } = userOf(res);
    const form = await sessions.remsFormSubmitted(idSchema.parse(req.params.id), input, user);
    await audit.record(auditActorOf(user), {
      action: 'session-event',
      targetType: 'session',
      targetId: form.sessionId,
      sessionId: form.sessionId,
      details: { type: 'rems-form-submitted', via: input.via },
      ip: clientIp(req),
    });
    res.status(201).json(form);
  });

  router.get('/:id/gate', careTeam, async (req, res) => {
    res.json(await sessions.gateNow(idSchema.parse(req.params.id)));
  });

  router.post('/:id/events', careTeam, async (req, res) => {
    const body: unknown = req.body;
    if (typeof body === 'object' && body !== null && isRecordEventType((body as { type?: unknown }).type)) {
      // An entry of the session record beyond vitals (docs/architecture.md "The session record").
      const parsed = parseRecordEvent(body as Parameters<typeof parseRecordEvent>[0]);
      if (!parsed.success) throw parsed.error;
      const entry = parsed.data;
      const { user } = userOf(res);
      const session = await sessions.applyRecordEvent(idSchema.parse(req.params.id), entry, user);
      const override = entry.type === 'dose-given' && entry.override ? entry.override : null;
      await audit.record(auditActorOf(user), {
        action: 'session-event',
        targetType: 'session',
        targetId: session.id,
        sessionId: session.id,
        details: { type: entry.type, ...(entry.corrects === undefined ? {} : { corrects: entry.corrects }), ...(override ? { reason: override.reason } : {}) },
        ip: clientIp(req),
      });
      res.status(201).json(session);
      return;
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
    await audit.record(auditActorOf(user), {
      action,
      targetType: 'session',
      targetId: session.id,
      sessionId: session.id,
      details: { type: event.type, ...(event.type === 'limits-changed' ? { limits: event.limits, reason: event.reason } : {}), ...(override ? { reason: override.reason } : {}) },
      ip: clientIp(req),
    });
    res.status(201).json(session);
  });

  router.post('/:id/readings', careTeam, async (req, res) => {
    const { readingIds } = attachReadingsSchema.parse(req.body);
    const { user } = userOf(res);
    const sessionId = idSchema.parse(req.params.id);
    const attached = await sessions.attachReadings(sessionId, readingIds, user);
    await audit.record(auditActorOf(user), {
      action: 'readings-attached',
      targetType: 'session',
      targetId: sessionId,
      sessionId,
      details: { readingIds: attached.map((r) => r.id) },
      ip: clientIp(req),
    });
    res.json(attached);
  });

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
