import type { Reading } from '@chairside/shared';

/**
 * Where the dashboard stands in the server's reading sequence. Pure: every step takes the cursor and
 * returns the next one with the readings that are new, so the reconnect logic is tested without a socket.
 *
 * The server joins us to the live stream before it reads the backlog (socket-events.ts), so backlog
 * and live stream overlap; whatever arrives twice is dropped here by seq.
 */
export interface SyncCursor {
  /** Every reading with seq ≤ this has arrived: a reconnect asks for what follows (null: nothing yet). */
  confirmedSeq: number | null;
  phase: 'idle' | 'syncing' | 'live';
  /** Seqs delivered since this sync began (backlog or live); cleared once live. */
  seenDuringSync: ReadonlySet<number>;
  /** Highest seq the live stream delivered while the backlog was read. */
  liveMaxDuringSync: number | null;
}

export interface SyncPage {
  readings: Reading[];
  latestSeq: number;
  hasMore: boolean;
  /** Highest seq in the page as sent, counting any reading dropped as malformed. */
  maxSeq: number | null;
}

export const initialSyncCursor: SyncCursor = {
  confirmedSeq: null,
  phase: 'idle',
  seenDuringSync: new Set(),
  liveMaxDuringSync: null,
};

function maxOf(...values: (number | null)[]): number | null {
  let max: number | null = null;
  for (const value of values) if (value !== null && (max === null || value > max)) max = value;
  return max;
}

/** On (re)connect: the backlog after `confirmedSeq` is about to be read. */
export function beginSync(cursor: SyncCursor): SyncCursor {
  return { confirmedSeq: cursor.confirmedSeq, phase: 'syncing', seenDuringSync: new Set(), liveMaxDuringSync: null };
}

/** On disconnect: keep the resume point, forget an unfinished sync (it starts over on reconnect). */
export function pauseSync(cursor: SyncCursor): SyncCursor {
  return { confirmedSeq: cursor.confirmedSeq, phase: 'idle', seenDuringSync: new Set(), liveMaxDuringSync: null };
}

function unseen(readings: readonly Reading[], seen: ReadonlySet<number>): { fresh: Reading[]; seen: Set<number> } {
  const next = new Set(seen);
  const fresh: Reading[] = [];
  for (const reading of readings) {
    if (next.has(reading.seq)) continue;
    next.add(reading.seq);
    fresh.push(reading);
  }
  return { fresh, seen: next };
}

/** A `readings:stored` batch. */
export function receiveLive(cursor: SyncCursor, readings: readonly Reading[]): { cursor: SyncCursor; fresh: Reading[] } {
  if (cursor.phase === 'live') {
    // Pass everything on: the store drops a seq it already holds. Dropping by the resume point here
    // would silently lose a reading that a second server process broadcast a moment late.
    const confirmedSeq = maxOf(cursor.confirmedSeq, ...readings.map((r) => r.seq));
    return { cursor: confirmedSeq === cursor.confirmedSeq ? cursor : { ...cursor, confirmedSeq }, fresh: [...readings] };
  }
  // Still reading the backlog: apply now, but the resume point moves only when the backlog is complete,
  // or a disconnect now would skip what the backlog had not yet delivered.
  const { fresh, seen } = unseen(readings, cursor.seenDuringSync);
  const liveMax = maxOf(cursor.liveMaxDuringSync, ...fresh.map((r) => r.seq));
  return { cursor: { ...cursor, seenDuringSync: seen, liveMaxDuringSync: liveMax }, fresh };
}

export interface BacklogStep {
  cursor: SyncCursor;
  fresh: Reading[];
  /** The next page to ask for, or null when the backlog is complete and the cursor is live. */
  next: { afterSeq: number | null } | null;
  /** The server's sequence went backwards (its store was replaced): what we hold is no longer comparable. */
  reset: boolean;
}

/** One `readings:sync` answer to a request for readings after `requestedAfter`. */
export function receiveBacklogPage(cursor: SyncCursor, requestedAfter: number | null, page: SyncPage): BacklogStep {
  if (requestedAfter !== null && page.latestSeq < requestedAfter) {
    return { cursor: beginSync(initialSyncCursor), fresh: [], next: { afterSeq: null }, reset: true };
  }
  const { fresh, seen } = unseen(page.readings, cursor.seenDuringSync);
  const pageMax = maxOf(page.maxSeq, ...page.readings.map((r) => r.seq));
  if (page.hasMore && pageMax !== null && (requestedAfter === null || pageMax > requestedAfter)) {
    return { cursor: { ...cursor, seenDuringSync: seen }, fresh, next: { afterSeq: pageMax }, reset: false };
  }
  const confirmedSeq = maxOf(cursor.confirmedSeq, pageMax, page.latestSeq, cursor.liveMaxDuringSync);
  return {
    cursor: { confirmedSeq, phase: 'live', seenDuringSync: new Set(), liveMaxDuringSync: null },
    fresh,
    next: null,
    reset: false,
  };
}
