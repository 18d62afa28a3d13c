import type { NewReading } from './store';

/** The instant reading 0 of `newReadingFixture` was measured. */
export const fixtureT0 = Date.parse('2026-11-22T10:00:00.000Z');

/**
 * A reading as the ingest hands it to the store: reading `n` of chair-1, measured `n` seconds after
 * `fixtureT0`, heart rate and SpO₂ only; `overrides` for the rest.
 */
export function newReadingFixture(n: number, overrides: Partial<NewReading> = {}): NewReading {
  return {
    id: `id-${n}`,
    chairId: 'chair-1',
    sessionId: null,
    measuredAt: new Date(fixtureT0 + n * 1000).toISOString(),
    receivedAt: fixtureT0 + 60_000,
    source: 'device',
    systolic: null,
    diastolic: null,
    mean: null,
    heartRate: 70 + n,
    spo2: 97,
    respRate: null,
    rejected: [],
    flags: [],
    enteredBy: null,
    supersedes: null,
    payloadHash: `hash-${n}`,
    ...overrides,
  };
}
