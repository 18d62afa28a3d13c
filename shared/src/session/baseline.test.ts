import { describe, expect, it } from 'vitest';
import type { Reading } from '../schemas/reading';
import { computeBaseline } from './baseline';
import { esketamineProtocol, ivKetamineProtocol } from './protocol';
import { bp, reading } from './test-fixtures';

const rejectedSystolic = (minutes: number): Reading =>
  reading(minutes, { systolic: null, diastolic: 80 }, {
    rejected: [{ field: 'systolic', value: -999, reason: 'no-reading-marker', message: 'SBP: the monitor sent -999' }],
  });

describe('IV ketamine baseline: mean of 2 BP readings ≥5 min apart [practice]', () => {
  it.each<[string, Reading[], { bp: string | null; count: number; complete: boolean; missing: string | null }]>([
    ['no readings', [], { bp: null, count: 0, complete: false, missing: 'needs 2 BP readings at least 5 min apart' }],
    ['one reading', [bp(2, '130/80')], { bp: '130/80', count: 1, complete: false, missing: 'needs 1 more BP reading at least 5 min after the last one' }],
    ['two readings 5 min apart', [bp(2, '130/80'), bp(7, '126/78')], { bp: '128/79', count: 2, complete: true, missing: null }],
    ['two readings 4 min apart', [bp(2, '140/90'), bp(6, '130/80')], { bp: '130/80', count: 1, complete: false, missing: 'needs 1 more BP reading at least 5 min after the last one' }],
    // A cuff cycling every 5 min drifts: 4 min 30 s counts, 4 min 29 s does not.
    ['two readings 4 min 29 s apart', [bp(2, '140/90'), bp(2 + 269 / 60, '130/80')], { bp: '130/80', count: 1, complete: false, missing: 'needs 1 more BP reading at least 5 min after the last one' }],
    ['two readings 4 min 30 s apart', [bp(2, '140/90'), bp(2 + 270 / 60, '130/80')], { bp: '135/85', count: 2, complete: true, missing: null }],
    [
      'three readings: the two latest that keep the spacing',
      [bp(1, '150/95'), bp(7, '130/80'), bp(13, '126/76')],
      { bp: '128/78', count: 2, complete: true, missing: null },
    ],
    [
      'a reading too close to the newest is skipped, not the newest',
      [bp(1, '132/82'), bp(6, '150/95'), bp(9, '128/78')],
      { bp: '130/80', count: 2, complete: true, missing: null },
    ],
    [
      'a rejected systolic does not count',
      [rejectedSystolic(2), bp(7, '126/78')],
      { bp: '126/78', count: 1, complete: false, missing: 'needs 1 more BP reading at least 5 min after the last one' },
    ],
    [
      'heart-rate-only readings are not blood pressures',
      [reading(2, { heartRate: 72 }), reading(7, { spo2: 98 }), bp(8, '120/80')],
      { bp: '120/80', count: 1, complete: false, missing: 'needs 1 more BP reading at least 5 min after the last one' },
    ],
    ['readings given out of order', [bp(9, '126/78'), bp(2, '130/80')], { bp: '128/79', count: 2, complete: true, missing: null }],
  ])('%s', (_name, readings, expected) => {
    const b = computeBaseline(ivKetamineProtocol, readings);
    expect({
      bp: b.systolic === null ? null : `${b.systolic}/${b.diastolic}`,
      count: b.bpReadingCount,
      complete: b.complete,
      missing: b.missing,
    }).toEqual(expected);
  });

  it('names the readings it used, oldest first', () => {
    const first = bp(1, '150/95');
    const second = bp(7, '130/80');
    const third = bp(13, '126/76');
    expect(computeBaseline(ivKetamineProtocol, [first, second, third]).readingIds).toEqual([second.id, third.id]);
  });

  it('keeps decimals to one place', () => {
    expect(computeBaseline(ivKetamineProtocol, [bp(0, '131/80'), bp(5, '130/81')])).toMatchObject({ systolic: 130.5, diastolic: 80.5 });
  });

  it('averages the monitor’s MAP when every chosen reading has one, otherwise computes it', () => {
    const withMap = [reading(0, { systolic: 130, diastolic: 80, mean: 97 }), reading(5, { systolic: 126, diastolic: 78, mean: 93 })];
    expect(computeBaseline(ivKetamineProtocol, withMap).mean).toBe(95);
    const partly = [reading(0, { systolic: 130, diastolic: 80, mean: 97 }), bp(5, '126/78')];
    expect(computeBaseline(ivKetamineProtocol, partly).mean).toBe(95.3); // (128 + 2·79) / 3
  });

  it('takes heart rate from the cuff readings, or from any heart rate when the cuff gives none', () => {
    const cuff = [reading(0, { systolic: 130, diastolic: 80, heartRate: 70 }), reading(5, { systolic: 126, diastolic: 78, heartRate: 74 }), reading(6, { heartRate: 100 })];
    expect(computeBaseline(ivKetamineProtocol, cuff).heartRate).toBe(72);
    const monitor = [bp(0, '130/80'), reading(1, { heartRate: 80 }), reading(2, { heartRate: 84 }), bp(5, '126/78')];
    expect(computeBaseline(ivKetamineProtocol, monitor).heartRate).toBe(82);
    expect(computeBaseline(ivKetamineProtocol, [bp(0, '130/80')]).heartRate).toBeNull();
  });
});

describe('esketamine baseline: a BP before dosing [label]', () => {
  it('is complete with one reading, the newest', () => {
    expect(computeBaseline(esketamineProtocol, [bp(1, '150/90'), bp(3, '136/84')])).toMatchObject({
      systolic: 136,
      diastolic: 84,
      bpReadingCount: 1,
      complete: true,
      missing: null,
    });
  });

  it('says what is missing without one', () => {
    expect(computeBaseline(esketamineProtocol, [rejectedSystolic(1)])).toMatchObject({
      systolic: null,
      complete: false,
      missing: 'needs 1 BP reading before dosing start',
    });
  });
});
