import { useDeferredValue, useId } from 'react';
import { useNavigate, useParams } from 'react-router';
import { PageTitle } from '../components/PageTitle';
import { useAppStore } from '../store/store-context';
import { SessionAlarmsPanel } from '../features/alarms/SessionAlarmsPanel';
import { ChairReachPanel } from '../features/assignments/ChairReachPanel';
import { useConnectionLostSinceMs, useServerNow } from '../hooks/use-alarms';
import { PhaseBadge } from '../features/sessions/PhaseBadge';
import { RejectionNotice } from '../features/chairs/RejectionNotice';
import { StaleNotice } from '../features/chairs/StaleNotice';
import { VitalsPanel } from '../features/chairs/VitalsPanel';
import { useVitalAlarms } from '../features/chairs/use-vital-alarms';
import { sessionStartedAtMs } from '../lib/session-view';
import { formatAge, formatClock } from '../lib/vital-format';
import { EnterReadingButton } from '../features/manual-entry/EnterReadingButton';
import { PendingReadings } from '../features/manual-entry/PendingReadings';
import { AttachReadingButton } from '../features/sessions/AttachReadingButton';
import { RiskFlagChips } from '../features/sessions/RiskFlagChips';
import { SessionPanel } from '../features/sessions/SessionPanel';
import { RecordPanel } from '../features/session-record/RecordPanel';
import { ChairTrend } from '../features/chair-detail/ChairTrend';
import { ReadingsTable } from '../features/chair-detail/ReadingsTable';
import type { HistoryLoad } from '../features/chair-detail/use-chair-history';

function BackButton() {
  const navigate = useNavigate();
  return (
    <button type="button" className="button button--quiet back-button" onClick={() => void navigate('/')}>
      <span aria-hidden="true">←</span> Back to all chairs
    </button>
  );
}

function CurrentVitals({ chairId }: { chairId: string }) {
  const latest = useAppStore((s) => s.chairs[chairId]?.latest);
  const session = useAppStore((s) => s.chairs[chairId]?.session ?? null);
  const nowMs = useServerNow(1000);
  const lostSinceMs = useConnectionLostSinceMs();
  const alarms = useVitalAlarms(chairId);
  if (latest === undefined) return null;
  return (
    <section className="panel panel--vitals" aria-label="Current values">
      {lostSinceMs !== null && <StaleNotice sinceMs={lostSinceMs} />}
      <VitalsPanel latest={latest} session={session} nowMs={nowMs} allStale={lostSinceMs !== null} alarms={alarms} />
      <RejectionNotice latest={latest} />
      <PendingReadings chairId={chairId} />
      <p className="muted detail__age">
        {latest.lastReadingAt === null ? 'No readings yet' : `Last reading ${formatAge(nowMs - Date.parse(latest.lastReadingAt))}`}
      </p>
    </section>
  );
}

/**
 * One chair in depth: current values, the trend of the last hours and the readings as stored.
 * `history` (use-chair-history.ts) is started by the route, so the readings are on their way while
 * this page's code loads.
 */
export function ChairDetailPage({ history }: { history: HistoryLoad }) {
  const { chairId = '' } = useParams();
  const name = useAppStore((s) => s.chairs[chairId]?.name);
  const session = useAppStore((s) => s.chairs[chairId]?.session ?? null);
  const listStatus = useAppStore((s) => s.chairList.status);
  const headingId = useId();
  // What lies below the trend (the readings as stored, the session's alarms, who can be reached) is drawn
  // right after the page's first frame: the nurse tapped for the chart, and those are below it.
  const belowTrend = useDeferredValue(true, false);

  if (name === undefined) {
    return (
      <section className="page">
        <BackButton />
        <p className="empty-state">{listStatus === 'loaded' ? 'This chair does not exist (any more).' : 'Loading chair…'}</p>
      </section>
    );
  }

  return (
    <section className="page detail" aria-labelledby={headingId}>
      <PageTitle title={name} />
      <BackButton />
      <div className="detail__bar">
        <div className="detail__identity">
          <h1 id={headingId} className="page__title">
            {name}
          </h1>
          {session !== null && <PhaseBadge session={session} />}
          <p className="detail__patient">
            {session === null ? (
              <span className="muted">No patient</span>
            ) : (
              <>
                {session.patient.displayName}
                <span className="muted"> · in the chair since {formatClock(sessionStartedAtMs(session))}</span>
                <RiskFlagChips flags={session.patient.riskFlags} />
              </>
            )}
          </p>
        </div>
        <EnterReadingButton chairId={chairId} chairName={name} className="button button--primary" />
      </div>
      <CurrentVitals chairId={chairId} />
      <SessionPanel chairId={chairId} chairName={name}>
        {session !== null && <RecordPanel session={session} />}
        <ChairTrend chairId={chairId} load={history} />
        {belowTrend && <ReadingsTable chairId={chairId} rowAction={(reading) => <AttachReadingButton chairId={chairId} reading={reading} />} />}
      </SessionPanel>
      {belowTrend && <SessionAlarmsPanel chairId={chairId} />}
      {belowTrend && <ChairReachPanel chairId={chairId} />}
    </section>
  );
}
