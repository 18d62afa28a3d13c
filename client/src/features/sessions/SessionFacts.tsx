import { type LatestVitals, type SessionClocks, type SessionSummary, formatBp } from '@chairside/shared';
import { formatClock } from '../../lib/vital-format';
import {
  bpDeltaText,
  checkpointText,
  formatCountdown,
  formatDuration,
  nextBpView,
  sessionLastBp,
} from './session-display';

interface SessionFactsProps {
  session: SessionSummary;
  latest: LatestVitals | undefined;
  clocks: SessionClocks;
}

function baselineAnswer(session: SessionSummary): string {
  const { baseline, protocol } = session;
  const wanted = protocol.baseline.bpReadings;
  if (baseline.systolic === null || baseline.diastolic === null) return `No BP yet: ${baseline.missing ?? `needs ${wanted} BP reading${wanted === 1 ? '' : 's'}`}`;
  const bp = formatBp({ systolic: baseline.systolic, diastolic: baseline.diastolic });
  const hr = baseline.heartRate === null ? '' : ` · HR ${Math.round(baseline.heartRate)}`;
  const of = `mean of ${baseline.bpReadingCount} BP reading${baseline.bpReadingCount === 1 ? '' : 's'}`;
  return baseline.complete ? `${bp} mmHg (${of})${hr}` : `${bp} mmHg so far (${of}; ${baseline.missing ?? 'incomplete'})${hr}`;
}

/** The session's clocks and reference values, spelled out for the chair page. */
export function SessionFacts({ session, latest, clocks }: SessionFactsProps) {
  const { protocol, state } = session;
  const { labels } = protocol;
  const t = clocks.treatment;
  const o = clocks.observation;
  const next = nextBpView(clocks);
  const lastBp = sessionLastBp(session, latest);
  const delta = bpDeltaText(session, latest);
  const ended = state.phase === 'discharged' || state.phase === 'cancelled';

  return (
    <dl className="facts">
      <div className="facts__row">
        <dt>In the chair</dt>
        <dd>
          since {formatClock(state.checkedInAtMs)} ({formatDuration(clocks.totalMonitoringMs)}) · checked in by {session.checkedInBy}
        </dd>
      </div>
      <div className="facts__row">
        <dt>Baseline</dt>
        <dd>{baselineAnswer(session)}</dd>
      </div>
      {lastBp !== null && (
        <div className="facts__row">
          <dt>Last BP</dt>
          <dd>
            {formatBp(lastBp)} mmHg at {formatClock(lastBp.atMs)}
            {delta !== null && ` · ${delta}`}
          </dd>
        </div>
      )}
      {t === null ? (
        !ended && (
          <div className="facts__row">
            <dt>{labels.treatmentPhase}</dt>
            <dd>
              not started · planned {protocol.treatment.plannedMin} min
            </dd>
          </div>
        )
      ) : (
        <div className="facts__row">
          <dt>{labels.treatmentPhase}</dt>
          <dd>
            {formatDuration(t.elapsedMs)} of {protocol.treatment.plannedMin} min
            {t.ended ? ` · ended at ${formatClock(state.treatmentEndedAtMs ?? 0)}` : t.overrunMs > 0 ? ` · ${formatDuration(t.overrunMs)} over plan` : ` · ${formatCountdown(t.remainingMs)} left`}
            {t.paused && ' · paused now'}
            {t.pausedMs > 0 && ` · paused ${formatDuration(t.pausedMs)} in all (not counted)`}
          </dd>
        </div>
      )}
      {o !== null && !ended && (
        <div className="facts__row">
          <dt>Observation</dt>
          <dd>
            {o.minimumReached
              ? `minimum of ${protocol.observation.minimumMin} min reached at ${formatClock(o.minimumEndsAtMs)}`
              : `${formatCountdown(o.remainingMs)} left of the minimum ${protocol.observation.minimumMin} min (until ${formatClock(o.minimumEndsAtMs)})`}
          </dd>
        </div>
      )}
      {next !== null && (
        <div className={`facts__row${next.overdue ? ' is-overdue' : ''}`}>
          <dt>Next BP</dt>
          <dd>
            {next.overdue && <span aria-hidden="true">! </span>}
            {next.text} · every {Math.round((clocks.nextBp?.intervalMs ?? 0) / 60_000)} min
          </dd>
        </div>
      )}
      {clocks.checkpoints.map((checkpoint) => (
        <div key={checkpoint.id} className={`facts__row is-${checkpoint.status}`}>
          <dt>Checkpoint</dt>
          <dd>
            {checkpointText(session, checkpoint, clocks.nowMs)}
            {checkpoint.windowStartAtMs !== null && checkpoint.windowEndAtMs !== null && checkpoint.status === 'pending' &&
              ` (${formatClock(checkpoint.windowStartAtMs)}–${formatClock(checkpoint.windowEndAtMs)})`}
          </dd>
        </div>
      ))}
    </dl>
  );
}
