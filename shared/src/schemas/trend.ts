import { z } from 'zod';
import { isoInstantSchema } from './common';
import { type TrendBucket, trendFields } from '../vitals/trend-buckets';

/** Narrowest and widest bucket a trend may be asked for. */
export const trendBucketMsLimits = { min: 1000, max: 60 * 60 * 1000 } as const;
/** Most buckets one trend answer may hold (12 h at 15 s is 2,880). */
export const maxTrendBuckets = 20_000;
/** Longest period one trend may cover: a week of 1 Hz readings is folded in well under a second. */
export const maxTrendPeriodMs = 7 * 24 * 60 * 60 * 1000;

/** Query of a chair's trend: `GET /api/v1/chairs/:id/trend?from&to&bucketMs`. */
export const trendQuerySchema = z.object({
  from: isoInstantSchema.optional(),
  to: isoInstantSchema.optional(),
  bucketMs: z.coerce.number().int().min(trendBucketMsLimits.min).max(trendBucketMsLimits.max).optional(),
});
export type TrendQuery = z.infer<typeof trendQuerySchema>;

const offsetMs = z.number().int().min(0);

export const trendBucketSchema: z.ZodType<TrendBucket> = z.object({
  startMs: z.number().int(),
  firstOffsetMs: offsetMs,
  lastOffsetMs: offsetMs,
  range: z.array(z.number().nullable()).length(trendFields.length * 2),
  highFirst: z.number().int().min(0),
});

/**
 * A chair's readings of a period at display resolution (trend-buckets.ts): per slice of `bucketMs`,
 * the lowest and highest value of each vital. The readings themselves stay as stored.
 */
export const chairTrendSchema = z.object({
  chairId: z.string(),
  from: isoInstantSchema,
  to: isoInstantSchema,
  bucketMs: z.number().int(),
  /** How many stored readings were folded in. */
  readings: z.number().int().min(0),
  buckets: z.array(trendBucketSchema),
});
export type ChairTrend = z.infer<typeof chairTrendSchema>;
