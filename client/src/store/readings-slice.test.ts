import { type Reading, emptyLatestVitals, foldLatestVitals } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { makeChair, makeReading, testNow } from '../test-utils';
import { createAppStore } from './app-store';
import { defaultHistoryLimits } from './reading-history';

const second = (i: number) => new Date(testNow - 3600_000 + i * 1000).toISOString();

/** An hour at 1 Hz, a BP every 5 min, a rejected value now and then, not quite in order. */
function hourOfReadings(chairId = 'chair-1'): Reading[] {
  const readings = Array.from({ length: 3600 }, (_, i) =>
    makeReading({
      seq: i + 1,
      chairId,
      measuredAt: second(i),
      heartRate: 60 + (i % 40),
      spo2: i % 97 === 0 ? null : 94 + (i % 6),
      ...(i % 300 === 0 ? { systolic: 120 + (i % 30), diastolic: 80, mean: 93 } : {}),
      ...(i % 777 === 0 ? { rejected: [{ field: 'respRate' as const, value: 0, reason: 'no-reading-marker' as const, message: 'no reading' }] } : { respRate: 12 }),
    }),
  );
  [readings[10], readings[11]] = [readings[11] as Reading, readings[10] as Reading];
  return readings;
}

describe('readings slice', () => {
  it('folds a page of thousands into the tile as folding them one by one would', () => {
    const store = createAppStore();
    store.getState().chairsLoaded([makeChair({ id: 'chair-1' })]);
    const readings = hourOfReadings();
    store.getState().applyReadings(readings);
    expect(store.getState().chairs['chair-1']?.latest).toEqual(readings.reduce(foldLatestVitals, emptyLatestVitals));
  });

  it('keeps a bounded few full readings per chair, and the trend at display resolution', () => {
    const store = createAppStore();
    store.getState().applyReadings(hourOfReadings());
    const history = store.getState().history['chair-1'];
    expect(history?.recent).toHaveLength(defaultHistoryLimits.maxRecent);
    expect(history?.recent.at(-1)?.seq).toBe(3600);
    expect(history?.key.map((k) => k.seq)).toContain(301);
    expect(history?.trend).toHaveLength(3600 / 15);
  });

  it('holds every reading of the open chair’s page, live ones too, until it closes', () => {
    const store = createAppStore();
    store.getState().applyReadings([makeReading({ seq: 5000, chairId: 'chair-1', heartRate: 70, measuredAt: second(3601) })]);
    store.getState().focusOpened('chair-1');
    expect(store.getState().focus?.all.map((r) => r.seq)).toEqual([5000]);
    expect(store.getState().focus?.loadedFromMs).toBeNull();

    store.getState().historyLoaded('chair-1', hourOfReadings(), testNow - 3600_000);
    store.getState().applyReadings([
      makeReading({ seq: 5001, chairId: 'chair-1', heartRate: 71, measuredAt: second(3602) }),
      makeReading({ seq: 5002, chairId: 'chair-2', heartRate: 72, measuredAt: second(3602) }),
    ]);
    const focus = store.getState().focus;
    expect(focus?.all).toHaveLength(3602);
    expect(focus?.all.at(-1)?.seq).toBe(5001);
    expect(focus?.key.every((k) => k.reading.systolic !== null || k.reading.rejected.length > 0)).toBe(true);
    expect(focus?.loadedFromMs).toBe(testNow - 3600_000);

    // A page for another chair (the user moved on) is folded in, but not held at full resolution.
    store.getState().historyLoaded('chair-2', hourOfReadings('chair-2'), testNow - 3600_000);
    expect(store.getState().focus?.all).toHaveLength(3602);

    store.getState().focusClosed('chair-1');
    expect(store.getState().focus).toBeNull();
  });

  it('replaces a held reading once it is attached to a session', () => {
    const store = createAppStore();
    store.getState().focusOpened('chair-1');
    store.getState().historyLoaded('chair-1', hourOfReadings(), testNow - 3600_000);
    const old = store.getState().focus?.all[100]?.reading as Reading;
    store.getState().readingsUpdated([{ ...old, sessionId: 'session-1' }]);
    expect(store.getState().focus?.all[100]?.reading.sessionId).toBe('session-1');
  });
});
