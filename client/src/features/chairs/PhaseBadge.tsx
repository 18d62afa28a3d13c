import type { SessionPhase } from '@chairside/shared';

const phaseLabel: Record<SessionPhase, string> = {
  baseline: 'Baseline',
  treatment: 'Treatment',
  observation: 'Observation',
  discharged: 'Discharged',
  cancelled: 'Cancelled',
};

export function PhaseBadge({ phase }: { phase: SessionPhase }) {
  return <span className={`phase-badge phase-badge--${phase}`}>{phaseLabel[phase]}</span>;
}
