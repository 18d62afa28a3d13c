/** The fixed periods the chair's trend offers besides the session's own span. */
export const trendPeriods = [
  { id: '1h', label: '1 h', ms: 60 * 60 * 1000 },
  { id: '3h', label: '3 h', ms: 3 * 60 * 60 * 1000 },
  { id: '12h', label: '12 h', ms: 12 * 60 * 60 * 1000 },
] as const;

export type TrendPeriod = (typeof trendPeriods)[number];
export type TrendPeriodId = TrendPeriod['id'] | 'session';

/**
 * The period the page loads first (asked for on the tap that opens it, before anyone knows the
 * session's length) and shows for a chair without a session. Three hours covers a ketamine or
 * esketamine session from check-in to discharge, so the session's span is complete with it too.
 */
export const defaultTrendPeriod: TrendPeriod = trendPeriods[1];

/** A session a few minutes old still gets a readable chart, not a sliver. */
export const minSessionSpanMs = 15 * 60 * 1000;
/** The session's axis starts a little before check-in, so its first readings are not on the edge. */
export const sessionLeadMs = 2 * 60 * 1000;
/** The store keeps 12 h: a longer session shows its last 12 h. */
export const maxSpanMs = 12 * 60 * 60 * 1000;

/** The instants the chart spans (epoch ms), ending now. */
export interface TrendWindow {
  fromMs: number;
  toMs: number;
  /**
   * Values are drawn from here on: for the session, from check-in (the session's own readings), so
   * the chair's previous patient is not drawn on the left of a young session's chart.
   */
  dataFromMs: number;
}

/**
 * The session: from check-in (a little before) to now, at most `maxSpanMs`. A session younger than
 * `minSessionSpanMs` keeps its start on the left and the rest of its first 15 min empty on the
 * right, so it fills from left to right like a paper anaesthesia record instead of sliding.
 * `checkedInAtMs` null (no session): the default period. A fixed period: the last hours, whoever
 * sat in the chair.
 */
export function trendWindow(periodId: TrendPeriodId, checkedInAtMs: number | null, nowMs: number): TrendWindow {
  if (periodId === 'session' && checkedInAtMs !== null) {
    const fromMs = Math.max(nowMs - maxSpanMs, checkedInAtMs - sessionLeadMs);
    return { fromMs, toMs: Math.max(nowMs, fromMs + minSessionSpanMs), dataFromMs: Math.max(fromMs, checkedInAtMs) };
  }
  const period = trendPeriods.find((p) => p.id === periodId) ?? defaultTrendPeriod;
  return { fromMs: nowMs - period.ms, toMs: nowMs, dataFromMs: nowMs - period.ms };
}

const minute = 60 * 1000;
/** Round steps between time ticks, shortest first. */
const tickSteps = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240].map((m) => m * minute);

/** The shortest round step that puts at most `maxTicks` ticks across `spanMs` (7 labels fit a phone). */
export function tickStepMs(spanMs: number, maxTicks = 6): number {
  return tickSteps.find((step) => spanMs / step <= maxTicks) ?? tickSteps[tickSteps.length - 1] ?? 240 * minute;
}
