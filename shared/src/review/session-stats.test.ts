import { describe, expect, it } from 'vitest';
import { esketamineProtocol } from '../session/protocol';
import { sessionStats } from './session-stats';
import { alert, at, bp, minMs, reading, sessionDetail } from './test-fixtures';

const min = (n: number): number => n * minMs;

/** IV ketamine: baseline 128/79 HR 74, infusion 10–50 min, discharge at 115 min. */
function ivSession() {
  return sessionDetail(
    [
      bp(0, '130/80', { heartRate: 72 }),
      bp(6, '126/78', { heartRate: 76 }),
      bp(15, '140/88', { heartRate: 90 }),
      reading(20, { heartRate: 104, spo2: 97 }),
      bp(30, '158/99', { heartRate: 96 }),
      bp(40, '166/95', { heartRate: 98 }),
      reading(41, { spo2: 93 }),
      bp(45, '166/97'),
      reading(46, { spo2: 93 }),
      bp(60, '140/85', { heartRate: 80 }),
      reading(62, { systolic: null, diastolic: null }, { rejected: [{ field: 'systolic', value: -999, reason: 'no-reading-marker', message: 'monitor sent no reading' }] }),
      bp(110, '130/82', { heartRate: 75 }),
    ],
    { treatmentStarted: 10, treatmentEnded: 50, discharged: 115, gateFirstHeld: 110 },
  );
}

describe('sessionStats: peaks, time to peak (from treatment start) and rise over baseline', () => {
  const stats = sessionStats({ session: ivSession(), alerts: [], asOfMs: at(200) });

  it.each([
    // field        value  peak at (min from t0)  time to peak  baseline  Δ
    ['systolic', 166, 40, min(30), 128, 38],
    ['diastolic', 99, 30, min(20), 79, 20],
    ['heartRate', 104, 20, min(10), 74, 30],
  ] as const)('%s peaks at %d, %d min after check-in', (field, value, atMin, ttp, baseline, delta) => {
    const peak = stats.peaks[field];
    expect(peak).toMatchObject({ field, value, atMs: at(atMin), sinceTreatmentStartMs: ttp, baseline, deltaFromBaseline: delta });
  });

  it('takes the first reading that reached a tied peak', () => {
    expect(stats.peaks.systolic?.atMs).toBe(at(40)); // 166 again at 45 min
    expect(stats.lowestSpo2).toMatchObject({ value: 93, atMs: at(41), sinceTreatmentStartMs: min(31) });
  });

  it('counts readings, blood pressures and rejected values', () => {
    expect(stats.readings).toEqual({ total: 12, bloodPressures: 8, withRejectedValues: 1, rejectedValues: 1 });
  });
});

describe('sessionStats: which readings a peak can come from', () => {
  it.each([
    {
      name: 'an anxious arrival BP before treatment is not the peak',
      readings: () => [bp(0, '170/100'), bp(6, '130/80'), bp(12, '126/78'), bp(25, '150/90')],
      moments: { treatmentStarted: 15 },
      systolic: { value: 150, sinceTreatmentStartMs: min(10), deltaFromBaseline: 22 },
      window: 'since-treatment-start',
    },
    {
      name: 'a cancelled session without treatment peaks over every reading, with no time to peak',
      readings: () => [bp(0, '170/100'), bp(6, '160/95')],
      moments: { cancelled: 20 },
      systolic: { value: 170, sinceTreatmentStartMs: null, deltaFromBaseline: 5 },
      window: 'whole-session',
    },
    {
      name: 'without a baseline the rise is unknown',
      readings: () => [bp(20, '150/90')],
      moments: { treatmentStarted: 10 },
      systolic: { value: 150, sinceTreatmentStartMs: min(10), deltaFromBaseline: null, baseline: null },
      window: 'since-treatment-start',
    },
  ])('$name', ({ readings, moments, systolic, window }) => {
    const stats = sessionStats({ session: sessionDetail(readings(), moments), alerts: [], asOfMs: at(300) });
    expect(stats.peaks.systolic).toMatchObject(systolic);
    expect(stats.peakWindow).toBe(window);
  });

  it('a session without readings has no baseline, peaks or nadir', () => {
    const stats = sessionStats({ session: sessionDetail([], { treatmentStarted: 5 }), alerts: [], asOfMs: at(30) });
    expect(stats.baseline.systolic).toBeNull();
    expect(stats.peaks).toEqual({ systolic: null, diastolic: null, heartRate: null });
    expect(stats.lowestSpo2).toBeNull();
    expect(stats.readings).toEqual({ total: 0, bloodPressures: 0, withRejectedValues: 0, rejectedValues: 0 });
  });

  it('never takes a rejected value as a peak', () => {
    const rejected = reading(30, {}, { rejected: [{ field: 'systolic', value: 8388607, reason: 'no-reading-marker', message: 'sentinel' }] });
    const stats = sessionStats({ session: sessionDetail([bp(0, '120/80'), rejected, bp(40, '135/85')], { treatmentStarted: 10 }), alerts: [], asOfMs: at(60) });
    expect(stats.peaks.systolic?.value).toBe(135);
  });
});

