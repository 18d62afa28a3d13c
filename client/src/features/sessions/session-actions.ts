import { type DischargeGateResult, type Role, type SessionAction, type SessionSummary, availableActions } from '@chairside/shared';

/**
 * The session's actions for this user now; none for a user without a role (not logged in). The
 * start gate is the server's, sent with the summary while the session is in baseline.
 */
export function actionsFor(session: SessionSummary, role: Role | null, gate: DischargeGateResult | null): SessionAction[] {
  return role === null ? [] : availableActions(session.state, session.protocol, role, gate, session.startGate ?? null);
}

const primaryOrder: readonly SessionAction['id'][] = ['resume-treatment', 'start-treatment', 'end-treatment', 'discharge'];

/** The next step a tile offers: start, resume or end treatment, or discharge once the gate holds. */
export function primaryAction(actions: readonly SessionAction[]): SessionAction | null {
  for (const id of primaryOrder) {
    const action = actions.find((a) => a.id === id && a.enabled);
    if (action !== undefined) return action;
  }
  return null;
}

/** Handled by the discharge panel (gate, checklist, override) or by the alarm limits dialog, not the action bar. */
const ownForms: ReadonlySet<SessionAction['id']> = new Set(['discharge', 'discharge-with-override', 'update-checklist', 'change-limits']);

export function actionBarActions(actions: readonly SessionAction[]): SessionAction[] {
  return actions.filter((a) => !ownForms.has(a.id));
}
