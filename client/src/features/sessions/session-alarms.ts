import type { Alert } from '@chairside/shared';
import type { AppState } from '../../store/app-state';

/**
 * A session's alerts as this screen has them, for the discharge gate it evaluates live: the gate
 * picks those that hold discharge as the server does (`alarmsHoldingDischarge`: high or medium,
 * not cleared, condition present or not yet acknowledged). Select it with `useShallow`: a new
 * array of the same alerts is the same answer.
 */
export function selectSessionAlerts(state: AppState, sessionId: string): Alert[] {
  const alerts: Alert[] = [];
  for (const entry of Object.values(state.alerts.byId)) {
    if (entry.sessionId === sessionId) alerts.push(entry.alert);
  }
  return alerts;
}
