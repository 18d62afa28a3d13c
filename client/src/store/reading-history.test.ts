import { describe, expect, it } from 'vitest';
import { makeReading } from '../test-utils';
import { addToHistory, defaultHistoryLimits, emptyHistory, mergeBySeq, trimToWindow } from './reading-history';
import { firstMsOf, highOf, lastMsOf, lowOf, trendFields } from '@chairside/shared';

const item = (seq: number, t: number) => ({ seq, t });

describe('mergeBySeq', () => {
  it('appends newer readings in time order', () => {
    const merged = mergeBySeq([item(1, 10), item(2, 20)], [item(4, 40), item(3, 30)]);
    expect(merged.map((i) => i.seq)).toEqual([1, 2, 3, 4]);
  });

  it('drops a seq it already holds, so a reconnect overlap adds nothing twice', () => {
    const existing = [item(1, 10), item(2, 20), item(3, 30)];
    const merged = mergeBySeq(existing, [item(2, 20), item(3, 30), item(4, 40), item(4, 40)]);
    expect(merged.map((i) => i.seq)).toEqual([1, 2, 3, 4]);
  });

  it('returns the same array when nothing is new (no re-render)', () => {
    const existing = [item(1, 10), item(2, 20)];
    expect(mergeBySeq(existing, [item(1, 10)])).toBe(existing);
    expect(mergeBySeq(existing, [])).toBe(existing);
  });

  it('inserts a late reading (older measurement, newer seq) in its place', () => {
    const merged = mergeBySeq([item(1, 10), item(2, 30)], [item(3, 20)]);
    expect(merged.map((i) => i.seq)).toEqual([1, 3, 2]);
  });

  it('orders readings measured at the same instant by seq', () => {
    const merged = mergeBySeq([item(5, 10)], [item(4, 10), item(6, 10)]);
    expect(merged.map((i) => i.seq)).toEqual([4, 5, 6]);
  });
});

describe('trimToWindow', () => {
  it('keeps the window before the newest item and the item cap', () => {
    const items = [item(1, 0), item(2, 50), item(3, 100), item(4, 150)];
    expect(trimToWindow(items, 100, 10).map((i) => i.seq)).toEqual([2, 3, 4]);
    expect(trimToWindow(items, 1000, 2).map((i) => i.seq)).toEqual([3, 4]);
  });
});

describe('addToHistory', () => {
  it('keeps rejected-only readings in the table but not in the trend', () => {
    const rejectedOnly = makeReading({
      seq: 1,
      rejected: [{ field: 'systolic', value: 320, reason: 'out-of-range', message: 'SBP 320 mmHg is outside the plausible range 40–300' }],
    });
    const history = addToHistory(emptyHistory, [rejectedOnly, makeReading({ seq: 2, heartRate: 80 })]);
    const [bucket] = history.trend;
    expect(history.trend).toHaveLength(1);
    expect(bucket && lowOf(bucket, trendFields.indexOf('systolic'))).toBeNull();
    expect(bucket && highOf(bucket, trendFields.indexOf('heartRate'))).toBe(80);
    expect(history.recent.map((r) => r.seq)).toEqual([1, 2]);
  });

  it('keeps BP, manual and rejected readings as key readings, apart from a per-second stream', () => {
    const stream = Array.from({ length: 50 }, (_, i) =>
      makeReading({ seq: i + 10, heartRate: 70, measuredAt: new Date(Date.UTC(2026, 0, 1, 0, 1, i)).toISOString() }),
    );
    const bp = makeReading({ seq: 1, systolic: 120, diastolic: 80, measuredAt: '2026-01-01T00:00:00Z' });
    const manual = makeReading({ seq: 2, heartRate: 90, source: 'manual', measuredAt: '2026-01-01T00:00:30Z' });
    const history = addToHistory(emptyHistory, [bp, manual, ...stream], { ...defaultHistoryLimits, windowMs: Infinity, maxRecent: 10, maxKey: 10 });
    expect(history.key.map((r) => r.seq)).toEqual([1, 2]);
    expect(history.recent.map((r) => r.seq)).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
  });

  it('bounds the table to the newest readings', () => {
    const readings = Array.from({ length: 10 }, (_, i) =>
      makeReading({ seq: i + 1, heartRate: 70, measuredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }),
    );
    const history = addToHistory(emptyHistory, readings, { ...defaultHistoryLimits, windowMs: Infinity, maxRecent: 3 });
    expect(history.recent.map((r) => r.seq)).toEqual([8, 9, 10]);
    // The trend still holds all ten (one 15 s bucket from the first to the last).
    expect(history.trend.map((b) => [firstMsOf(b), lastMsOf(b)])).toEqual([[Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 0, 9)]]);
  });
});
