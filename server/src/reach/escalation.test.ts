import { describe, expect, it } from 'vitest';
import type { AlertPriority } from '@chairside/shared';
import type { ReachStep } from './alarm-reach';
import { type ChairWatch, defaultEscalationDelays, dueSteps, escalationChain, nextStepAtMs } from './escalation';

const raisedAt = 1_000_000;
const both: ChairWatch = { hasPrimary: true, hasBackup: true };
const primaryOnly: ChairWatch = { hasPrimary: true, hasBackup: false };
const nobody: ChairWatch = { hasPrimary: false, hasBackup: false };

/** The steps taken by `atMs` when every due step is taken as it comes (a tick at every moment). */
function takenBy(priority: AlertPriority, watch: ChairWatch, afterMs: number): ReachStep[] {
  const chain = escalationChain(priority, watch, defaultEscalationDelays);
  return dueSteps(chain, raisedAt, raisedAt + afterMs, new Set());
}

describe('escalation chain', () => {
  it.each([
    ['high', both, 0, ['primary']],
    ['high', both, 29_999, ['primary']],
    ['high', both, 30_000, ['primary', 'backup']],
    ['high', both, 59_999, ['primary', 'backup']],
    ['high', both, 60_000, ['primary', 'backup', 'all']],
    ['medium', both, 89_999, ['primary']],
    ['medium', both, 90_000, ['primary', 'backup']],
    ['medium', both, 179_999, ['primary', 'backup']],
    ['medium', both, 180_000, ['primary', 'backup', 'all']],
    ['high', primaryOnly, 29_999, ['primary']],
    ['high', primaryOnly, 30_000, ['primary', 'all']],
    ['high', nobody, 0, ['all']],
    ['medium', nobody, 0, ['all']],
    ['low', both, 0, []],
    ['low', both, 3_600_000, []],
  ] as const)('%s, %o, %i ms after raising: %o', (priority, watch, afterMs, expected) => {
    expect(takenBy(priority, watch, afterMs)).toEqual(expected);
  });

  it('takes only the steps beyond those taken', () => {
    const chain = escalationChain('high', both, defaultEscalationDelays);
    expect(dueSteps(chain, raisedAt, raisedAt + 30_000, new Set(['primary']))).toEqual(['backup']);
    expect(dueSteps(chain, raisedAt, raisedAt + 59_999, new Set(['primary', 'backup']))).toEqual([]);
    expect(dueSteps(chain, raisedAt, raisedAt + 60_000, new Set(['primary', 'backup']))).toEqual(['all']);
    // Everyone reached while the chair had no one: assigning it later adds no step.
    expect(dueSteps(chain, raisedAt, raisedAt + 60_000, new Set(['all']))).toEqual([]);
  });

  it('names when the next step is due', () => {
    const chain = escalationChain('medium', both, defaultEscalationDelays);
    expect(nextStepAtMs(chain, raisedAt, new Set(['primary']))).toBe(raisedAt + 90_000);
    expect(nextStepAtMs(chain, raisedAt, new Set(['primary', 'backup']))).toBe(raisedAt + 180_000);
    expect(nextStepAtMs(chain, raisedAt, new Set(['all']))).toBeNull();
  });

  it('follows per-clinic delays', () => {
    const chain = escalationChain('high', both, { highMs: 10_000, mediumMs: 60_000 });
    expect(dueSteps(chain, raisedAt, raisedAt + 19_999, new Set())).toEqual(['primary', 'backup']);
    expect(dueSteps(chain, raisedAt, raisedAt + 20_000, new Set())).toEqual(['primary', 'backup', 'all']);
  });
});
