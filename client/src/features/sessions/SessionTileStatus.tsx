import type { LatestVitals, SessionSummary } from '@chairside/shared';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/store-context';
import { ReadinessButton } from './ReadinessButton';
import { SessionActionButton } from './SessionActionButton';
import { readinessItemsOf, unmetHardStops } from './readiness';
import { selectSessionAlerts } from './session-alarms';
import { actionsFor, primaryAction } from './session-actions';
import {
  baselineProgressText,
  bpDeltaText,
  checkpointText,
  clocksOf,
  formatDuration,
  localGate,
  nextBpView,
  observationText,
  readinessText,
  startWaitText,
  treatmentText,
} from './session-display';

interface SessionTileStatusProps {
  chairName: string;
  session: SessionSummary;
  latest: LatestVitals;
  nowMs: number;
  /** Shown after the next BP on the clocks' line (the page composes what is due next in the session record). */
  clockExtra?: ReactNode;
}

/**
 * A session on a chair tile, under the vitals: its clock, what the start waits for, the next BP,
 * the rise over baseline, checkpoints, whether the discharge criteria are met, and the one next step (the readiness checklist while it holds the start). Short lines; the numbers above
 * stay the hero.
 */
export function SessionTileStatus({ chairName, session, latest, nowMs, clockExtra }: SessionTileStatusProps) {
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  const alerts = useAppStore(useShallow((s) => selectSessionAlerts(s, session.id)));
  const clocks = clocksOf(session, latest, nowMs);
  const { phase } = session.state;
  const gate = phase === 'observation' ? localGate(session, latest, nowMs, alerts) : null;
  const startWaits = phase === 'baseline' ? startWaitText(session.startGate) : null;
  const next = nextBpView(clocks);
  const delta = bpDeltaText(session, latest);
  const primary = primaryAction(actionsFor(session, role, gate));
  // While a readiness hard stop holds the start, the tile's next step is the checklist (nurses and clinicians run sessions).
  const readinessDue = phase === 'baseline' && (role === 'nurse' || role === 'clinician') && unmetHardStops(readinessItemsOf(session)).length > 0;
  const phaseClock =
    phase === 'baseline' ? `In chair ${formatDuration(clocks.totalMonitoringMs)}` : phase === 'treatment' ? treatmentText(session, clocks) : observationText(clocks);

  return (
    <div className="session-status" role="group" aria-label="Session">
      <p className="session-status__clocks">
        {phaseClock !== null && <span className="session-status__clock">{phaseClock}</span>}
        {phase === 'baseline' && <span className="session-status__clock">{baselineProgressText(session)}</span>}
        {next !== null && (
          <span className={`session-status__clock${next.overdue ? ' is-overdue' : ''}`}>
            {next.overdue && (
              <span className="session-status__symbol" aria-hidden="true">
                !
              </span>
            )}
            {next.text}
          </span>
        )}
        {clockExtra}
      </p>
      {startWaits !== null && <p className="session-status__line session-status__readiness session-status__start-waits">{startWaits}</p>}
      {delta !== null && <p className="session-status__line session-status__delta">{delta}</p>}
      {clocks.checkpoints.map((checkpoint) => (
        <p key={checkpoint.id} className={`session-status__line session-status__checkpoint is-${checkpoint.status}`}>
          {checkpointText(session, checkpoint, nowMs)}
        </p>
      ))}
      {gate !== null && clocks.treatment !== null && (
        <p className={`session-status__line session-status__readiness${gate.holds ? ' is-ready' : ''}`}>
          {gate.holds && (
            <span className="session-status__symbol" aria-hidden="true">
              ✓
            </span>
          )}
          {readinessText(session, gate, clocks)}
        </p>
      )}
      {phase === 'baseline' && (
        <ReadinessButton session={session} chairName={chairName} visible={readinessDue && primary === null} className="button button--secondary session-status__action" />
      )}
      {primary !== null && (
        <SessionActionButton
          action={primary}
          session={session}
          chairName={chairName}
          className="button button--secondary session-status__action"
          ariaLabel={`${primary.label} for ${chairName}`}
        />
      )}
    </div>
  );
}
