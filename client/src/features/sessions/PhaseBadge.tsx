import { isTreatmentPaused } from '@chairside/shared';
import { sessionPhaseLabel } from './session-display';
import type { ChairSession } from '../../lib/session-view';

/** The session's phase in the protocol's words ("Infusion", "Dosing paused"); text, not colour, carries it. */
export function PhaseBadge({ session }: { session: ChairSession }) {
  const { phase } = session.state;
  const paused = isTreatmentPaused(session.state);
  return <span className={`phase-badge phase-badge--${phase}${paused ? ' phase-badge--paused' : ''}`}>{sessionPhaseLabel(session)}</span>;
}
