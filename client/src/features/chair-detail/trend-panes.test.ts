import { describe, expect, it } from 'vitest';
import { extentOf, paneOf, paneScales, valueDomain, valueTicks } from './trend-panes';

describe('paneOf', () => {
  it('puts SBP, DBP and MAP on the BP pane and every other vital on its own', () => {
    expect(['systolic', 'diastolic', 'mean', 'heartRate', 'spo2', 'respRate'].map((f) => paneOf(f as never))).toEqual(['bp', 'bp', 'bp', 'heartRate', 'spo2', 'respRate']);
  });
});

describe('extentOf', () => {
  it('finds the lowest and highest value across series, skipping gap markers', () => {
    expect(extentOf([[{ t: 1, v: 120 }, { t: 2, v: null }, { t: 3, v: 182 }], [{ t: 1, v: 71 }]])).toEqual({ min: 71, max: 182 });
    expect(extentOf([[], [{ t: 2, v: null }]])).toBeNull();
  });
});

describe('valueDomain', () => {
  it('follows a desaturation below any fixed floor: SpO₂ 78 % is inside the axis', () => {
    const [lo, hi] = valueDomain({ min: 78, max: 99 }, [92], paneScales.spo2);
    expect(lo).toBeLessThan(78);
    expect(hi).toBe(100);
  });

  it('keeps the limit lines in view when the values are far from them', () => {
    const [lo, hi] = valueDomain({ min: 96, max: 99 }, [92], paneScales.spo2);
    expect(lo).toBeLessThan(92);
    expect(hi).toBe(100);
    expect(valueDomain({ min: 62, max: 80 }, [50, 110], paneScales.heartRate)).toEqual([40, 120]);
  });

  it('follows a BP above every limit, and ends on round steps', () => {
    expect(valueDomain({ min: 70, max: 232 }, [65, 90, 110, 180], paneScales.bp)).toEqual([40, 260]);
  });

  it('widens a flat series to the minimum span, so noise is not blown up', () => {
    const [lo, hi] = valueDomain({ min: 14, max: 15 }, [], paneScales.respRate);
    expect(hi - lo).toBeGreaterThanOrEqual(paneScales.respRate.minSpan);
    expect(lo).toBeLessThanOrEqual(14);
    expect(hi).toBeGreaterThanOrEqual(15);
  });

  it('never goes above 100 % or below 0, making the room on the other side', () => {
    expect(valueDomain({ min: 99, max: 100 }, [], paneScales.spo2)).toEqual([90, 100]);
    expect(valueDomain({ min: 0, max: 2 }, [], paneScales.respRate)).toEqual([0, 12]);
  });

  it('shows a default axis with nothing to draw', () => {
    expect(valueDomain(null, [], paneScales.bp)).toEqual([60, 180]);
  });
});

describe('valueTicks', () => {
  it.each([
    [[90, 100], 5, [90, 95, 100]],
    [[74, 100], 5, [80, 90, 100]],
    [[40, 200], 6, [40, 80, 120, 160, 200]],
    [[40, 120], 5, [40, 60, 80, 100, 120]],
    [[4, 20], 4, [5, 10, 15, 20]],
  ] as const)('labels %j with at most %i round values', (domain, maxTicks, ticks) => {
    expect(valueTicks(domain, maxTicks)).toEqual(ticks);
  });
});
