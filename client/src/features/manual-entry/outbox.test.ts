import type { PublicUser, Reading, ReadingInput } from '@chairside/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-error';
import { fixedClock } from '../../clock';
import { createAppStore } from '../../store/app-store';
import { outboxEntries } from '../../store/outbox-slice';
import { isoAgo, makeChair, makeReading, testNow } from '../../test-utils';
import { type Timers, createOutbox, deliveryOf } from './outbox';
import { type OutboxStorage, createLocalStorageOutboxStorage, createMemoryOutboxStorage } from './outbox-storage';

const nurse: PublicUser = { id: 'user-nurse', username: 'nurse', displayName: 'Nurse Demo', role: 'nurse' };
const otherNurse: PublicUser = { id: 'user-other', username: 'nurse2', displayName: 'Other Nurse', role: 'nurse' };
const silent = { warn: () => undefined };

const entryId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function manualReading(n: number, fields: Partial<ReadingInput> = {}): ReadingInput {
  return { id: entryId(n), chairId: 'chair-1', measuredAt: isoAgo(60), heartRate: 80 + n, source: 'manual', ...fields };
}

const networkDown = () => new ApiError(0, 'network', 'Cannot reach the Chairside server');

/**
 * The server's side of `POST /api/v1/readings`, as far as ids go: a reading is stored once per id;
 * a resend of a stored id is answered 200 with the stored reading. `down`: unreachable;
 * `loseNextAnswer`: stores the next reading but the answer never arrives.
 */
function fakeServer() {
  const stored = new Map<string, Reading>();
  let seq = 0;
  const server = {
    down: false,
    loseNextAnswer: false,
    /** Answers to give instead of storing, first in first out. */
    refusals: [] as ApiError[],
    stored,
    statuses: [] as number[],
    postReading: vi.fn((input: ReadingInput): Promise<Reading> => {
      if (server.down) return Promise.reject(networkDown());
      const refusal = server.refusals.shift();
      if (refusal !== undefined) return Promise.reject(refusal);
      let reading = stored.get(input.id);
      server.statuses.push(reading === undefined ? 201 : 200);
      if (reading === undefined) {
        seq += 1;
        reading = makeReading({ seq, id: input.id, chairId: input.chairId ?? 'chair-1', heartRate: input.heartRate ?? null, source: 'manual', measuredAt: input.measuredAt });
        stored.set(input.id, reading);
      }
      if (server.loseNextAnswer) {
        server.loseNextAnswer = false;
        return Promise.reject(networkDown());
      }
      return Promise.resolve(reading);
    }),
  };
  return server;
}

function fakeTimers() {
  const scheduled: { callback: () => void; ms: number }[] = [];
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      const timer = { callback, ms };
      scheduled.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      const i = scheduled.indexOf(handle as (typeof scheduled)[number]);
      if (i >= 0) scheduled.splice(i, 1);
    },
  };
  const fireNext = () => {
    const timer = scheduled.shift();
    if (timer === undefined) throw new Error('no timer scheduled');
    timer.callback();
    return timer.ms;
  };
  return { timers, scheduled, fireNext };
}

/** A tablet: a fresh store and outbox over `storage` (a second one over the same storage is a reload). */
function tablet(storage: OutboxStorage, server: ReturnType<typeof fakeServer>, user: PublicUser | null = nurse) {
  const store = createAppStore();
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })]);
  const online = new EventTarget();
  const clock = fakeTimers();
  const outbox = createOutbox({ store, storage, api: server, clock: fixedClock(testNow), onlineEvents: online, timers: clock.timers, log: silent });
  outbox.start();
  if (user !== null) store.getState().loggedIn(user);
  return { store, outbox, online, clock, entries: () => outboxEntries(store.getState()) };
}

