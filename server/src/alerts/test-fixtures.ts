import { type AlertContext, defaultAlertContext, type Reading } from '@chairside/shared';

/** Helpers for the alert engine host's and core's tests: a clock start, a running treatment, a stored reading. */
export const t0 = Date.parse('2026-01-01T09:00:00Z');

/** Treatment started 10 min before `t0`. */
export const treatment: AlertContext = { ...defaultAlertContext, phase: 'treatment', treatmentStartedAtMs: t0 - 600_000 };

/** Session s1's stored reading number `seq`, measured and received `seq` seconds after `t0` (normal HR, SpO₂, RR). */
export function storedReading(seq: number, values: Partial<Reading> = {}): Reading {
  return {
    seq,
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    chairId: 'chair-1',
    sessionId: 's1',
    measuredAt: new Date(t0 + seq * 1000).toISOString(),
    receivedAt: new Date(t0 + seq * 1000).toISOString(),
    source: 'device',
    systolic: null,
    diastolic: null,
    mean: null,
    heartRate: 75,
    spo2: 98,
    respRate: 14,
    rejected: [],
    flags: [],
    enteredBy: null,
    ...values,
  };
}
