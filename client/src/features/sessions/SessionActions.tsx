import { type SessionAction, type SessionSummary, describeStartGateFailures } from '@chairside/shared';
import { SessionActionButton } from './SessionActionButton';
import { actionBarActions } from './session-actions';
import { startWaitText } from './session-display';

const primary = new Set<SessionAction['id']>(['start-treatment', 'resume-treatment', 'end-treatment']);
const danger = new Set<SessionAction['id']>(['start-treatment-with-override']);

/**
 * The session's actions in the protocol's words ("Start infusion", "First spray given"), each
 * enabled or disabled with the reason shown under it. While the start gate does not hold, the start
 * says what it waits for and when ("… (due 10:42)"), and a clinician may start with an override.
 * Discharge has its own panel.
 */
export function SessionActions({ session, chairName, actions }: { session: SessionSummary; chairName: string; actions: readonly SessionAction[] }) {
  const shown = actionBarActions(actions);
  if (shown.length === 0) return null;
  const startWaits = startWaitText(session.startGate);
  const failingStartItems = session.startGate?.items.filter((i) => !i.ok) ?? [];
  return (
    <div className="session-actions" role="group" aria-label="Session actions">
      {shown.map((action) => {
        // The start's own refusal has no clock; the gate the server sent says when the next BP is due.
        const waitsForGate = startWaits !== null && session.startGate && action.disabledReason === `Start waits for: ${describeStartGateFailures(session.startGate)}`;
        const shownAction = action.id === 'start-treatment' && waitsForGate ? { ...action, disabledReason: startWaits } : action;
        return (
          <SessionActionButton
            key={action.id}
            action={shownAction}
            session={session}
            chairName={chairName}
            className={`button ${primary.has(action.id) ? 'button--primary' : danger.has(action.id) ? 'button--danger' : action.id === 'cancel' ? 'button--quiet' : 'button--secondary'}`}
            showReason
            {...(action.id === 'start-treatment-with-override' ? { failingItems: failingStartItems } : {})}
          />
        );
      })}
    </div>
  );
}
