import { emptyLatestVitals } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { isoAgo, makeChair, makeReading } from '../test-utils';
import { createAppStore } from './app-store';

describe('app store', () => {
  it('folds live readings into the chair and its history, once per seq', () => {
    const store = createAppStore();
    store.getState().chairsLoaded([makeChair({ id: 'chair-1' })]);
    const reading = makeReading({ seq: 3, heartRate: 88 });
    store.getState().applyReadings([reading]);
    const before = store.getState();
    store.getState().applyReadings([reading]);
    expect(store.getState()).toBe(before);
    expect(store.getState().chairs['chair-1']?.latest.heartRate?.value).toBe(88);
  });

  it('keeps a live reading that is newer than a chair list read before it', () => {
    const store = createAppStore();
    store.getState().applyReadings([makeReading({ seq: 9, heartRate: 101, measuredAt: isoAgo(1) })]);
    store.getState().chairsLoaded([
      makeChair({ id: 'chair-1', latest: { ...emptyLatestVitals, heartRate: { value: 70, measuredAt: isoAgo(30), seq: 5 }, lastReadingAt: isoAgo(30) } }),
    ]);
    expect(store.getState().chairs['chair-1']?.latest.heartRate?.value).toBe(101);
  });

  it('forgets everything the user saw on logout', () => {
    const store = createAppStore();
    store.getState().chairsLoaded([makeChair({ id: 'chair-1' })]);
    store.getState().applyReadings([makeReading({ seq: 1, heartRate: 80 })]);
    store.getState().loggedOut();
    expect(store.getState().chairs).toEqual({});
    expect(store.getState().history).toEqual({});
  });
});
