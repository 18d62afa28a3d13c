import { alertOnsetMs, alertSymbol, alertTitle, isLatched } from '@chairside/shared';
import { useMemo, useState } from 'react';
import { useServices } from '../../app-services';
import { useNow } from '../../hooks/use-now';
import type { AlertEntry } from '../../store/alerts-slice';
import { useAppStore } from '../../store/store-context';
import { formatAge, formatClock } from '../chairs/vital-format';
import { AcknowledgeDialog } from './AcknowledgeDialog';
import { activeAgainText, categoryWord, isActiveAfterAcknowledgement, lastAcknowledgement, priorityWord, visibleEntries } from './alarm-view';
import type { ScreenAlarm } from './screen-alarms';
import { useHandlesAlarms, useScreenAlarms } from './use-alarms';

/**
 * One of this screen's own alarms (screen-alarms.ts): a lost connection, a store that cannot save.
 * Shown like the server's technical alarms — symbol, priority word, "Technical" — but it belongs to
 * this screen: there is nothing to acknowledge, it goes when its cause does, and the screen's
 * 2-min mute silences it while it stays shown. Announced as an alert.
 */
function ScreenAlarmItem({ alarm }: { alarm: ScreenAlarm }) {
  const { alert } = alarm;
  return (
    <div role="alert" className={`alarm-item alarm-item--${alert.priority} alarm-item--technical alarm-item--screen is-active`} data-alert-id={alert.id}>
      <span className="alarm-symbol" aria-hidden="true">
        {alertSymbol(alert.priority)}
      </span>
      <div className="alarm-item__body">
        <p className="alarm-item__title">
          <span className="alarm-item__priority">{priorityWord[alert.priority]}</span>
          <span className="alarm-item__category">Technical</span>
          <strong className="alarm-item__chair">This screen</strong>
          <span className="alarm-item__label">{alert.label}</span>
        </p>
        <p className="alarm-item__message">{alarm.title}</p>
        <p className="alarm-item__meta">
          <span>{alarm.detail}</span>
          <span className="alarm-item__screen-note">Clears by itself when fixed; nothing to acknowledge. “Mute 2 min” silences it.</span>
        </p>
      </div>
    </div>
  );
}

interface AlarmItemProps {
  entry: AlertEntry;
  chairName: string;
  serverNowMs: number;
  canAcknowledge: boolean;
  onAcknowledge: (entry: AlertEntry) => void;
}

function AlarmItem({ entry, chairName, serverNowMs, canAcknowledge, onAcknowledge }: AlarmItemProps) {
  const { alert } = entry;
  const cleared = entry.clearedSeenAtMs !== null || alert.status === 'cleared';
  const acknowledgement = lastAcknowledgement(alert);
  const category = categoryWord(alert);
  const state = cleared ? 'cleared' : alert.status === 'acknowledged' ? 'acknowledged' : 'active';
  const onsetMs = alertOnsetMs(alert);

  return (
    <li className={`alarm-item alarm-item--${alert.priority} alarm-item--${alert.category} is-${state}`} data-alert-id={alert.id}>
      <span className="alarm-symbol" aria-hidden="true">
        {alertSymbol(alert.priority)}
      </span>
      <div className="alarm-item__body">
        <p className="alarm-item__title">
          <span className="alarm-item__priority">{priorityWord[alert.priority]}</span>
          {category !== null && <span className="alarm-item__category">{category}</span>}
          <strong className="alarm-item__chair">{chairName}</strong>
          <span className="alarm-item__label">{alertTitle(alert)}</span>
        </p>
        <p className="alarm-item__message">{alert.message}</p>
        <p className="alarm-item__meta">
          <time dateTime={new Date(onsetMs).toISOString()}>
            {alert.escalatedAtMs === null ? 'Raised' : 'Escalated'} {formatAge(Math.max(0, serverNowMs - onsetMs))}
          </time>
          {!cleared && isLatched(alert) && <span className="alarm-item__latched">(value recovered — acknowledge to clear)</span>}
          {!cleared && isActiveAfterAcknowledgement(alert) && <span className="alarm-item__ack alarm-item__ack--again">{activeAgainText(alert)}</span>}
          {acknowledgement !== null && (cleared || !isActiveAfterAcknowledgement(alert)) && (
            <span className="alarm-item__ack">
              Acknowledged by {acknowledgement.by.username} at {formatClock(acknowledgement.atMs)}
              {acknowledgement.note !== null && acknowledgement.note !== '' && <> — “{acknowledgement.note}”</>}
            </span>
          )}
          {cleared && <span className="alarm-item__cleared">Cleared — stays in the session’s alert history</span>}
        </p>
      </div>
      {canAcknowledge && !cleared && alert.status === 'active' && (
        <button
          type="button"
          className="button alarm-item__ack-button"
          aria-label={`Acknowledge ${alert.message} on ${chairName}`}
          aria-haspopup="dialog"
          onClick={() => onAcknowledge(entry)}
        >
          Acknowledge
        </button>
      )}
    </li>
  );
}

