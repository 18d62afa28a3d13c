import { describe, expect, it } from 'vitest';
import { parseDateTimeLocal, toDateTimeLocalValue, toIsoWithOffset } from './local-time';

describe('local time', () => {
  const instant = Date.parse('2026-11-22T10:15:30Z');

  it('writes an ISO instant with the device offset that means the same moment', () => {
    const iso = toIsoWithOffset(instant);
    expect(iso).toMatch(/^2026-11-2\dT\d{2}:\d{2}:30[+-]\d{2}:\d{2}$/);
    expect(Date.parse(iso)).toBe(instant);
  });

  it('round-trips the datetime-local value of an instant', () => {
    expect(parseDateTimeLocal(toDateTimeLocalValue(instant))).toBe(instant);
  });

  it('accepts a value without seconds and refuses impossible dates', () => {
    expect(parseDateTimeLocal('2026-11-22T10:15')).not.toBeNull();
    expect(parseDateTimeLocal('2026-02-31T10:15')).toBeNull();
    expect(parseDateTimeLocal('yesterday')).toBeNull();
  });
});
