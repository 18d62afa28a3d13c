import { alertSymbol } from '@chairside/shared';
import type { ReactNode } from 'react';
import type { VitalAlarm, VitalKind } from './vital-alarms';
import { formatAge } from '../../lib/vital-format';

interface VitalReadoutProps {
  /** Also names the value for browser tests: `data-testid="vital-heartRate"`. */
  kind: VitalKind;
  /** Accessible name of the group ("Heart rate"). */
  name: string;
  /** Short label shown above the value ("HR"). */
  label: string;
  /** The number as shown, or null when there is none. */
  value: string | null;
  unit: string;
  /** Extra line under the value (MAP, "low accuracy"). */
  detail?: ReactNode;
  stale: boolean;
  /** Age of the value in ms: shown always for values measured now and then (BP), and for any old value. */
  ageMs?: number | null;
  /** Show the age even while the value is current (BP, measured every few minutes). */
  alwaysShowAge?: boolean;
  /** The open alarm about this vital, if any (vital-alarms.ts). */
  alarm?: VitalAlarm | undefined;
}

const priorityWords = { high: 'High', medium: 'Medium', low: 'Low' } as const;

/**
 * One vital on a tile: label, big number, unit. An old value stays as large, greyed (still readable),
 * and says so in words — "old" and its age — so colour is never the only cue. The vital an open alarm
 * is about inverts: filled in the priority's colour with its symbol ("!!!") and, for screen readers,
 * its priority in words; once acknowledged (its condition still present) it is outlined instead.
 */
export function VitalReadout({ kind, name, label, value, unit, detail, stale, ageMs, alwaysShowAge = false, alarm }: VitalReadoutProps) {
  const showAge = ageMs !== undefined && ageMs !== null && value !== null && (alwaysShowAge || stale);
  const alarmClass = alarm === undefined ? '' : ` has-alarm vital--alarm-${alarm.priority} ${alarm.acknowledged ? 'is-acknowledged' : 'is-unacknowledged'}`;
  return (
    <div
      role="group"
      aria-label={name}
      className={`vital vital--${kind}${stale ? ' is-stale' : ''}${value === null ? ' is-empty' : ''}${alarmClass}`}
      title={alarm === undefined ? undefined : `${priorityWords[alarm.priority]} alarm: ${alarm.title}${alarm.acknowledged ? ' (acknowledged)' : ''}`}
    >
      <div className="vital__label">
        <span>{label}</span>
        <span className="vital__unit">{unit}</span>
        {alarm !== undefined && (
          <span className="visually-hidden">
            {priorityWords[alarm.priority]} alarm{alarm.acknowledged ? ', acknowledged' : ''}:
          </span>
        )}
      </div>
      <div className="vital__value" data-testid={`vital-${kind}`}>
        {value === null ? (
          <>
            <span aria-hidden="true">—</span>
            <span className="visually-hidden">no value</span>
          </>
        ) : (
          value
        )}
      </div>
      <div className="vital__meta">
        {alarm !== undefined && (
          <span className="vital__alarm-symbol" aria-hidden="true">
            {alertSymbol(alarm.priority)}
          </span>
        )}
        {stale && value !== null && <span className="stale-tag">old</span>}
        {showAge && <span className="vital__age">{formatAge(Math.max(0, ageMs))}</span>}
        {detail}
      </div>
    </div>
  );
}
