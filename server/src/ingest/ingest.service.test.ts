import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ReadingInput, vitalFields } from '@chairside/shared';
import { payloadHash } from './ingest.service';

/** The hash as every stored reading has it: sha256 of the canonical object's JSON (the original definition). */
function referenceHash(input: ReadingInput): string {
  const canonical = {
    id: input.id,
    chairId: input.chairId ?? null,
    sessionId: input.sessionId ?? null,
    measuredAt: Date.parse(input.measuredAt),
    source: input.source,
    values: vitalFields.map((f) => input[f] ?? null),
    ...(input.supersedes === undefined ? {} : { supersedes: input.supersedes }),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

const base: ReadingInput = {
  id: '0b7f3f5e-9d0c-4a57-8d7e-1c1d6f3a2b10',
  chairId: 'chair-1',
  measuredAt: '2026-11-22T10:00:00.000Z',
  heartRate: 72,
  source: 'device',
};

describe('payloadHash', () => {
  it.each<[string, ReadingInput]>([
    ['a device reading with one vital', base],
    ['every vital, fractions and a negative marker', { ...base, systolic: 128.5, diastolic: 82, mean: 97.25, heartRate: -999, spo2: 98, respRate: 0.1 }],
    ['a time with an offset and microseconds', { ...base, measuredAt: '2026-11-22T11:00:00.123456+01:00' }],
    ['a session instead of a chair', { id: base.id, sessionId: 's-1', measuredAt: base.measuredAt, spo2: 91, source: 'simulator' }],
    ['both chair and session', { ...base, sessionId: 'session.2_x' }],
    ['a manual correction', { ...base, source: 'manual', supersedes: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }],
    ['large and tiny numbers', { ...base, systolic: 1e21, diastolic: 5e-7, mean: -0 }],
  ])('is unchanged for %s, so retries of readings stored earlier still match', (_what, input) => {
    expect(payloadHash(input)).toBe(referenceHash(input));
    expect(payloadHash(input, Date.parse(input.measuredAt))).toBe(referenceHash(input));
  });

  it('differs when any value differs', () => {
    const hashes = new Set([
      payloadHash(base),
      payloadHash({ ...base, heartRate: 73 }),
      payloadHash({ ...base, spo2: 72 }),
      payloadHash({ ...base, measuredAt: '2026-11-22T10:00:00.001Z' }),
      payloadHash({ ...base, source: 'simulator' }),
      payloadHash({ ...base, chairId: 'chair-2' }),
    ]);
    expect(hashes.size).toBe(6);
  });
});
