import { z } from 'zod';

/**
 * A vital's recent values in measurement order, kept so that a reading which arrives late can be
 * judged where it belongs (docs/clinical-defaults.md, "Late data"). Pure helpers over plain arrays:
 * the alert engine keeps them in its persisted state.
 */

/** `[orderAtMs, value, manual (1) or not (0), seq]`: compact, because the state is saved often. */
export const seriesPointSchema = z.tuple([z.number(), z.number(), z.union([z.literal(0), z.literal(1)]), z.number().int()]);
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

/** A breaching run of one vital: the points of one episode, no gap wider than the tolerance. */
export interface SeriesRun {
  startMs: number;
  lastMs: number;
  readings: number;
  /** The run's newest point is a manual (spot) reading: two consecutive ones satisfy a sustained rule. */
  lastWasSpot: boolean;
  minValue: number;
  maxValue: number;
}

export const seriesRunSchema = z.object({
  startMs: z.number(),
  lastMs: z.number(),
  readings: z.number().int(),
  lastWasSpot: z.boolean(),
  minValue: z.number(),
  maxValue: z.number(),
});

/** Where a point measured at `atMs` goes: after every point at or before that time (so arrival order breaks ties). */
export function insertionIndex(points: readonly SeriesPoint[], atMs: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((points[mid]?.[0] ?? 0) <= atMs) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Gaps between device points the cadence is judged on (the newest few; manual entries are not a cadence). */
const cadenceSample = 8;

/**
 * How often the device sends this vital: the median gap between its newest consecutive device
 * points. Null with fewer than two device points (the cadence is not known yet).
 */
export function sendIntervalMs(points: readonly SeriesPoint[]): number | null {
  const gaps: number[] = [];
  let newer: SeriesPoint | undefined;
  for (let i = points.length - 1; i >= 0 && gaps.length < cadenceSample; i -= 1) {
    const point = points[i];
    if (point === undefined || point[2] === 1) continue;
    if (newer !== undefined && newer[0] > point[0]) gaps.push(newer[0] - point[0]);
    newer = point;
  }
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  const middle = gaps.length >>> 1;
  return gaps.length % 2 === 1 ? (gaps[middle] ?? 0) : ((gaps[middle - 1] ?? 0) + (gaps[middle] ?? 0)) / 2;
}

/**
 * The widest gap a run may have and still count as covered: two send intervals. Without a known
 * cadence (manual entries only, or the first pair) any gap counts.
 */
export function coverageToleranceMs(points: readonly SeriesPoint[]): number {
  const interval = sendIntervalMs(points);
  return interval === null ? Number.POSITIVE_INFINITY : 2 * interval;
}

/** Starts a run at one breaching point, or extends one by it (a gap wider than `toleranceMs` starts afresh). */
export function extendRun(run: SeriesRun | undefined, point: SeriesPoint, toleranceMs: number): SeriesRun {
  const [atMs, value, manual] = point;
  if (run === undefined || atMs - run.lastMs > toleranceMs) {
    return { startMs: atMs, lastMs: atMs, readings: 1, lastWasSpot: manual === 1, minValue: value, maxValue: value };
  }
  return {
    startMs: run.startMs,
    lastMs: atMs,
    readings: run.readings + 1,
    lastWasSpot: manual === 1,
    minValue: Math.min(run.minValue, value),
    maxValue: Math.max(run.maxValue, value),
  };
}

/**
 * The breaching run through the point at `index`: the contiguous breaching points around it with no
 * gap wider than `toleranceMs`. Null when that point does not breach. `reachesNewest` says whether
 * the run goes on to the newest point (then it is the vital's current episode).
 */
export function runThrough(
  points: readonly SeriesPoint[],
  index: number,
  breaches: (value: number) => boolean,
  toleranceMs: number,
): { run: SeriesRun; firstIndex: number; reachesNewest: boolean } | null {
  const at = points[index];
  if (at === undefined || !breaches(at[1])) return null;
  let first = index;
  while (first > 0) {
    const before = points[first - 1];
    const current = points[first];
    if (before === undefined || current === undefined || !breaches(before[1]) || current[0] - before[0] > toleranceMs) break;
    first -= 1;
  }
  let last = index;
  while (last < points.length - 1) {
    const after = points[last + 1];
    const current = points[last];
    if (after === undefined || current === undefined || !breaches(after[1]) || after[0] - current[0] > toleranceMs) break;
    last += 1;
  }
  let run: SeriesRun | undefined;
  for (let i = first; i <= last; i += 1) {
    const point = points[i];
    if (point !== undefined) run = extendRun(run, point, Number.POSITIVE_INFINITY);
  }
  if (run === undefined) return null;
  return { run, firstIndex: first, reachesNewest: last === points.length - 1 };
}

/** Keeps the points measured within `keepMs` of the newest, and at least the newest `minPoints`. */
export function trimSeries(points: SeriesPoint[], keepMs: number, minPoints: number): SeriesPoint[] {
  const newest = points.at(-1);
  if (newest === undefined) return points;
  const cutoff = newest[0] - keepMs;
  let drop = 0;
  while (drop < points.length - minPoints && (points[drop]?.[0] ?? Number.POSITIVE_INFINITY) < cutoff) drop += 1;
  return drop === 0 ? points : points.slice(drop);
}
