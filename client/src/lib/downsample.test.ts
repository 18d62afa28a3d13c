import { describe, expect, it } from 'vitest';
import { type SeriesPoint, downsampleMinMax } from './downsample';

/** 12 h of one value a second, with one short spike and one short dip. */
function twelveHoursAtOneHertz(): SeriesPoint[] {
  return Array.from({ length: 12 * 3600 }, (_, i) => {
    let v = 80 + Math.sin(i / 300) * 5;
    if (i === 20_000) v = 182;
    if (i === 30_000) v = 31;
    return { t: i * 1000, v };
  });
}

describe('downsampleMinMax', () => {
  it('reduces hours of data to a few hundred points', () => {
    const out = downsampleMinMax(twelveHoursAtOneHertz(), 200);
    expect(out.length).toBeLessThanOrEqual(2 * 200 + 1);
    expect(out.length).toBeGreaterThan(200);
  });

  it('keeps a one-second spike and dip that averaging would hide', () => {
    const values = downsampleMinMax(twelveHoursAtOneHertz(), 200).map((p) => p.v);
    expect(values).toContain(182);
    expect(values).toContain(31);
  });

  it('keeps time order and the newest point', () => {
    const input = twelveHoursAtOneHertz();
    const out = downsampleMinMax(input, 100);
    for (let i = 1; i < out.length; i += 1) expect(out[i]?.t).toBeGreaterThanOrEqual(out[i - 1]?.t ?? -Infinity);
    expect(out.at(-1)).toEqual(input.at(-1));
  });

  it('keeps gap markers so a line is not drawn across a gap', () => {
    const input: SeriesPoint[] = [
      ...Array.from({ length: 500 }, (_, i) => ({ t: i, v: 70 })),
      { t: 500, v: null },
      ...Array.from({ length: 500 }, (_, i) => ({ t: 10_000 + i, v: 90 })),
    ];
    const out = downsampleMinMax(input, 20);
    expect(out.filter((p) => p.v === null)).toEqual([{ t: 500, v: null }]);
  });

  it('returns short series unchanged', () => {
    const input = [
      { t: 1, v: 120 },
      { t: 2, v: 121 },
    ];
    expect(downsampleMinMax(input, 10)).toEqual(input);
  });
});
