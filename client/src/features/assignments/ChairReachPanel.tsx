import { useEffect, useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EscalationStep } from '@chairside/shared';
import { errorMessage } from '../../api/api-error';
import { formatClockSeconds } from '../../lib/vital-format';
import { useAppStore } from '../../store/store-context';
import { useAssignmentsApi } from './assignments-api';
import { watchText } from './people';
import { ShiftDialog } from './ShiftDialog';
import { useWatchesChairs } from './use-assignments';
import './assignments.css';

const stepWords: Record<EscalationStep['step'], string> = { primary: 'primary', backup: 'backup', all: 'everyone on shift' };

function reachedText(step: EscalationStep): string {
  const people = step.recipients.length === 0 ? 'no one was on shift' : step.recipients.map((r) => r.displayName).join(', ');
  return `${stepWords[step.step]}: ${people}`;
}

/**
 * On a chair's page: who watches the chair, and whom each of the session's alarms reached and when
 * (the escalation steps, docs/architecture.md "Alarm reach"). Live through `alert:reached`.
 */
export function ChairReachPanel({ chairId }: { chairId: string }) {
  const api = useAssignmentsApi();
  const watches = useWatchesChairs();
  const sessionId = useAppStore((s) => s.chairs[chairId]?.session?.id ?? null);
  const assignment = useAppStore((s) => s.assignments.byChair[chairId]);
  const received = useAppStore((s) => s.escalationsReceived);
  const steps = useAppStore(useShallow((s) => Object.values(s.escalations).flat().filter((step) => step.sessionId === sessionId)));
  const labels = useAppStore(useShallow((s) => Object.fromEntries(Object.values(s.alerts.byId).map((e) => [e.alert.id, e.alert.label]))));
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const headingId = useId();

  useEffect(() => {
    if (sessionId === null || !watches) return;
    let cancelled = false;
    api.escalations(sessionId).then(
      (list) => {
        if (!cancelled) received(list);
      },
      (failure: unknown) => {
        if (!cancelled) setError(errorMessage(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, sessionId, watches, received]);

  const byAlert = useMemo(() => {
    const groups = new Map<string, EscalationStep[]>();
    for (const step of [...steps].sort((a, b) => b.atMs - a.atMs)) groups.set(step.alertId, [...(groups.get(step.alertId) ?? []), step]);
    return [...groups.entries()];
  }, [steps]);

  if (!watches) return null;
  return (
    <section className="panel chair-reach" aria-labelledby={headingId}>
      <div className="panel__bar">
        <div>
          <h2 id={headingId} className="panel__title">
            Who is told
          </h2>
          <p className="muted panel__hint">{watchText(assignment)}</p>
        </div>
        <button type="button" className="button button--secondary" aria-haspopup="dialog" onClick={() => setOpen(true)}>
          Assign
        </button>
      </div>
      {error !== null && (
        <p role="alert" className="notice notice--error">
          Could not read whom the alarms reached: {error}
        </p>
      )}
      {sessionId !== null && byAlert.length === 0 && error === null && <p className="muted">No alarm of this session has had to reach anyone yet.</p>}
      {byAlert.length > 0 && (
        <ul className="chair-reach__alerts" aria-label="Escalation steps">
          {byAlert.map(([alertId, alertSteps]) => (
            <li key={alertId}>
              <strong>{labels[alertId] ?? 'Alarm'}</strong>
              <ol className="chair-reach__steps">
                {[...alertSteps].reverse().map((step) => (
                  <li key={`${step.step}-${step.atMs}`}>
                    <time dateTime={new Date(step.atMs).toISOString()}>{formatClockSeconds(step.atMs)}</time> reached {reachedText(step)}
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      )}
      {open && <ShiftDialog onClose={() => setOpen(false)} />}
    </section>
  );
}
