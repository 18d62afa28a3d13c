import type { Reading } from '../schemas/reading';

/** The vitals a trend draws, in the order of a bucket's `range`. */
export const trendFields = ['systolic', 'diastolic', 'mean', 'heartRate', 'spo2', 'respRate'] as const;
export type TrendField = (typeof trendFields)[number];

/**
 * A chair's trend at display resolution: every reading measured within one `bucketMs` slice of
 * time folds into one bucket that keeps the lowest and the highest value of each vital, so a spike
 * or a dip of a single second survives (an average would hide it), duplicates change nothing, and
 * hours of per-second data take a few thousand buckets. The full resolution stays on the server
 * ("downsample for display, never for storage").
 */
export interface TrendBucket {
  /** Start of the slice (epoch ms, a multiple of the bucket width). */
  startMs: number;
  /** measuredAt of the earliest and of the latest reading folded in, in ms after `startMs`. */
  firstOffsetMs: number;
  lastOffsetMs: number;
  /**
   * Per trend field i: `range[2i]` the lowest value, `range[2i + 1]` the highest; null when none.
   * (Small integers and null keep 12 h of 48 chairs within a few tens of MB.)
   */
  range: readonly (number | null)[];
  /** Bit i set: field i's highest value was measured before its lowest (the line goes down). */
  highFirst: number;
}

/** The values of a reading a trend draws (a whole Reading will do). */
export type TrendValues = Pick<Reading, TrendField>;

/** One reading's trend values, measuredAt parsed once (epoch ms). */
export interface TrendSample {
  t: number;
  reading: TrendValues;
}

/** The lowest value of trend field `field` (its index) in the bucket, or null. */
export function lowOf(bucket: TrendBucket, field: number): number | null {
  return bucket.range[2 * field] ?? null;
}

/** The highest value of trend field `field` (its index) in the bucket, or null. */
export function highOf(bucket: TrendBucket, field: number): number | null {
  return bucket.range[2 * field + 1] ?? null;
}

/** measuredAt of the earliest reading in the bucket (epoch ms). */
export function firstMsOf(bucket: TrendBucket): number {
  return bucket.startMs + bucket.firstOffsetMs;
}

/** measuredAt of the latest reading in the bucket (epoch ms). */
export function lastMsOf(bucket: TrendBucket): number {
  return bucket.startMs + bucket.lastOffsetMs;
}

function hasTrendValue(reading: TrendValues): boolean {
  for (const field of trendFields) if (reading[field] !== null) return true;
  return false;
}

interface OpenBucket {
  startMs: number;
  firstMs: number;
  lastMs: number;
  range: (number | null)[];
  highFirst: number;
  changed: boolean;
}

function openBucket(startMs: number, from: TrendBucket | undefined): OpenBucket {
  if (from === undefined) {
    return { startMs, firstMs: Infinity, lastMs: -Infinity, range: new Array<number | null>(trendFields.length * 2).fill(null), highFirst: 0, changed: true };
  }
  return { startMs, firstMs: firstMsOf(from), lastMs: lastMsOf(from), range: [...from.range], highFirst: from.highFirst, changed: false };
}

/** Folds one reading into a bucket; marks it changed only when something it shows changed. */
function fold(bucket: OpenBucket, sample: TrendSample): void {
  const { t, reading } = sample;
  if (t < bucket.firstMs) {
    bucket.firstMs = t;
    bucket.changed = true;
  }
  if (t > bucket.lastMs) {
    bucket.lastMs = t;
    bucket.changed = true;
  }
  trendFields.forEach((field, i) => {
    const v = reading[field];
    if (v === null) return;
    const low = bucket.range[2 * i] ?? null;
    const high = bucket.range[2 * i + 1] ?? null;
    const bit = 1 << i;
    if (low === null || high === null) {
      bucket.range[2 * i] = v;
      bucket.range[2 * i + 1] = v;
      bucket.changed = true;
      return;
    }
    // Readings mostly arrive in time order: a new extreme is the later one of the pair. A late
    // reading inside the bucket may misorder its two points, a few pixels apart at most.
    const latest = t >= bucket.lastMs;
    if (v < low) {
      bucket.range[2 * i] = v;
      bucket.highFirst = latest ? bucket.highFirst | bit : bucket.highFirst & ~bit;
      bucket.changed = true;
    }
    if (v > high) {
      bucket.range[2 * i + 1] = v;
      bucket.highFirst = latest ? bucket.highFirst & ~bit : bucket.highFirst | bit;
      bucket.changed = true;
    }
  });
}

