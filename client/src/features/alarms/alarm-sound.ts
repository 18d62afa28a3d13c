import {
  type Alert,
  type AlertPriority,
  type AudioPauseMessage,
  compareAlertPriority,
  decideAlarmSound,
  noAudioPause,
} from '@chairside/shared';
import type { Clock } from '../../clock';
import { type AlertEntry, isScreenMuted } from '../../store/alerts-slice';
import type { AppState } from '../../store/app-state';
import type { AppStore } from '../../store/app-store';
import type { AlarmAudioEngine } from './alarm-audio';
import { isOpen } from '../../lib/alarm-view';
import { screenAlarms } from '../../lib/screen-alarms';

export interface DueCue {
  alertId: string;
  /** null for this screen's own alarms (lost connection, store fault), which are no chair's. */
  chairId: string | null;
  priority: AlertPriority;
  pattern: AlertPriority;
  pulses: number;
  /** Each cue plays once (shared `decideAlarmSound`): the same key on every screen. */
  cueKey: string;
}

export interface AlarmSoundInput {
  entries: readonly AlertEntry[];
  pauses: Record<string, AudioPauseMessage>;
  /** Now on the server's clock (alert and pause times are the server's). */
  serverNowMs: number;
  /** This screen's own alarms (screen-alarms.ts), timed on the tablet's clock. */
  screenAlerts: readonly Alert[];
  clientNowMs: number;
}

/**
 * What should sound now, most urgent first: per chair what `decideAlarmSound` picks under that
 * chair's pause, and this screen's own alarms (no chair's pause covers them). Pure.
 */
export function dueAlarmCues({ entries, pauses, serverNowMs, screenAlerts, clientNowMs }: AlarmSoundInput): DueCue[] {
  const byChair = new Map<string, Alert[]>();
  for (const entry of entries) {
    if (!isOpen(entry)) continue;
    const list = byChair.get(entry.chairId);
    if (list === undefined) byChair.set(entry.chairId, [entry.alert]);
    else list.push(entry.alert);
  }
  const cues: DueCue[] = [];
  for (const [chairId, alerts] of byChair) {
    const { sound } = decideAlarmSound(alerts, pauses[chairId]?.pause ?? noAudioPause, serverNowMs);
    if (sound !== null) cues.push({ ...sound, chairId });
  }
  for (const alert of screenAlerts) {
    const { sound } = decideAlarmSound([alert], noAudioPause, clientNowMs);
    if (sound !== null) cues.push({ ...sound, chairId: null });
  }
  return cues.sort((a, b) => compareAlertPriority(b.priority, a.priority) || (a.cueKey < b.cueKey ? -1 : a.cueKey > b.cueKey ? 1 : 0));
}

export interface AlarmSoundDriver {
  /** Looks at the store and plays what is due; called every second and on every alarm change. */
  tick(): void;
  /** Ticks until the returned function is called. */
  start(intervalMs?: number): () => void;
}

const playedKept = 2_000;

/**
 * Drives the audio engine from the store: each cue once; while a burst plays, only a more urgent cue
 * cuts in (a less urgent one waits for it to end); a burst stops as soon as its alarm is
 * acknowledged, cleared or paused. Nothing plays until sound is enabled, or while this screen is
 * muted (at most 2 min); when the mute ends, what still sounds is heard again at once, as after a
 * chair's audio pause.
 */
export function createAlarmSoundDriver({ store, audio, clock }: { store: AppStore; audio: AlarmAudioEngine; clock: Clock }): AlarmSoundDriver {
  const played = new Set<string>();
  let current: { alertId: string; priority: AlertPriority; untilMs: number } | null = null;
  let wasMuted = false;

  function markPlayed(cueKey: string): void {
    played.add(cueKey);
    if (played.size > playedKept) {
      const oldest = played.values().next();
      if (oldest.done !== true) played.delete(oldest.value);
    }
  }

  function stopCurrent(): void {
    if (current === null) return;
    current = null;
    audio.stop();
  }

  function tick(): void {
    const state = store.getState();
    const nowMs = clock.now();
    if (current !== null && nowMs >= current.untilMs) current = null;

    const cues = dueAlarmCues({
      entries: Object.values(state.alerts.byId),
      pauses: state.alerts.pauses,
      serverNowMs: nowMs + state.alerts.serverOffsetMs,
      screenAlerts: screenAlarms({ screenAlarms: state.screenAlarms, connectionStatus: state.connection.status, clientNowMs: nowMs }).map((alarm) => alarm.alert),
      clientNowMs: nowMs,
    });
    const playingId = current?.alertId;
    if (playingId !== undefined && !cues.some((cue) => cue.alertId === playingId)) stopCurrent();

    if (state.sound.enabled && !audio.isReady()) state.soundEnabledChanged(false);
    const muted = isScreenMuted(state.sound, nowMs);
    // The mute is over (ran out, or someone unmuted): every alarm still sounding is news again.
    if (wasMuted && !muted) played.clear();
    wasMuted = muted;
    if (!state.sound.enabled || muted || !audio.isReady()) {
      stopCurrent();
      return;
    }

    const fresh = cues.filter((cue) => !played.has(cue.cueKey));
    const top = fresh[0];
    if (top === undefined) return;
    if (current !== null && compareAlertPriority(top.priority, current.priority) <= 0) return;
    const lengthMs = audio.play(top.pattern, top.pulses);
    current = { alertId: top.alertId, priority: top.priority, untilMs: nowMs + lengthMs };
    // Sounding the most urgent one also announces the others that came due with it.
    for (const cue of fresh) markPlayed(cue.cueKey);
  }

  function start(intervalMs = 1_000): () => void {
    tick();
    const timer = setInterval(tick, intervalMs);
    const relevant = (s: AppState) => [s.alerts.byId, s.alerts.pauses, s.sound, s.connection.status, s.screenAlarms] as const;
    const unsubscribe = store.subscribe((state, previous) => {
      const a = relevant(state);
      const b = relevant(previous);
      if (a.some((value, index) => value !== b[index])) tick();
    });
    return () => {
      clearInterval(timer);
      unsubscribe();
      stopCurrent();
    };
  }

  return { tick, start };
}
