import type { EscalationStep } from '../schemas/reach';

const stepWord: Record<EscalationStep['step'], string> = { primary: 'primary', backup: 'backup', all: 'everyone on shift' };

/** The escalation steps of one alert, oldest first. */
export function escalationStepsOf(steps: readonly EscalationStep[] | undefined, alertId: string): EscalationStep[] {
  return (steps ?? []).filter((s) => s.alertId === alertId).sort((a, b) => a.atMs - b.atMs);
}

/**
 * Whom one step reached, with its moment: "Dana (primary) 10:42:00", "Sam (backup) 10:42:30", "everyone on shift
 * 10:43:00"; a step that found nobody says so ("primary (no one assigned)").
 */
export function escalationStepText(step: EscalationStep, when: (ms: number) => string): string {
  const at = when(step.atMs);
  if (step.step === 'all') return `${stepWord.all} ${at}`;
  if (step.recipients.length === 0) return `${stepWord[step.step]} (no one assigned) ${at}`;
  return `${step.recipients.map((r) => r.displayName).join(', ')} (${stepWord[step.step]}) ${at}`;
}

/** "Reached Dana (primary) 10:42:00 · Sam (backup) 10:42:30 · everyone on shift 10:43:00", or null without steps. */
export function escalationStepsText(steps: readonly EscalationStep[], when: (ms: number) => string): string | null {
  if (steps.length === 0) return null;
  return `Reached ${steps.map((s) => escalationStepText(s, when)).join(' · ')}`;
}
