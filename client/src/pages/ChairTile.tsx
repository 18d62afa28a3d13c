import { type LatestVitals, sessionEndedAtMs } from '@chairside/shared';
import { memo, useId, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { useServices } from '../app-services';
import { useAppStore } from '../store/store-context';
import { prefetchChairTrend } from '../features/chair-detail/trend-prefetch';
import { TileAlarm, TileAlarmStatus, useTileAlarmClass } from '../features/alarms/TileAlarm';
import { useConnectionLostSinceMs, useServerNow } from '../hooks/use-alarms';
import { EnterReadingButton } from '../features/manual-entry/EnterReadingButton';
import { PendingReadings } from '../features/manual-entry/PendingReadings';
import { CheckInButton } from '../features/sessions/CheckInButton';
import { RiskFlagChips } from '../features/sessions/RiskFlagChips';
import { SessionTileStatus } from '../features/sessions/SessionTileStatus';
import { DueNextClock } from '../features/session-record/DueNextClock';
import { RecordButton } from '../features/session-record/RecordButton';
import { PhaseBadge } from '../features/sessions/PhaseBadge';
import { RejectionNotice } from '../features/chairs/RejectionNotice';
import { StaleNotice } from '../features/chairs/StaleNotice';
import { VitalsPanel } from '../features/chairs/VitalsPanel';
import { useVitalAlarms } from '../features/chairs/use-vital-alarms';
import { formatAge, formatClock, formatClockSeconds } from '../lib/vital-format';
import { valuesMeasuredAfter } from '../features/chairs/vital-status';
import { TileAssignee } from '../features/assignments/TileAssignee';

function hasValues(latest: LatestVitals): boolean {
  return latest.bp !== null || latest.heartRate !== null || latest.spo2 !== null || latest.respRate !== null;
}

/**
 * One chair on the grid: who is in it, the newest values and how old they are, the number an alarm
 * is about inverted in its priority's colour. A tap anywhere on it opens the chair.
 * Re-renders only for its own chair (its selectors) and the shared one-second clock. Values older than
 * two of their expected intervals are greyed and say how old they are (vital-status.ts).
 */
export const ChairTile = memo(function ChairTile({ chairId }: { chairId: string }) {
  const name = useAppStore((s) => s.chairs[chairId]?.name);
  const session = useAppStore((s) => s.chairs[chairId]?.session ?? null);
  const chairLatest = useAppStore((s) => s.chairs[chairId]?.latest);
  // The session that ended on this chair while this screen watched: its patient's values are not the chair's now.
  const endedSession = useAppStore((s) => s.endedSessions[chairId] ?? null);
  const previousEndedAtMs = session === null && endedSession !== null ? sessionEndedAtMs(endedSession.state) : null;
  const latest = useMemo(
    () => (chairLatest === undefined || previousEndedAtMs === null ? chairLatest : valuesMeasuredAfter(chairLatest, previousEndedAtMs)),
    [chairLatest, previousEndedAtMs],
  );
  // Readings and sessions carry the devices' and the server's times: ages are judged on the server's clock.
  const nowMs = useServerNow(1000);
  const navigate = useNavigate();
  const { api, clock } = useServices();
  const nameId = useId();
  const alarmClass = useTileAlarmClass(chairId);
  const alarms = useVitalAlarms(chairId);
  const lostSinceMs = useConnectionLostSinceMs();
  if (name === undefined || latest === undefined) return null;

  const lastAt = latest.lastReadingAt === null ? null : Date.parse(latest.lastReadingAt);
  return (
    <article className={`chair-tile${session === null ? ' chair-tile--empty' : ''}${alarmClass}`} aria-labelledby={nameId}>
      {/* Name, alarm, phase and patient: one line on a wide tile, two on a narrow one (grid.css). */}
      <header className="chair-tile__header">
        <h2 id={nameId} className="chair-tile__name">
          {name}
        </h2>
        <TileAlarmStatus chairId={chairId} />
        {session !== null && <PhaseBadge session={session} />}
        <button
          type="button"
          className="chair-tile__open"
          aria-label={`Open ${name}`}
          // The chart's data is asked for as the finger lands, so it is on its way while the page renders.
          onPointerDown={() => prefetchChairTrend(api, chairId, clock.now())}
          onClick={() => {
            prefetchChairTrend(api, chairId, clock.now());
            void navigate(`/chairs/${encodeURIComponent(chairId)}`);
          }}
        >
          <span className="chair-tile__open-word">Open</span> <span aria-hidden="true">›</span>
        </button>
        {session !== null && <RecordButton session={session} chairName={name} className="button button--secondary chair-tile__record" />}
        <div className="chair-tile__patient">
          <TileAssignee chairId={chairId} inSession={session !== null} />
          {session === null ? (
            <>
              <span className="chair-tile__no-patient">No patient</span>
              <CheckInButton chairId={chairId} chairName={name} className="button button--secondary chair-tile__action" />
              {previousEndedAtMs !== null && (
                <span className="chair-tile__previous note">
                  Previous patient’s values are not shown (session ended {formatClock(previousEndedAtMs)}); see the chair’s page.
                </span>
              )}
            </>
          ) : (
            <>
              <span className="chair-tile__patient-name">{session.patient.displayName}</span>
              <RiskFlagChips flags={session.patient.riskFlags} />
            </>
          )}
        </div>
      </header>
      {lostSinceMs !== null && <StaleNotice sinceMs={lostSinceMs} />}
      <TileAlarm chairId={chairId} chairName={name} withStatus={false} />

      {/* A free chair without a value shows none: no row of dashes (a monitor left on shows its values). */}
      {(session !== null || hasValues(latest)) && <VitalsPanel latest={latest} session={session} nowMs={nowMs} allStale={lostSinceMs !== null} alarms={alarms} />}
      {session !== null && (
        <SessionTileStatus chairName={name} session={session} latest={latest} nowMs={nowMs} clockExtra={<DueNextClock session={session} nowMs={nowMs} />} />
      )}
      <RejectionNotice latest={latest} />
      <PendingReadings chairId={chairId} />

      <footer className="chair-tile__footer">
        <span className="chair-tile__age">
          {lastAt === null ? (
            'No readings yet'
          ) : (
            <>
              Last reading{' '}
              <time dateTime={latest.lastReadingAt ?? undefined} title={formatClockSeconds(lastAt)}>
                {formatAge(nowMs - lastAt)}
              </time>
            </>
          )}
        </span>
        <EnterReadingButton chairId={chairId} chairName={name} className="button button--secondary chair-tile__action" />
      </footer>
    </article>
  );
});
