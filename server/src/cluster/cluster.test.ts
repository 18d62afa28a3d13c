import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reading } from '@chairside/shared';
import { silentLogger } from '../logger';
import { SqliteStore } from '../store/sqlite-store';
import type { NewReading } from '../store/store';
import { newReadingFixture } from '../store/test-fixtures';
import { ClusterBus, ReadingsFeed, type ServerSideEmitter } from './cluster';

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function storeWithChair(): Promise<SqliteStore> {
  const store = new SqliteStore({ file: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chairside-feed-')), 'chairside.db') });
  stores.push(store);
  await store.catalog.createChair({ id: 'chair-1', name: 'Chair 1', hl7Bed: null, position: 1 }, 0);
  return store;
}

let n = 0;
const newReading = (): NewReading => newReadingFixture(++n);

async function commit(store: SqliteStore, count: number): Promise<Reading[]> {
  const [result] = await store.readings.insertReadingBatches([Array.from({ length: count }, newReading)]);
  if (!result?.ok) throw new Error('not stored');
  return result.results.map((r) => r.reading);
}

describe('ReadingsFeed', () => {
  it('delivers every reading committed after it started, once, in sequence order, saying which were committed here', async () => {
    const store = await storeWithChair();
    await commit(store, 3); // before the start: the caches were loaded with these
    const delivered: { seq: number; here: boolean }[] = [];
    const feed = new ReadingsFeed(store.readings, silentLogger, async (readings, committedHere) => {
      for (const r of readings) delivered.push({ seq: r.seq, here: committedHere(r) });
    });
    await feed.start(60_000);
    const theirs = await commit(store, 2); // another server's
    const mine = await commit(store, 2500); // more than one page
    feed.noteLocal(mine);
    feed.wake(); // woken again while pulling: coalesced, nothing twice
    await feed.idle();
    feed.wake();
    await feed.idle();
    feed.stop();
    expect(delivered.map((d) => d.seq)).toEqual([...theirs, ...mine].map((r) => r.seq));
    expect(delivered.filter((d) => d.here).map((d) => d.seq)).toEqual(mine.map((r) => r.seq));
  });
});

/** Socket.IO's server-side events between servers, as the adapter delivers them: to every other server. */
function fabric(count: number): ServerSideEmitter[] {
  const listeners = Array.from({ length: count }, () => new Map<string, ((...args: unknown[]) => void)[]>());
  return listeners.map((own, index) => ({
    serverSideEmit(event, ...args) {
      listeners.forEach((other, i) => {
        if (i !== index) for (const listener of other.get(event) ?? []) setTimeout(() => listener(...args), 1);
      });
      return true;
    },
    on(event, listener) {
      own.set(event, [...(own.get(event) ?? []), listener as (...args: unknown[]) => void]);
      return this;
    },
  }));
}

const noop = (): void => undefined;

describe('ClusterBus', () => {
  it('forwards an acknowledgement to the server that runs the alert engine and returns its answer to the asker only', async () => {
    const [a, b, c] = fabric(3).map((io) => new ClusterBus(io, silentLogger));
    const asked: string[] = [];
    const handlers = (leader: boolean, name: string) => ({
      onReadingsCommitted: noop,
      onSessionChanged: noop,
      onAlertsChanged: noop,
      onAudioPaused: noop,
      acknowledge: async (request: { alertId: string }) => {
        asked.push(name);
        return leader ? { ok: false as const, code: 'not_found' as const, message: `no ${request.alertId} on ${name}` } : null;
      },
    });
    a?.listen(handlers(false, 'a'));
    b?.listen(handlers(true, 'b'));
    c?.listen(handlers(false, 'c'));
    const outcome = await a?.forwardAcknowledge({ alertId: 's.bp-crisis.1', by: { userId: 'u', username: 'nurse' } });
    expect(outcome).toEqual({ ok: false, code: 'not_found', message: 'no s.bp-crisis.1 on b' });
    expect(asked.sort()).toEqual(['b', 'c']);
  });

  it('passes the other messages on to every other server', async () => {
    const buses = fabric(2).map((io) => new ClusterBus(io, silentLogger));
    const seen: unknown[] = [];
    buses[1]?.listen({
      onReadingsCommitted: (maxSeq) => seen.push(['readings', maxSeq]),
      onSessionChanged: (id) => seen.push(['session', id]),
      onAlertsChanged: (changed) => seen.push(['alerts', changed.sessionId]),
      onAudioPaused: (m) => seen.push(['audio', m.chairId]),
      acknowledge: async () => null,
    });
    buses[0]?.readingsCommitted(42);
    buses[0]?.sessionChanged('s-1');
    buses[0]?.alertsChanged({ sessionId: 's-1', chairId: 'chair-1', alerts: [] });
    buses[0]?.audioPaused({ chairId: 'chair-1', pause: { pausedUntilMs: 1, pausedAtPriority: null }, by: 'nurse' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([['readings', 42], ['session', 's-1'], ['alerts', 's-1'], ['audio', 'chair-1']]);
  });
});
