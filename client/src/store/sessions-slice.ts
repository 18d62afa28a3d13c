import { type SessionSummary, isSessionEnded } from '@chairside/shared';
import type { ChairsSlice } from './chairs-slice';
import type { SliceCreator } from './slice';

export interface SessionsSlice {
  /**
   * Per chair, the session that ended there while this dashboard watched, so its timeline and form
   * stay viewable on the chair's page after the chair became free.
   */
  endedSessions: Record<string, SessionSummary>;
  /**
   * A session changed (`session:updated`, or the answer to our own request): the chair's tile follows
   * it, and an ended one frees the chair. An older revision than the one held changes nothing.
   */
  sessionUpdated(summary: SessionSummary): void;
}

/** The session a chair shows after `summary` arrives; `current` itself when nothing changes. */
export function nextChairSession(current: SessionSummary | null, summary: SessionSummary): SessionSummary | null {
  if (current !== null && current.id === summary.id && current.revision > summary.revision) return current; // late echo
  if (isSessionEnded(summary.state)) return current?.id === summary.id ? null : current;
  return summary;
}

export const createSessionsSlice: SliceCreator<SessionsSlice & Pick<ChairsSlice, 'chairs'>, SessionsSlice> = (set) => ({
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
