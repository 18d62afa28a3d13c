import { describe, expect, it } from 'vitest';
import { alertInputSchema, parseAlertId } from './engine';
import { alertRuleSchema, alertRulesSchema, defaultAlertRules } from './rules';

describe('rules are data', () => {
  it('the defaults survive JSON and validate', () => {
    const stored = JSON.parse(JSON.stringify(defaultAlertRules)) as unknown;
    expect(alertRulesSchema.parse(stored)).toEqual(defaultAlertRules);
  });

  it('refuses a rule set with a duplicate id or a dangling supersedes', () => {
    const [first] = defaultAlertRules;
    if (first === undefined) throw new Error('no rules');
    const result = alertRulesSchema.safeParse([first, first, { ...first, id: 'other', supersedes: ['nowhere'] }]);
    expect(result.success ? [] : result.error.issues.map((issue) => issue.message)).toEqual([
      `rule id "${first.id}" is used twice`,
      'rule "other" supersedes "nowhere", which is not another rule of this set',
    ]);
  });

  it('refuses a rule with a numeric priority', () => {
    expect(alertRuleSchema.safeParse({ ...defaultAlertRules[0], priority: 2 }).success).toBe(false);
  });
});

describe('alertInputSchema', () => {
  it('accepts a context with the session machine’s checkpoint clocks (extra fields dropped)', () => {
    const parsed = alertInputSchema.parse({
      kind: 'context',
      phase: 'treatment',
      baseline: { systolic: 128, diastolic: 82 },
      bpIntervalMin: 5,
      bpDueAtMs: 1_000,
      checkpoints: [{ id: 'bp-40', label: '40-min BP', status: 'pending', open: true, windowStartAtMs: 10, windowEndAtMs: 20, metAtMs: null }],
      deviceConnected: true,
    });
    expect(parsed).toMatchObject({ kind: 'context', checkpoints: [{ id: 'bp-40', windowStartAtMs: 10, windowEndAtMs: 20 }] });
    expect(parsed.kind === 'context' && 'open' in (parsed.checkpoints[0] ?? {})).toBe(false);
  });

  it('refuses an acknowledgement without a person', () => {
    expect(alertInputSchema.safeParse({ kind: 'acknowledge', alertId: 's1.bp-crisis.1' }).success).toBe(false);
  });
});

describe('parseAlertId', () => {
  it.each([
    ['sess.2025-03-01.7.bp-crisis.12', { idPrefix: 'sess.2025-03-01.7', ruleId: 'bp-crisis', number: 12 }],
    ['hr-low.3', { idPrefix: '', ruleId: 'hr-low', number: 3 }],
    ['nonsense', null],
  ])('%s', (id, parts) => {
    expect(parseAlertId(id)).toEqual(parts);
  });
});
