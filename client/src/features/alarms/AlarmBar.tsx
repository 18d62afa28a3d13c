import { alertOnsetMs, alertSymbol, alertTitle, isLatched } from '@chairside/shared';
import { type KeyboardEvent, type ReactNode, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useServices } from '../../app-services';
import { useNow } from '../../hooks/use-now';
import type { AlertEntry } from '../../store/alerts-slice';
import { useAppStore } from '../../store/store-context';
import { formatAge, formatClock } from '../../lib/vital-format';
import { AcknowledgeDialog } from './AcknowledgeDialog';
import { SoundBanner } from './SoundBanner';
import {
  activeAgainText,
  categoryWord,
  isActiveAfterAcknowledgement,
  lastAcknowledgement,
  priorityWord,
  stripAlarms,
  type WaitingAlarm,
  visibleEntries,
} from '../../lib/alarm-view';
import type { ScreenAlarm } from '../../lib/screen-alarms';
import { useHandlesAlarms, useScreenAlarms } from '../../hooks/use-alarms';

type ChairName = (chairId: string) => string;

/** One line for a screen reader, a title attribute and the announcement of a new alarm. */
function describeWaiting(alarm: WaitingAlarm, chairName: ChairName): string {
  if (alarm.kind === 'screen') {
    return `${priorityWord[alarm.priority]} technical alarm, this screen: ${alarm.alarm.alert.label}. ${alarm.alarm.title}`;
  }
  const { alert } = alarm.entry;
  const category = categoryWord(alert);
  const again = isActiveAfterAcknowledgement(alert) ? ` (${activeAgainText(alert).toLowerCase()})` : '';
  return `${priorityWord[alert.priority]}${category === null ? '' : ` ${category.toLowerCase()}`} alarm, ${chairName(alarm.entry.chairId)}: ${alertTitle(alert)}${again}. ${alert.message}`;
}

/**
 * One of this screen's own alarms (screen-alarms.ts): a lost connection, a store that cannot save.
 * Shown like the server's technical alarms — symbol, priority word, "Technical" — but it belongs to
 * this screen: there is nothing to acknowledge, it goes when its cause does, and the screen's
 * 2-min mute silences it while it stays shown.
 */
function ScreenAlarmItem({ alarm }: { alarm: ScreenAlarm }) {
  const { alert } = alarm;
  return (
    <li className={`alarm-item alarm-item--${alert.priority} alarm-item--technical alarm-item--screen is-active`} data-alert-id={alert.id}>
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
    </li>
  );
}

interface AlarmItemProps {
  entry: AlertEntry;
  chairName: string;
  serverNowMs: number;
  canAcknowledge: boolean;
  onAcknowledge: (entry: AlertEntry) => void;
}

/** An alarm in the full list: everything the strip has no room for, and its Acknowledge. */
function AlarmItem({ entry, chairName, serverNowMs, canAcknowledge, onAcknowledge }: AlarmItemProps) {
  const { alert } = entry;
  const acknowledgement = lastAcknowledgement(alert);
  const category = categoryWord(alert);
  const state = alert.status === 'acknowledged' ? 'acknowledged' : 'active';
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
          {isLatched(alert) && <span className="alarm-item__latched">(value recovered — acknowledge to clear)</span>}
          {isActiveAfterAcknowledgement(alert) && <span className="alarm-item__ack alarm-item__ack--again">{activeAgainText(alert)}</span>}
          {acknowledgement !== null && !isActiveAfterAcknowledgement(alert) && (
            <span className="alarm-item__ack">
              Acknowledged by {acknowledgement.by.username} at {formatClock(acknowledgement.atMs)}
              {acknowledgement.note !== null && acknowledgement.note !== '' && <> — “{acknowledgement.note}”</>}
            </span>
          )}
        </p>
      </div>
      {canAcknowledge && alert.status === 'active' && (
        <AcknowledgeButton entry={entry} chairName={chairName} onAcknowledge={onAcknowledge} className="alarm-item__ack-button" />
      )}
    </li>
  );
}

function AcknowledgeButton({ entry, chairName, onAcknowledge, className }: { entry: AlertEntry; chairName: string; onAcknowledge: (entry: AlertEntry) => void; className: string }) {
  return (
    <button
      type="button"
      className={`button ${className}`}
      aria-label={`Acknowledge ${entry.alert.message} on ${chairName}`}
      aria-haspopup="dialog"
      onClick={() => onAcknowledge(entry)}
    >
      Acknowledge
    </button>
  );
}

