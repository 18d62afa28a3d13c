import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading, SyncResponse } from '@chairside/shared';
import { isErrorBody } from '@chairside/shared';
import { type DashboardSocket, nextStored, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

/** What a dashboard does: sync from its last seq (paging while hasMore) while collecting live readings. */
async function syncAndCollect(socket: DashboardSocket, afterSeq: number | null, into: Map<number, Reading>, limit?: number): Promise<number> {
  let cursor = afterSeq;
  for (;;) {
    const res = (await socket.emitWithAck('readings:sync', { afterSeq: cursor, ...(limit ? { limit } : {}) })) as SyncResponse;
    if (isErrorBody(res)) throw new Error(res.error.message);
    for (const r of res.readings) into.set(r.seq, r);
    cursor = res.latestSeq;
    if (!res.hasMore) return cursor;
  }
}

describe('reconnect catch-up', () => {
  it('gives a reconnecting dashboard every reading it missed, with no gap and no duplicate', async () => {
    const cookie = await server.login('nurse');
    const seen = new Map<number, Reading>();
    const duplicates: number[] = [];
    const collect = (socket: DashboardSocket): void => {
      socket.on('readings:stored', (readings) => {
        for (const r of readings) {
          if (seen.has(r.seq)) duplicates.push(r.seq);
          seen.set(r.seq, r);
        }
      });
    };

    const first = await server.dashboard(cookie);
    collect(first);
    await syncAndCollect(first, null, seen);
    const before = Array.from({ length: 5 }, () => reading());
    await postReadings(server.url, before);
    await expect.poll(() => seen.size).toBe(5);
    const lastSeq = Math.max(...seen.keys());
    first.disconnect();

    // Readings stored while the dashboard is away, and more arriving during its reconnect.
    const whileAway = Array.from({ length: 20 }, () => reading());
    await postReadings(server.url, whileAway);
    const second = await server.dashboard(cookie);
    collect(second);
    const during = Promise.all(Array.from({ length: 10 }, () => postReadings(server.url, reading())));
    const backlog = new Map<number, Reading>();
    await syncAndCollect(second, lastSeq, backlog, 7); // small pages: exercises hasMore
    await during;
    for (const [seq, r] of backlog) seen.set(seq, r);

    await expect.poll(() => seen.size).toBe(35);
    const seqs = [...seen.keys()].sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 35 }, (_, i) => (seqs[0] ?? 0) + i));
    expect(duplicates).toEqual([]); // live never repeats; backlog overlap is dropped by seq
    expect(new Set([...seen.values()].map((r) => r.id)).size).toBe(35);
  });

  it('refuses a malformed sync request with an error acknowledgement', async () => {
    const socket = await server.dashboard(await server.login('nurse'));
    const res: unknown = await socket.emitWithAck('readings:sync', { afterSeq: -3 } as never);
    expect(res).toMatchObject({ error: { code: 'invalid_input' } });
  });

  it('sends no live readings before the dashboard has synced', async () => {
    const cookie = await server.login('nurse');
    const socket = await server.dashboard(cookie);
    const got: Reading[] = [];
    socket.on('readings:stored', (r) => got.push(...r));
    // A synced dashboard receiving the reading live is the sign that it was broadcast.
    const synced = await server.dashboard(cookie);
    await synced.emitWithAck('readings:sync', { afterSeq: null });
    const live = nextStored(synced);
    await postReadings(server.url, reading());
    expect(await live).toHaveLength(1);
    // One connection delivers in order: whatever that broadcast sent the unsynced socket arrives before
    // the answer to this later request.
    const res = (await socket.emitWithAck('readings:sync', { afterSeq: 0 })) as SyncResponse;
    expect(got).toEqual([]);
    expect(res.readings).toHaveLength(1);
  });
});
