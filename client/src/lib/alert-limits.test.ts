import { alertLimitsSchema, defaultAlertRules } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { currentLimitFields, describeCustomLimits, draftOf, hasCustomLimits, limitFields, validateLimits } from './alert-limits';

const defaults = limitFields();
const draft = (changes: Record<string, string> = {}) => ({ ...draftOf(defaults), ...changes });

describe('alert limit fields', () => {
  it('names every limit with a key the shared schema accepts', () => {
    for (const field of defaults) {
      const parsed = alertLimitsSchema.safeParse({ [field.ruleId]: { [field.key]: field.value } });
      expect(parsed.success, field.id).toBe(true);
    }
    expect(defaults.map((f) => f.id)).toEqual(
      expect.arrayContaining(['bp-crisis.systolicMmHg', 'bp-crisis.diastolicMmHg', 'bp-severe.systolicMmHg', 'bp-rise.systolicRiseMmHg', 'bp-rise.diastolicRiseMmHg', 'hr-high.heartRatePerMin', 'hr-very-high.heartRatePerMin', 'spo2-low.spo2Percent', 'hr-low.escalationPerMin']),
    );
  });

  it('shows the defaults overlaid by the session’s changes', () => {
    const fields = currentLimitFields({ 'bp-crisis': { systolicMmHg: 190 } });
    expect(fields.find((f) => f.id === 'bp-crisis.systolicMmHg')?.value).toBe(190);
    expect(fields.find((f) => f.id === 'bp-crisis.diastolicMmHg')?.value).toBe(120);
    expect(describeCustomLimits({ 'bp-crisis': { systolicMmHg: 190 } })).toBe('Hypertensive crisis SBP ≥ 190');
    expect(hasCustomLimits({})).toBe(false);
    expect(hasCustomLimits(null)).toBe(false);
  });
});

describe('validateLimits', () => {
  it('sends only the values that differ from the defaults', () => {
    const result = validateLimits(draft({ 'bp-crisis.systolicMmHg': '190', 'hr-high.heartRatePerMin': '115' }), 'known hypertension', defaults);
    expect(result).toEqual({ ok: true, limits: { 'bp-crisis': { systolicMmHg: 190 }, 'hr-high': { heartRatePerMin: 115 } } });
  });

  it('refuses implausible values and limits in the wrong order, beside their fields', () => {
    const result = validateLimits(draft({ 'spo2-low.spo2Percent': '120', 'bp-crisis.systolicMmHg': '170' }), 'x', defaults);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors['spo2-low.spo2Percent']).toMatch(/outside the plausible range 50–100/);
    expect(result.errors['bp-crisis.systolicMmHg']).toMatch(/must not be below bp-severe SBP limit \(180\)/);
  });

  it('wants numbers, a reason, and at least one change', () => {
    const empty = validateLimits(draft({ 'hr-high.heartRatePerMin': 'abc' }), ' ', defaults);
    expect(empty.ok || empty.errors).toMatchObject({ 'hr-high.heartRatePerMin': 'Enter a number', reason: 'Give a reason for changing the alert limits' });
    const unchanged = validateLimits(draft(), 'no change', defaults);
    expect(unchanged.ok || unchanged.errors.form).toBe('No limit was changed.');
  });

  it('can go back to the defaults', () => {
    const current = currentLimitFields({ 'bp-crisis': { systolicMmHg: 190 } });
    expect(validateLimits(draftOf(limitFields(defaultAlertRules)), 'back to defaults', current)).toEqual({ ok: true, limits: {} });
  });
});
