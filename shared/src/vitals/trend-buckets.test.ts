import { describe, expect, it } from 'vitest';
import { type TrendBucket, type TrendLimits, type TrendValues, addToTrend, firstMsOf, highOf, lastMsOf, lowOf, mergeTrends, trendFields } from './trend-buckets';

const limits: TrendLimits = { bucketMs: 15_000, windowMs: 12 * 60 * 60 * 1000 };
const t0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const hrField = trendFields.indexOf('heartRate');
const sbpField = trendFields.indexOf('systolic');

const none: TrendValues = { systolic: null, diastolic: null, mean: null, heartRate: null, spo2: null, respRate: null };

function at(seconds: number, values: Partial<TrendValues>) {
  return { t: t0 + seconds * 1000, reading: { ...none, ...values } };
}

/** 12 h of HR at 1 Hz around 80, with a one-second spike to 182 and a one-second dip to 31. */
function twelveHours() {
  return Array.from({ length: 12 * 3600 }, (_, i) => {
    let heartRate = 80 + Math.round(Math.sin(i / 300) * 5);
    if (i === 20_000) heartRate = 182;
    if (i === 30_000) heartRate = 31;
    return at(i, { heartRate });
  });
}

const hr = (b: TrendBucket) => [lowOf(b, hrField), highOf(b, hrField)];

describe('addToTrend', () => {
  it('keeps every bucket’s lowest and highest value: a one-second spike and dip survive 12 h', () => {
    const trend = addToTrend([], twelveHours(), limits);
    expect(trend).toHaveLength(12 * 3600 / 15);
    const highs = trend.map((b) => highOf(b, hrField));
    const lows = trend.map((b) => lowOf(b, hrField));
    expect(Math.max(...highs.map(Number))).toBe(182);
    expect(Math.min(...lows.map(Number))).toBe(31);
    // The spike's own bucket says so, at its own time.
    const spike = trend.find((b) => highOf(b, hrField) === 182);
    expect(spike?.startMs).toBe(t0 + Math.floor(20_000 / 15) * 15_000);
  });

  it('keeps each bucket’s first and last measurement time', () => {
    const [bucket] = addToTrend([], [at(16, { heartRate: 70 }), at(29, { heartRate: 72 }), at(20, { heartRate: 71 })], limits);
    expect(bucket && [firstMsOf(bucket), lastMsOf(bucket)]).toEqual([t0 + 16_000, t0 + 29_000]);
  });

  it('changes nothing for a duplicate or a value within the range (same array: no re-render)', () => {
    const first = at(0, { heartRate: 70 });
    const second = at(2, { heartRate: 90 });
    const trend = addToTrend([], [first, second], limits);
    expect(addToTrend(trend, [second, first], limits)).toBe(trend);
    expect(addToTrend(trend, [at(1, { heartRate: 80 })], limits)).toBe(trend);
    expect(addToTrend(trend, [], limits)).toBe(trend);
  });

  it('appends a new reading without touching the older buckets', () => {
    const trend = addToTrend([], [at(0, { heartRate: 70 }), at(20, { heartRate: 71 }), at(40, { heartRate: 72 })], limits);
    const more = addToTrend(trend, [at(41, { heartRate: 95 })], limits);
    expect(more).toHaveLength(3);
    expect(more[0]).toBe(trend[0]);
    expect(more[1]).toBe(trend[1]);
    expect(more[2] && hr(more[2])).toEqual([72, 95]);
    const next = addToTrend(more, [at(47, { heartRate: 60 })], limits);
    expect(next).toHaveLength(4);
    expect(next[2]).toBe(more[2]);
  });

  it('puts a late reading in its own bucket, in time order', () => {
    const trend = addToTrend([], [at(0, { heartRate: 70 }), at(60, { heartRate: 71 })], limits);
    const late = addToTrend(trend, [at(31, { heartRate: 140 })], limits);
    expect(late.map((b) => b.startMs)).toEqual([t0, t0 + 30_000, t0 + 60_000]);
    expect(late[1] && hr(late[1])).toEqual([140, 140]);
    expect(late[0]).toBe(trend[0]);
  });

  it('keeps BP apart from HR in the same bucket, and ignores readings with no value to draw', () => {
    // A reading whose only value was implausible stores it in `rejected`, none in the fields drawn.
    const [bucket] = addToTrend([], [at(1, { heartRate: 70 }), at(2, { systolic: 150, diastolic: 95 }), at(3, {})], limits);
    expect(bucket && [lowOf(bucket, sbpField), highOf(bucket, sbpField)]).toEqual([150, 150]);
    expect(bucket && hr(bucket)).toEqual([70, 70]);
    expect(bucket && lastMsOf(bucket)).toBe(t0 + 2000);
  });

  it('is bounded: buckets older than the window before the newest are dropped', () => {
    const day = Array.from({ length: 24 * 60 }, (_, i) => at(i * 60, { heartRate: 70 + (i % 7) }));
    const trend = addToTrend([], day, limits);
    expect(trend).toHaveLength(12 * 60 + 1);
    expect(trend[0]?.startMs).toBe(t0 + (24 * 60 - 1) * 60_000 - limits.windowMs);
    expect(addToTrend(trend, [at(24 * 3600, { heartRate: 70 })], limits)).toHaveLength(12 * 60 + 1);
  });
});

describe('mergeTrends', () => {
  const readings = Array.from({ length: 600 }, (_, i) => at(i, { heartRate: 70 + ((i * 7) % 23), systolic: i % 60 === 0 ? 120 + (i % 17) : null }));

  it('gives the trend of all the readings from the trends of any two parts of them', () => {
    const whole = addToTrend([], readings, limits);
    const early = addToTrend([], readings.filter((_, i) => i % 3 !== 0), limits);
    const late = addToTrend([], readings.filter((_, i) => i % 3 === 0), limits);
    const merged = mergeTrends(early, late, limits);
    expect(merged.map((b) => [b.startMs, b.firstOffsetMs, b.lastOffsetMs, b.range])).toEqual(whole.map((b) => [b.startMs, b.firstOffsetMs, b.lastOffsetMs, b.range]));
  });

  it('keeps the live buckets a server trend has not seen yet, and changes nothing when merged twice', () => {
    const server = addToTrend([], readings.slice(0, 400), limits);
    const live = addToTrend([], readings.slice(390), limits);
    const merged = mergeTrends(live, server, limits);
    expect(merged).toHaveLength(40);
    expect(mergeTrends(merged, server, limits)).toBe(merged);
    expect(mergeTrends(merged, [], limits)).toBe(merged);
  });

  it('keeps a spike of one second whichever side saw it, in the order the two sides saw their extremes', () => {
    const server = addToTrend([], [at(0, { heartRate: 80 }), at(1, { heartRate: 182 })], limits);
    const live = addToTrend([], [at(10, { heartRate: 31 })], limits);
    const [bucket] = mergeTrends(live, server, limits);
    expect(bucket && hr(bucket)).toEqual([31, 182]);
    expect(bucket && (bucket.highFirst >> hrField) & 1).toBe(1);
    expect(bucket && [firstMsOf(bucket), lastMsOf(bucket)]).toEqual([t0, t0 + 10_000]);
  });

  it('is bounded by the window like the live trend', () => {
    const old = addToTrend([], [at(0, { heartRate: 70 })], limits);
    const recent = addToTrend([], [at(13 * 3600, { heartRate: 70 })], limits);
    expect(mergeTrends(old, recent, limits).map((b) => b.startMs)).toEqual([t0 + 13 * 3600 * 1000]);
  });
});