/** Lets pending promise chains (storage, fake fetch) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  window.localStorage.clear();
});

describe('deliveryOf', () => {
  it('tells delivered, retry, login and refused apart', () => {
    expect(deliveryOf(networkDown())).toBe('retry');
    expect(deliveryOf(new ApiError(200, 'unexpected', 'Unexpected answer'))).toBe('delivered');
    expect(deliveryOf(new ApiError(201, 'unexpected', 'Unexpected answer'))).toBe('delivered');
    expect(deliveryOf(new ApiError(401, 'unauthorized', 'Log in'))).toBe('login');
    for (const status of [408, 429, 500, 502, 503]) expect(deliveryOf(new ApiError(status, 'unavailable', 'later'))).toBe('retry');
    for (const status of [400, 403, 404, 409, 413]) expect(deliveryOf(new ApiError(status, 'invalid_input', 'no'))).toBe('refused');
  });
});

describe.each([
  ['memory', () => createMemoryOutboxStorage()],
  ['localStorage', () => createLocalStorageOutboxStorage(window.localStorage, { log: silent })],
])('outbox over %s storage', (_name, makeStorage) => {
  it('keeps an entry the server cannot take across a reload, and sends it once when the server is back', async () => {
    const storage = makeStorage();
    const server = fakeServer();
    server.down = true;
    const first = tablet(storage, server);
    await settle();

    await expect(first.outbox.submit(manualReading(1))).resolves.toEqual({ kind: 'queued', reason: 'offline' });
    expect(first.entries()).toMatchObject([{ status: 'pending', reading: { id: entryId(1) }, lastError: 'Cannot reach the Chairside server' }]);
    // Pending, not a vital.
    expect(first.store.getState().chairs['chair-1']?.latest.heartRate).toBeNull();
    first.outbox.stop();

    // The page is reloaded while the server is still down.
    const second = tablet(storage, server);
    await vi.waitFor(() => expect(second.entries()).toHaveLength(1));
    await settle();
    expect(second.entries()[0]?.status).toBe('pending');

    server.down = false;
    second.online.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(second.entries()).toEqual([]));
    expect(server.stored.size).toBe(1);
    expect(second.store.getState().chairs['chair-1']?.latest.heartRate?.value).toBe(81);
    await expect(storage.load(nurse.id)).resolves.toEqual([]);

    // Later reconnects send nothing more.
    server.postReading.mockClear();
    second.store.getState().connectionChanged('syncing');
    second.store.getState().connectionChanged('live');
    await settle();
    expect(server.postReading).not.toHaveBeenCalled();
  });

  it('resends a reading whose answer was lost with the same id and body, and counts the 200 as delivered', async () => {
    const storage = makeStorage();
    const server = fakeServer();
    server.loseNextAnswer = true;
    const { outbox, entries, online } = tablet(storage, server);
    await settle();

    // Stored by the server, but the tablet never hears so: kept, outcome unknown.
    await expect(outbox.submit(manualReading(2))).resolves.toEqual({ kind: 'queued', reason: 'offline' });
    expect(server.stored.size).toBe(1);
    expect(entries()).toHaveLength(1);

    online.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(entries()).toEqual([]));
    expect(server.statuses).toEqual([201, 200]);
    expect(server.stored.size).toBe(1);
    const [firstBody, secondBody] = server.postReading.mock.calls.map(([body]) => body);
    expect(secondBody).toEqual(firstBody);
    await expect(storage.load(nurse.id)).resolves.toEqual([]);
  });

  it('marks an entry the server refuses, with its message, and stops sending it', async () => {
    const storage = makeStorage();
    const server = fakeServer();
    server.down = true;
    const { outbox, entries } = tablet(storage, server);
    await settle();
    await outbox.submit(manualReading(3));

    server.down = false;
    server.refusals.push(
      new ApiError(400, 'invalid_input', 'The reading is not valid', [{ path: ['measuredAt'], message: 'measuredAt is more than 5 minutes in the future' }]),
    );
    await outbox.flush();
    expect(entries()).toMatchObject([
      {
        status: 'refused',
        refusal: { status: 400, message: 'The reading is not valid', details: [{ path: ['measuredAt'], message: 'measuredAt is more than 5 minutes in the future' }] },
      },
    ]);
    await expect(storage.load(nurse.id)).resolves.toMatchObject([{ status: 'refused' }]);

    server.postReading.mockClear();
    await outbox.flush();
    expect(server.postReading).not.toHaveBeenCalled();

    await outbox.discard(entryId(3));
    expect(entries()).toEqual([]);
    await expect(storage.load(nurse.id)).resolves.toEqual([]);
  });

  it('keeps a 401 for the same user’s next login, and never shows or sends it for another user', async () => {
    const storage = makeStorage();
    const server = fakeServer();
    server.down = true;
    const { store, outbox, entries, online } = tablet(storage, server);
    await settle();
    await outbox.submit(manualReading(4));

    server.down = false;
    server.refusals.push(new ApiError(401, 'unauthorized', 'Your session has ended'));
    await outbox.flush();
    expect(entries()).toMatchObject([{ status: 'pending' }]);
    expect(server.stored.size).toBe(0);

    store.getState().loggedOut('Your session has ended. Please log in again.');
    expect(entries()).toEqual([]);

    store.getState().loggedIn(otherNurse);
    await settle();
    online.dispatchEvent(new Event('online'));
    store.getState().connectionChanged('live');
    await settle();
    expect(entries()).toEqual([]);
    expect(server.stored.size).toBe(0);

    store.getState().loggedOut();
    server.postReading.mockClear();
    store.getState().loggedIn(nurse);
    await vi.waitFor(() => expect(server.stored.size).toBe(1));
    await vi.waitFor(() => expect(entries()).toEqual([]));
    expect(server.postReading).toHaveBeenCalledTimes(1);
  });
});

describe('outbox', () => {
  it('sends at once and keeps nothing when the server answers', async () => {
    const storage = createMemoryOutboxStorage();
    const server = fakeServer();
    const { outbox, entries } = tablet(storage, server);
    await settle();
    const outcome = await outbox.submit(manualReading(5));
    expect(outcome).toMatchObject({ kind: 'stored', reading: { id: entryId(5), seq: 1 } });
    expect(entries()).toEqual([]);
    expect(storage.snapshot()).toEqual([]);
  });

  it('keeps nothing the server refuses on the first attempt: the form shows why', async () => {
    const storage = createMemoryOutboxStorage();
    const server = fakeServer();
    server.refusals.push(new ApiError(400, 'invalid_input', 'The reading is not valid'));
    const { outbox, entries } = tablet(storage, server);
    await settle();
    await expect(outbox.submit(manualReading(6))).rejects.toMatchObject({ status: 400 });
    expect(entries()).toEqual([]);
    expect(storage.snapshot()).toEqual([]);
  });

  it('has the entry stored before the request is sent, so a reload during it loses nothing', async () => {
    const storage = createMemoryOutboxStorage();
    const server = fakeServer();
    let storedWhenSent: number | null = null;
    server.postReading.mockImplementationOnce(() => {
      storedWhenSent = storage.snapshot().length;
      return new Promise<Reading>(() => undefined); // never answers: the tab is closed
    });
    const { outbox } = tablet(storage, server);
    await settle();
    void outbox.submit(manualReading(7));
    await vi.waitFor(() => expect(storedWhenSent).toBe(1));

    const reloaded = tablet(storage, server);
    await vi.waitFor(() => expect(server.stored.size).toBe(1));
    await vi.waitFor(() => expect(reloaded.entries()).toEqual([]));
  });

  it('queues on 503 and tries again with growing pauses while the server stays away', async () => {
    const storage = createMemoryOutboxStorage();
    const server = fakeServer();
    server.refusals.push(new ApiError(503, 'unavailable', 'The disk is full'));
    const { outbox, clock, entries } = tablet(storage, server);
    await settle();
    await expect(outbox.submit(manualReading(8))).resolves.toEqual({ kind: 'queued', reason: 'offline' });
    expect(entries()[0]?.lastError).toBe('The disk is full');

    server.down = true;
    expect(clock.fireNext()).toBe(5_000);
    await vi.waitFor(() => expect(clock.scheduled).toHaveLength(1));
    expect(clock.fireNext()).toBe(15_000);
    await vi.waitFor(() => expect(clock.scheduled).toHaveLength(1));

    server.down = false;
    expect(clock.fireNext()).toBe(30_000);
    await vi.waitFor(() => expect(entries()).toEqual([]));
    expect(clock.scheduled).toEqual([]);
    expect(server.stored.size).toBe(1);
  });

  it('sends the waiting entries when the socket is live again', async () => {
    const storage = createMemoryOutboxStorage();
    const server = fakeServer();
    server.down = true;
    const { store, outbox, entries } = tablet(storage, server);
    await settle();
    await outbox.submit(manualReading(9));
    await outbox.submit(manualReading(10));
    expect(entries()).toHaveLength(2);

    server.down = false;
    store.getState().connectionChanged('syncing');
    await settle();
    expect(server.stored.size).toBe(0);
    store.getState().connectionChanged('live');
    await vi.waitFor(() => expect(entries()).toEqual([]));
    expect([...server.stored.keys()]).toEqual([entryId(9), entryId(10)]);
  });
});
