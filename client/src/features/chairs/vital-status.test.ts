import { type LatestVitals, emptyLatestVitals } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { isoAgo, testNow } from '../../test-utils';
import { isStale, visibleRejections } from './vital-status';

const sbp320 = { field: 'systolic' as const, value: 320, reason: 'out-of-range' as const, message: 'SBP 320 mmHg is outside the plausible range 40–300' };

describe('isStale', () => {
  it.each([
    ['bp', 11 * 60, false],
    ['bp', 13 * 60, true],
    ['heartRate', 59, false],
    ['heartRate', 61, true],
    ['spo2', 61, true],
  ] as const)('%s measured %i s ago → stale %s', (group, secondsAgo, stale) => {
    expect(isStale(group, isoAgo(secondsAgo), testNow)).toBe(stale);
  });
});

describe('visibleRejections', () => {
  it('shows a rejected BP while HR keeps streaming after it', () => {
    const latest: LatestVitals = {
      ...emptyLatestVitals,
      bp: { systolic: 130, diastolic: 80, mean: null, measuredAt: isoAgo(600), seq: 1 },
      heartRate: { value: 80, measuredAt: isoAgo(1), seq: 9 },
      lastRejection: { rejected: [sbp320], measuredAt: isoAgo(300), seq: 5 },
    };
    expect(visibleRejections(latest).map((r) => r.message)).toEqual([sbp320.message]);
  });

  it('shows a rejected SBP whose DBP in the same reading was kept', () => {
    const latest: LatestVitals = {
      ...emptyLatestVitals,
      bp: { systolic: null, diastolic: 80, mean: null, measuredAt: isoAgo(5), seq: 5 },
      lastRejection: { rejected: [sbp320], measuredAt: isoAgo(5), seq: 5 },
    };
    expect(visibleRejections(latest).map((r) => r.field)).toEqual(['systolic']);
  });

  it('clears once a plausible BP is measured after the rejection', () => {
    const latest: LatestVitals = {
      ...emptyLatestVitals,
      bp: { systolic: 130, diastolic: 80, mean: null, measuredAt: isoAgo(10), seq: 7 },
      lastRejection: { rejected: [sbp320], measuredAt: isoAgo(300), seq: 5 },
    };
    expect(visibleRejections(latest)).toEqual([]);
  });
});
