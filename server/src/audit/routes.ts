import { Router } from 'express';
import { z } from 'zod';
import { type AuditEntry as AuditEntryAnswer, idSchema, isoInstantSchema } from '@chairside/shared';
import { requireRole } from '../auth/auth.middleware';
import type { Clock } from '../clock';
import type { AuditEntry } from '../store/store';
import type { AuditService } from './audit.service';
import { audited } from './audited';

const querySchema = z.object({
  from: isoInstantSchema.optional(),
  to: isoInstantSchema.optional(),
  user: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  sessionId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
  format: z.enum(['json', 'csv']).default('json'),
});

/** An entry as the API answers it: the dashboard's schema (docs/architecture.md, "The contract"). */
function view(e: AuditEntry & { names?: AuditEntryAnswer['names'] }): AuditEntryAnswer {
  return { ...e, at: new Date(e.at).toISOString() };
}

const csvCell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function auditRoutes(audit: AuditService, clock: Clock): Router {
  const router = Router();
  router.get(
    '/',
    requireRole('admin'),
    audited(audit, {
      run: async (req) => {
        const q = querySchema.parse(req.query);
        const filter = {
          fromMs: q.from ? Date.parse(q.from) : 0,
          toMs: q.to ? Date.parse(q.to) : clock.now() + 60_000,
          username: q.user,
          action: q.action,
          sessionId: q.sessionId,
          limit: q.limit,
          offset: q.offset,
        };
        // The JSON answer names what the ids stand for (`names`); the CSV stays the record as stored.
        return { q, entries: q.format === 'csv' ? await audit.list(filter) : await audit.listWithNames(filter) };
      },
      entry: ({ q }) => ({ action: 'audit-viewed', details: { filter: { ...q, format: undefined } } }),
      reply: (res, { q, entries }) => {
        if (q.format === 'csv') {
          const header = ['seq', 'at', 'username', 'role', 'action', 'target_type', 'target_id', 'session_id', 'details', 'ip'];
          const rows = entries.map((e) =>
            [e.seq, new Date(e.at).toISOString(), e.username, e.role, e.action, e.targetType, e.targetId, e.sessionId, e.details, e.ip]
              .map(csvCell)
              .join(','),
          );
          res.type('text/csv').attachment('chairside-audit.csv').send([header.join(','), ...rows].join('\r\n') + '\r\n');
          return;
        }
        res.json(entries.map(view));
      },
    }),
  );
  return router;
}