function sealed(bucket: OpenBucket): TrendBucket {
  return {
    startMs: bucket.startMs,
    firstOffsetMs: bucket.firstMs - bucket.startMs,
    lastOffsetMs: bucket.lastMs - bucket.startMs,
    range: bucket.range,
    highFirst: bucket.highFirst,
  };
}

/** Index of the first of `items` (sorted by `keyOf`) whose key is at least `value`: a binary search. */
export function indexAtOrAfter<T>(items: readonly T[], keyOf: (item: T) => number, value: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = items[mid];
    if (item !== undefined && keyOf(item) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const startOf = (bucket: TrendBucket): number => bucket.startMs;

/** Index of the first bucket starting at or after `startMs`. */
export function bucketIndexAtOrAfter(trend: readonly TrendBucket[], startMs: number): number {
  return indexAtOrAfter(trend, startOf, startMs);
}

export interface TrendLimits {
  /** Width of one bucket. */
  bucketMs: number;
  /** Buckets starting more than this before the newest one are dropped. */
  windowMs: number;
}

/**
 * Folds readings into a trend (oldest bucket first). Returns `trend` itself when nothing it shows
 * changed: a duplicate, or a value within the bucket's range, re-renders nothing. Readings in time
 * order (the live stream, a history page) touch only the newest bucket or append.
 */
export function addToTrend(trend: readonly TrendBucket[], samples: readonly TrendSample[], limits: TrendLimits): readonly TrendBucket[] {
  const touched = new Map<number, OpenBucket>();
  let lastStart: number | null = null;
  let current: OpenBucket | undefined;
  for (const sample of samples) {
    if (!Number.isFinite(sample.t) || !hasTrendValue(sample.reading)) continue;
    const startMs = Math.floor(sample.t / limits.bucketMs) * limits.bucketMs;
    if (startMs !== lastStart) {
      lastStart = startMs;
      current = touched.get(startMs);
      if (current === undefined) {
        const index = bucketIndexAtOrAfter(trend, startMs);
        const existing = trend[index];
        current = openBucket(startMs, existing?.startMs === startMs ? existing : undefined);
        touched.set(startMs, current);
      }
    }
    if (current !== undefined) fold(current, sample);
  }
  const changed = [...touched.values()].filter((b) => b.changed).sort((a, b) => a.startMs - b.startMs);
  if (changed.length === 0) return trend;

  let next: TrendBucket[];
  const first = changed[0];
  const newest = trend.at(-1);
  if (first === undefined || newest === undefined || first.startMs >= newest.startMs) {
    // The common case: the newest bucket changed, or new ones follow it.
    next = trend.slice(0, newest !== undefined && first?.startMs === newest.startMs ? -1 : trend.length);
    for (const bucket of changed) next.push(sealed(bucket));
  } else {
    next = [];
    let i = 0;
    for (const bucket of changed) {
      while (i < trend.length && (trend[i]?.startMs ?? Infinity) < bucket.startMs) next.push(trend[i++] as TrendBucket);
      if (trend[i]?.startMs === bucket.startMs) i += 1;
      next.push(sealed(bucket));
    }
    while (i < trend.length) next.push(trend[i++] as TrendBucket);
  }

  const last = next.at(-1);
  if (last !== undefined) {
    const keepFrom = bucketIndexAtOrAfter(next, last.startMs - limits.windowMs);
    if (keepFrom > 0) next = next.slice(keepFrom);
  }
  return next;
}

/** Both buckets (same slice of time) in one: the lowest and highest of either, over both spans. */
function combined(a: TrendBucket, b: TrendBucket): TrendBucket {
  const range = [...a.range];
  let highFirst = a.highFirst;
  // Where the two extremes come from different buckets, their order is that of the buckets' spans.
  const midA = (a.firstOffsetMs + a.lastOffsetMs) / 2;
  const midB = (b.firstOffsetMs + b.lastOffsetMs) / 2;
  trendFields.forEach((_, i) => {
    const bit = 1 << i;
    const [lowA, highA] = [lowOf(a, i), highOf(a, i)];
    const [lowB, highB] = [lowOf(b, i), highOf(b, i)];
    if (lowB === null || highB === null) return;
    if (lowA === null || highA === null) {
      range[2 * i] = lowB;
      range[2 * i + 1] = highB;
      highFirst = (highFirst & ~bit) | (b.highFirst & bit);
      return;
    }
    const lowFromB = lowB < lowA;
    const highFromB = highB > highA;
    range[2 * i] = lowFromB ? lowB : lowA;
    range[2 * i + 1] = highFromB ? highB : highA;
    if (lowFromB && highFromB) highFirst = (highFirst & ~bit) | (b.highFirst & bit);
    else if (lowFromB !== highFromB) {
      const highMid = highFromB ? midB : midA;
      const lowMid = lowFromB ? midB : midA;
      highFirst = highMid < lowMid ? highFirst | bit : highFirst & ~bit;
    }
  });
  return {
    startMs: a.startMs,
    firstOffsetMs: Math.min(a.firstOffsetMs, b.firstOffsetMs),
    lastOffsetMs: Math.max(a.lastOffsetMs, b.lastOffsetMs),
    range,
    highFirst,
  };
}

function sameBucket(a: TrendBucket, b: TrendBucket): boolean {
  return (
    a.firstOffsetMs === b.firstOffsetMs &&
    a.lastOffsetMs === b.lastOffsetMs &&
    a.highFirst === b.highFirst &&
    a.range.length === b.range.length &&
    a.range.every((v, i) => v === b.range[i])
  );
}

/**
 * Merges buckets computed elsewhere (the server's trend of the same readings, same `bucketMs`) into
 * `trend`: a slice both hold keeps the extremes of either, so merging the same readings twice, in
 * any order, changes nothing. Returns `trend` itself when nothing it shows changed.
 */
export function mergeTrends(trend: readonly TrendBucket[], incoming: readonly TrendBucket[], limits: TrendLimits): readonly TrendBucket[] {
  if (incoming.length === 0) return trend;
  const sorted = [...incoming].sort((a, b) => a.startMs - b.startMs);
  const next: TrendBucket[] = [];
  let changed = false;
  let i = 0;
  for (const bucket of sorted) {
    while (i < trend.length && (trend[i]?.startMs ?? Infinity) < bucket.startMs) next.push(trend[i++] as TrendBucket);
    const held = trend[i];
    const last = next.at(-1);
    if (held?.startMs === bucket.startMs) {
      const both = combined(held, bucket);
      if (sameBucket(both, held)) next.push(held);
      else {
        next.push(both);
        changed = true;
      }
      i += 1;
    } else if (last?.startMs === bucket.startMs) {
      next[next.length - 1] = combined(last, bucket);
      changed = true;
    } else {
      next.push(bucket);
      changed = true;
    }
  }
  while (i < trend.length) next.push(trend[i++] as TrendBucket);
  if (!changed) return trend;
  const newest = next.at(-1);
  const keepFrom = newest === undefined ? 0 : bucketIndexAtOrAfter(next, newest.startMs - limits.windowMs);
  return keepFrom > 0 ? next.slice(keepFrom) : next;
}
