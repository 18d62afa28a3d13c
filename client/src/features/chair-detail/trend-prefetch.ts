import type { ChairTrend } from '@chairside/shared';
import type { ApiClient } from '../../api/api-client';
import { defaultHistoryLimits } from '../../store/reading-history';
import { defaultTrendPeriod } from './trend-periods';

/** A chair's trend asked for on the tap that opens its page, before the page renders. */
export interface PrefetchedTrend {
  api: ApiClient;
  chairId: string;
  /** When it was asked for, and the start of the period it covers (epoch ms). */
  askedAtMs: number;
  fromMs: number;
  trend: Promise<ChairTrend>;
}

/** A prefetch older than this is not used: the page asks again. */
const freshForMs = 5000;

let pending: PrefetchedTrend | null = null;

/**
 * Asks for the chair's trend over the period its page shows first now (a finger on the chair's Open button), so the server works on
 * it while the page renders; useChairHistory takes it instead of asking again. Asking twice for the
 * same chair within a moment (pointer down, then click) asks once.
 */
export function prefetchChairTrend(api: ApiClient, chairId: string, nowMs: number): void {
  if (pending !== null && pending.api === api && pending.chairId === chairId && nowMs - pending.askedAtMs < freshForMs) return;
  const fromMs = nowMs - defaultTrendPeriod.ms;
  const trend = api.chairTrend(chairId, { from: new Date(fromMs).toISOString(), bucketMs: defaultHistoryLimits.bucketMs });
  // Not taken (the tap was not a tap after all), a failure is nobody's concern; taken, the page handles it.
  trend.catch(() => undefined);
  pending = { api, chairId, askedAtMs: nowMs, fromMs, trend };
}

/** The chair's prefetched trend if one is fresh, once: the next call gives null. */
export function takePrefetchedTrend(api: ApiClient, chairId: string, nowMs: number): PrefetchedTrend | null {
  const taken = pending;
  pending = null;
  if (taken === null || taken.api !== api || taken.chairId !== chairId || nowMs - taken.askedAtMs >= freshForMs) return null;
  return taken;
}
