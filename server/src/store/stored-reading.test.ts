import { describe, expect, it } from 'vitest';
import type { NewReading } from './store';
import { fixtureT0, newReadingFixture } from './test-fixtures';
import { answerBatch, type StoredEntry, storedReading } from './stored-reading';

const t0 = fixtureT0;
const newReading = newReadingFixture;

const entry = (r: NewReading, seq: number): StoredEntry => ({ reading: storedReading(r, seq, Date.parse(r.measuredAt)), payloadHash: r.payloadHash });

describe('storedReading', () => {
  it('is the reading as read back: times as ISO to the millisecond, supersedes null when absent', () => {
    const r = newReading(1, { measuredAt: '2026-11-22T11:00:01.000+01:00', supersedes: undefined });
    expect(storedReading(r, 7, Date.parse(r.measuredAt))).toEqual({
      seq: 7,
      id: 'id-1',
      chairId: 'chair-1',
      sessionId: null,
      measuredAt: '2026-11-22T10:00:01.000Z',
      receivedAt: '2026-11-22T10:01:00.000Z',
      source: 'device',
      systolic: null,
      diastolic: null,
      mean: null,
      heartRate: 71,
      spo2: 97,
      respRate: null,
      rejected: [],
      flags: [],
      enteredBy: null,
      supersedes: null,
    });
  });

  it('gives each reading its own times when they differ', () => {
    const [a, b] = [newReading(1, { receivedAt: t0 }), newReading(2, { receivedAt: t0 + 1 })];
    expect([storedReading(a, 1, t0), storedReading(b, 2, t0 + 5)].map((r) => [r.measuredAt, r.receivedAt])).toEqual([
      ['2026-11-22T10:00:00.000Z', '2026-11-22T10:00:00.000Z'],
      ['2026-11-22T10:00:00.005Z', '2026-11-22T10:00:00.001Z'],
    ]);
  });
});

describe('answerBatch', () => {
  it('answers new readings as created and stored ones with the same content as retries, in the order sent', () => {
    const [a, b, c] = [newReading(1), newReading(2), newReading(3)];
    const inserted = new Map([[a.id, entry(a, 10)], [c.id, entry(c, 11)]]);
    const existing = new Map([[b.id, entry(b, 3)]]);
    const { results, conflictingIds } = answerBatch([a, b, c, a], inserted, existing);
    expect(conflictingIds).toEqual([]);
    expect(results.map((r) => [r.reading.seq, r.created])).toEqual([[10, true], [3, false], [11, true], [10, false]]);
  });

  it('names every id stored with other content, including a repeat within the same request', () => {
    const [a, b] = [newReading(1), newReading(2)];
    const inserted = new Map([[a.id, entry(a, 10)]]);
    const existing = new Map([[b.id, entry(b, 3)]]);
    const { conflictingIds } = answerBatch([a, { ...b, payloadHash: 'other' }, { ...a, payloadHash: 'other' }], inserted, existing);
    expect(conflictingIds).toEqual(['id-2', 'id-1']);
  });

  it('fails loudly for a reading the store neither inserted nor found', () => {
    expect(() => answerBatch([newReading(1)], new Map(), new Map())).toThrow(/neither stored nor found/);
  });
});
