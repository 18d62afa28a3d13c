import { type LatestVitals, type SessionPhase, emptyLatestVitals } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { isoAgo, makeSession, testNow } from '../../test-utils';
import { isStale, stalenessFor, visibleRejections } from './vital-status';

const sbp320 = { field: 'systolic' as const, value: 320, reason: 'out-of-range' as const, message: 'SBP 320 mmHg is outside the plausible range 40–300' };

describe('isStale (no session: BP 2 × 5 min, streamed 30 s)', () => {
  it.each([
    ['bp', 10 * 60, false],
    ['bp', 10 * 60 + 1, true],
    ['heartRate', 30, false],
    ['heartRate', 31, true],
    ['spo2', 31, true],
    ['respRate', 29, false],
  ] as const)('%s measured %i s ago → stale %s', (group, secondsAgo, stale) => {
    expect(isStale(group, isoAgo(secondsAgo), testNow)).toBe(stale);
  });
});

describe('stalenessFor', () => {
  it('allows a BP two of the phase’s intervals: the treatment’s in baseline and treatment, the observation’s after', () => {
    const minutes = (phase: SessionPhase) => stalenessFor(makeSession({ displayName: 'A', phase })).bloodPressureMs / 60_000;
    // IV ketamine: BP every 5 min during the infusion, every 15 in observation.
    expect(minutes('baseline')).toBe(10);
    expect(minutes('treatment')).toBe(10);
    expect(minutes('observation')).toBe(30);
    expect(stalenessFor(null)).toEqual({ bloodPressureMs: 10 * 60_000, continuousMs: 30_000 });
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
