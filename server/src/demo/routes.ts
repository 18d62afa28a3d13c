import { Router } from 'express';
import { z } from 'zod';
import { idSchema } from '@chairside/shared';
import type { AuditService } from '../audit/audit.service';
import { audited } from '../audit/audited';
import { requireRole } from '../auth/auth.middleware';
import { notFound } from '../http/app-error';

/** What demo mode lets a presenter do to the simulated chairs. */
export interface DemoControl {
  /** Event kinds a presenter can start, e.g. "surge", "sensor-off", "discharge-with-override". */
  kinds: readonly string[];
  chairIds: readonly string[];
  /** Starts it; what it started, or a promise of it. Throws (an AppError: 409 …) when it cannot start now. */
  trigger(chairId: string, kind: string): unknown;
}

/** Demo mode only: a presenter (admin) starts a scenario on a simulated chair ("surge now"). */
export function demoRoutes(control: () => DemoControl | null, audit: AuditService): Router {
  const router = Router();
  const requireDemo = (): DemoControl => {
    const c = control();
    if (!c) throw notFound('Demo mode is off: there are no simulated chairs to control.');
    return c;
  };
  router.get('/', requireRole('admin'), (_req, res) => {
    const c = control();
    res.json(c ? { enabled: true, kinds: c.kinds, chairIds: c.chairIds } : { enabled: false, kinds: [], chairIds: [] });
  });
  router.post(
    '/trigger',
    requireRole('admin'),
    audited(audit, {
      run: async (req) => {
        const c = requireDemo();
        const body = z
          .object({ chairId: idSchema.refine((id) => c.chairIds.includes(id), 'not a simulated chair'), kind: z.enum(c.kinds as [string, ...string[]]) })
          .strict()
          .parse(req.body);
        const event: unknown = await c.trigger(body.chairId, body.kind);
        return { chairId: body.chairId, kind: body.kind, event };
      },
      entry: ({ chairId, kind }) => ({ action: 'demo-triggered', targetType: 'chair', targetId: chairId, details: { kind } }),
      status: 201,
    }),
  );
  return router;
}
