import { type Reading, type SyncRequest, emptyLatestVitals } from '@chairside/shared';
import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../store/app-store';
import { makeChair, makeReading } from '../test-utils';
import { at, sessionFixture } from '../features/sessions/session-fixtures';
import { type ChairsideSocket, createLiveUpdates } from './live-updates';

type Handler = (...args: unknown[]) => void;

/** Just enough of a socket.io client to drive connect / sync / live / disconnect by hand. */
class FakeSocket {
  active = true;
  connects = 0;
  syncRequests: SyncRequest[] = [];
  private handlers = new Map<string, Set<Handler>>();
  private answers: unknown[] = [];

  on(event: string, handler: Handler) {
    const set = this.handlers.get(event) ?? new Set();
    set.add(handler);
    this.handlers.set(event, set);
    return this;
  }
  off(event: string, handler: Handler) {
    this.handlers.get(event)?.delete(handler);
    return this;
  }
  connect() {
    this.connects += 1;
    return this;
  }
  disconnect() {
    return this;
  }
  timeout() {
    return {
      emitWithAck: (_event: string, request: SyncRequest) => {
        this.syncRequests.push(request);
        const answer = this.answers.shift();
        return answer === undefined ? Promise.reject(new Error('no answer queued')) : Promise.resolve(answer);
      },
    };
  }
  /** Queues what the next readings:sync calls answer. */
  answerSync(...answers: unknown[]) {
    this.answers.push(...answers);
  }
  fire(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
}

const hr = (seq: number, chairId = 'chair-1'): Reading =>
  makeReading({ seq, chairId, heartRate: 60 + seq, measuredAt: new Date(Date.UTC(2026, 10, 22, 10, 0, seq)).toISOString() });

function setup(applyEveryMs = 0) {
  const socket = new FakeSocket();
  const store = createAppStore();
  const api = { listChairs: vi.fn(() => Promise.resolve([makeChair({ id: 'chair-1', name: 'Chair 1', latest: emptyLatestVitals })])) };
  // The fake implements only what the wiring calls; the wiring's own types keep it honest.
  const live = createLiveUpdates({ socket: socket as unknown as ChairsideSocket, store, api, applyEveryMs, log: { warn: () => undefined } });
  return { socket, store, api, live };
}

const seqsOf = (store: ReturnType<typeof createAppStore>) => store.getState().history['chair-1']?.recent.map((r) => r.seq) ?? [];

describe('live updates', () => {
  it('resyncs after a reconnect from the last seq: no gap, no duplicate', async () => {
    const { socket, store, live } = setup();
    live.start();
    expect(store.getState().connection.status).toBe('connecting');

    socket.answerSync({ readings: [], latestSeq: 2, hasMore: false });
    socket.fire('connect');
    await vi.waitFor(() => expect(store.getState().connection.status).toBe('live'));
    expect(socket.syncRequests).toEqual([{ afterSeq: null }]);

    socket.fire('readings:stored', [hr(3), hr(4)]);
    expect(seqsOf(store)).toEqual([3, 4]);

    socket.fire('disconnect', 'transport close');
    expect(store.getState().connection.status).toBe('disconnected');

    // Missed 5 and 6 while away; 6 also arrives live during the sync, 4 is re-sent in the backlog.
    socket.answerSync({ readings: [hr(4), hr(5)], latestSeq: 6, hasMore: true }, { readings: [hr(6)], latestSeq: 6, hasMore: false });
    socket.fire('connect');
    socket.fire('readings:stored', [hr(6)]);
    await vi.waitFor(() => expect(store.getState().connection.status).toBe('live'));

    expect(socket.syncRequests.slice(1)).toEqual([{ afterSeq: 4 }, { afterSeq: 5 }]);
    expect(seqsOf(store)).toEqual([3, 4, 5, 6]);
    expect(store.getState().chairs['chair-1']?.latest.heartRate?.value).toBe(66);
  });

  it('goes back to the login page when the server refuses the socket as unauthorized', () => {
    const { socket, store, live } = setup();
    store.getState().loggedIn({ id: 'u1', username: 'nurse', displayName: 'Nurse', role: 'nurse' });
    live.start();
    socket.fire('connect_error', new Error('unauthorized'));
    expect(store.getState().auth.phase).toBe('anonymous');
    expect(store.getState().auth.notice).toMatch(/session has ended/);
  });

  it('drops malformed live payloads instead of breaking the tiles', () => {
    const { socket, store, live } = setup();
    live.start();
    socket.fire('readings:stored', [{ seq: 9, chairId: 'chair-1' }, hr(10)]);
    socket.fire('readings:stored', 'not a list');
    expect(seqsOf(store)).toEqual([10]);
  });

  it('keeps the chair’s session current from session:updated, and frees the chair when it ends', async () => {
    const { socket, store, live, api } = setup();
    live.start();
    await vi.waitFor(() => expect(store.getState().chairs['chair-1']).toBeDefined());
    expect(api.listChairs).toHaveBeenCalled();
    const session = sessionFixture({ state: { phase: 'treatment', treatmentStartedAtMs: at(10) } });
    socket.fire('session:updated', session);
    expect(store.getState().chairs['chair-1']?.session?.state.phase).toBe('treatment');
    socket.fire('session:updated', { id: 'session-1', chairId: 'chair-1' });
    expect(store.getState().chairs['chair-1']?.session?.id).toBe('session-1');
    socket.fire('session:updated', { ...session, revision: 2, state: { ...session.state, phase: 'cancelled', cancelledAtMs: at(12), cancelReason: 'unwell' } });
    expect(store.getState().chairs['chair-1']?.session).toBeNull();
  });

  it('hands live readings to the store at most once per interval: the first at once, the rest together', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { socket, store, live } = setup(250);
      live.start();
      socket.answerSync({ readings: [], latestSeq: 2, hasMore: false });
      socket.fire('connect');
      await vi.waitFor(() => expect(store.getState().connection.status).toBe('live'));

      socket.fire('readings:stored', [hr(3)]);
      expect(seqsOf(store)).toEqual([3]);
      socket.fire('readings:stored', [hr(4)]);
      socket.fire('readings:stored', [hr(5), hr(4)]);
      expect(seqsOf(store)).toEqual([3]);
      vi.advanceTimersByTime(250);
      expect(seqsOf(store)).toEqual([3, 4, 5]);

      // A quiet interval later, the next goes at once again.
      vi.advanceTimersByTime(300);
      socket.fire('readings:stored', [hr(6)]);
      expect(seqsOf(store)).toEqual([3, 4, 5, 6]);

      // Nothing stays held back when the connection drops.
      socket.fire('readings:stored', [hr(7)]);
      socket.fire('disconnect', 'transport close');
      expect(seqsOf(store)).toEqual([3, 4, 5, 6, 7]);
      expect(store.getState().chairs['chair-1']?.latest.heartRate?.value).toBe(67);
    } finally {
      vi.useRealTimers();
    }
  });
});
