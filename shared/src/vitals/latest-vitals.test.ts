import { describe, expect, it } from 'vitest';
import type { Reading } from '../schemas/reading';
import { emptyLatestVitals, foldLatestVitals, isNewerOrdered, latestVitalCarriers, latestVitalKeys } from './latest-vitals';

function reading(values: Partial<Reading>, seq = 1, measuredAt = '2026-12-07T10:00:00.000Z'): Reading {
  return {
    id: `r${seq}`,
    seq,
    chairId: 'chair-1',
    sessionId: null,
    source: 'manual',
    measuredAt,
    receivedAt: measuredAt,
    systolic: null,
    diastolic: null,
    mean: null,
    heartRate: null,
    spo2: null,
    respRate: null,
    rejected: [],
    flags: [],
    ...values,
  } as Reading;
}

describe('the newest value of each vital: one definition', () => {
  // Each case: a reading's values, and which newest values it must set on an empty chair.
  const cases: { name: string; values: Partial<Reading>; sets: string[] }[] = [
    { name: 'a full BP', values: { systolic: 120, diastolic: 80 }, sets: ['bp'] },
    { name: 'a mean alone', values: { mean: 93 }, sets: ['bp'] },
    { name: 'a diastolic alone', values: { diastolic: 80 }, sets: ['bp'] },
    { name: 'a heart rate', values: { heartRate: 72 }, sets: ['heartRate'] },
    { name: 'an SpO₂', values: { spo2: 97 }, sets: ['spo2'] },
    { name: 'a respiratory rate', values: { respRate: 14 }, sets: ['respRate'] },
    { name: 'a rejection only', values: { rejected: [{ field: 'systolic', value: 400, reason: 'out-of-range', message: 'Systolic 400 is out of range' }] }, sets: ['lastRejection'] },
    { name: 'BP and heart rate together', values: { systolic: 150, diastolic: 95, heartRate: 88 }, sets: ['bp', 'heartRate'] },
    { name: 'nothing at all', values: {}, sets: [] },
  ];

  it.each(cases)('$name: the carriers and the fold agree', ({ values, sets }) => {
    const r = reading(values);
    const folded = foldLatestVitals(emptyLatestVitals, r);
    for (const key of latestVitalKeys) {
      expect(latestVitalCarriers[key](r), key).toBe(sets.includes(key));
      expect(folded[key] !== null, key).toBe(sets.includes(key));
    }
  });

  it.each([
    { a: { atMs: 2, seq: 1 }, b: { atMs: 1, seq: 9 }, newer: true },
    { a: { atMs: 1, seq: 9 }, b: { atMs: 2, seq: 1 }, newer: false },
    { a: { atMs: 1, seq: 2 }, b: { atMs: 1, seq: 1 }, newer: true },
    { a: { atMs: 1, seq: 1 }, b: { atMs: 1, seq: 1 }, newer: false },
    { a: { atMs: 1, seq: 1 }, b: null, newer: true },
  ])('order time then server sequence: $a over $b → $newer', ({ a, b, newer }) => {
    expect(isNewerOrdered(a, b)).toBe(newer);
  });
});
