import type { Reading } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { makeReading } from '../test-utils';
import { type SyncCursor, type SyncPage, beginSync, initialSyncCursor, pauseSync, receiveBacklogPage, receiveLive } from './sync-cursor';

const r = (seq: number): Reading => makeReading({ seq, heartRate: 70 });
const page = (seqs: number[], latestSeq: number, hasMore = false): SyncPage => ({
  readings: seqs.map(r),
  latestSeq,
  hasMore,
  maxSeq: seqs.at(-1) ?? null,
});
const seqs = (readings: Reading[]) => readings.map((x) => x.seq);

function live(confirmedSeq: number | null): SyncCursor {
  return { ...initialSyncCursor, confirmedSeq, phase: 'live' };
}

describe('sync cursor', () => {
  it('first connect asks for no backlog and resumes from the latest seq the server reports', () => {
    const cursor = beginSync(initialSyncCursor);
    expect(cursor.confirmedSeq).toBeNull();
    const step = receiveBacklogPage(cursor, null, page([], 41));
    expect(step.next).toBeNull();
    expect(step.cursor).toMatchObject({ phase: 'live', confirmedSeq: 41 });
  });

  it('pages through the backlog while hasMore, asking after the last seq of each page', () => {
    let cursor = beginSync(live(10));
    const first = receiveBacklogPage(cursor, 10, page([11, 12, 13], 20, true));
    expect(first.next).toEqual({ afterSeq: 13 });
    expect(first.cursor.confirmedSeq).toBe(10); // not complete yet
    cursor = first.cursor;
    const second = receiveBacklogPage(cursor, 13, page([14, 15], 20, false));
    expect(second.next).toBeNull();
    expect(second.cursor.confirmedSeq).toBe(20);
    expect(seqs([...first.fresh, ...second.fresh])).toEqual([11, 12, 13, 14, 15]);
  });

  it('drops readings that arrive both live and in the backlog (reconnect overlap)', () => {
    let cursor = beginSync(live(10));
    // The server joined us to the live stream before reading the backlog: 12 arrives live first.
    const liveStep = receiveLive(cursor, [r(12)]);
    cursor = liveStep.cursor;
    const backlog = receiveBacklogPage(cursor, 10, page([11, 12], 12));
    const again = receiveLive(backlog.cursor, [r(13)]);
    expect(seqs([...liveStep.fresh, ...backlog.fresh, ...again.fresh])).toEqual([12, 11, 13]);
  });

  it('does not move the resume point past an unfinished backlog', () => {
    // Live 30 arrives while the backlog (11…20) is read, then the connection drops mid-backlog.
    let cursor = beginSync(live(10));
    cursor = receiveLive(cursor, [r(30)]).cursor;
    cursor = receiveBacklogPage(cursor, 10, page([11, 12], 29, true)).cursor;
    cursor = pauseSync(cursor);
    expect(cursor.confirmedSeq).toBe(10); // reconnect asks again after 10: nothing is skipped
  });

  it('once the backlog is complete, resumes after the newest seq seen live or in the backlog', () => {
    let cursor = beginSync(live(10));
    cursor = receiveLive(cursor, [r(31)]).cursor;
    const done = receiveBacklogPage(cursor, 10, page([11], 30));
    expect(done.cursor.confirmedSeq).toBe(31);
    const next = receiveLive(done.cursor, [r(32), r(33)]);
    expect(next.cursor.confirmedSeq).toBe(33);
    expect(seqs(next.fresh)).toEqual([32, 33]);
  });

  it('does not loop forever on a page that says hasMore but brings nothing new', () => {
    const step = receiveBacklogPage(beginSync(live(10)), 10, page([], 20, true));
    expect(step.next).toBeNull();
  });

  it('starts over when the server sequence went backwards (its store was replaced)', () => {
    const step = receiveBacklogPage(beginSync(live(500)), 500, page([], 12));
    expect(step.reset).toBe(true);
    expect(step.next).toEqual({ afterSeq: null });
  });
});
