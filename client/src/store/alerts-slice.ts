import { type Alert, type AlertListItem, type AlertMessage, type AudioPauseMessage, alertOnsetMs, defaultAudioPolicy } from '@chairside/shared';
import type { LoadStatus, SliceCreator } from './slice';

/** A cleared alert stays in the bar this long after this screen learned of it (docs/clinical-defaults.md "Alarm behaviour": ≥5 s). */
export const clearedVisibleMs = 5_000;

/** How many cleared alert ids are remembered, so that a stale snapshot never brings one back. */
const clearedIdsKept = 1_000;

/** Server clock − tablet clock is re-estimated only when it moves by more than this (network jitter). */
const offsetToleranceMs = 1_000;

/** One alert as this screen knows it. */
export interface AlertEntry {
  chairId: string;
  sessionId: string;
  /** The newest snapshot the server sent (events carry the whole alert). */
  alert: Alert;
  /** Tablet clock when this snapshot arrived. */
  receivedAtMs: number;
  /** Tablet clock when it was seen cleared; it leaves the bar `clearedVisibleMs` later. */
  clearedSeenAtMs: number | null;
}

export interface AlertsState {
  byId: Record<string, AlertEntry>;
  /** Ids seen cleared, newest last. */
  clearedIds: readonly string[];
  /** Per chair, the newest audio pause (an expired one is kept until the next replaces it: audio.ts). */
  pauses: Record<string, AudioPauseMessage>;
  /**
   * Server clock minus this tablet's clock, from the `atMs` of alert events. Alert times are the
   * server's: a tablet a minute behind would otherwise hold a new alarm's sound for a minute.
   */
  serverOffsetMs: number;
  list: { status: LoadStatus; error: string | null };
  /** Bumped by every alert event of a session, and by every reload: history tables read again. */
  revision: { bySession: Record<string, number>; loads: number };
}

export interface SoundState {
  /** The browser lets this page play sound (after a tap on "Enable sound"). */
  enabled: boolean;
  /**
   * Someone muted alarm sound on this screen until then (tablet clock), at most `screenMuteMs` from
   * the tap; sound comes back by itself. Never permanent (docs/clinical-defaults.md "Alarm behaviour"). Null: not muted.
   */
  mutedUntilMs: number | null;
}

/** A screen's own mute lasts as long as a chair's audio pause: 2 min. */
export const screenMuteMs = defaultAudioPolicy.pauseMs;

/** Whether this screen is muted at `clientNowMs` (tablet clock). */
export function isScreenMuted(sound: SoundState, clientNowMs: number): boolean {
  return sound.mutedUntilMs !== null && clientNowMs < sound.mutedUntilMs;
}

export interface AlertsSlice {
  alerts: AlertsState;
  sound: SoundState;
  /** An `alert:*` event; duplicates and snapshots older than the one held change nothing. */
  alertEventReceived(message: AlertMessage, receivedAtMs: number): void;
  /** The answer to our own acknowledgement: shown at once, the broadcast that follows changes nothing. */
  alertSnapshotReceived(item: AlertListItem, receivedAtMs: number): void;
  alertsLoading(): void;
  /**
   * The open alerts as the server listed them. Missed alert events are not replayed, so an alert held
   * here, not listed, and last heard of before the request went out has cleared meanwhile.
   */
  alertsLoaded(items: readonly AlertListItem[], requestedAtMs: number, receivedAtMs: number): void;
  alertsFailed(message: string): void;
  /** Drops cleared alerts shown long enough. */
  alertsPruned(nowMs: number): void;
  audioPaused(message: AudioPauseMessage): void;
  soundEnabledChanged(enabled: boolean): void;
  /** Mutes this screen for `screenMuteMs` from `clientNowMs` (tablet clock); a second tap starts the 2 min again. */
  soundMuted(clientNowMs: number): void;
  /** Sound on again before the mute ran out. */
  soundUnmuted(): void;
}

export const initialAlertsState: AlertsState = {
  byId: {},
  clearedIds: [],
  pauses: {},
  serverOffsetMs: 0,
  list: { status: 'idle', error: null },
  revision: { bySession: {}, loads: 0 },
};

export const initialSoundState: SoundState = { enabled: false, mutedUntilMs: null };

/**
 * Snapshots of one alert only move forward: cleared is final, an escalation moves the onset on, an
 * acknowledgement adds to the list (escalating keeps the earlier ones). Equal rank: the newer read wins.
 */
function rank(alert: Alert): [number, number, number] {
  return [alert.status === 'cleared' ? 1 : 0, alertOnsetMs(alert), alert.acknowledgements.length];
}

