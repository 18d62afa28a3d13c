import type { Reading } from '@chairside/shared';

/** The plausible values of one reading, compact enough to keep hours of per-second data. */
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

/** A full reading (with its rejected values) and its sort key. */
export interface RecentReading {
  seq: number;
  t: number;
  reading: Reading;
}

/** What the dashboard keeps of one chair's timeline, oldest first, unique by seq. */
export interface ChairHistory {
  points: readonly TrendPoint[];
  /** The newest readings of any kind. */
  recent: readonly RecentReading[];
  /**
   * The newest key readings: a BP, a manual entry, a rejected or flagged value. Kept apart because a
   * monitor streaming HR every second would push them out of `recent` within minutes.
   */
  key: readonly RecentReading[];
}

export interface HistoryLimits {
  /** Trend points older than this before the newest one are dropped. */
  windowMs: number;
  /** Hard cap per chair, whatever the window holds (a day-long tablet stays within memory). */
  maxPoints: number;
  /** Full readings kept for the readings table, of any kind and key ones each. */
  maxRecent: number;
}

export const defaultHistoryLimits: HistoryLimits = {
  windowMs: 12 * 60 * 60 * 1000,
  maxPoints: 50_000,
  maxRecent: 200,
};

export const emptyHistory: ChairHistory = { points: [], recent: [], key: [] };

interface Keyed {
  seq: number;
  t: number;
}

function compareKeyed(a: Keyed, b: Keyed): number {
  return a.t - b.t || a.seq - b.seq;
}

/**
 * Merges `incoming` into `existing` (sorted by time, then seq), dropping every reading whose seq is
 * already there, so a reconnect backlog that overlaps the live stream yields no duplicate.
 * Returns `existing` itself when nothing is new.
 */
export function mergeBySeq<T extends Keyed>(existing: readonly T[], incoming: readonly T[]): readonly T[] {
  if (incoming.length === 0) return existing;
  const sorted = [...incoming].sort(compareKeyed);
  const last = existing.at(-1);
  const first = sorted[0];

  if (last === undefined || (first !== undefined && compareKeyed(first, last) > 0)) {
    const fresh = withoutAdjacentDuplicates(sorted);
    return existing.length === 0 ? fresh : existing.concat(fresh);
  }

  const merged: T[] = [];
  let added = 0;
  let i = 0;
  let j = 0;
  while (i < existing.length || j < sorted.length) {
    const a = existing[i];
    const b = sorted[j];
    if (b === undefined || (a !== undefined && compareKeyed(a, b) <= 0)) {
      if (a !== undefined) merged.push(a);
      i += 1;
      continue;
    }
    // The same seq always has the same time, so a duplicate sorts right next to its twin.
    if (merged.at(-1)?.seq !== b.seq && a?.seq !== b.seq) {
      merged.push(b);
      added += 1;
    }
    j += 1;
  }
  return added === 0 ? existing : merged;
}

function withoutAdjacentDuplicates<T extends Keyed>(sorted: T[]): T[] {
  return sorted.filter((item, index) => index === 0 || sorted[index - 1]?.seq !== item.seq);
}

/** Index of the first item with `t >= time`. */
function firstAtOrAfter(items: readonly Keyed[], time: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid]?.t ?? Infinity) < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keeps the last `windowMs` before the newest item, and at most `maxItems`. */
export function trimToWindow<T extends Keyed>(items: readonly T[], windowMs: number, maxItems: number): readonly T[] {
  const newest = items.at(-1);
  if (newest === undefined) return items;
  const start = Math.max(firstAtOrAfter(items, newest.t - windowMs), items.length - maxItems);
  return start === 0 ? items : items.slice(start);
}

export function toTrendPoint(reading: Reading): TrendPoint {
  return {
    seq: reading.seq,
    t: Date.parse(reading.measuredAt),
    systolic: reading.systolic,
    diastolic: reading.diastolic,
    mean: reading.mean,
    heartRate: reading.heartRate,
    spo2: reading.spo2,
    respRate: reading.respRate,
  };
}

function hasVitals(point: TrendPoint): boolean {
  return (
    point.systolic !== null ||
    point.diastolic !== null ||
    point.mean !== null ||
    point.heartRate !== null ||
    point.spo2 !== null ||
    point.respRate !== null
  );
}

/** A reading a nurse looks for in the table: a BP, a manual entry, a rejected or flagged value. */
export function isKeyReading(reading: Reading): boolean {
  return (
    reading.systolic !== null ||
    reading.diastolic !== null ||
    reading.mean !== null ||
    reading.source === 'manual' ||
    reading.rejected.length > 0 ||
    reading.flags.length > 0
  );
}

/**
 * Replaces readings already held (same seq) by their new version, e.g. once attached to a session;
 * readings not held are ignored. Returns `history` itself when nothing changed.
 */
export function replaceInHistory(history: ChairHistory, readings: readonly Reading[]): ChairHistory {
  const bySeq = new Map(readings.map((reading) => [reading.seq, reading]));
  const replace = (items: readonly RecentReading[]): readonly RecentReading[] => {
    if (!items.some((item) => bySeq.has(item.seq))) return items;
    return items.map((item) => {
      const reading = bySeq.get(item.seq);
      return reading === undefined ? item : { ...item, reading };
    });
  };
  const recent = replace(history.recent);
  const key = replace(history.key);
  return recent === history.recent && key === history.key ? history : { ...history, recent, key };
}

/** Adds one chair's readings to its history; returns `history` itself when nothing changed. */
export function addToHistory(
  history: ChairHistory,
  readings: readonly Reading[],
  limits: HistoryLimits = defaultHistoryLimits,
): ChairHistory {
  if (readings.length === 0) return history;
  const keyed = readings.map((reading) => ({ seq: reading.seq, t: Date.parse(reading.measuredAt), reading }));
  // Only the newest few can end up in the table: skip merging thousands of a backlog into it.
  const newest = (items: RecentReading[]) => (items.length > limits.maxRecent ? [...items].sort(compareKeyed).slice(-limits.maxRecent) : items);

  const points = trimToWindow(
    mergeBySeq(history.points, readings.map(toTrendPoint).filter(hasVitals)),
    limits.windowMs,
    limits.maxPoints,
  );
  const recent = trimToWindow(mergeBySeq(history.recent, newest(keyed)), Infinity, limits.maxRecent);
  const key = trimToWindow(mergeBySeq(history.key, newest(keyed.filter((k) => isKeyReading(k.reading)))), Infinity, limits.maxRecent);
  if (points === history.points && recent === history.recent && key === history.key) return history;
  return { points, recent, key };
}
