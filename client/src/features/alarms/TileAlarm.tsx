import { alertSymbol, alertTitle } from '@chairside/shared';
import { useState } from 'react';
import { errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { useAppStore } from '../../store/store-context';
import { type ChairAlarm, activeAgainText, formatCountdown, isActiveAfterAcknowledgement, priorityWord } from '../../lib/alarm-view';
import { describeCustomLimits, hasCustomLimits } from '../../lib/alert-limits';
import { useChairAlarm, useHandlesAlarms, usePauseRemainingMs, useServerNow } from '../../hooks/use-alarms';

/**
 * The tile's frame by its most urgent open alarm: flashing while one waits for acknowledgement
 * (high ~2 Hz, medium ~0.5 Hz, low steady; alarms.css), steady once acknowledged.
 */
export function tileAlarmClass(alarm: ChairAlarm | null): string {
  if (alarm === null) return '';
  return ` has-alarm has-alarm--${alarm.priority}${alarm.unacknowledged ? ' is-unacknowledged' : ' is-acknowledged'}`;
}

/** For ChairTile: the class names its frame needs. */
export function useTileAlarmClass(chairId: string): string {
  return tileAlarmClass(useChairAlarm(chairId));
}

function PauseSoundButton({ chairId, chairName, remainingMs }: { chairId: string; chairName: string; remainingMs: number }) {
  const { alerts } = useServices();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const pause = async () => {
    setPending(true);
    setError(null);
    try {
      await alerts.pauseAudio(chairId);
    } catch (failure) {
      setError(`Not paused: ${errorMessage(failure)}`);
    } finally {
      setPending(false);
    }
  };

  return (
    <>
      <button type="button" className="button button--secondary tile-alarm__pause" onClick={() => void pause()} disabled={pending}>
        Pause alarm sound <span className="visually-hidden">for {chairName}</span>
      </button>
      {remainingMs > 0 && (
        <span className="tile-alarm__countdown">
          Sound paused <span role="timer">{formatCountdown(remainingMs)}</span>
        </span>
      )}
      {error !== null && (
        <span role="alert" className="tile-alarm__error">
          {error}
        </span>
      )}
    </>
  );
}

/** The session runs on limits a clinician changed; the reason is in the session's timeline. */
function CustomLimitsMarker({ alertLimits }: { alertLimits: unknown }) {
  const changed = describeCustomLimits(alertLimits);
  const text = changed === '' ? 'Alert limits changed for this session' : `Alert limits changed for this session: ${changed}`;
  return (
    <span className="custom-limits" title={`${text}. The reason is in the session timeline.`}>
      Custom limits<span className="visually-hidden">: {changed === '' ? 'see the session timeline' : changed}</span>
    </span>
  );
}

/**
 * The most urgent alarm of a chair in a few words: symbol, priority and what it is about. In the
 * tile's header, where it shortens with an ellipsis (the full message is its title and is in the
 * alarm strip). Nothing for a chair without alarms.
 */
export function TileAlarmStatus({ chairId }: { chairId: string }) {
  const alarm = useChairAlarm(chairId);
  if (alarm === null) return null;
  return (
    <p className={`tile-alarm__status alarm-tag alarm-tag--${alarm.priority}${alarm.unacknowledged ? '' : ' is-acknowledged'}`} title={alarm.top.alert.message}>
      <span className="alarm-symbol" aria-hidden="true">
        {alertSymbol(alarm.priority)}
      </span>
      <span className="tile-alarm__text">
        <span className="tile-alarm__priority">
          <strong>{priorityWord[alarm.priority]} alarm</strong> ·{' '}
        </span>
        {alertTitle(alarm.top.alert)}
        {alarm.open > 1 && <span className="tile-alarm__more"> (+{alarm.open - 1} more)</span>}
        {!alarm.unacknowledged && <span className="tile-alarm__acked"> · acknowledged</span>}
        {isActiveAfterAcknowledgement(alarm.top.alert) && <span className="tile-alarm__acked"> · {activeAgainText(alarm.top.alert).toLowerCase()}</span>}
      </span>
    </p>
  );
}

/**
 * On a chair's tile: its alarm status (unless `withStatus` is false: the tile shows it in its header),
 * the chair's "Pause alarm sound" with its countdown, and a mark for changed limits. Renders nothing
 * for a chair without alarms or changed limits.
 */
export function TileAlarm({ chairId, chairName, withStatus = true }: { chairId: string; chairName: string; withStatus?: boolean }) {
  const handles = useHandlesAlarms();
  const alarm = useChairAlarm(chairId);
  const alertLimits = useAppStore((s) => s.chairs[chairId]?.session?.state.alertLimits ?? null);
  const serverNowMs = useServerNow(1000);
  const remainingMs = usePauseRemainingMs(chairId, serverNowMs);
  const custom = hasCustomLimits(alertLimits);
  const showPause = handles && (remainingMs > 0 || alarm?.unacknowledged === true);
  const showStatus = withStatus && alarm !== null;
  if (!showStatus && !custom && !showPause) return null;

  return (
    <div className="tile-alarm">
      {showStatus && <TileAlarmStatus chairId={chairId} />}
      {(showPause || custom) && (
        <div className="tile-alarm__actions">
          {showPause && <PauseSoundButton chairId={chairId} chairName={chairName} remainingMs={remainingMs} />}
          {custom && <CustomLimitsMarker alertLimits={alertLimits} />}
        </div>
      )}
    </div>
  );
}
