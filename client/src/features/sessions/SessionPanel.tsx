import type { SessionSummary } from '@chairside/shared';
import { type ReactNode, useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useNow } from '../../hooks/use-now';
import { useAppStore } from '../../store/store-context';
import { formatClock } from '../../lib/vital-format';
import { CheckInButton } from './CheckInButton';
import { DischargePanel } from './DischargePanel';
import { EsketamineFormPanel } from './EsketamineFormPanel';
import { ReadinessPanel } from './ReadinessPanel';
import { RiskFlagChips } from './RiskFlagChips';
import { SessionActions } from './SessionActions';
import { SessionFacts } from './SessionFacts';
import { SessionTimeline } from './SessionTimeline';
import { selectSessionAlerts } from './session-alarms';
import { actionsFor } from './session-actions';
import { clocksOf, localGate, sessionPhaseLabel } from './session-display';
import { useSessionDetail } from './use-session-detail';

function endedText(session: SessionSummary): string | null {
  const { state } = session;
  if (state.dischargedAtMs !== null) {
    const override = state.dischargeOverride === null ? '' : ` by a clinician's override: ${state.dischargeOverride.reason}`;
    return `Session ended: discharged at ${formatClock(state.dischargedAtMs)}${override}.`;
  }
  if (state.cancelledAtMs !== null) return `Session ended: cancelled at ${formatClock(state.cancelledAtMs)}${state.cancelReason === null ? '' : ` (${state.cancelReason})`}.`;
  return null;
}

interface SessionViewProps {
  chairId: string;
  chairName: string;
  session: SessionSummary;
  active: boolean;
  children?: ReactNode;
}

function SessionView({ chairId, chairName, session, active, children }: SessionViewProps) {
  const headingId = useId();
  const nowMs = useNow(1000);
  const latest = useAppStore((s) => s.chairs[chairId]?.latest);
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  const alerts = useAppStore(useShallow((s) => selectSessionAlerts(s, session.id)));
  const { detail, loading, error, retry } = useSessionDetail(session);
  const clocks = clocksOf(session, latest, nowMs);
  const gate = session.state.phase === 'observation' ? localGate(session, latest, nowMs, alerts) : null;
  const actions = actionsFor(session, role, gate);
  const ended = endedText(session);
  const { patient, protocol } = session;
  const readinessId = `readiness-${session.id}`;
  // The checklist sits below the session's facts (below the fold on a tablet): the start's reason leads to it.
  const readinessHolds = active && session.state.phase === 'baseline' && (session.startGate?.items.some((i) => i.id === 'readiness' && !i.ok) ?? false);

  return (
    <>
      <section className="panel session-panel" aria-labelledby={headingId}>
        <div className="panel__bar">
          <div>
            <h2 id={headingId} className="panel__title">
              Session · {sessionPhaseLabel(session)}
            </h2>
            <p className="muted panel__hint">
              {protocol.name} (version {protocol.version})
            </p>
          </div>
          {!active && <CheckInButton chairId={chairId} chairName={chairName} className="button button--primary" />}
        </div>
        <div className="session-panel__patient">
          <span className="session-panel__name">{patient.displayName}</span>
          <span className="muted">{patient.mrn === null ? 'no MRN' : `MRN ${patient.mrn}`}</span>
          <RiskFlagChips flags={patient.riskFlags} />
        </div>
        {ended !== null && (
          <p className="notice notice--info session-panel__ended" role="status">
            {ended}
          </p>
        )}
        <SessionFacts session={session} latest={latest} clocks={clocks} />
        <SessionActions session={session} chairName={chairName} actions={actions} />
        {readinessHolds && (
          <button
            type="button"
            className="button button--quiet session-panel__to-readiness"
            onClick={() => {
              const panel = document.getElementById(readinessId);
              panel?.scrollIntoView({ block: 'start', behavior: 'smooth' });
              panel?.focus({ preventScroll: true });
            }}
          >
            Answer the readiness checklist <span aria-hidden="true">↓</span>
          </button>
        )}
      </section>
      {active && <ReadinessPanel session={session} id={readinessId} />}
      {gate !== null && <DischargePanel session={session} chairName={chairName} gate={gate} actions={actions} />}
      {children}
      {protocol.kind === 'nasal-spray' && <EsketamineFormPanel session={session} detail={detail} />}
      <SessionTimeline detail={detail} loading={loading} error={error} onRetry={retry} />
    </>
  );
}

/**
 * The chair's session on its page: clocks, baseline, checkpoints, actions, readiness and escort, discharge, the REMS form
 * for esketamine and the full timeline. A session that ended while the page was watched stays
 * shown (its log and form are what the nurse needs next) until the next check-in. `children` (the
 * trend and readings) go between the live part and the record.
 */
export function SessionPanel({ chairId, chairName, children }: { chairId: string; chairName: string; children?: ReactNode }) {
  const active = useAppStore((s) => s.chairs[chairId]?.session ?? null);
  const ended = useAppStore((s) => s.endedSessions[chairId] ?? null);
  const session = active ?? ended;
  if (session === null) {
    return (
      <>
        <section className="panel session-panel" aria-label="Session">
          <div className="panel__bar">
            <p className="muted">No patient is checked in to {chairName}.</p>
            <CheckInButton chairId={chairId} chairName={chairName} className="button button--primary" />
          </div>
        </section>
        {children}
      </>
    );
  }
  return (
    <SessionView key={session.id} chairId={chairId} chairName={chairName} session={session} active={active !== null}>
      {children}
    </SessionView>
  );
}
