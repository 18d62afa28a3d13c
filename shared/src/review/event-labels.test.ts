import { describe, expect, it } from 'vitest';
import { esketamineProtocol, ivKetamineProtocol } from '../session/protocol';
import { sessionEventDetails, sessionEventLabel } from './event-labels';
import { reviewExportFileName } from './export-query';
import { phaseAt, phaseSpans, pauseSpans } from './phase-timeline';
import { at, stateAt } from './test-fixtures';

describe('sessionEventLabel and sessionEventDetails', () => {
  it.each([
    // type                 payload                                                        IV label                          esketamine label        details
    ['treatment-started', {}, 'Infusion started', 'Dosing started', []],
    ['treatment-started', { override: { reason: 'cuff intolerance' }, start: { gateHeld: false, failingItems: ['baseline-bp'] } }, 'Infusion started with override', 'Dosing started with override', ['Override reason: cuff intolerance', 'Start gate items not met: Baseline BP']],
    ['treatment-started', { override: { reason: 'just in case' }, start: { gateHeld: true, failingItems: [] } }, 'Infusion started', 'Dosing started', ['Override reason: just in case']],
    ['monitor-removed', { note: 'bathroom' }, 'Monitor removed', 'Monitor removed', ['Note: bathroom']],
    ['treatment-paused', { reason: 'line check' }, 'Infusion paused', 'Dosing paused', ['Reason: line check']],
    ['treatment-ended', { note: 'all well' }, 'Infusion ended', 'Dosing ended', ['Note: all well']],
    ['discharged', { override: { reason: 'ride waiting' }, discharge: { failingItems: ['bp-near-baseline'] } }, 'Discharged with override', 'Discharged with override', ['Override reason: ride waiting', 'Gate items not met: BP near baseline']],
    ['cancelled', { reason: 'patient unwell' }, 'Session cancelled', 'Session cancelled', ['Reason: patient unwell']],
    ['note', { text: 'calm' }, 'Note', 'Note', ['calm']],
    ['checklist-updated', { items: { 'escort-present': true, 'steady-walking': false } }, 'Discharge checklist updated', 'Discharge checklist updated', ['Ticked: Escort present', 'Unticked: Walks steadily']],
    ['readings-attached', { readingIds: ['a', 'b'] }, 'Readings attached', 'Readings attached', ['2 readings']],
    ['gate-held', {}, 'Discharge criteria met', 'Discharge criteria met', []],
    ['something-new', {}, 'Something new', 'Something new', []],
  ])('%s', (type, payload, ivLabel, esketamineLabel, details) => {
    expect(sessionEventLabel({ type, payload }, ivKetamineProtocol)).toBe(ivLabel);
    expect(sessionEventLabel({ type, payload }, esketamineProtocol)).toBe(esketamineLabel);
    expect(sessionEventDetails({ type, payload }, ivKetamineProtocol)).toEqual(details);
  });
});

describe('phase timeline', () => {
  const state = { ...stateAt({ treatmentStarted: 10, treatmentEnded: 50, discharged: 115 }), pauses: [{ fromMs: at(20), toMs: null, reason: null }] };

  it('splits the session into phase spans', () => {
    expect(phaseSpans(state, at(500))).toEqual([
      { phase: 'baseline', fromMs: at(0), toMs: at(10) },
      { phase: 'treatment', fromMs: at(10), toMs: at(50) },
      { phase: 'observation', fromMs: at(50), toMs: at(115) },
    ]);
    expect(pauseSpans(state, at(500))).toEqual([{ fromMs: at(20), toMs: at(50), reason: null }]);
    expect(phaseSpans(stateAt({}), at(30))).toEqual([{ phase: 'baseline', fromMs: at(0), toMs: at(30) }]);
  });

  it.each([
    [-5, 'before-check-in'],
    [0, 'baseline'],
    [10, 'treatment'],
    [49, 'treatment'],
    [50, 'observation'],
    [115, 'observation'],
    [116, 'discharged'],
  ] as const)('a reading at %d min fell in %s', (minute, phase) => {
    expect(phaseAt(state, at(minute))).toBe(phase);
  });
});

describe('reviewExportFileName', () => {
  it('names downloads without patient data', () => {
    expect(reviewExportFileName('3f2a', '2025-03-03', 'fhir')).toBe('chairside-session-2025-03-03-3f2a.fhir.json');
    expect(reviewExportFileName('a/b c', '2025-03-03', 'pdf')).toBe('chairside-session-2025-03-03-a_b_c.pdf');
  });
});
