import { useMemo } from 'react';
import { useNow } from './use-now';
import { handlesAlarms } from '../socket/alert-updates';
import { useAppStore } from '../store/store-context';
import { type ChairAlarm, chairAlarm } from '../lib/alarm-view';
import { connectionAlarmSinceMs, type ScreenAlarm, screenAlarms } from '../lib/screen-alarms';

/** Nurses and clinicians see alarm controls; an admin does not (the server answers 403). */
export function useHandlesAlarms(): boolean {
  return useAppStore((s) => handlesAlarms(s.auth.user?.role));
}

/** Now on the server's clock (alert and pause times are the server's), refreshed every `intervalMs`. */
export function useServerNow(intervalMs = 1000): number {
  const nowMs = useNow(intervalMs);
  const offsetMs = useAppStore((s) => s.alerts.serverOffsetMs);
  return nowMs + offsetMs;
}

/** The chair's most urgent open alarm, or null. */
export function useChairAlarm(chairId: string): ChairAlarm | null {
  const byId = useAppStore((s) => s.alerts.byId);
  return useMemo(() => chairAlarm(byId, chairId), [byId, chairId]);
}

/** Milliseconds left of the chair's audio pause (0 when none). */
export function usePauseRemainingMs(chairId: string, serverNowMs: number): number {
  const until = useAppStore((s) => s.alerts.pauses[chairId]?.pause.pausedUntilMs ?? null);
  return until === null ? 0 : Math.max(0, until - serverNowMs);
}

/** This screen's own alarms now (lost connection, store fault), on the tablet's one-second clock. */
export function useScreenAlarms(): ScreenAlarm[] {
  const nowMs = useNow(1000);
  const state = useAppStore((s) => s.screenAlarms);
  const connectionStatus = useAppStore((s) => s.connection.status);
  return screenAlarms({ screenAlarms: state, connectionStatus, clientNowMs: nowMs });
}

/**
 * Since when every value on screen is stale because the connection is lost (its alarm is on: lost
 * for 10 s or more), or null.
 */
export function useConnectionLostSinceMs(): number | null {
  const nowMs = useNow(1000);
  const lostAtMs = useAppStore((s) => s.screenAlarms.connectionLostAtMs);
  return connectionAlarmSinceMs(lostAtMs, nowMs);
}