/**
 * Every alarm of every chair, most urgent first, then the newest: symbol and priority word (colour is
 * never the only cue), chair, value and limit, age, and who acknowledged it. Above the grid on every page.
 */
export function AlarmBar() {
  const { alerts } = useServices();
  const handles = useHandlesAlarms();
  const ownAlarms = useScreenAlarms();
  const byId = useAppStore((s) => s.alerts.byId);
  const list = useAppStore((s) => s.alerts.list);
  const chairs = useAppStore((s) => s.chairs);
  const offsetMs = useAppStore((s) => s.alerts.serverOffsetMs);
  const nowMs = useNow(1000);
  const entries = useMemo(() => visibleEntries(byId, nowMs), [byId, nowMs]);
  const [acknowledging, setAcknowledging] = useState<AlertEntry | null>(null);

  if (!handles && ownAlarms.length === 0) return null;
  const chairName = (chairId: string) => chairs[chairId]?.name ?? chairId;
  const waiting = entries.filter((entry) => entry.clearedSeenAtMs === null && entry.alert.status === 'active').length;

  return (
    <section role="region" aria-label="Active alarms" className={`alarm-bar${entries.length > 0 || ownAlarms.length > 0 ? ' has-alarms' : ''}`}>
      {/* First: while the screen is cut off, everything below it may be out of date too. */}
      {ownAlarms.length > 0 && (
        <div className="alarm-list alarm-list--screen">
          {ownAlarms.map((alarm) => (
            <ScreenAlarmItem key={alarm.alert.id} alarm={alarm} />
          ))}
        </div>
      )}
      {handles && entries.length > 0 && (
        <ul className="alarm-list">
          {entries.map((entry) => (
            <AlarmItem
              key={entry.alert.id}
              entry={entry}
              chairName={chairName(entry.chairId)}
              serverNowMs={nowMs + offsetMs}
              canAcknowledge={handles}
              onAcknowledge={setAcknowledging}
            />
          ))}
        </ul>
      )}
      {handles && entries.length === 0 && ownAlarms.length === 0 && list.status !== 'failed' && (
        <p className="alarm-bar__empty">{list.status === 'loaded' ? 'No active alarms' : 'Reading alarms…'}</p>
      )}
      {handles && list.error !== null && (
        <div role="alert" className="notice notice--error alarm-bar__error">
          <span>Could not read the open alarms: {list.error}</span>
          <button type="button" className="button button--secondary" onClick={() => void alerts.reloadAlerts()}>
            Retry
          </button>
        </div>
      )}
      {handles && (
        <p className="visually-hidden" role="status">
          {waiting === 0 ? 'No alarm waits for acknowledgement' : `${waiting} ${waiting === 1 ? 'alarm waits' : 'alarms wait'} for acknowledgement`}
        </p>
      )}
      {acknowledging !== null && (
        <AcknowledgeDialog entry={acknowledging} chairName={chairName(acknowledging.chairId)} onClose={() => setAcknowledging(null)} />
      )}
    </section>
  );
}