describe('sessionStats: alerts and time to acknowledge', () => {
  const alerts = [
    // n  priority  raised  acknowledged at (min)
    alert(1, 'medium', 20, [22]), // 2 min
    alert(2, 'high', 30, [30.5]), // 30 s
    alert(3, 'medium', 40, [45, 46]), // 5 min: the first acknowledgement counts
    alert(4, 'low', 50), // never acknowledged
  ];
  const stats = sessionStats({ session: ivSession(), alerts, asOfMs: at(200) });

  it('counts alerts by priority and category', () => {
    expect(stats.alerts).toEqual({
      total: 4,
      byPriority: { high: 1, medium: 2, low: 1 },
      byCategory: { physiological: 4, technical: 0, advisory: 0 },
      unacknowledged: 1,
      active: 1,
    });
  });

  it.each([
    // alert id            time to acknowledge   by
    ['s1.bp-severe.1', min(2), 'nina'],
    ['s1.bp-severe.2', 30_000, 'nina'],
    ['s1.bp-severe.3', min(5), 'nina'],
    ['s1.bp-severe.4', null, null],
  ] as const)('%s is acknowledged after %s ms', (alertId, ms, by) => {
    expect(stats.acknowledgement.perAlert.find((a) => a.alertId === alertId)).toMatchObject({ timeToAcknowledgeMs: ms, acknowledgedBy: by });
  });

  it('gives the median and maximum over acknowledged alerts, overall and by priority', () => {
    expect(stats.acknowledgement).toMatchObject({ acknowledged: 3, medianMs: min(2), maxMs: min(5) });
    expect(stats.acknowledgement.byPriority).toEqual({
      high: { acknowledged: 1, medianMs: 30_000, maxMs: 30_000 },
      medium: { acknowledged: 2, medianMs: min(3.5), maxMs: min(5) },
      low: { acknowledged: 0, medianMs: null, maxMs: null },
    });
  });

  it('has no times to acknowledge without alerts', () => {
    const none = sessionStats({ session: ivSession(), alerts: [], asOfMs: at(200) });
    expect(none.acknowledgement).toMatchObject({ acknowledged: 0, medianMs: null, maxMs: null, perAlert: [] });
  });
});

describe('sessionStats: phases, observation and the discharge gate', () => {
  it('times each phase, pauses excluded from treatment', () => {
    const session = ivSession();
    session.state.pauses = [{ fromMs: at(20), toMs: at(25), reason: 'line check' }];
    const stats = sessionStats({ session, alerts: [], asOfMs: at(500) });
    expect(stats.phases).toMatchObject({
      baselineMs: min(10),
      treatmentMs: min(35),
      pausedMs: min(5),
      observationMs: min(65),
      totalMs: min(115),
      sinceTreatmentStartMs: min(105),
      endedAtMs: at(115),
    });
    expect(stats.observation).toMatchObject({ from: 'treatment-end', referenceAtMs: at(50), elapsedMs: min(65), minimumMs: min(60), minimumReached: true });
    expect(stats.gate).toEqual({
      firstHeldAtMs: at(110),
      firstHeldAfterReferenceMs: min(60),
      dischargedVia: 'gate',
      overrideReason: null,
      overrideFailingItems: [],
    });
  });

  it('runs the clocks of a running session to asOfMs', () => {
    const session = sessionDetail([bp(0, '120/80')], { treatmentStarted: 10, treatmentEnded: 50 });
    const stats = sessionStats({ session, alerts: [], asOfMs: at(70) });
    expect(stats.phases).toMatchObject({ endedAtMs: null, observationMs: min(20), totalMs: min(70) });
    expect(stats.observation).toMatchObject({ elapsedMs: min(20), minimumReached: false });
    expect(stats.gate.dischargedVia).toBeNull();
  });

  it('reports an override and its reason', () => {
    const session = sessionDetail([bp(0, '120/80')], { treatmentStarted: 10, treatmentEnded: 50, discharged: 100, override: 'ride waiting, BP trending down' });
    const stats = sessionStats({ session, alerts: [], asOfMs: at(200) });
    expect(stats.gate).toMatchObject({ firstHeldAtMs: null, dischargedVia: 'override', overrideReason: 'ride waiting, BP trending down', overrideFailingItems: ['bp-near-baseline'] });
  });
});

describe('sessionStats: esketamine monitoring form', () => {
  it('answers the REMS form for a nasal-spray protocol', () => {
    const session = sessionDetail(
      [bp(0, '128/80'), bp(45, '150/92'), bp(125, '130/82')],
      { treatmentStarted: 5, treatmentEnded: 15, discharged: 130, gateFirstHeld: 126 },
      esketamineProtocol,
    );
    const form = sessionStats({ session, alerts: [], asOfMs: at(200) }).esketamineForm;
    expect(form).toMatchObject({
      bpBeforeDosing: { systolic: 128, diastolic: 80 },
      bpAtCheckpoint: { systolic: 150, diastolic: 92, minutesFromDosing: 40 },
      bpBeforeDischarge: { systolic: 130, diastolic: 82 },
      totalMonitoringMinutes: 125,
      readyToLeaveMinutesFromDosing: 121,
      missing: [],
    });
  });

  it('is left out for IV infusions', () => {
    expect(sessionStats({ session: ivSession(), alerts: [], asOfMs: at(200) }).esketamineForm).toBeNull();
  });
});
