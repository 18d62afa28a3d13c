import { z } from 'zod';
import type { Alert } from './alert';
import { type AlertPriority, alertPrioritySchema, compareAlertPriority } from './rules';

/**
 * Alarm sound and alarm-bar policy (docs/clinical-defaults.md "Alarm behaviour"), pure so that every screen and the
 * server reach the same answer from the same alerts and time.
 */

export interface AudioPolicy {
  /** How long an audio pause lasts (§4: 2 min, with a visible countdown). */
  pauseMs: number;
  /** An unacknowledged alarm sounds again this long after it last did (§4: 3 min). */
  reAlarmMs: number;
}

export const defaultAudioPolicy: AudioPolicy = { pauseMs: 120_000, reAlarmMs: 180_000 };

/** Per chair. `pausedAtPriority`: the most urgent alarm the pause covers; more urgent ones break through. */
export const audioPauseSchema = z.object({
  pausedUntilMs: z.number().nullable(),
  pausedAtPriority: alertPrioritySchema.nullable(),
});
export type AudioPause = z.infer<typeof audioPauseSchema>;

export const noAudioPause: AudioPause = { pausedUntilMs: null, pausedAtPriority: null };

/** Sound patterns: high ≈ 10 pulses, medium ≈ 3, low ≈ 1. */
export const alarmPatterns: Record<AlertPriority, { pattern: AlertPriority; pulses: number }> = {
  high: { pattern: 'high', pulses: 10 },
  medium: { pattern: 'medium', pulses: 3 },
  low: { pattern: 'low', pulses: 1 },
};

/** Unacknowledged and not cleared: the alerts that may sound (a latched high alarm included). */
export function isAlertSounding(alert: Alert): boolean {
  return alert.status === 'active';
}

/** When the alert last became news: raised, or escalated to its current priority. */
export function alertOnsetMs(alert: Alert): number {
  return alert.escalatedAtMs ?? alert.raisedAtMs;
}

/**
 * Pauses a chair's audio for `pauseMs`. The pause covers the most urgent alarm sounding now (at
 * least 'low'): an alarm of a higher priority, which can only be new, still sounds.
 */
export function pauseAudio(alerts: readonly Alert[], nowMs: number, policy: AudioPolicy = defaultAudioPolicy): AudioPause {
  let covered: AlertPriority = 'low';
  for (const alert of alerts) {
    if (isAlertSounding(alert) && compareAlertPriority(alert.priority, covered) > 0) covered = alert.priority;
  }
  return { pausedUntilMs: nowMs + policy.pauseMs, pausedAtPriority: covered };
}

export interface AlarmSound {
  alertId: string;
  priority: AlertPriority;
  pattern: AlertPriority;
  pulses: number;
  /** When this cue became due: the alarm's onset, or a 3-min reminder after it. */
  cueAtMs: number;
  /** Play each cue once: `<alertId>@<cueAtMs>`. The same on every screen. */
  cueKey: string;
}

export interface AudioDecision {
  /** What should be sounding now (play it unless its `cueKey` was already played), or null. */
  sound: AlarmSound | null;
  paused: boolean;
  /** For the pause countdown; 0 when not paused. */
  pauseRemainingMs: number;
  /** When to ask again if no alert changes before then (next reminder or end of pause), or null. */
  nextCheckAtMs: number | null;
}

/**
 * Which alarm should sound now for one chair. Acknowledged and cleared alerts never sound. Among
 * the rest, the most urgent sounds, at its onset and again every `reAlarmMs` until acknowledged.
 * A pause silences alarms up to `pausedAtPriority` until `pausedUntilMs`; those still unacknowledged
 * sound again when it ends, and every `reAlarmMs` from then. Keep an expired pause until the next
 * one replaces it (dropping it early moves the reminder cycle back and may replay one cue).
 */
export function decideAlarmSound(
  alerts: readonly Alert[],
  pause: AudioPause,
  nowMs: number,
  policy: AudioPolicy = defaultAudioPolicy,
): AudioDecision {
  const paused = pause.pausedUntilMs !== null && nowMs < pause.pausedUntilMs;
  const covered = pause.pausedAtPriority ?? 'low';
  const sounding = alerts.filter(isAlertSounding);

  let best: { alert: Alert; cueAtMs: number } | null = null;
  let nextCheckAtMs: number | null = paused ? pause.pausedUntilMs : null;
  for (const alert of sounding) {
    const coveredByPause = compareAlertPriority(alert.priority, covered) <= 0;
    // A pause that covered this alarm and has ended restarts its reminder cycle.
    const resumedAtMs =
      coveredByPause && pause.pausedUntilMs !== null && !paused && pause.pausedUntilMs > alertOnsetMs(alert)
        ? pause.pausedUntilMs
        : null;
    const onsetMs = resumedAtMs ?? alertOnsetMs(alert);
    const cycles = Math.max(0, Math.floor((nowMs - onsetMs) / policy.reAlarmMs));
    const cueAtMs = onsetMs + cycles * policy.reAlarmMs;
    const nextCueAtMs = nowMs < onsetMs ? onsetMs : cueAtMs + policy.reAlarmMs;
    nextCheckAtMs = nextCheckAtMs === null ? nextCueAtMs : Math.min(nextCheckAtMs, nextCueAtMs);

    if (nowMs < onsetMs) continue;
    if (paused && coveredByPause) continue;
    if (
      best === null ||
      compareAlertPriority(alert.priority, best.alert.priority) > 0 ||
      (alert.priority === best.alert.priority &&
        (cueAtMs > best.cueAtMs || (cueAtMs === best.cueAtMs && alert.id < best.alert.id)))
    ) {
      best = { alert, cueAtMs };
    }
  }

  const sound: AlarmSound | null =
    best === null
      ? null
      : {
          alertId: best.alert.id,
          priority: best.alert.priority,
          ...alarmPatterns[best.alert.priority],
          cueAtMs: best.cueAtMs,
          cueKey: `${best.alert.id}@${best.cueAtMs}`,
        };
  return {
    sound,
    paused,
    pauseRemainingMs: paused && pause.pausedUntilMs !== null ? pause.pausedUntilMs - nowMs : 0,
    nextCheckAtMs,
  };
}

/** The alarm bar's order: most urgent first, then the newest onset first, then id. */
export function sortAlerts<T extends Alert>(alerts: readonly T[]): T[] {
  return [...alerts].sort(
    (a, b) =>
      compareAlertPriority(b.priority, a.priority) ||
      alertOnsetMs(b) - alertOnsetMs(a) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The priority's symbol, so that colour is never the only cue (§4). */
export function alertSymbol(priority: AlertPriority): '!!!' | '!!' | '!' {
  switch (priority) {
    case 'high':
      return '!!!';
    case 'medium':
      return '!!';
    case 'low':
      return '!';
  }
}
