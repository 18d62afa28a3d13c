import { Router } from 'express';
import { createChairSchema, idSchema, maxTrendBuckets, maxTrendPeriodMs, readingRangeQuerySchema, trendQuerySchema } from '@chairside/shared';
import { anyUser, requireRole, userOf } from '../auth/auth.middleware';
import type { Clock } from '../clock';
import type { TrendCursor } from '../store/store';
import { invalidInput } from '../http/app-error';
import type { ReadGate } from '../http/read-gate';
import type { AuditService } from '../audit/audit.service';
import { audited } from '../audit/audited';
import { chairForAdmin, type ChairsService } from './chairs.service';

const defaultWindowMs = 12 * 60 * 60 * 1000;
const defaultLimit = 50_000;
/** Readings read and written per step of a streamed answer. */
const streamPageSize = 500;
/** Readings may be measured a little ahead of the server's clock (a device's clock runs fast). */
const defaultAheadMs = 24 * 60 * 60 * 1000;
const defaultBucketMs = 15_000;

export function chairRoutes(chairs: ChairsService, clock: Clock, audit: AuditService, readGate: ReadGate): Router {
  const router = Router();

  router.get('/', anyUser, async (_req, res) => {
    const list = await chairs.list();
    // Admins are refused patients: their grid shows the sessions without the patient's identity.
    res.json(userOf(res).user.role === 'admin' ? list.map(chairForAdmin) : list);
  });

  router.post(
    '/',
    requireRole('admin'),
    audited(audit, {
      run: (req) => chairs.create(createChairSchema.parse(req.body)),
      entry: (chair) => ({ action: 'chair-created', targetType: 'chair', targetId: chair.id }),
      status: 201,
    }),
  );

  router.get('/:id/readings', anyUser, async (req, res) => {
    const chair = await chairs.get(idSchema.parse(req.params.id));
    const query = readingRangeQuerySchema.parse(req.query);
    const { fromMs, toMs } = rangeOf(query, clock);
    const limit = query.limit ?? defaultLimit;
    // Streamed page by page, yielding between pages: a whole history is never read or built at once.
    await readGate.run(async () => {
      let after: TrendCursor | undefined;
      let sent = 0;
      res.type('json');
      res.write('[');
      while (sent < limit) {
        const size = Math.min(streamPageSize, limit - sent);
        const page = await chairs.readingsPage(chair.id, fromMs, toMs, size, after);
        if (page.length > 0) res.write(`${sent === 0 ? '' : ','}${page.map((r) => JSON.stringify(r)).join(',')}`);
        sent += page.length;
        const last = page.at(-1);
        if (page.length < size || last === undefined) break;
        after = { t: Date.parse(last.measuredAt), seq: last.seq };
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.end(']');
    });
  });

  // The chair's readings at display resolution (per slice: each vital's lowest and highest value),
  // so a chart of hours draws from kilobytes; the readings themselves stay as stored.
  router.get('/:id/trend', anyUser, async (req, res) => {
    const chair = await chairs.get(idSchema.parse(req.params.id));
    const query = trendQuerySchema.parse(req.query);
    const { fromMs, toMs } = rangeOf(query, clock);
    const bucketMs = query.bucketMs ?? defaultBucketMs;
    if (toMs - fromMs > maxTrendPeriodMs) {
      const message = 'at most 7 days from "from" to "to"';
      throw invalidInput(`A trend covers ${message}.`, [{ path: ['to'], message }]);
    }
    if ((toMs - fromMs) / bucketMs > maxTrendBuckets) {
      const message = `at most ${maxTrendBuckets.toLocaleString('en-US')} buckets: shorten the period or widen "bucketMs"`;
      throw invalidInput(`The trend would hold ${message}.`, [{ path: ['bucketMs'], message }]);
    }
    res.json(await chairs.trend(chair.id, fromMs, toMs, bucketMs));
  });

  return router;
}

/** A query's period in epoch ms: by default the last 12 h and whatever is measured ahead of now. */
function rangeOf(query: { from?: string | undefined; to?: string | undefined }, clock: Clock): { fromMs: number; toMs: number } {
  const toMs = query.to ? Date.parse(query.to) : clock.now() + defaultAheadMs;
  const fromMs = query.from ? Date.parse(query.from) : clock.now() - defaultWindowMs;
  if (fromMs >= toMs) throw invalidInput('"from" must be before "to".', [{ path: ['from'], message: 'must be before "to"' }]);
  return { fromMs, toMs };
}
