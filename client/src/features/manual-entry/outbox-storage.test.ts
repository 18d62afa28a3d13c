import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../store/outbox-slice';
import { testNow } from '../../test-utils';
import { OutboxStorageError, createLocalStorageOutboxStorage, createMemoryOutboxStorage, localStorageOutboxPrefix } from './outbox-storage';

const silent = { warn: () => undefined };

function entry(n: number, userId = 'user-nurse'): OutboxEntry {
  return {
    userId,
    reading: { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, chairId: 'chair-1', measuredAt: '2026-11-22T10:00:00Z', heartRate: 80, source: 'manual' },
    queuedAt: testNow + n,
    status: 'pending',
    attempts: 0,
    lastError: null,
    refusal: null,
  };
}

afterEach(() => window.localStorage.clear());

describe('localStorage outbox storage', () => {
  it('keeps entries per user across instances, keyed by reading id', async () => {
    const first = createLocalStorageOutboxStorage(window.localStorage, { log: silent });
    await first.put(entry(1));
    await first.put(entry(2));
    await first.put({ ...entry(1), attempts: 3 });
    await first.put(entry(3, 'user-other'));

    const reloaded = createLocalStorageOutboxStorage(window.localStorage, { log: silent });
    const mine = await reloaded.load('user-nurse');
    expect(mine.map((e) => [e.reading.id.slice(-1), e.attempts])).toEqual([
      ['2', 0],
      ['1', 3],
    ]);
    expect(await reloaded.load('user-other')).toHaveLength(1);

    await reloaded.delete('user-nurse', entry(2).reading.id);
    await reloaded.delete('user-nurse', entry(1).reading.id);
    expect(await reloaded.load('user-nurse')).toEqual([]);
    expect(window.localStorage.getItem(`${localStorageOutboxPrefix}user-nurse`)).toBeNull();
  });

  it('refuses more than its cap instead of filling the browser’s storage', async () => {
    const storage = createLocalStorageOutboxStorage(window.localStorage, { maxEntries: 2, log: silent });
    await storage.put(entry(1));
    await storage.put(entry(2));
    await expect(storage.put(entry(3))).rejects.toBeInstanceOf(OutboxStorageError);
    expect(await storage.load('user-nurse')).toHaveLength(2);
  });

  it('skips damaged records rather than trusting them', async () => {
    window.localStorage.setItem(`${localStorageOutboxPrefix}user-nurse`, JSON.stringify([entry(1), { userId: 'user-nurse', reading: { id: 'nope' } }]));
    const storage = createLocalStorageOutboxStorage(window.localStorage, { log: silent });
    expect((await storage.load('user-nurse')).map((e) => e.reading.id)).toEqual([entry(1).reading.id]);
    window.localStorage.setItem(`${localStorageOutboxPrefix}user-nurse`, '{not json');
    expect(await storage.load('user-nurse')).toEqual([]);
  });
});

describe('memory outbox storage', () => {
  it('hands out copies, as a real store would', async () => {
    const storage = createMemoryOutboxStorage();
    const kept = entry(1);
    await storage.put(kept);
    kept.attempts = 9;
    const [loaded] = await storage.load('user-nurse');
    expect(loaded?.attempts).toBe(0);
  });
});
