import { type TrendBucket, type TrendField, bucketIndexAtOrAfter, firstMsOf, highOf, lastMsOf, lowOf, trendFields } from '@chairside/shared';
import type { SeriesPoint } from './downsample';

export type { TrendField };

/** The plausible values of one reading (the session report draws its readings from these). */
export interface TrendPoint {
  seq: number;
  /** measuredAt as epoch ms. */
  t: number;
  systolic: number | null;
  diastolic: number | null;
  mean: number | null;
  heartRate: number | null;
  spo2: number | null;
  respRate: number | null;
}

/**
 * One vital's values within [fromMs, toMs], with a gap marker wherever two values are further apart
 * than `maxGapMs`, so a monitor that was off is not drawn as a straight line.
 */
export function seriesOf(points: readonly TrendPoint[], field: TrendField, fromMs: number, toMs: number, maxGapMs: number): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  let previous: number | null = null;
  for (const point of points) {
    if (point.t < fromMs || point.t > toMs) continue;
    const v = point[field];
    if (v === null) continue;
    if (previous !== null && point.t - previous > maxGapMs) out.push({ t: previous + 1, v: null });
    out.push({ t: point.t, v });
    previous = point.t;
  }
  return out;
}

/**
 * Width of the chart's slices for a period: about `displayBuckets` of them across the chart, a
 * whole number of the store's buckets (so each slice's low and high are exact).
 */
export function sliceWidthMs(periodMs: number, bucketMs: number, displayBuckets: number): number {
  return Math.max(bucketMs, Math.ceil(periodMs / displayBuckets / bucketMs) * bucketMs);
}

interface Slice {
  index: number;
  low: number;
  lowT: number;
  high: number;
  highT: number;
}

/**
 * One vital over [fromMs, toMs] from the chair's trend buckets, regrouped into slices of `sliceMs`
 * aligned on the clock, so the line stays put as time moves and a new reading changes only its
 * last slice. Each slice keeps its lowest and highest value in time order: a one-second spike or
 * dip is never hidden. A gap marker (`v: null`) goes wherever two values lie further apart than
 * `maxGapMs`, so a monitor that was off is not drawn as a straight line.
 */
export function bucketSeries(
  trend: readonly TrendBucket[],
  field: TrendField,
  fromMs: number,
  toMs: number,
  sliceMs: number,
  maxGapMs: number,
): SeriesPoint[] {
  const f = trendFields.indexOf(field);
  const out: SeriesPoint[] = [];
  let previousT: number | null = null;
  const emit = (t: number, v: number) => {
    if (previousT !== null && t - previousT > maxGapMs) out.push({ t: previousT + 1, v: null });
    out.push({ t, v });
    previousT = t;
  };
  const flush = (slice: Slice) => {
    if (slice.low === slice.high) emit(Math.max(slice.lowT, slice.highT), slice.low);
    else if (slice.lowT <= slice.highT) {
      emit(slice.lowT, slice.low);
      emit(slice.highT, slice.high);
    } else {
      emit(slice.highT, slice.high);
      emit(slice.lowT, slice.low);
    }
  };

  let slice: Slice | null = null;
  for (let i = bucketIndexAtOrAfter(trend, Math.floor(fromMs / sliceMs) * sliceMs); i < trend.length; i += 1) {
    const bucket = trend[i];
    if (bucket === undefined || bucket.startMs > toMs) break;
    const low = lowOf(bucket, f);
    const high = highOf(bucket, f);
    if (low === null || high === null) continue;
    // Within one bucket the pair is placed at its first and last reading, in the order they came.
    const firstMs = firstMsOf(bucket);
    const lastMs = lastMsOf(bucket);
    let lowT = lastMs;
    let highT = lastMs;
    if (low !== high) {
      const highFirst = (bucket.highFirst & (1 << f)) !== 0;
      lowT = highFirst ? lastMs : firstMs;
      highT = highFirst ? firstMs : lastMs;
    }
    const index = Math.floor(bucket.startMs / sliceMs);
    if (slice !== null && slice.index !== index) {
      flush(slice);
      slice = null;
    }
    if (slice === null) slice = { index, low, lowT, high, highT };
    else {
      if (low < slice.low) {
        slice.low = low;
        slice.lowT = lowT;
      }
      if (high > slice.high) {
        slice.high = high;
        slice.highT = highT;
      }
    }
  }
  if (slice !== null) flush(slice);
  return out;
}

/**
 * The series ending at the newest value: a slice shows its low and high, so the current value (the
 * newest reading, often in between) is added at the end, where a nurse looks for it.
 */
export function withNewest(series: SeriesPoint[], newest: { t: number; v: number } | null, fromMs: number, maxGapMs: number): SeriesPoint[] {
  if (newest === null || newest.t < fromMs) return series;
  const last = series.at(-1);
  if (last !== undefined && newest.t <= last.t) return series;
  if (last !== undefined && newest.t - last.t > maxGapMs) series.push({ t: last.t + 1, v: null });
  series.push({ t: newest.t, v: newest.v });
  return series;
}

/** The same points, so an unchanged line keeps its array (and is not drawn again). */
export function sameSeries(a: readonly SeriesPoint[], b: readonly SeriesPoint[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i]?.t !== b[i]?.t || a[i]?.v !== b[i]?.v) return false;
  return true;
}
