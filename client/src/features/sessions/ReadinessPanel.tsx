import type { SessionSummary } from '@chairside/shared';
import { useId } from 'react';
import { useAppStore } from '../../store/store-context';
import { EscortForm } from './EscortForm';
import { ReadinessChecklist } from './ReadinessChecklist';
import { readinessItemsOf, readinessSummaryText } from './readiness';

/**
 * Readiness and escort on the chair page. During baseline the checklist is answered here (each tap
 * saved; the start waits for the hard stops); after the start its answers stay readable, folded.
 * The escort can be recorded while the session runs: the discharge criteria wait for it.
 */
export function ReadinessPanel({ session, id }: { session: SessionSummary; id?: string }) {
  const headingId = useId();
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  // Nurses and clinicians run sessions; anyone else reads the answers.
  const canRecord = role === 'nurse' || role === 'clinician';
  const baseline = session.state.phase === 'baseline';
  const items = readinessItemsOf(session);
  const escort = session.record?.escort ?? null;
  return (
    <section id={id} className="panel readiness-panel" aria-labelledby={headingId} tabIndex={-1}>
      {baseline ? (
        <>
          <h2 id={headingId} className="panel__title">
            Readiness checklist
          </h2>
          <ReadinessChecklist session={session} readOnly={!canRecord} />
        </>
      ) : (
        <details className="readiness-panel__answers">
          <summary>
            <h2 id={headingId} className="panel__title readiness-panel__summary-title">
              Readiness checklist
            </h2>
            <span className="muted"> · {readinessSummaryText(items, true)}</span>
          </summary>
          <ReadinessChecklist session={session} readOnly />
        </details>
      )}
      <h3 className="readiness-panel__subtitle">
        Escort
      </h3>
      {canRecord ? (
        <EscortForm session={session} />
      ) : (
        <p className="muted">{escort === null ? 'No escort recorded.' : `Escort: ${escort.name} (${escort.phone})`}</p>
      )}
    </section>
  );
}
