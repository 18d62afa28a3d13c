import { describe, expect, it } from 'vitest';
import { evaluate, createAlertEngineState, defaultAlertContext } from './engine';
import { alertLimitsSchema, applyAlertLimits } from './limits';
import { type AlertRule, defaultAlertRules } from './rules';
import { T0, makeReading } from './test-fixtures';

function messagesOf(input: unknown): string[] {
  const result = alertLimitsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('alertLimitsSchema: a clinician’s per-session limits', () => {
  it.each([
    ['a stricter crisis limit', { 'bp-crisis': { systolicMmHg: 190 } }],
    ['HR limits for an athlete', { 'hr-low': { heartRatePerMin: 42, escalationPerMin: 35 } }],
    ['a rise limit', { 'bp-rise': { systolicRiseMmHg: 30 } }],
    ['nothing changed', {}],
  ])('accepts %s', (_what, limits) => {
    expect(messagesOf(limits)).toEqual([]);
  });

  it.each([
    ['a negative limit', { 'hr-high': { heartRatePerMin: -5 } }, 'hr-high.heartRatePerMin: HR limit must not be negative'],
    [
      'a limit outside plausibility',
      { 'bp-crisis': { systolicMmHg: 320 } },
      'bp-crisis.systolicMmHg: SBP limit 320 is outside the plausible range 40–300 mmHg',
    ],
    ['a zero rise', { 'bp-rise': { diastolicRiseMmHg: 0 } }, 'bp-rise.diastolicRiseMmHg: the DBP rise must be a positive number of mmHg'],
    [
      'a low limit at or above a high one',
      { 'hr-low': { heartRatePerMin: 110 }, 'hr-high': { heartRatePerMin: 105 } },
      'hr-low.heartRatePerMin: hr-low HR limit (110) must be below hr-high HR limit (105)',
    ],
    [
      'an escalation limit not beyond its limit',
      { 'rr-low': { respRatePerMin: 8, escalationPerMin: 9 } },
      'rr-low.escalationPerMin: rr-low escalation RR limit (9) must be below rr-low RR limit (8)',
    ],
    [
      'a crisis limit below the severe one',
      { 'bp-crisis': { systolicMmHg: 170 }, 'bp-severe': { systolicMmHg: 180 } },
      'bp-crisis.systolicMmHg: bp-crisis SBP limit (170) must not be below bp-severe SBP limit (180), the rule it supersedes',
    ],
    ['an unknown rule', { 'hr-crazy': { heartRatePerMin: 200 } }, ': Unrecognized key: "hr-crazy"'],
    ['a threshold the rule lacks', { 'bp-low': { diastolicMmHg: 50 } }, 'bp-low: Unrecognized key: "diastolicMmHg"'],
  ])('refuses %s with a clear message', (_what, limits, message) => {
    expect(messagesOf(limits)).toContain(message);
  });
});

describe('applyAlertLimits', () => {
  const ruleOf = (rules: AlertRule[], id: string): AlertRule | undefined => rules.find((rule) => rule.id === id);

  it('changes only the named thresholds', () => {
    const result = applyAlertLimits(defaultAlertRules, { 'bp-crisis': { systolicMmHg: 190 }, 'hr-low': { escalationPerMin: 35 } });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(ruleOf(result.rules, 'bp-crisis')).toMatchObject({
      anyOf: [
        { field: 'systolic', comparator: '>=', limitMmHg: 190 },
        { field: 'diastolic', comparator: '>=', limitMmHg: 120 },
      ],
      consecutiveReadings: 1,
    });
    expect(ruleOf(result.rules, 'hr-low')).toMatchObject({ limit: 50, sustainSec: 30, escalation: { limit: 35, sustainSec: 10 } });
    expect(result.rules.filter((rule, i) => rule !== defaultAlertRules[i]).map((rule) => rule.id)).toEqual(['bp-crisis', 'hr-low']);
    expect(defaultAlertRules.find((rule) => rule.id === 'bp-crisis')).toMatchObject({ anyOf: [{ limitMmHg: 200 }, { limitMmHg: 120 }] });
  });

  it('checks a change against the limits it leaves alone', () => {
    const result = applyAlertLimits(defaultAlertRules, { 'hr-low': { heartRatePerMin: 115 } });
    expect(result).toEqual({
      ok: false,
      issues: [{ path: ['hr-low', 'heartRatePerMin'], message: 'hr-low HR limit (115) must be below hr-high HR limit (110)' }],
    });
    // The schema alone cannot know that hr-high stays at 110.
    expect(alertLimitsSchema.safeParse({ 'hr-low': { heartRatePerMin: 115 } }).success).toBe(true);
  });

  it('refuses limits for a rule the session does not have', () => {
    const rules = defaultAlertRules.filter((rule) => rule.id !== 'rr-low');
    expect(applyAlertLimits(rules, { 'rr-low': { respRatePerMin: 10 } })).toEqual({
      ok: false,
      issues: [{ path: ['rr-low'], message: 'this session has no rule "rr-low"' }],
    });
  });

  it('the applied limits drive the engine', () => {
    const result = applyAlertLimits(defaultAlertRules, { 'bp-crisis': { systolicMmHg: 190 } });
    if (!result.ok) throw new Error('limits refused');
    const state = createAlertEngineState({ context: { ...defaultAlertContext, phase: 'treatment' } });
    const input = { kind: 'reading', reading: makeReading(1, T0, { systolic: 192, diastolic: 100 }) } as const;
    expect(evaluate(result.rules, state, input, T0).events.map((e) => e.alert.message)).toEqual(['SBP 192 ≥ 190']);
    expect(evaluate(defaultAlertRules, state, input, T0).events.map((e) => e.alert.message)).toEqual([
      'SBP 192 ≥ 180 — recheck BP now',
    ]);
  });
});
