import type { ClientToServerEvents, Reading, ServerToClientEvents } from '@chairside/shared';
import { assignmentsListSchema, escalationStepSchema } from '@chairside/shared';
import type { Socket } from 'socket.io-client';
import type { ApiClient } from '../api/api-client';
import { ApiError, errorMessage } from '../api/api-error';
import type { AppStore } from '../store/app-store';
import { parseReadings, parseSessionSummary, parseSyncAck } from './socket-payloads';
import { beginSync, initialSyncCursor, pauseSync, receiveBacklogPage, receiveLive, type SyncCursor } from './sync-cursor';

export type ChairsideSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveUpdates {
  /** Connects and keeps the store current until stop(); safe to call twice. */
  start(): void;
  stop(): void;
  /** Reads the chair list again (sessions and configuration). */
  reloadChairs(): Promise<void>;
}

export interface LiveUpdatesOptions {
  socket: ChairsideSocket;
  store: AppStore;
  api: Pick<ApiClient, 'listChairs'>;
  /** How long one `readings:sync` answer may take before the connection is started over. */
  syncTimeoutMs?: number;
  /** Pause before retrying after a failed sync or a refused connection. */
  retryDelayMs?: number;
  /**
   * Live readings reach the store at most once per this many ms (0: each batch at once). The first
   * after a quiet spell goes at once; the ones that follow within the interval go together at its
   * end. 48 monitors at 1 Hz then redraw the grid a few times a second, not 48 times.
   */
  applyEveryMs?: number;
  log?: Pick<Console, 'warn'>;
}

export const sessionEndedNotice = 'Your session has ended. Please log in again.';

/**
 * Socket wiring, outside React: on every (re)connect it reads the backlog after the last seq it
 * holds (page by page while `hasMore`), applies live `readings:stored`, and hands everything to
 * the store through its actions. No gap, no duplicate (sync-cursor.ts).
 */
