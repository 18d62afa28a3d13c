/** The periods the chair's trend offers, with their axis steps; the page loads the default one first. */
export const trendPeriods = [
  { id: '1h', label: '1 h', ms: 60 * 60 * 1000, tickMs: 10 * 60 * 1000 },
  { id: '3h', label: '3 h', ms: 3 * 60 * 60 * 1000, tickMs: 30 * 60 * 1000 },
  { id: '12h', label: '12 h', ms: 12 * 60 * 60 * 1000, tickMs: 2 * 60 * 60 * 1000 },
] as const;

export type TrendPeriod = (typeof trendPeriods)[number];

export const defaultTrendPeriod: TrendPeriod = trendPeriods[1];
