import { type SessionState, initialSessionState } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { testNow } from '../../test-utils';
import { makeAlert } from '../alarms/test-alerts';
import { alarmMarkers, alertPane, limitLines, phaseBands } from './trend-annotations';

const minute = 60 * 1000;

describe('limitLines', () => {
  it('draws, per vital and direction, the first limit that raises an alarm (the default rules)', () => {
    const lines = limitLines(null).map((line) => [line.label, line.priority]);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['SBP ≥ 180', 'medium'],
        ['DBP ≥ 110', 'medium'],
        ['SBP < 90', 'medium'],
        ['MAP < 65', 'medium'],
        ['HR > 110', 'low'],
        ['HR < 50', 'medium'],
        ['SpO₂ < 92', 'medium'],
        ['RR < 8', 'medium'],
      ]),
    );
    expect(lines).toHaveLength(8);
  });

  it("follows a clinician's limits for the session", () => {
    const lines = limitLines({ 'spo2-low': { spo2Percent: 90 }, 'hr-high': { heartRatePerMin: 115 } });
    expect(lines.find((line) => line.field === 'spo2')?.value).toBe(90);
    expect(lines.find((line) => line.field === 'heartRate' && line.direction === 'high')?.value).toBe(115);
  });

  it('keeps the defaults when the stored limits do not parse', () => {
    expect(limitLines({ 'no-such-rule': 3 })).toEqual(limitLines(null));
  });
});

describe('phaseBands', () => {
  const t0 = testNow - 90 * minute;
  const running: SessionState = {
    ...initialSessionState(t0),
    phase: 'observation',
    treatmentStartedAtMs: t0 + 15 * minute,
    pauses: [{ fromMs: t0 + 30 * minute, toMs: t0 + 35 * minute, reason: null }],
    treatmentEndedAtMs: t0 + 55 * minute,
    observationStartedAtMs: t0 + 55 * minute,
  };

  it('shades baseline, treatment around its pauses, and observation up to now', () => {
    expect(phaseBands(running, 'Infusion', t0 - 2 * minute, testNow)).toEqual([
      { kind: 'baseline', label: 'Baseline', fromMs: t0, toMs: t0 + 15 * minute },
      { kind: 'treatment', label: 'Infusion', fromMs: t0 + 15 * minute, toMs: t0 + 30 * minute },
      { kind: 'paused', label: 'Paused', fromMs: t0 + 30 * minute, toMs: t0 + 35 * minute },
      { kind: 'treatment', label: 'Infusion', fromMs: t0 + 35 * minute, toMs: t0 + 55 * minute },
      { kind: 'observation', label: 'Observation', fromMs: t0 + 55 * minute, toMs: testNow },
    ]);
  });

  it('cuts the bands to the period shown and drops those outside it', () => {
    expect(phaseBands(running, 'Dosing', t0 + 40 * minute, testNow).map((band) => [band.kind, band.fromMs, band.toMs])).toEqual([
      ['treatment', t0 + 40 * minute, t0 + 55 * minute],
      ['observation', t0 + 55 * minute, testNow],
    ]);
  });

  it('runs baseline to now before treatment starts, and marks the time after discharge', () => {
    expect(phaseBands(initialSessionState(t0), 'Infusion', t0, testNow)).toEqual([{ kind: 'baseline', label: 'Baseline', fromMs: t0, toMs: testNow }]);
    const discharged: SessionState = { ...running, phase: 'discharged', dischargedAtMs: t0 + 85 * minute };
    expect(phaseBands(discharged, 'Infusion', t0, testNow).slice(-2).map((band) => [band.kind, band.fromMs, band.toMs])).toEqual([
      ['observation', t0 + 55 * minute, t0 + 85 * minute],
      ['discharged', t0 + 85 * minute, testNow],
    ]);
  });
});

describe('alarmMarkers', () => {
  const desaturation = makeAlert({
    id: 'a.spo2-low.1',
    ruleId: 'spo2-low',
    label: 'Desaturation',
    priority: 'medium',
    raisedAtMs: testNow - 20 * minute,
    facts: { kind: 'sustained-vital', breach: { field: 'spo2', value: 86, comparator: '<', limit: 92 }, sustainedSec: 15, readings: 15, bySpotReadings: false, measuredAt: '' },
  });
  const crisis = makeAlert({ id: 'a.bp-crisis.1', raisedAtMs: testNow - 40 * minute });
  const old = makeAlert({ id: 'a.bp-crisis.0', raisedAtMs: testNow - 5 * 60 * minute });

  it('numbers the alerts within the period in time order, each in the pane of its vital, at its start', () => {
    expect(alarmMarkers([desaturation, crisis, old], testNow - 60 * minute, testNow)).toEqual([
      { id: 'a.bp-crisis.1', number: 1, atMs: testNow - 40 * minute, priority: 'high', pane: 'bp', title: 'Hypertensive crisis', row: 0 },
      { id: 'a.spo2-low.1', number: 2, atMs: testNow - 20 * minute, priority: 'medium', pane: 'spo2', title: 'Desaturation', row: 0 },
    ]);
  });

  it('staggers the badges of marks close together in one pane, so every number shows', () => {
    const bp = (id: string, atMs: number) => makeAlert({ id, raisedAtMs: atMs });
    // Over 3 h, marks 4 min apart would overlap; 30 min apart they would not.
    const markers = alarmMarkers([bp('a', testNow - 90 * minute), bp('b', testNow - 86 * minute), bp('c', testNow - 83 * minute), bp('d', testNow - 81 * minute), bp('e', testNow - 30 * minute), desaturation], testNow - 180 * minute, testNow);
    expect(markers.map((m) => [m.id, m.row])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 0],
      ['e', 0],
      ['a.spo2-low.1', 0],
    ]);
  });

  it('puts a silent device on the vital that went silent, and a BP clock on the BP pane', () => {
    expect(alertPane({ facts: { kind: 'no-data', silentSec: 30, vitals: ['respRate'] } })).toBe('respRate');
    expect(alertPane({ facts: { kind: 'bp-overdue', minutesWithoutBp: 17, intervalMin: 15 } })).toBe('bp');
    expect(alertPane({ facts: { kind: 'implausible', rejected: [{ field: 'heartRate', value: 4, reason: 'out-of-range', message: '' }], measuredAt: '' } })).toBe('heartRate');
  });
});
