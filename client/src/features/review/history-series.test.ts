import { describe, expect, it } from 'vitest';
import { highlightedSessionId, historySeries, minutesDomain } from './history-series';
import { historyItem } from './review-fixtures';

const items = [
  historyItem(1, -21, [
    [-8, 128, 80],
    [5, 140, 88],
    [30, 150, 92],
  ]),
  historyItem(2, -14, [[10, 146, 90]]),
  historyItem(3, -7, []),
  historyItem(4, 0, [
    [20, 172, 104],
    [0, 131, 82],
  ]),
];

describe('patient history overlay', () => {
  it('builds one series per session, oldest first, on minutes since treatment start', () => {
    const series = historySeries(items, 'UTC');
    expect(series.map((s) => s.sessionId)).toEqual(['session-1', 'session-2', 'session-3', 'session-4']);
    expect(series.map((s) => s.label)).toEqual(['Session 1 · 2026-11-01', 'Session 2 · 2026-11-08', 'Session 3 · 2026-11-15', 'Session 4 · 2026-11-22']);
    expect(series[0]?.systolic).toEqual([
      { t: -8, v: 128 },
      { t: 5, v: 140 },
      { t: 30, v: 150 },
    ]);
    expect(series[0]?.diastolic).toEqual([
      { t: -8, v: 80 },
      { t: 5, v: 88 },
      { t: 30, v: 92 },
    ]);
    // A session whose treatment never started keeps its place (and colour) with an empty curve.
    expect(series[2]?.systolic).toEqual([]);
    // Points in time order, whatever order they came in.
    expect(series[3]?.systolic.map((p) => p.t)).toEqual([0, 20]);
    expect(new Set(series.map((s) => s.color)).size).toBe(4);
  });

  it('tells sessions of the same day apart by their time', () => {
    const sameDay = [historyItem(1, 0, []), historyItem(2, 0, [], { checkedInAt: '2026-11-22T14:30:00.000Z' })];
    expect(historySeries(sameDay, 'UTC').map((s) => s.label)).toEqual(['Session 1 · 2026-11-22 09:00', 'Session 2 · 2026-11-22 14:30']);
  });

  it('highlights the session asked for, else the newest', () => {
    expect(highlightedSessionId(items, 'session-2')).toBe('session-2');
    expect(highlightedSessionId(items, 'not-this-patients')).toBe('session-4');
    expect(highlightedSessionId(items, null)).toBe('session-4');
    expect(highlightedSessionId([], null)).toBeNull();
  });

  it('spans every curve on whole 10 minutes, at least the first hour', () => {
    expect(minutesDomain(historySeries(items, 'UTC'))).toEqual([-10, 60]);
    expect(minutesDomain(historySeries([historyItem(1, 0, [[95, 140, 90]])], 'UTC'))).toEqual([0, 100]);
  });
});
