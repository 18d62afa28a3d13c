import type { AppState } from '../../store/app-state';

/**
 * Active high or medium alarms of a session, for the discharge gate this screen evaluates live;
 * counted as the server counts them for its own gate (alerts.service `activeHighOrMedium`): status
 * `active` (an acknowledged one no longer blocks), priority high or medium.
 */
export function selectActiveHighOrMediumAlarms(state: AppState, sessionId: string): number {
  let count = 0;
  for (const entry of Object.values(state.alerts.byId)) {
    const { alert } = entry;
    if (entry.sessionId === sessionId && alert.status === 'active' && (alert.priority === 'high' || alert.priority === 'medium')) count += 1;
  }
  return count;
}