interface TopAlarmProps {
  top: WaitingAlarm;
  chairName: ChairName;
  serverNowMs: number;
  canAcknowledge: boolean;
  onAcknowledge: (entry: AlertEntry) => void;
  /** "+N more", in the alarm's row (on a phone beside its first line). */
  toggle: ReactNode;
}

/**
 * The strip's one alarm, on one line (two on a phone): symbol, priority word, chair, title, value,
 * how long, Acknowledge. What does not fit ends in "…"; the whole text is its title and in the list.
 */
function TopAlarm({ top, chairName, serverNowMs, canAcknowledge, onAcknowledge, toggle }: TopAlarmProps) {
  const full = describeWaiting(top, chairName);
  if (top.kind === 'screen') {
    const { alarm } = top;
    // Announced as it appears (its text never ticks); nothing to acknowledge.
    return (
      <div role="alert" className="alarm-strip__alarm alarm-strip__alarm--technical" title={`${full} ${alarm.detail}`}>
        <span className="alarm-symbol" aria-hidden="true">
          {alertSymbol(top.priority)}
        </span>
        <p className="alarm-strip__what">
          <span className="alarm-strip__who">
            <span className="alarm-strip__priority">{priorityWord[top.priority]}</span>
            <span className="alarm-strip__category">Technical</span>
            <strong className="alarm-strip__chair">This screen</strong>
          </span>
          <span className="alarm-strip__title alarm-strip__line">{alarm.alert.label}</span>
        </p>
        <p className="alarm-strip__value alarm-strip__line">
          <span className="alarm-strip__message">{alarm.title}</span>
        </p>
        {toggle}
      </div>
    );
  }
  const { entry } = top;
  const { alert } = entry;
  const category = categoryWord(alert);
  const onsetMs = alertOnsetMs(alert);
  const name = chairName(entry.chairId);
  return (
    <div className={`alarm-strip__alarm${alert.category === 'physiological' ? '' : ' alarm-strip__alarm--technical'}`} title={full} data-alert-id={alert.id}>
      <span className="alarm-symbol" aria-hidden="true">
        {alertSymbol(alert.priority)}
      </span>
      <p className="alarm-strip__what">
        <span className="alarm-strip__who">
          <span className="alarm-strip__priority">{priorityWord[alert.priority]}</span>
          {category !== null && <span className="alarm-strip__category">{category}</span>}
          <strong className="alarm-strip__chair">{name}</strong>
        </span>
        {/* Why it is back (or still here) first: the value beside it says what it is about. */}
        <span className="alarm-strip__title alarm-strip__line">
          {isActiveAfterAcknowledgement(alert) && <span className="alarm-strip__again">{activeAgainText(alert)}</span>}
          {isLatched(alert) && <span className="alarm-strip__again">Value recovered — acknowledge to clear</span>}
          <span className="alarm-strip__label">{alertTitle(alert)}</span>
        </span>
      </p>
      <p className="alarm-strip__value alarm-strip__line">
        <span className="alarm-strip__message">{alert.message}</span>
        <time className="alarm-strip__age" dateTime={new Date(onsetMs).toISOString()}>
          {formatAge(Math.max(0, serverNowMs - onsetMs))}
        </time>
      </p>
      {canAcknowledge && <AcknowledgeButton entry={entry} chairName={name} onAcknowledge={onAcknowledge} className="alarm-strip__ack" />}
      {toggle}
    </div>
  );
}

/**
 * Says each new alarm once (and an alarm that escalated, again), never because the strip redrew or
 * an age ticked. Alarms already open when the list first loads are not news. The screen's own alarm
 * in the strip announces itself (role="alert").
 */
