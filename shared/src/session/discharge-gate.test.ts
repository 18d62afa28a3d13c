import { describe, expect, it } from 'vitest';
import { type DischargeGateInput, evaluateDischargeGate, noteGateResult } from './discharge-gate';
import { applySessionEvent, type SessionEventInput } from './phase-machine';
import { esketamineProtocol, ivKetamineProtocol } from './protocol';
import { initialSessionState, type SessionState } from './session-state';
import { at } from './test-fixtures';

function run(events: [number, SessionEventInput][]): SessionState {
  let state = initialSessionState(at(0));
  for (const [minute, event] of events) {
    const outcome = applySessionEvent(state, event, { atMs: at(minute), role: 'nurse', gate: null });
    if (!outcome.ok) throw new Error(outcome.reason);
    state = outcome.state;
  }
  return state;
}

const ticked: SessionEventInput = {
  type: 'checklist-updated',
  items: { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true },
};
// IV ketamine: infusion 10–50, checklist ticked at 100; the minimum observation ends at 110.
const observing = run([
  [10, { type: 'treatment-started' }],
  [50, { type: 'treatment-ended' }],
  [100, ticked],
]);

const passing: DischargeGateInput = {
  protocol: ivKetamineProtocol,
  state: observing,
  baseline: { systolic: 130, diastolic: 80 },
  lastBp: { systolic: 138, diastolic: 84, atMs: at(108) },
  lastSpo2: { value: 97, atMs: at(111) },
  activeHighOrMediumAlarms: 0,
  nowMs: at(112),
};

const failingItems = (input: DischargeGateInput) =>
  evaluateDischargeGate(input)
    .items.filter((i) => !i.ok)
    .map((i) => [i.id, i.detail]);

