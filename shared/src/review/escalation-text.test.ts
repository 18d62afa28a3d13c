import { describe, expect, it } from 'vitest';
import type { EscalationStep } from '../schemas/reach';
import { escalationStepsOf, escalationStepsText } from './escalation-text';

const at = (s: number) => Date.UTC(2026, 10, 20, 10, 42, s);
const when = (ms: number) => new Date(ms).toISOString().slice(11, 19);
const step = (kind: EscalationStep['step'], seconds: number, names: string[], alertId = 'a-1'): EscalationStep => ({
  type: 'escalated-to',
  alertId,
  sessionId: 's-1',
  chairId: 'chair-1',
  priority: 'high',
  step: kind,
  recipients: names.map((displayName, i) => ({ userId: `u-${i}`, displayName })),
  atMs: at(seconds),
});

describe('escalation steps as the report says them', () => {
  it('names whom each step reached, in order, and "everyone on shift" for the last', () => {
    const steps = [step('backup', 30, ['Sam']), step('primary', 0, ['Dana']), step('all', 60, ['Dana', 'Sam', 'Kim']), step('primary', 5, ['Lee'], 'a-2')];
    expect(escalationStepsText(escalationStepsOf(steps, 'a-1'), when)).toBe('Reached Dana (primary) 10:42:00 · Sam (backup) 10:42:30 · everyone on shift 10:43:00');
    expect(escalationStepsText(escalationStepsOf(steps, 'a-2'), when)).toBe('Reached Lee (primary) 10:42:05');
  });

  it('says when a step found no one, and nothing without steps (or from an older server)', () => {
    expect(escalationStepsText([step('primary', 0, [])], when)).toBe('Reached primary (no one assigned) 10:42:00');
    expect(escalationStepsText(escalationStepsOf(undefined, 'a-1'), when)).toBeNull();
  });
});
