import type { Reading } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { addToTrend } from '@chairside/shared';
import { makeReading } from '../test-utils';
import { bucketSeries, sameSeries, sliceWidthMs, withNewest } from './trend-series';

const limits = { bucketMs: 15_000, windowMs: 12 * 60 * 60 * 1000 };
const t0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const hours = (h: number) => h * 60 * 60 * 1000;
const maxGapMs = 20 * 60 * 1000;

function samples(seconds: number, value: (i: number) => Partial<Reading>) {
  return Array.from({ length: seconds }, (_, i) => {
    const reading = makeReading({ seq: i + 1, measuredAt: new Date(t0 + i * 1000).toISOString(), ...value(i) });
    return { t: t0 + i * 1000, reading };
  });
}

/** 8 h of HR at 1 Hz with a one-second spike and dip, as the trend store holds it. */
const eightHours = addToTrend(
  [],
  samples(8 * 3600, (i) => ({ heartRate: i === 10_000 ? 182 : i === 20_000 ? 31 : 70 + (i % 13) })),
  limits,
);

describe('sliceWidthMs', () => {
  it('gives about 240 slices a period, a whole number of store buckets', () => {
    expect(sliceWidthMs(hours(1), 15_000, 240)).toBe(15_000);
    expect(sliceWidthMs(hours(3), 15_000, 240)).toBe(45_000);
    expect(sliceWidthMs(hours(12), 15_000, 240)).toBe(180_000);
    expect(sliceWidthMs(60_000, 15_000, 240)).toBe(15_000);
  });
});

describe('bucketSeries', () => {
  it('draws hours of per-second readings with a few hundred points, spike and dip included', () => {
    const slice = sliceWidthMs(hours(8), 15_000, 240);
    const series = bucketSeries(eightHours, 'heartRate', t0, t0 + hours(8), slice, maxGapMs);
    expect(series.length).toBeGreaterThan(240);
    expect(series.length).toBeLessThanOrEqual(2 * 241);
    const values = series.map((p) => p.v);
    expect(values).toContain(182);
    expect(values).toContain(31);
    expect(Math.max(...values.map(Number))).toBe(182);
  });

  it('keeps time order, its last slice within the newest bucket', () => {
    const series = bucketSeries(eightHours, 'heartRate', t0, t0 + hours(8), 120_000, maxGapMs);
    for (let i = 1; i < series.length; i += 1) expect(series[i]?.t).toBeGreaterThanOrEqual(series[i - 1]?.t ?? Infinity);
    expect(series.at(-1)?.t).toBeGreaterThanOrEqual(t0 + hours(8) - 120_000);
  });

  it('draws only the period asked for', () => {
    const series = bucketSeries(eightHours, 'heartRate', t0 + hours(7), t0 + hours(8), 15_000, maxGapMs);
    expect(series[0]?.t).toBeGreaterThanOrEqual(t0 + hours(7));
    expect(series.length).toBeLessThanOrEqual(2 * 240);
  });

  it('changes only its last points when a reading arrives (slices stay on the clock)', () => {
    const before = bucketSeries(eightHours, 'heartRate', t0, t0 + hours(8), 120_000, maxGapMs);
    const reading = makeReading({ seq: 99_999, heartRate: 140, measuredAt: new Date(t0 + hours(8)).toISOString() });
    const trend = addToTrend(eightHours, [{ t: t0 + hours(8), reading }], limits);
    const after = bucketSeries(trend, 'heartRate', t0, t0 + hours(8) + 1000, 120_000, maxGapMs);
    expect(after.slice(0, before.length - 2)).toEqual(before.slice(0, before.length - 2));
    expect(after.at(-1)).toEqual({ t: t0 + hours(8), v: 140 });
  });

  it('breaks the line where the monitor was off, and shows sparse BP as single points', () => {
    const readings = [
      ...samples(600, () => ({ heartRate: 70 })),
      ...samples(600, () => ({ heartRate: 90 })).map(({ t, reading }) => ({ t: t + hours(1), reading: { ...reading, seq: reading.seq + 1000, measuredAt: new Date(t + hours(1)).toISOString() } })),
    ];
    const trend = addToTrend([], readings, limits);
    const series = bucketSeries(trend, 'heartRate', t0, t0 + hours(2), 15_000, maxGapMs);
    expect(series.filter((p) => p.v === null)).toEqual([{ t: t0 + 599_000 + 1, v: null }]);
    expect(bucketSeries(trend, 'systolic', t0, t0 + hours(2), 15_000, maxGapMs)).toEqual([]);
  });

  it('puts a slice’s low and high in the order they were measured', () => {
    const falling = addToTrend([], samples(10, (i) => ({ heartRate: 100 - i })), limits);
    expect(bucketSeries(falling, 'heartRate', t0, t0 + 60_000, 15_000, maxGapMs)).toEqual([
      { t: t0, v: 100 },
      { t: t0 + 9000, v: 91 },
    ]);
    const rising = addToTrend([], samples(10, (i) => ({ heartRate: 60 + i })), limits);
    expect(bucketSeries(rising, 'heartRate', t0, t0 + 60_000, 15_000, maxGapMs)).toEqual([
      { t: t0, v: 60 },
      { t: t0 + 9000, v: 69 },
    ]);
  });
});

describe('withNewest', () => {
  const series = () => [
    { t: 1000, v: 60 },
    { t: 5000, v: 90 },
  ];

  it('ends the line at the current value', () => {
    expect(withNewest(series(), { t: 7000, v: 72 }, 0, maxGapMs).at(-1)).toEqual({ t: 7000, v: 72 });
  });

  it('adds nothing it already shows, or from before the period', () => {
    expect(withNewest(series(), { t: 5000, v: 90 }, 0, maxGapMs)).toEqual(series());
    expect(withNewest([], { t: 500, v: 72 }, 1000, maxGapMs)).toEqual([]);
    expect(withNewest(series(), null, 0, maxGapMs)).toEqual(series());
  });

  it('does not bridge a gap to it', () => {
    expect(withNewest(series(), { t: 5000 + maxGapMs + 1, v: 72 }, 0, maxGapMs).slice(-2)).toEqual([
      { t: 5001, v: null },
      { t: 5000 + maxGapMs + 1, v: 72 },
    ]);
  });
});

describe('sameSeries', () => {
  it('compares points, not arrays', () => {
    expect(sameSeries([{ t: 1, v: 2 }], [{ t: 1, v: 2 }])).toBe(true);
    expect(sameSeries([{ t: 1, v: 2 }], [{ t: 1, v: null }])).toBe(false);
    expect(sameSeries([], [{ t: 1, v: 2 }])).toBe(false);
  });
});
