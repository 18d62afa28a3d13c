import type { Reading } from '@chairside/shared';
import { type TrendBucket, addToTrend, indexAtOrAfter } from '@chairside/shared';

/** A full reading (with its rejected values) and its sort key. */
export interface RecentReading {
  seq: number;
  t: number;
  reading: Reading;
}

/** What the dashboard keeps of one chair's timeline, oldest first; the readings unique by seq. */
export interface ChairHistory {
  /** The trend at display resolution (shared trend-buckets.ts), bounded by `windowMs`. */
  trend: readonly TrendBucket[];
  /** The newest readings of any kind. */
  recent: readonly RecentReading[];
  /**
   * The newest key readings: a BP, a manual entry, a rejected or flagged value. Kept apart because a
   * monitor streaming HR every second would push them out of `recent` within minutes.
   */
  key: readonly RecentReading[];
}

export interface HistoryLimits {
  /** Trend buckets starting longer than this before the newest one are dropped. */
  windowMs: number;
  /** Width of one trend bucket: 15 s gives 240 buckets an hour, the chart's resolution over 1 h. */
  bucketMs: number;
  /**
   * Full readings kept per chair of any kind: what the tiles and the first page of the readings
   * table need. The chair's page loads older ones from the server while it is open (`focus`).
   */
  maxRecent: number;
  /** Key readings kept per chair (a BP every 5 min is 144 in 12 h). */
  maxKey: number;
  /** Full readings held for the open chair's page, whatever its window holds (a 10 Hz device). */
  maxFocus: number;
}

/**
 * 48 chairs at 1 Hz fill 12 h of trend buckets with under 20 MB, and no more after that; the full
 * readings stay within a few MB.
 */
export const defaultHistoryLimits: HistoryLimits = {
  windowMs: 12 * 60 * 60 * 1000,
  bucketMs: 15_000,
  maxRecent: 30,
  maxKey: 200,
  maxFocus: 100_000,
};

export const emptyHistory: ChairHistory = { trend: [], recent: [], key: [] };

/**
 * Every reading of one chair at full resolution, for the readings table of the chair's page while
 * it is open: what the page loaded from the server and what arrived live since.
 */
export interface FocusReadings {
  chairId: string;
  all: readonly RecentReading[];
  key: readonly RecentReading[];
  /** The server's readings from this instant on are held (epoch ms); null before the first page arrived. */
  loadedFromMs: number | null;
}

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

const timeOf = (item: Keyed): number => item.t;

/** Index of the first item with `t >= time`. */
function firstAtOrAfter(items: readonly Keyed[], time: number): number {
  return indexAtOrAfter(items, timeOf, time);
}

/** Keeps the last `windowMs` before the newest item, and at most `maxItems`. */
export function trimToWindow<T extends Keyed>(items: readonly T[], windowMs: number, maxItems: number): readonly T[] {
  const newest = items.at(-1);
  if (newest === undefined) return items;
  const start = Math.max(firstAtOrAfter(items, newest.t - windowMs), items.length - maxItems);
  return start === 0 ? items : items.slice(start);
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

/** A reading with its sort key (measuredAt parsed once). */
export function keyed(reading: Reading): RecentReading {
  return { seq: reading.seq, t: Date.parse(reading.measuredAt), reading };
}

/**
 * Those of `items` (any order) that can be among the newest `max` once merged into `held`, in time
 * order: a page of older history changes nothing here, and a backlog is not sorted whole.
 */
function newest(items: readonly RecentReading[], held: readonly RecentReading[], max: number): readonly RecentReading[] {
  const oldestHeld = held[0];
  const candidates = held.length >= max && oldestHeld !== undefined ? items.filter((item) => compareKeyed(item, oldestHeld) > 0) : items;
  return candidates.length > max ? [...candidates].sort(compareKeyed).slice(-max) : candidates;
}

/** Adds one chair's readings to its history; returns `history` itself when nothing changed. */
export function addToHistory(
  history: ChairHistory,
  readings: readonly Reading[],
  limits: HistoryLimits = defaultHistoryLimits,
): ChairHistory {
  if (readings.length === 0) return history;
  return addKeyedToHistory(history, readings.map(keyed), limits);
}

/** As addToHistory, for readings whose time is already parsed (the slice parses each once). */
export function addKeyedToHistory(history: ChairHistory, items: readonly RecentReading[], limits: HistoryLimits): ChairHistory {
  if (items.length === 0) return history;
  const trend = addToTrend(history.trend, items, limits);
  // Only the newest few can end up in the table: skip merging thousands of a backlog into it.
  const recent = trimToWindow(mergeBySeq(history.recent, newest(items, history.recent, limits.maxRecent)), Infinity, limits.maxRecent);
  const keyItems = items.filter((k) => isKeyReading(k.reading));
  const key = trimToWindow(mergeBySeq(history.key, newest(keyItems, history.key, limits.maxKey)), Infinity, limits.maxKey);
  if (trend === history.trend && recent === history.recent && key === history.key) return history;
  return { trend, recent, key };
}

/** The open page's full readings with `items` of its chair added; `focus` itself when nothing is new. */
export function addToFocus(focus: FocusReadings, items: readonly RecentReading[], limits: HistoryLimits): FocusReadings {
  if (items.length === 0) return focus;
  const all = trimToWindow(mergeBySeq(focus.all, items), limits.windowMs, limits.maxFocus);
  const key = trimToWindow(mergeBySeq(focus.key, items.filter((k) => isKeyReading(k.reading))), limits.windowMs, limits.maxFocus);
  return all === focus.all && key === focus.key ? focus : { ...focus, all, key };
}

/** Replaces readings the open page holds (same seq) by their new version. */
export function replaceInFocus(focus: FocusReadings, readings: readonly Reading[]): FocusReadings {
  const replaced = replaceInHistory({ trend: [], recent: focus.all, key: focus.key }, readings);
  return replaced.recent === focus.all && replaced.key === focus.key ? focus : { ...focus, all: replaced.recent, key: replaced.key };
}
