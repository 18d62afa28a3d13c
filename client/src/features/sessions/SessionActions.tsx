import type { SessionAction, SessionSummary } from '@chairside/shared';
import { SessionActionButton } from './SessionActionButton';
import { actionBarActions } from './session-actions';

/**
 * The session's actions in the protocol's words ("Start infusion", "First spray given"), each
 * enabled or disabled with the reason shown under it. Discharge has its own panel.
 */
export function SessionActions({ session, chairName, actions }: { session: SessionSummary; chairName: string; actions: readonly SessionAction[] }) {
  const shown = actionBarActions(actions);
  if (shown.length === 0) return null;
  const primary = new Set<SessionAction['id']>(['start-treatment', 'resume-treatment', 'end-treatment']);
  return (
    <div className="session-actions" role="group" aria-label="Session actions">
      {shown.map((action) => (
        <SessionActionButton
          key={action.id}
          action={action}
          session={session}
          chairName={chairName}
          className={`button ${primary.has(action.id) ? 'button--primary' : action.id === 'cancel' ? 'button--quiet' : 'button--secondary'}`}
          showReason
        />
      ))}
    </div>
  );
}
