import type { Alert } from '@chairside/shared';
import type { ConnectionStatus } from '../store/app-state';
import type { ScreenAlarmsState } from '../store/screen-alarms-slice';
import { formatClock } from './vital-format';

/**
 * This screen's own technical alarms (docs/clinical-defaults.md "Alarm behaviour"), derived from the store and the tablet
 * clock; pure. Medium priority, like the server's technical alarms, shown in the alarm bar and
 * sounded through the same policy, but kept on this screen only: nobody acknowledges them, they go
 * when their cause does, and the screen's 2-min mute silences them (they stay shown).
 */

/** A blip of the Wi-Fi is not an alarm; a connection lost this long is (values shown are stale). */
export const connectionAlarmDelayMs = 10_000;

export const connectionAlarmId = 'screen.connection-lost';
export const storeFaultAlarmId = 'screen.store-fault';

export interface ScreenAlarm {
  kind: 'connection-lost' | 'store-fault' | 'station-fault';
  /** As an alert, so that the shared sound policy and the bar's symbols and words apply. Tablet clock. */
  alert: Alert;
  /** What it is about, for the bar's title. */
  title: string;
  /** The rest of the story: since when, what still works, how it ends. */
  detail: string;
}

/** What each station-wide alarm is called in the bar, and what still works meanwhile. */
const stationFaultText: Record<string, { label: string; detail: string }> = {
  'hl7-gateway-unreachable': {
    label: 'Paging gateway',
    detail: 'Alarms still show and sound on the screens; the server keeps every message for the phones and pagers and sends them once the gateway answers. Check the gateway and its network.',
  },
};

function screenAlert(id: string, label: string, message: string, raisedAtMs: number, priority: Alert['priority'] = 'medium'): Alert {
  return {
    id,
    ruleId: id,
    subject: null,
    label,
    category: 'technical',
    priority,
    status: 'active',
    message,
    facts: { kind: 'no-data', silentSec: 0 },
    readingSeq: null,
    raisedAtMs,
    escalatedAtMs: null,
    conditionResolvedAtMs: null,
    clearedAtMs: null,
    clearReason: null,
    acknowledgements: [],
  };
}

/** When the lost connection became an alarm (10 s after it dropped), or null while there is none. */
export function connectionAlarmSinceMs(lostAtMs: number | null, clientNowMs: number): number | null {
  if (lostAtMs === null || clientNowMs - lostAtMs < connectionAlarmDelayMs) return null;
  return lostAtMs;
}

export interface ScreenAlarmInput {
  screenAlarms: ScreenAlarmsState;
  connectionStatus: ConnectionStatus;
  /** Tablet clock. */
  clientNowMs: number;
}

/** The screen's alarms now, the lost connection first (while it lasts, every other value is stale too). */
export function screenAlarms({ screenAlarms: state, connectionStatus, clientNowMs }: ScreenAlarmInput): ScreenAlarm[] {
  const alarms: ScreenAlarm[] = [];
  const lostAtMs = connectionAlarmSinceMs(state.connectionLostAtMs, clientNowMs);
  if (lostAtMs !== null) {
    const message = `Connection to server lost — values shown are stale since ${formatClock(lostAtMs)}`;
    alarms.push({
      kind: 'connection-lost',
      alert: screenAlert(connectionAlarmId, 'Connection lost', message, lostAtMs + connectionAlarmDelayMs),
      title: message,
      detail:
        connectionStatus === 'syncing'
          ? 'Reconnected — reading the values missed meanwhile. Watch the bedside monitors.'
          : 'Reconnecting automatically; new values and alarms from the server cannot reach this screen meanwhile. Watch the bedside monitors.',
    });
  }
  const fault = state.storeFault;
  if (fault !== null) {
    alarms.push({
      kind: 'store-fault',
      alert: screenAlert(storeFaultAlarmId, 'Readings not saved', fault.problem, fault.heardAtMs),
      title: fault.problem,
      detail: `Since ${formatClock(fault.sinceMs)}. New readings are not stored or shown until the server can save again. Watch the bedside monitors.`,
    });
  }
  for (const station of Object.values(state.stationFaults)) {
    const text = stationFaultText[station.id] ?? { label: 'Station', detail: 'Reported by the server; it clears by itself when fixed.' };
    alarms.push({
      kind: 'station-fault',
      alert: screenAlert(`screen.station.${station.id}`, text.label, station.problem, station.heardAtMs, station.priority),
      title: station.problem,
      detail: `Since ${formatClock(station.sinceMs)}. ${text.detail}`,
    });
  }
  return alarms;
}
