import { type SessionSummary, mostUrgentDue } from '@chairside/shared';
import { dueNextLongText, dueNextText } from './record-display';

/**
 * What is due next, beside the BP clock on a tile: "Eyes-on 2 min late", "Scores in 3 min". Overdue reads
 * "late" with a "!" (the colour is not the only sign); the full sentence is its title and its accessible name.
 */
export function DueNextClock({ session, nowMs }: { session: Pick<SessionSummary, 'record' | 'state'>; nowMs: number }) {
  const { phase } = session.state;
  if (session.record === undefined || phase === 'discharged' || phase === 'cancelled') return null;
  const next = mostUrgentDue(session.record.due, nowMs);
  if (next === null) return null;
  const late = next.status === 'overdue' && next.item.id !== 'score:pre-dose';
  const long = dueNextLongText(next);
  return (
    <span className={`session-status__clock record-due${late ? ' is-overdue' : ''}`} title={long} data-testid="due-next">
      {late && (
        <span className="session-status__symbol" aria-hidden="true">
          !
        </span>
      )}
      <span aria-hidden="true">{dueNextText(next)}</span>
      <span className="visually-hidden">Due next: {long}</span>
    </span>
  );
}
