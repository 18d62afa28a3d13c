import type { Reading, ReadingInput } from '@chairside/shared';
import type { ApiClient } from '../../api/api-client';
import { ApiError, errorMessage } from '../../api/api-error';
import type { Clock } from '../../clock';
import type { AppStore } from '../../store/app-store';
import { type OutboxEntry, outboxEntries } from '../../store/outbox-slice';
import type { OutboxStorage } from './outbox-storage';

/**
 * `stored`: the server has it (`reading` is null when its answer could not be read, though it said so).
 * `queued`: kept on this tablet, sent when the server is back (`login`: once this user logs in again).
 */
export type SubmitOutcome = { kind: 'stored'; reading: Reading | null } | { kind: 'queued'; reason: 'offline' | 'login' };

export interface Outbox {
  /** Follows the logged-in user and the connection; flushes on reconnect, `online` and a backoff timer. */
  start(): void;
  stop(): void;
  /**
   * Keeps the reading on this tablet, then sends it. Resolves `stored`, or `queued` when the server
   * cannot be reached (network error, 408, 429, 5xx) or the login ended (401); rejects with the
   * server's error when it refuses the reading (other 4xx), which is then not kept. Rejects too when
   * the reading could neither be sent nor kept (storage unavailable).
   */
  submit(reading: ReadingInput): Promise<SubmitOutcome>;
  /** Sends every pending entry of the logged-in user, oldest first, each with its own id. */
  flush(): Promise<void>;
  /** Drops an entry from this tablet (a refused one the nurse gave up or entered again). */
  discard(readingId: string): Promise<void>;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface OutboxOptions {
  store: AppStore;
  storage: OutboxStorage;
  api: Pick<ApiClient, 'postReading'>;
  clock: Clock;
  /** Fires `online` when the browser's network comes back (window); null to not listen. */
  onlineEvents?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
  timers?: Timers;
  /** Pauses between automatic attempts while the server stays unreachable; the last one repeats. */
  retryDelaysMs?: readonly number[];
  log?: Pick<Console, 'warn'>;
}

export const defaultRetryDelaysMs: readonly number[] = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000];

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What an answer means for a kept reading. */
export type Delivery = 'delivered' | 'retry' | 'login' | 'refused';

export function deliveryOf(error: unknown): Delivery {
  if (!(error instanceof ApiError)) return 'retry';
  const { status } = error;
  if (status === 0) return 'retry'; // the server could not be reached: the outcome is unknown
  if (status >= 200 && status < 300) return 'delivered'; // stored (201) or stored before (200), answer unreadable
  if (status === 401) return 'login';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'refused';
}

/**
 * The manual-entry outbox, outside React like the socket wiring: an entry is written to storage
 * before it is sent and removed only when the server answers 201 or 200, so it is never lost and,
 * carrying its own id, stored once however often it is resent. Entries belong to the user who made
 * them; another login on the tablet neither sees nor sends them.
 */
