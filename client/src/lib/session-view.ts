import type { ChairSummary, SessionPhase } from '@chairside/shared';

/** The chair's active session as the server sends it; the one place that knows its shape. */
export type ChairSession = NonNullable<ChairSummary['session']>;

export function sessionPhase(session: ChairSession): SessionPhase {
  return session.state.phase;
}

/** When the patient was checked into the chair (epoch ms). */
export function sessionStartedAtMs(session: ChairSession): number {
  return session.state.checkedInAtMs;
}