function useNewAlarmAnnouncement(waiting: readonly WaitingAlarm[], ready: boolean, chairName: ChairName): string {
  const seen = useRef(new Set<string>());
  // Ready (the open alarms listed) already at the previous look: what is new since then is news.
  const wasReady = useRef(false);
  const [text, setText] = useState('');
  useEffect(() => {
    const known = seen.current;
    const fresh = waiting.filter((alarm) => !known.has(alarm.key));
    for (const alarm of fresh) known.add(alarm.key);
    const listening = wasReady.current;
    wasReady.current = ready;
    if (!listening) return;
    const news = fresh.filter((alarm) => !(alarm.kind === 'screen' && alarm === waiting[0]));
    const lead = news[0];
    if (lead === undefined) return;
    setText(`New: ${describeWaiting(lead, chairName)}${news.length > 1 ? ` And ${news.length - 1} more.` : ''}`);
  }, [waiting, ready, chairName]);
  return text;
}

/**
 * The full list behind "+N more": every alarm waiting, most urgent first, each with its Acknowledge,
 * then the acknowledged ones still open. It opens under the strip, no taller than the screen below
 * it; Escape, "Close" or a tap outside closes it.
 */
function AlarmList({
  id,
  waiting,
  acknowledged,
  chairName,
  serverNowMs,
  canAcknowledge,
  onAcknowledge,
  onClose,
}: {
  id: string;
  waiting: readonly WaitingAlarm[];
  acknowledged: readonly AlertEntry[];
  chairName: ChairName;
  serverNowMs: number;
  canAcknowledge: boolean;
  onAcknowledge: (entry: AlertEntry) => void;
  onClose: () => void;
}) {
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);
  // No taller than the room left below the strip (the top block's height varies with the width).
  useLayoutEffect(() => {
    const panel = ref.current;
    if (panel === null) return;
    const fit = () => {
      const room = window.innerHeight - panel.getBoundingClientRect().top - 8;
      panel.style.maxHeight = `${Math.max(160, room)}px`;
    };
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, []);

  return (
    <section id={id} ref={ref} className="alarm-list-panel" aria-labelledby={headingId}>
      <div className="alarm-list-panel__bar">
        <h2 id={headingId} className="alarm-list-panel__title">
          All alarms ({waiting.length + acknowledged.length})
        </h2>
        <button type="button" className="button button--secondary" onClick={onClose}>
          Close
        </button>
      </div>
      {waiting.length > 0 && (
        <>
          <h3 className="alarm-list-panel__heading">Waiting for acknowledgement ({waiting.length})</h3>
          <ul className="alarm-list">
            {waiting.map((alarm) =>
              alarm.kind === 'screen' ? (
                <ScreenAlarmItem key={alarm.key} alarm={alarm.alarm} />
              ) : (
                <AlarmItem
                  key={alarm.key}
                  entry={alarm.entry}
                  chairName={chairName(alarm.entry.chairId)}
                  serverNowMs={serverNowMs}
                  canAcknowledge={canAcknowledge}
                  onAcknowledge={onAcknowledge}
                />
              ),
            )}
          </ul>
        </>
      )}
      {acknowledged.length > 0 && (
        <>
          <h3 className="alarm-list-panel__heading">Acknowledged, still open ({acknowledged.length})</h3>
          <ul className="alarm-list">
            {acknowledged.map((entry) => (
              <AlarmItem
                key={entry.alert.id}
                entry={entry}
                chairName={chairName(entry.chairId)}
                serverNowMs={serverNowMs}
                canAcknowledge={canAcknowledge}
                onAcknowledge={onAcknowledge}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * The alarm strip, in the top block on every page: only the most urgent alarm nobody has
 * acknowledged yet — symbol and priority word (colour is never the only cue), chair, value, how
 * long, Acknowledge — and "+N more", which opens the full list. An acknowledged alarm leaves the
 * strip (it stays on its tile, in the list and in the session's history) unless it escalates. One
 * line, at most two on a phone: it never grows with the number of alarms. Below it, "Sound is off —
 * tap to enable" while a session runs and this screen cannot sound.
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
  const { waiting, acknowledged } = useMemo(() => stripAlarms(handles ? entries : [], ownAlarms), [handles, entries, ownAlarms]);
  const chairName = useMemo<ChairName>(() => (chairId) => chairs[chairId]?.name ?? chairId, [chairs]);
  const [acknowledging, setAcknowledging] = useState<AlertEntry | null>(null);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const stripRef = useRef<HTMLElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const announcement = useNewAlarmAnnouncement(waiting, !handles || list.status === 'loaded', chairName);
  // The Acknowledge dialog gives focus back to the button that opened it; once that alarm has left
  // the strip, focus goes to the strip's next Acknowledge (or the strip) instead of being lost.
  const [dialogClosed, setDialogClosed] = useState(0);
  useEffect(() => {
    if (dialogClosed === 0) return;
    const strip = stripRef.current;
    const focused = document.activeElement;
    if (strip === null || (focused !== null && focused !== document.body && focused.isConnected)) return;
    (strip.querySelector<HTMLElement>('.alarm-strip__ack, .alarm-strip__more') ?? strip).focus();
  }, [dialogClosed]);

  const top = waiting[0];
  const more = waiting.length - 1;
  const listed = waiting.length + acknowledged.length;
  const listOpen = open && listed > 0;

  // A tap outside the strip and its list closes the list (not one in the Acknowledge dialog).
  useEffect(() => {
    if (!listOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target;
      if (!(target instanceof Node) || stripRef.current?.contains(target) === true) return;
      if (target instanceof Element && target.closest('[role="dialog"]') !== null) return;
      setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [listOpen]);

  if (!handles && ownAlarms.length === 0) return null;

  const close = () => {
    setOpen(false);
    toggleRef.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape' && listOpen && acknowledging === null) {
      event.stopPropagation();
      close();
    }
  };
  const serverNowMs = nowMs + offsetMs;
  // "+2 more" alarms waiting; with none but the strip's, "3 acknowledged" still open.
  const toggleText = more > 0 ? `+${more} more` : `${acknowledged.length} acknowledged`;
  const toggleName = more > 0 ? `${toggleText} ${more === 1 ? 'alarm' : 'alarms'}` : `${toggleText}, still open`;

  const toggle = (more > 0 || acknowledged.length > 0) && (
    <button
      ref={toggleRef}
      type="button"
      className={`button alarm-strip__more${more > 0 ? ' has-more' : ''}`}
      aria-expanded={listOpen}
      aria-controls={listOpen ? listId : undefined}
      aria-label={toggleName}
      onClick={() => setOpen((was) => !was)}
    >
      {toggleText}
    </button>
  );

  return (
    <>
      <section
        ref={stripRef}
        role="region"
        aria-label="Active alarms"
        tabIndex={-1}
        className={`alarm-strip${top === undefined ? ' alarm-strip--quiet' : ` alarm-strip--${top.priority}`}`}
        onKeyDown={onKeyDown}
      >
        {top !== undefined ? (
          <TopAlarm
            key={top.key}
            top={top}
            chairName={chairName}
            serverNowMs={serverNowMs}
            canAcknowledge={handles}
            onAcknowledge={setAcknowledging}
            toggle={toggle}
          />
        ) : (
          list.error === null && (
            <p className="alarm-strip__quiet alarm-strip__line">
              {acknowledged.length > 0 ? 'No alarm waiting' : handles && list.status !== 'loaded' ? 'Reading alarms…' : 'No active alarms'}
            </p>
          )
        )}
        {handles && list.error !== null && (
          <div role="alert" className="alarm-strip__error alarm-strip__line">
            <span className="alarm-strip__error-text" title={list.error}>
              Could not read the open alarms: {list.error}
            </span>
            <button type="button" className="button button--secondary alarm-strip__retry" onClick={() => void alerts.reloadAlerts()}>
              Retry
            </button>
          </div>
        )}
        {top === undefined && toggle}
        {listOpen && (
          <AlarmList
            id={listId}
            waiting={waiting}
            acknowledged={acknowledged}
            chairName={chairName}
            serverNowMs={serverNowMs}
            canAcknowledge={handles}
            onAcknowledge={setAcknowledging}
            onClose={close}
          />
        )}
        {handles && (
          <>
            <p className="visually-hidden" role="status">
              {waiting.length === 0
                ? 'No alarm waits for acknowledgement'
                : `${waiting.length} ${waiting.length === 1 ? 'alarm waits' : 'alarms wait'} for acknowledgement`}
            </p>
            <p className="visually-hidden" aria-live="assertive" aria-atomic="true">
              {announcement}
            </p>
          </>
        )}
        {acknowledging !== null && (
          <AcknowledgeDialog
            entry={acknowledging}
            chairName={chairName(acknowledging.chairId)}
            onClose={() => {
              setAcknowledging(null);
              setDialogClosed((n) => n + 1);
            }}
          />
        )}
      </section>
      <SoundBanner />
    </>
  );
}