export function createOutbox({
  store,
  storage,
  api,
  clock,
  onlineEvents = null,
  timers = defaultTimers,
  retryDelaysMs = defaultRetryDelaysMs,
  log = console,
}: OutboxOptions): Outbox {
  let running = false;
  let unsubscribe: (() => void) | null = null;
  /** Whose entries are loaded (or loading); follows auth.user. */
  let owner: string | null = null;
  let loading: Promise<void> = Promise.resolve();
  const inFlight = new Set<string>();
  let flushing: Promise<void> | null = null;
  let flushAgain = false;
  let retryTimer: unknown = null;
  let failures = 0;
  const actions = () => store.getState();
  const loggedInUserId = () => store.getState().auth.user?.id ?? null;

  function cancelRetry(): void {
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = null;
  }

  function scheduleRetry(): void {
    if (!running || retryTimer !== null || owner === null) return;
    const delay = retryDelaysMs[Math.min(failures, retryDelaysMs.length - 1)] ?? 60_000;
    failures += 1;
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      void flush();
    }, delay);
  }

  async function load(userId: string): Promise<void> {
    let entries: OutboxEntry[];
    try {
      entries = await storage.load(userId);
    } catch (error) {
      log.warn('outbox: cannot read the entries kept on this tablet', error);
      if (owner === userId) actions().outboxFailed(userId, `Entries saved on this tablet cannot be read: ${errorMessage(error)}`);
      return;
    }
    if (owner !== userId) return;
    actions().outboxLoaded(userId, entries);
    if (entries.some((e) => e.status === 'pending')) void flush();
  }

  function userChanged(userId: string | null): void {
    if (userId === owner) return;
    owner = userId;
    cancelRetry();
    failures = 0;
    if (userId === null) {
      actions().outboxCleared();
      loading = Promise.resolve();
      return;
    }
    actions().outboxLoading(userId);
    loading = load(userId);
  }

  /** Stores the entry's new state and shows it (to its own user only). */
  async function keep(entry: OutboxEntry): Promise<void> {
    try {
      await storage.put(entry);
    } catch (error) {
      log.warn('outbox: cannot update a kept entry', error);
    }
    actions().outboxEntryPut(entry);
  }

  async function forget(entry: OutboxEntry): Promise<void> {
    try {
      await storage.delete(entry.userId, entry.reading.id);
    } catch (error) {
      // It stays stored: sent again later, the server answers 200 and it goes then.
      log.warn('outbox: cannot remove a delivered entry', error);
    }
    if (owner === entry.userId) actions().outboxEntryRemoved(entry.reading.id);
  }

  async function delivered(entry: OutboxEntry, reading: Reading | null): Promise<void> {
    await forget(entry);
    if (reading !== null && owner === entry.userId) actions().applyReadings([reading]);
  }

  async function submit(reading: ReadingInput): Promise<SubmitOutcome> {
    const userId = loggedInUserId();
    if (userId === null) throw new ApiError(401, 'unauthorized', 'Log in to enter readings.');
    let entry: OutboxEntry = { userId, reading, queuedAt: clock.now(), status: 'pending', attempts: 0, lastError: null, refusal: null };
    // Kept before it is sent: a reload while the request runs cannot lose it, and its resend has the same id.
    let kept = true;
    try {
      await storage.put(entry);
    } catch (error) {
      kept = false;
      log.warn('outbox: cannot keep the entry on this tablet; sending it without a copy', error);
    }

    inFlight.add(reading.id);
    try {
      const stored = await api.postReading(reading);
      if (kept) await forget(entry);
      failures = 0;
      return { kind: 'stored', reading: stored };
    } catch (error) {
      const delivery = deliveryOf(error);
      if (delivery === 'delivered') {
        if (kept) await forget(entry);
        return { kind: 'stored', reading: null };
      }
      if (delivery === 'refused' || !kept) {
        // Refused: the form shows why and the nurse corrects it there; it is not kept.
        if (kept) await forget(entry);
        throw error;
      }
      entry = { ...entry, attempts: 1, lastError: errorMessage(error) };
      await keep(entry);
      if (delivery === 'retry') scheduleRetry();
      return { kind: 'queued', reason: delivery === 'login' ? 'login' : 'offline' };
    } finally {
      inFlight.delete(reading.id);
    }
  }

  async function flushOnce(): Promise<void> {
    await loading;
    const userId = owner;
    if (userId === null || userId !== loggedInUserId()) return;
    cancelRetry();
    for (const entry of outboxEntries(store.getState())) {
      if (entry.status !== 'pending' || inFlight.has(entry.reading.id)) continue;
      if (owner !== userId) return; // logged out meanwhile: the rest waits for its user
      inFlight.add(entry.reading.id);
      try {
        // The reading exactly as first sent: if an earlier attempt was stored, this one is answered 200.
        const stored = await api.postReading(entry.reading);
        await delivered(entry, stored);
      } catch (error) {
        const attempted = { ...entry, attempts: entry.attempts + 1, lastError: errorMessage(error) };
        switch (deliveryOf(error)) {
          case 'delivered':
            await delivered(entry, null);
            break;
          case 'refused': {
            const details = error instanceof ApiError ? error.details : [];
            const status = error instanceof ApiError ? error.status : 0;
            await keep({ ...attempted, status: 'refused', refusal: { status, message: errorMessage(error), details } });
            break;
          }
          case 'login':
            // The app asks for a login (the api client's onUnauthorized); sent once the same user is back.
            await keep(attempted);
            return;
          case 'retry':
            await keep(attempted);
            scheduleRetry();
            return;
        }
      } finally {
        inFlight.delete(entry.reading.id);
      }
    }
    failures = 0;
  }

  function flush(): Promise<void> {
    if (flushing !== null) {
      flushAgain = true;
      return flushing;
    }
    flushing = (async () => {
      try {
        do {
          flushAgain = false;
          await flushOnce();
        } while (flushAgain);
      } finally {
        flushing = null;
      }
    })();
    return flushing;
  }

  async function discard(readingId: string): Promise<void> {
    const userId = owner;
    if (userId === null) return;
    await storage.delete(userId, readingId);
    if (owner === userId) actions().outboxEntryRemoved(readingId);
  }

  const onOnline = (): void => {
    void flush();
  };

  function start(): void {
    if (running) return;
    running = true;
    unsubscribe = store.subscribe((state, previous) => {
      const userId = state.auth.user?.id ?? null;
      if (userId !== (previous.auth.user?.id ?? null)) userChanged(userId);
      // Back online through the socket (every reconnect ends in `live`).
      if (state.connection.status === 'live' && previous.connection.status !== 'live') void flush();
    });
    onlineEvents?.addEventListener('online', onOnline);
    userChanged(loggedInUserId());
  }

  function stop(): void {
    if (!running) return;
    running = false;
    unsubscribe?.();
    unsubscribe = null;
    onlineEvents?.removeEventListener('online', onOnline);
    cancelRetry();
  }

  return { start, stop, submit, flush, discard };
}
