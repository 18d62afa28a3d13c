import { type SessionSummary, isSessionEnded } from '@chairside/shared';
import type { StateCreator } from 'zustand';
import type { AppState, SessionsSlice } from './app-state';

/** The session a chair shows after `summary` arrives; `current` itself when nothing changes. */
export function nextChairSession(current: SessionSummary | null, summary: SessionSummary): SessionSummary | null {
  if (current !== null && current.id === summary.id && current.revision > summary.revision) return current; // late echo
  if (isSessionEnded(summary.state)) return current?.id === summary.id ? null : current;
  return summary;
}

export const createSessionsSlice: StateCreator<AppState, [], [], SessionsSlice> = (set) => ({
  endedSessions: {},

  sessionUpdated: (summary) =>
    set((s) => {
      const chair = s.chairs[summary.chairId];
      let { chairs, endedSessions } = s;
      if (chair !== undefined) {
        const session = nextChairSession(chair.session, summary);
        if (session !== chair.session) chairs = { ...chairs, [chair.id]: { ...chair, session } };
      }
      if (isSessionEnded(summary.state)) {
        const known = endedSessions[summary.chairId];
        if (known === undefined || known.id !== summary.id || known.revision <= summary.revision) {
          endedSessions = { ...endedSessions, [summary.chairId]: summary };
        }
      }
      return chairs === s.chairs && endedSessions === s.endedSessions ? s : { chairs, endedSessions };
    }),
});
