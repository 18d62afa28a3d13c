import { type ChairTrend, type TrendBucket, addToTrend } from '@chairside/shared';
import type { ReadingsRepository, TrendCursor } from '../store/store';

/** Rows read per query: a few hundred kB in memory whatever the period and the device's rate. */
const defaultPageRows = 20_000;

/**
 * A chair's readings with `fromMs <= measuredAt < toMs` at display resolution: every reading folded
 * into `bucketMs` slices with the same code the dashboard folds live readings with, so the trend it
 * draws from this answer and from its own stream agree. Read page by page in time order.
 */
export async function chairTrend(store: Pick<ReadingsRepository, 'listChairTrendRows'>, chairId: string, fromMs: number, toMs: number, bucketMs: number, pageRows = defaultPageRows): Promise<ChairTrend> {
  // Nothing of the period is dropped: the window spans it, and the slice its first reading falls in.
  const limits = { bucketMs, windowMs: toMs - fromMs + bucketMs };
  let buckets: readonly TrendBucket[] = [];
  let readings = 0;
  let after: TrendCursor = { t: fromMs - 1, seq: 0 };
  for (;;) {
    const rows = await store.listChairTrendRows(chairId, fromMs, toMs, after, pageRows);
    buckets = addToTrend(buckets, rows, limits);
    readings += rows.length;
    const last = rows.at(-1);
    if (last === undefined || rows.length < pageRows) break;
    after = { t: last.t, seq: last.seq };
  }
  return { chairId, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), bucketMs, readings, buckets: [...buckets] };
}
