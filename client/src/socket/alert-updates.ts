import { type Alert, type AudioPauseMessage, alertSchema, audioPauseMessageSchema, errorCodeSchema, errorStatus } from '@chairside/shared';
import type { ApiClient } from '../api/api-client';
import { ApiError, errorMessage } from '../api/api-error';
import type { Clock } from '../clock';
import { clearedVisibleMs } from '../store/alerts-slice';
import type { AppStore } from '../store/app-store';
import { parseAck, parseAlertMessage, parseAudioPauseMessage } from './alert-payloads';
import type { ChairsideSocket } from './live-updates';

/** What the alarm UI asks of the server. */
export interface AlertActions {
  /** "A person has seen it": silences it on every screen. Resolves with the acknowledged alert. */
  acknowledge(alertId: string, note?: string): Promise<Alert>;
  /** Pauses the chair's alarm sound on every screen for 2 min. */
  pauseAudio(chairId: string): Promise<AudioPauseMessage>;
}

export interface AlertUpdates extends AlertActions {
  /** Listens for alert events and reads the open alerts on every (re)connect, until stop(). */
  start(): void;
  stop(): void;
  reloadAlerts(): Promise<void>;
}

export interface AlertUpdatesOptions {
  socket: ChairsideSocket;
  store: AppStore;
  api: Pick<ApiClient, 'listOpenAlerts' | 'acknowledgeAlert' | 'pauseChairAudio'>;
  clock: Clock;
  /** How long a socket acknowledgement may take. */
  ackTimeoutMs?: number;
  log?: Pick<Console, 'warn'>;
}

const alertEvents = ['alert:raised', 'alert:escalated', 'alert:cleared', 'alert:acknowledged'] as const;

/** Only nurses and clinicians handle alarms; the server answers an admin 403. */
export function handlesAlarms(role: string | undefined): boolean {
  return role === 'nurse' || role === 'clinician';
}

function ackFailure(code: string, message: string): ApiError {
  const known = errorCodeSchema.safeParse(code);
  return known.success ? new ApiError(errorStatus[known.data], known.data, message) : new ApiError(0, 'unexpected', message);
}

const noAnswer = () => new ApiError(0, 'network', 'The server did not answer. Check the connection and try again.');

/**
 * Alert wiring, outside React, on the socket the readings use. Alert events carry the whole alert,
 * so each is folded into the store as it comes; missed ones are not replayed, so the open alerts are
 * read again whenever the connection is live again (the server has joined us to the broadcast by then).
 */
export function createAlertUpdates({ socket, store, api, clock, ackTimeoutMs = 10_000, log = console }: AlertUpdatesOptions): AlertUpdates {
  let running = false;
  let listening = false;
  let generation = 0;
  let unsubscribe: (() => void) | null = null;
  const pruneTimers = new Set<ReturnType<typeof setTimeout>>();
  const actions = () => store.getState();

  function schedulePrune(): void {
    const timer = setTimeout(() => {
      pruneTimers.delete(timer);
      actions().alertsPruned(clock.now());
    }, clearedVisibleMs + 100);
    pruneTimers.add(timer);
  }

  const onAlert = (payload: unknown): void => {
    const message = parseAlertMessage(payload);
    if (message === null) {
      log.warn('dropped a malformed alert event');
      return;
    }
    actions().alertEventReceived(message, clock.now());
    if (message.event.type === 'alert-cleared') schedulePrune();
  };

  const onAudioPaused = (payload: unknown): void => {
    const message = parseAudioPauseMessage(payload);
    if (message === null) log.warn('dropped a malformed audio:paused');
    else actions().audioPaused(message);
  };

  async function reloadAlerts(): Promise<void> {
    if (!listening) return;
    const started = generation;
    const requestedAtMs = clock.now();
    actions().alertsLoading();
    try {
      const items = await api.listOpenAlerts();
      if (started === generation) actions().alertsLoaded(items, requestedAtMs, clock.now());
    } catch (error) {
      if (started !== generation || (error instanceof ApiError && error.status === 401)) return;
      actions().alertsFailed(errorMessage(error));
      log.warn('open alerts could not be read', error);
    }
  }

  async function acknowledge(alertId: string, note?: string): Promise<Alert> {
    const text = note?.trim() ?? '';
    let alert: Alert;
    if (socket.connected) {
      let answer: unknown;
      try {
        answer = await socket.timeout(ackTimeoutMs).emitWithAck('alert:acknowledge', text === '' ? { alertId } : { alertId, note: text });
      } catch {
        throw noAnswer();
      }
      const parsed = parseAck(answer, alertSchema);
      if (!parsed.ok) throw ackFailure(parsed.code, parsed.message);
      alert = parsed.value;
    } else {
      alert = await api.acknowledgeAlert(alertId, text === '' ? undefined : text);
    }
    // Shown at once; the broadcast of the same acknowledgement that follows changes nothing.
    const entry = actions().alerts.byId[alertId];
    if (entry !== undefined) actions().alertSnapshotReceived({ chairId: entry.chairId, sessionId: entry.sessionId, alert }, clock.now());
    return alert;
  }

  async function pauseAudio(chairId: string): Promise<AudioPauseMessage> {
    let message: AudioPauseMessage;
    if (socket.connected) {
      let answer: unknown;
      try {
        answer = await socket.timeout(ackTimeoutMs).emitWithAck('audio:pause', { chairId });
      } catch {
        throw noAnswer();
      }
      const parsed = parseAck(answer, audioPauseMessageSchema);
      if (!parsed.ok) throw ackFailure(parsed.code, parsed.message);
      message = parsed.value;
    } else {
      message = await api.pauseChairAudio(chairId);
    }
    actions().audioPaused(message);
    return message;
  }

  function start(): void {
    if (running) return;
    running = true;
    generation += 1;
    if (!handlesAlarms(actions().auth.user?.role)) return;
    listening = true;
    for (const event of alertEvents) socket.on(event, onAlert);
    socket.on('audio:paused', onAudioPaused);
    unsubscribe = store.subscribe((state, previous) => {
      if (state.connection.status === 'live' && previous.connection.status !== 'live') void reloadAlerts();
    });
    if (actions().connection.status === 'live') void reloadAlerts();
  }

  function stop(): void {
    if (!running) return;
    running = false;
    generation += 1;
    if (listening) {
      for (const event of alertEvents) socket.off(event, onAlert);
      socket.off('audio:paused', onAudioPaused);
    }
    listening = false;
    unsubscribe?.();
    unsubscribe = null;
    for (const timer of pruneTimers) clearTimeout(timer);
    pruneTimers.clear();
  }

  return { start, stop, reloadAlerts, acknowledge, pauseAudio };
}
