import { type LatestVitals, type Reading, type TrendBucket, foldLatestVitals, latestVitalCarriers, latestVitalKeys, mergeTrends } from '@chairside/shared';
import type { ChairsSlice } from './chairs-slice';
import type { SliceCreator } from './slice';
import {
  type ChairHistory,
  type FocusReadings,
  type HistoryLimits,
  type RecentReading,
  addKeyedToHistory,
  addToFocus,
  defaultHistoryLimits,
  emptyHistory,
  keyed,
  replaceInFocus,
  replaceInHistory,
} from './reading-history';

function groupByChair(readings: readonly Reading[]): Map<string, RecentReading[]> {
  const groups = new Map<string, RecentReading[]>();
  for (const reading of readings) {
    const item = keyed(reading);
    const group = groups.get(reading.chairId);
    if (group === undefined) groups.set(reading.chairId, [item]);
    else group.push(item);
  }
  return groups;
}

const isLater = (a: RecentReading, b: RecentReading | undefined): boolean => b === undefined || a.t > b.t || (a.t === b.t && a.seq > b.seq);

/**
 * The chair's newest values with `items` folded in. Each value comes from the newest reading that
 * has it, so a page of thousands folds only those few (the same result as folding every one).
 */
function foldLatest(latest: LatestVitals, items: readonly RecentReading[]): LatestVitals {
  if (items.length <= 8) return items.reduce((acc, item) => foldLatestVitals(acc, item.reading), latest);
  // One slot per newest value (shared's definition of a reading that has it), plus the newest reading of all.
  const has: ((r: Reading) => boolean)[] = [() => true, ...latestVitalKeys.map((key) => latestVitalCarriers[key])];
  const slots: (RecentReading | undefined)[] = new Array<RecentReading | undefined>(has.length);
  for (const item of items) {
    has.forEach((test, i) => {
      if (test(item.reading) && isLater(item, slots[i])) slots[i] = item;
    });
  }
  const candidates = new Set<Reading>();
  for (const slot of slots) if (slot !== undefined) candidates.add(slot.reading);
  let next = latest;
  for (const reading of candidates) next = foldLatestVitals(next, reading);
  return next;
}

export interface ReadingsSlice {
  /** Per chair, bounded in memory (see reading-history.ts). */
  history: Record<string, ChairHistory>;
  /** Every reading of the chair whose page is open, at full resolution (its readings table); null when none is. */
  focus: FocusReadings | null;
  /** Folds stored readings into the tiles and the trend; duplicates (by seq) change nothing. */
  applyReadings(readings: readonly Reading[]): void;
  /**
   * A page of the chair's stored readings measured from `fromMs` on, loaded by the chair's page:
   * folded in like live ones, and kept at full resolution while that page is open.
   */
  historyLoaded(chairId: string, readings: readonly Reading[], fromMs: number): void;
  /** The chair's trend as the server computed it (same bucket width), merged into the one held. */
  trendLoaded(chairId: string, buckets: readonly TrendBucket[]): void;
  /** The chair's page opened: hold its readings at full resolution from now on. */
  focusOpened(chairId: string): void;
  /** The chair's page closed: let its full readings go (the trend and the newest readings stay). */
  focusClosed(chairId: string): void;
  /** The server's sequence started over (its store was replaced): forget every reading held. */
  readingsReset(): void;
  /** Readings the server changed after storing them (attached to a session): replaces those held, by seq. */
  readingsUpdated(readings: readonly Reading[]): void;
}

/** Readings fold into the chairs' newest values too. */
type ReadingsState = ReadingsSlice & Pick<ChairsSlice, 'chairs'>;

interface Folded {
  history: Record<string, ChairHistory>;
  chairs: ChairsSlice['chairs'];
  focus: FocusReadings | null;
}

/** Folds readings into histories, tiles and the open page's full readings; unchanged parts keep their identity. */
function foldReadings(s: Folded, readings: readonly Reading[], limits: HistoryLimits): Folded {
  let { history, chairs, focus } = s;
  for (const [chairId, items] of groupByChair(readings)) {
    const before = history[chairId] ?? emptyHistory;
    const after = addKeyedToHistory(before, items, limits);
    if (after !== before) history = { ...history, [chairId]: after };
    if (focus !== null && focus.chairId === chairId) focus = addToFocus(focus, items, limits);

    const chair = chairs[chairId];
    if (chair === undefined) continue; // folded in when the chair list arrives (chairs-slice)
    const latest = foldLatest(chair.latest, items);
    if (latest !== chair.latest) chairs = { ...chairs, [chairId]: { ...chair, latest } };
  }
  return { history, chairs, focus };
}

function changedParts(s: ReadingsState, next: Folded): Partial<ReadingsState> {
  return next.history === s.history && next.chairs === s.chairs && next.focus === s.focus ? s : next;
}

export function createReadingsSlice(
  limits: HistoryLimits = defaultHistoryLimits,
): SliceCreator<ReadingsState, ReadingsSlice> {
  return (set) => ({
    history: {},
    focus: null,

    applyReadings: (readings) => {
      if (readings.length === 0) return;
      set((s) => changedParts(s, foldReadings(s, readings, limits)));
    },

    historyLoaded: (chairId, readings, fromMs) =>
      set((s) => {
        const next = foldReadings(s, readings.filter((r) => r.chairId === chairId), limits);
        if (next.focus !== null && next.focus.chairId === chairId) {
          const loadedFromMs = next.focus.loadedFromMs === null ? fromMs : Math.min(next.focus.loadedFromMs, fromMs);
          if (loadedFromMs !== next.focus.loadedFromMs) next.focus = { ...next.focus, loadedFromMs };
        }
        return changedParts(s, next);
      }),

    trendLoaded: (chairId, buckets) =>
      set((s) => {
        const before = s.history[chairId] ?? emptyHistory;
        const trend = mergeTrends(before.trend, buckets, limits);
        return trend === before.trend ? s : { history: { ...s.history, [chairId]: { ...before, trend } } };
      }),

    focusOpened: (chairId) =>
      set((s) => {
        if (s.focus?.chairId === chairId) return s;
        const held = s.history[chairId] ?? emptyHistory;
        return { focus: { chairId, all: held.recent, key: held.key, loadedFromMs: null } };
      }),

    focusClosed: (chairId) => set((s) => (s.focus?.chairId === chairId ? { focus: null } : s)),

    readingsReset: () =>
      set((s) => ({
        history: {},
        chairs: {},
        chairList: { status: 'loading', error: null },
        focus: s.focus === null ? null : { chairId: s.focus.chairId, all: [], key: [], loadedFromMs: null },
      })),

    readingsUpdated: (readings) =>
      set((s) => {
        let history = s.history;
        for (const [chairId, items] of groupByChair(readings)) {
          const before = history[chairId];
          if (before === undefined) continue;
          const after = replaceInHistory(before, items.map((i) => i.reading));
          if (after !== before) history = { ...history, [chairId]: after };
        }
        const focus = s.focus === null ? null : replaceInFocus(s.focus, readings.filter((r) => r.chairId === s.focus?.chairId));
        return history === s.history && focus === s.focus ? s : { history, focus };
      }),
  });
}