function isOlder(incoming: Alert, current: Alert): boolean {
  const a = rank(incoming);
  const b = rank(current);
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

function sameSnapshot(a: Alert, b: Alert): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function withCleared(clearedIds: readonly string[], id: string): readonly string[] {
  if (clearedIds.includes(id)) return clearedIds;
  const next = [...clearedIds, id];
  return next.length > clearedIdsKept ? next.slice(-clearedIdsKept) : next;
}

/** Folds one snapshot in; returns `alerts` itself when it changes nothing. */
function applySnapshot(alerts: AlertsState, item: AlertListItem, receivedAtMs: number): AlertsState {
  const { alert } = item;
  const current = alerts.byId[alert.id];
  if (current !== undefined && (current.clearedSeenAtMs !== null || isOlder(alert, current.alert))) return alerts;
  if (current === undefined && alerts.clearedIds.includes(alert.id)) return alerts;
  if (current !== undefined && sameSnapshot(current.alert, alert)) return alerts;

  if (alert.status === 'cleared') {
    const clearedIds = withCleared(alerts.clearedIds, alert.id);
    // One never shown here (raised while we were away) is not worth a flash in the bar.
    if (current === undefined) return { ...alerts, clearedIds };
    return {
      ...alerts,
      clearedIds,
      byId: { ...alerts.byId, [alert.id]: { ...current, alert, receivedAtMs, clearedSeenAtMs: receivedAtMs } },
    };
  }
  const entry: AlertEntry = { chairId: item.chairId, sessionId: item.sessionId, alert, receivedAtMs, clearedSeenAtMs: null };
  return { ...alerts, byId: { ...alerts.byId, [alert.id]: entry } };
}

function bumpSession(revision: AlertsState['revision'], sessionId: string): AlertsState['revision'] {
  return { ...revision, bySession: { ...revision.bySession, [sessionId]: (revision.bySession[sessionId] ?? 0) + 1 } };
}

export const createAlertsSlice: SliceCreator<AlertsSlice, AlertsSlice> = (set) => ({
  alerts: initialAlertsState,
  sound: initialSoundState,

  alertEventReceived: ({ chairId, sessionId, event }, receivedAtMs) =>
    set((s) => {
      let alerts = applySnapshot(s.alerts, { chairId, sessionId, alert: event.alert }, receivedAtMs);
      if (alerts !== s.alerts) alerts = { ...alerts, revision: bumpSession(alerts.revision, sessionId) };
      const sample = event.atMs - receivedAtMs;
      if (Math.abs(sample - alerts.serverOffsetMs) > offsetToleranceMs) alerts = { ...alerts, serverOffsetMs: sample };
      return alerts === s.alerts ? s : { alerts };
    }),

  alertSnapshotReceived: (item, receivedAtMs) =>
    set((s) => {
      const alerts = applySnapshot(s.alerts, item, receivedAtMs);
      return alerts === s.alerts ? s : { alerts: { ...alerts, revision: bumpSession(alerts.revision, item.sessionId) } };
    }),

  alertsLoading: () => set((s) => ({ alerts: { ...s.alerts, list: { status: 'loading', error: s.alerts.list.error } } })),

  alertsLoaded: (items, requestedAtMs, receivedAtMs) =>
    set((s) => {
      let alerts = s.alerts;
      for (const item of items) alerts = applySnapshot(alerts, item, receivedAtMs);
      const listed = new Set(items.map((item) => item.alert.id));
      for (const entry of Object.values(alerts.byId)) {
        if (entry.clearedSeenAtMs !== null || listed.has(entry.alert.id) || entry.receivedAtMs >= requestedAtMs) continue;
        alerts = {
          ...alerts,
          clearedIds: withCleared(alerts.clearedIds, entry.alert.id),
          byId: {
            ...alerts.byId,
            [entry.alert.id]: { ...entry, alert: { ...entry.alert, status: 'cleared' }, clearedSeenAtMs: receivedAtMs },
          },
        };
      }
      return {
        alerts: {
          ...alerts,
          list: { status: 'loaded', error: null },
          revision: { ...alerts.revision, loads: alerts.revision.loads + 1 },
        },
      };
    }),

  alertsFailed: (message) =>
    set((s) => ({
      alerts: { ...s.alerts, list: { status: s.alerts.list.status === 'loaded' ? 'loaded' : 'failed', error: message } },
    })),

  alertsPruned: (nowMs) =>
    set((s) => {
      const expired = Object.values(s.alerts.byId).filter(
        (entry) => entry.clearedSeenAtMs !== null && nowMs - entry.clearedSeenAtMs >= clearedVisibleMs,
      );
      if (expired.length === 0) return s;
      const gone = new Set(expired.map((entry) => entry.alert.id));
      const byId = Object.fromEntries(Object.entries(s.alerts.byId).filter(([id]) => !gone.has(id)));
      return { alerts: { ...s.alerts, byId } };
    }),

  audioPaused: (message) =>
    set((s) => {
      const current = s.alerts.pauses[message.chairId];
      if (current !== undefined && (current.pause.pausedUntilMs ?? 0) >= (message.pause.pausedUntilMs ?? 0)) return s;
      return { alerts: { ...s.alerts, pauses: { ...s.alerts.pauses, [message.chairId]: message } } };
    }),

  soundEnabledChanged: (enabled) => set((s) => (s.sound.enabled === enabled ? s : { sound: { ...s.sound, enabled } })),

  soundMuted: (clientNowMs) => set((s) => ({ sound: { ...s.sound, mutedUntilMs: clientNowMs + screenMuteMs } })),

  soundUnmuted: () => set((s) => (s.sound.mutedUntilMs === null ? s : { sound: { ...s.sound, mutedUntilMs: null } })),
});