describe('the discharge gate (clinical-reference §2)', () => {
  it('holds when every item holds', () => {
    const gate = evaluateDischargeGate(passing);
    expect(gate.holds).toBe(true);
    expect(gate.items.map((i) => [i.label, i.detail])).toEqual([
      ['Minimum observation time', '62 min since infusion end (minimum 60)'],
      ['BP near baseline', 'last BP 138/84 is within 20 % of baseline 130/80'],
      ['SpO₂', 'SpO₂ 97 % is above 92 %'],
      ['No active alarm', 'no high or medium alarm is active'],
      ['Discharge checklist', 'all 3 items ticked'],
    ]);
  });

  it.each<[string, Partial<DischargeGateInput>, [string, string][]]>([
    ['observation not long enough', { nowMs: at(87) }, [['observation-time', 'observation has 23 min left']]],
    ['observation 1 s short', { nowMs: at(110) - 1000 }, [['observation-time', 'observation has 1 min left']]],
    ['infusion not ended', { state: run([[10, { type: 'treatment-started' }], [30, ticked]]) }, [
      ['observation-time', '"End infusion" has not been recorded'],
      ['bp-near-baseline', 'no BP since infusion end'],
    ]],
    ['no baseline', { baseline: null }, [['bp-near-baseline', 'no baseline BP to compare with']]],
    ['a baseline without BP', { baseline: { systolic: null, diastolic: null } }, [['bp-near-baseline', 'no baseline BP to compare with']]],
    ['no BP at all', { lastBp: null }, [['bp-near-baseline', 'no BP since infusion end']]],
    ['the last BP taken before the infusion ended', { lastBp: { systolic: 130, diastolic: 80, atMs: at(49) } }, [['bp-near-baseline', 'no BP since infusion end']]],
    ['systolic more than 20 % above', { lastBp: { systolic: 157, diastolic: 80, atMs: at(108) } }, [['bp-near-baseline', 'last BP 157/80 is more than 20 % above baseline 130/80']]],
    ['diastolic more than 20 % above', { lastBp: { systolic: 130, diastolic: 97, atMs: at(108) } }, [['bp-near-baseline', 'last BP 130/97 is more than 20 % above baseline 130/80']]],
    ['BP more than 20 % below', { lastBp: { systolic: 103, diastolic: 63, atMs: at(108) } }, [['bp-near-baseline', 'last BP 103/63 is more than 20 % below baseline 130/80']]],
    ['BP off both ways', { lastBp: { systolic: 160, diastolic: 60, atMs: at(108) } }, [['bp-near-baseline', 'last BP 160/60 is more than 20 % away from baseline 130/80']]],
    ['SpO₂ at 92 %', { lastSpo2: { value: 92, atMs: at(111) } }, [['spo2', 'SpO₂ 92 % is not above 92 %']]],
    ['one alarm active', { activeHighOrMediumAlarms: 1 }, [['no-active-alarm', '1 high or medium alarm is active']]],
    ['two alarms active', { activeHighOrMediumAlarms: 2 }, [['no-active-alarm', '2 high or medium alarms are active']]],
    [
      'checklist not complete',
      { state: { ...observing, checklist: { 'alert-oriented': true, 'steady-walking': false } } },
      [['checklist', 'not ticked: Walks steadily, Escort present']],
    ],
  ])('fails when %s', (_name, change, expected) => {
    const input = { ...passing, ...change };
    expect(failingItems(input)).toEqual(expected);
    expect(evaluateDischargeGate(input).holds).toBe(false);
  });

  it.each([
    ['exactly 20 % above', { systolic: 156, diastolic: 96 }],
    ['exactly 20 % below', { systolic: 104, diastolic: 64 }],
  ])('counts a BP %s as near baseline', (_name, bp) => {
    expect(evaluateDischargeGate({ ...passing, lastBp: { ...bp, atMs: at(108) } }).holds).toBe(true);
  });

  it('judges SpO₂ only when it is monitored', () => {
    const gate = evaluateDischargeGate({ ...passing, lastSpo2: null });
    expect(gate.holds).toBe(true);
    expect(gate.items.map((i) => i.id)).toEqual(['observation-time', 'bp-near-baseline', 'no-active-alarm', 'checklist']);
  });

  it('measures esketamine observation from dosing start: 120 min [label/REMS]', () => {
    const esk = run([
      [10, { type: 'treatment-started' }],
      [20, { type: 'treatment-ended' }],
      [100, { type: 'checklist-updated', items: { 'sedation-resolved': true, 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } }],
    ]);
    const input = { ...passing, protocol: esketamineProtocol, state: esk, lastBp: { systolic: 130, diastolic: 80, atMs: at(120) } };
    expect(failingItems({ ...input, nowMs: at(129) })).toEqual([['observation-time', 'observation has 1 min left']]);
    expect(evaluateDischargeGate({ ...input, nowMs: at(130) }).items[0]?.detail).toBe('120 min since dosing start (minimum 120)');
    expect(failingItems({ ...input, nowMs: at(130), state: { ...esk, checklist: {} } })).toEqual([
      ['checklist', 'not ticked: Sedation and dissociation resolved, Alert and oriented, Walks steadily, Escort present'],
    ]);
  });
});

describe('when the gate first held ("ready to leave at")', () => {
  const holds = evaluateDischargeGate(passing);
  const fails = evaluateDischargeGate({ ...passing, activeHighOrMediumAlarms: 1 });

  it('is noted the first time the gate holds in observation, and never moved after', () => {
    const first = noteGateResult(observing, holds, at(112));
    expect(first.gateFirstHeldAtMs).toBe(at(112));
    expect(noteGateResult(first, holds, at(130))).toBe(first);
    expect(noteGateResult(first, fails, at(131))).toBe(first);
  });

  it('is not noted while the gate fails, nor outside observation', () => {
    expect(noteGateResult(observing, fails, at(112))).toBe(observing);
    const baseline = initialSessionState(at(0));
    expect(noteGateResult(baseline, holds, at(112))).toBe(baseline);
  });
});