export function createLiveUpdates({
  socket,
  store,
  api,
  syncTimeoutMs = 15_000,
  retryDelayMs = 3_000,
  applyEveryMs = 0,
  log = console,
}: LiveUpdatesOptions): LiveUpdates {
  let cursor: SyncCursor = initialSyncCursor;
  let running = false;
  /** Bumped on every connect, disconnect and stop: an older sync loop sees it and gives up. */
  let generation = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const actions = () => store.getState();
  /** Live readings held back until the current interval ends (applyEveryMs). */
  let held: Reading[] = [];
  let holdTimer: ReturnType<typeof setTimeout> | null = null;

  function startInterval(): void {
    holdTimer = setTimeout(() => {
      holdTimer = null;
      if (held.length === 0) return;
      applyHeld();
      startInterval();
    }, applyEveryMs);
  }

  function applyHeld(): void {
    if (held.length === 0) return;
    const readings = held;
    held = [];
    actions().applyReadings(readings);
  }

  function applyLive(readings: Reading[]): void {
    if (readings.length === 0) return;
    if (applyEveryMs <= 0) {
      actions().applyReadings(readings);
      return;
    }
    if (holdTimer === null) {
      actions().applyReadings(readings);
      startInterval();
      return;
    }
    for (const reading of readings) held.push(reading);
  }

  function dropHeld(): void {
    held = [];
    if (holdTimer !== null) clearTimeout(holdTimer);
    holdTimer = null;
  }

  function sessionEnded(): void {
    stop();
    actions().loggedOut(sessionEndedNotice);
  }

  function retryLater(reason: string): void {
    generation += 1;
    cursor = pauseSync(cursor);
    actions().connectionChanged('disconnected', reason);
    socket.disconnect();
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (running) socket.connect();
    }, retryDelayMs);
  }

  async function reloadChairs(): Promise<void> {
    if (!running) return;
    const started = generation;
    actions().chairsLoading();
    try {
      const chairs = await api.listChairs();
      if (running) actions().chairsLoaded(chairs);
    } catch (error) {
      if (!running || (error instanceof ApiError && error.status === 401)) return;
      actions().chairsFailed(errorMessage(error));
      log.warn(`chair list failed (connection generation ${started})`, error);
    }
  }

  async function sync(current: number): Promise<void> {
    cursor = beginSync(cursor);
    actions().connectionChanged('syncing');
    let afterSeq = cursor.confirmedSeq;
    for (;;) {
      let answer: unknown;
      try {
        answer = await socket.timeout(syncTimeoutMs).emitWithAck('readings:sync', { afterSeq });
      } catch {
        if (current === generation) retryLater('the server did not answer the sync request');
        return;
      }
      if (current !== generation) return;

      const ack = parseSyncAck(answer);
      if (!ack.ok) {
        if (ack.code === 'unauthorized') sessionEnded();
        else retryLater(`sync refused: ${ack.message}`);
        return;
      }
      if (ack.invalid > 0) log.warn(`dropped ${ack.invalid} malformed reading(s) from the sync answer`);

      const step = receiveBacklogPage(cursor, afterSeq, ack.page);
      cursor = step.cursor;
      // What the live stream delivered first goes first, as if it had not been held back.
      applyHeld();
      if (step.reset) actions().readingsReset();
      actions().applyReadings(step.fresh);
      if (step.next === null) break;
      afterSeq = step.next.afterSeq;
    }
    actions().connectionChanged('live');
    // Sessions may have started or ended while we were away, and chairs been added or renamed (no event
    // tells of a chair's change: the list is read again on each connection).
    await reloadChairs();
  }

  const onConnect = (): void => {
    generation += 1;
    void sync(generation);
  };

  const onDisconnect = (reason: string): void => {
    applyHeld();
    generation += 1;
    cursor = pauseSync(cursor);
    if (reason === 'io client disconnect') return; // ours: stop() or retryLater() set the status
    actions().connectionChanged('disconnected', reason);
    // The server closed this socket itself; socket.io does not retry that on its own.
    if (reason === 'io server disconnect') socket.connect();
  };

  const onConnectError = (error: Error): void => {
    if (error.message === 'unauthorized') {
      sessionEnded();
      return;
    }
    // A refusal by the server's middleware is not retried by socket.io; a transport error is.
    if (socket.active) actions().connectionChanged('disconnected', error.message);
    else retryLater(error.message);
  };

  const onReadingsStored = (payload: unknown): void => {
    const { readings, invalid } = parseReadings(payload);
    if (invalid > 0) log.warn(`dropped ${invalid} malformed reading(s) from readings:stored`);
    const step = receiveLive(cursor, readings);
    cursor = step.cursor;
    applyLive(step.fresh);
  };

  const onSessionUpdated = (payload: unknown): void => {
    const session = parseSessionSummary(payload);
    if (session === null) log.warn('dropped a malformed session:updated');
    else actions().sessionUpdated(session);
  };

  // Alarm reach: who watches which chair, and whom an alarm has reached (features/assignments).
  const onAssignmentsChanged = (payload: unknown): void => {
    const list = assignmentsListSchema.safeParse(payload);
    if (list.success) actions().assignmentsLoaded(list.data);
    else log.warn('dropped a malformed assignments:changed');
  };

  const onAlertReached = (payload: unknown): void => {
    const step = escalationStepSchema.safeParse(payload);
    if (step.success) actions().escalationsReceived([step.data]);
    else log.warn('dropped a malformed alert:reached');
  };

  function start(): void {
    if (running) return;
    running = true;
    cursor = initialSyncCursor;
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onConnectError);
    socket.on('readings:stored', onReadingsStored);
    socket.on('session:updated', onSessionUpdated);
    socket.on('assignments:changed', onAssignmentsChanged);
    socket.on('alert:reached', onAlertReached);
    actions().connectionChanged('connecting');
    socket.connect();
    void reloadChairs();
  }

  function stop(): void {
    if (!running) return;
    running = false;
    generation += 1;
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('connect_error', onConnectError);
    socket.off('readings:stored', onReadingsStored);
    socket.off('session:updated', onSessionUpdated);
    socket.off('assignments:changed', onAssignmentsChanged);
    socket.off('alert:reached', onAlertReached);
    socket.disconnect();
    dropHeld();
    cursor = initialSyncCursor;
    actions().connectionChanged('offline');
  }

  return { start, stop, reloadChairs };
}
