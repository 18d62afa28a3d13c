import { describe, expect, it } from 'vitest';
import { alertTitle } from '../alerts/messages';
import { checkPlausibility, describeRejections } from './plausibility';

describe('describeRejections', () => {
  it('says one BP measurement once: both values out of range', () => {
    const { rejected } = checkPlausibility({ systolic: 320, diastolic: 210, heartRate: 72 });
    expect(describeRejections(rejected)).toEqual([
      { fields: ['systolic', 'diastolic'], message: 'BP 320/210 mmHg is outside the plausible range (SBP 40–300, DBP 15–200)' },
    ]);
  });

  it('says an inconsistent BP once, not per field', () => {
    const { rejected } = checkPlausibility({ systolic: 110, diastolic: 120, mean: 115 });
    expect(rejected).toHaveLength(3);
    expect(describeRejections(rejected).map((r) => r.message)).toEqual(['DBP 120 is not below SBP 110']);
  });

  it('keeps a single value’s own message, and other vitals apart', () => {
    const { rejected } = checkPlausibility({ systolic: 320, diastolic: 90, heartRate: 400 });
    expect(describeRejections(rejected).map((r) => r.message)).toEqual([
      'SBP 320 mmHg is outside the plausible range 40–300',
      'HR 400 /min is outside the plausible range 20–300',
    ]);
  });
});

describe('alertTitle', () => {
  const facts = {
    kind: 'bp-threshold' as const,
    breaches: [{ field: 'systolic' as const, value: 186, comparator: '>=' as const, limit: 180 }],
    readings: 1,
    requiredReadings: 2,
    prompt: 'recheck BP now',
    measuredAt: '2026-01-01T10:00:00.000Z',
  };

  it('titles a recheck prompt by its reading', () => {
    expect(alertTitle({ label: 'Severe hypertension', facts: { ...facts, bp: { systolic: 186, diastolic: 100 } } })).toBe('Recheck BP now: 186/100');
    expect(alertTitle({ label: 'Severe hypertension', facts })).toBe('Recheck BP now: SBP 186');
  });

  it('keeps the rule’s label once the condition is confirmed', () => {
    expect(alertTitle({ label: 'Severe hypertension', facts: { ...facts, prompt: null, readings: 2 } })).toBe('Severe hypertension');
  });
});
