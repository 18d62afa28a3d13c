import { describe, expect, it } from 'vitest';
import type { Alert, AlertStatus } from '../alerts/alert';
import type { AlertPriority } from '../alerts/rules';
import { alarmsHoldingDischarge, type DischargeGateInput, evaluateDischargeGate, noteGateResult } from './discharge-gate';
import { applySessionEvent, type SessionEventInput } from './phase-machine';
import { esketamineProtocol, ivKetamineProtocol } from './protocol';
import { initialSessionState, type SessionState } from './session-state';
import { at, startGateHolds } from './test-fixtures';

function run(events: [number, SessionEventInput][]): SessionState {
  let state = initialSessionState(at(0));
  for (const [minute, event] of events) {
    const outcome = applySessionEvent(state, event, { atMs: at(minute), role: 'nurse', startGate: startGateHolds, gate: null });
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
  baseline: { systolic: 130, diastolic: 80, heartRate: 80 },
  lastBp: { systolic: 138, diastolic: 84, atMs: at(108) },
  lastHr: { value: 84, atMs: at(111) },
  lastSpo2: { value: 97, atMs: at(111) },
  alerts: [],
  nowMs: at(112),
};

/** An alert as the engine keeps it; only what the gate reads matters. */
function alert(label: string, priority: AlertPriority, status: AlertStatus, conditionResolvedAtMs: number | null): Alert {
  return {
    id: `session-1.${label}.1`,
    ruleId: label.toLowerCase().replace(/ /g, '-'),
    subject: null,
    label,
    category: 'physiological',
    priority,
    status,
    message: label,
    facts: { kind: 'no-data', silentSec: 60 },
    readingSeq: null,
    raisedAtMs: at(100),
    escalatedAtMs: null,
    conditionResolvedAtMs,
    clearedAtMs: status === 'cleared' ? at(105) : null,
    clearReason: status === 'cleared' ? 'resolved' : null,
    acknowledgements: [],
  };
}

const failingItems = (input: DischargeGateInput) =>
  evaluateDischargeGate(input)
    .items.filter((i) => !i.ok)
    .map((i) => [i.id, i.detail]);

describe('the discharge gate (docs/clinical-defaults.md "The session timeline")', () => {
  it('holds when every item holds', () => {
    const gate = evaluateDischargeGate(passing);
    expect(gate.holds).toBe(true);
    expect(gate.items.map((i) => [i.label, i.detail])).toEqual([
      ['Minimum observation time', '62 min since infusion end (minimum 60)'],
      ['BP near baseline', 'last BP 138/84 is within 20 % of baseline 130/80'],
      ['BP below severe limit', 'last BP 138/84 is below 180/110'],
      ['Heart rate', 'heart rate 84/min is at or below 100/min'],
      ['SpO₂', 'SpO₂ 97 % is above 92 %'],
      ['No high or medium alarm condition', 'no high or medium alarm condition is present'],
      ['Discharge checklist', 'all 3 items ticked'],
    ]);
  });

  it.each<[string, Partial<DischargeGateInput>, [string, string][]]>([
    ['observation not long enough', { nowMs: at(87) }, [['observation-time', 'observation has 23 min left']]],
    ['observation 1 s short', { nowMs: at(110) - 1000 }, [['observation-time', 'observation has 1 min left']]],
    ['infusion not ended', { state: run([[10, { type: 'treatment-started' }], [30, ticked]]) }, [
      ['observation-time', '"End infusion" has not been recorded'],
      ['bp-near-baseline', 'no BP since infusion end'],
      ['bp-below-severe', 'no BP since infusion end'],
      ['heart-rate', 'no heart rate since infusion end'],
    ]],
    ['no baseline', { baseline: null }, [['bp-near-baseline', 'no baseline BP to compare with']]],
    ['a baseline without BP', { baseline: { systolic: null, diastolic: null } }, [['bp-near-baseline', 'no baseline BP to compare with']]],
    ['no BP at all', { lastBp: null }, [
      ['bp-near-baseline', 'no BP since infusion end'],
      ['bp-below-severe', 'no BP since infusion end'],
    ]],
    ['the last BP taken before the infusion ended', { lastBp: { systolic: 130, diastolic: 80, atMs: at(49) } }, [
      ['bp-near-baseline', 'no BP since infusion end'],
      ['bp-below-severe', 'no BP since infusion end'],
    ]],
    ['systolic more than 20 % above', { lastBp: { systolic: 157, diastolic: 80, atMs: at(108) } }, [['bp-near-baseline', 'last BP 157/80 is more than 20 % above baseline 130/80']]],
    ['diastolic more than 20 % above', { lastBp: { systolic: 130, diastolic: 97, atMs: at(108) } }, [['bp-near-baseline', 'last BP 130/97 is more than 20 % above baseline 130/80']]],
    ['BP more than 20 % below', { lastBp: { systolic: 103, diastolic: 63, atMs: at(108) } }, [['bp-near-baseline', 'last BP 103/63 is more than 20 % below baseline 130/80']]],
    ['BP off both ways', { lastBp: { systolic: 160, diastolic: 60, atMs: at(108) } }, [['bp-near-baseline', 'last BP 160/60 is more than 20 % away from baseline 130/80']]],
    ['no heart rate at all', { lastHr: null }, [['heart-rate', 'no heart rate since infusion end']]],
    ['the last heart rate taken before the infusion ended', { lastHr: { value: 70, atMs: at(49) } }, [['heart-rate', 'no heart rate since infusion end']]],
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

  describe('BP near baseline: within 20 %, systolic and diastolic', () => {
    it.each<[string, string, boolean]>([
      ['exactly 20 % above', '156/96', true],
      ['exactly 20 % below', '104/64', true],
      ['1 mmHg beyond 20 % above (systolic)', '157/96', false],
      ['1 mmHg beyond 20 % above (diastolic)', '156/97', false],
      ['1 mmHg beyond 20 % below (systolic)', '103/64', false],
      ['1 mmHg beyond 20 % below (diastolic)', '104/63', false],
    ])('%s of 130/80 (%s): met %s', (_name, bp, met) => {
      const [systolic = 0, diastolic = 0] = bp.split('/').map(Number);
      const gate = evaluateDischargeGate({ ...passing, lastBp: { systolic, diastolic, atMs: at(108) } });
      expect(gate.items.find((i) => i.id === 'bp-near-baseline')?.ok).toBe(met);
      expect(gate.holds).toBe(met);
    });

    it('counts exactly 20 % of a baseline with a decimal as within', () => {
      // 20 % of 132.5 is 26.5: 159 is 26.5 above it.
      const gate = evaluateDischargeGate({ ...passing, baseline: { systolic: 132.5, diastolic: 80, heartRate: 80 }, lastBp: { systolic: 159, diastolic: 80, atMs: at(108) } });
      expect(gate.items.find((i) => i.id === 'bp-near-baseline')?.ok).toBe(true);
    });
  });

  describe('BP below the severe limits (SBP <180 and DBP <110), whatever the baseline', () => {
    // A hypertensive baseline, so that 20 % of it never decides.
    const high = { ...passing, baseline: { systolic: 165, diastolic: 102, heartRate: 80 } };
    it.each<[string, boolean, string]>([
      ['179/100', true, 'last BP 179/100 is below 180/110'],
      ['180/100', false, 'last BP 180/100 is not below 180/110'],
      ['170/109', true, 'last BP 170/109 is below 180/110'],
      ['170/110', false, 'last BP 170/110 is not below 180/110'],
    ])('%s: met %s', (bp, met, detail) => {
      const [systolic = 0, diastolic = 0] = bp.split('/').map(Number);
      const gate = evaluateDischargeGate({ ...high, lastBp: { systolic, diastolic, atMs: at(108) } });
      expect(gate.items.find((i) => i.id === 'bp-near-baseline')?.ok).toBe(true);
      expect(gate.items.find((i) => i.id === 'bp-below-severe')).toMatchObject({ ok: met, detail });
      expect(gate.holds).toBe(met);
    });
  });

  describe('heart rate: within 20 % of baseline, or ≤100 /min, measured since treatment ended', () => {
    it.each<[string, number | null, number, boolean, string]>([
      ['at the limit', 80, 100, true, 'heart rate 100/min is at or below 100/min'],
      ['1 above the limit, more than 20 % above baseline', 80, 101, false, 'heart rate 101/min is above 100/min and more than 20 % above baseline 80/min'],
      ['exactly 20 % above a baseline of 90', 90, 108, true, 'heart rate 108/min is within 20 % of baseline 90/min'],
      ['1 beyond 20 % above a baseline of 90', 90, 109, false, 'heart rate 109/min is above 100/min and more than 20 % above baseline 90/min'],
      ['well below baseline but under the limit', 90, 60, true, 'heart rate 60/min is at or below 100/min'],
      ['above the limit without a baseline heart rate', null, 101, false, 'heart rate 101/min is above 100/min and no baseline heart rate to compare with'],
    ])('%s (baseline %s, HR %i): met %s', (_name, baselineHr, hr, met, detail) => {
      const gate = evaluateDischargeGate({ ...passing, baseline: { systolic: 130, diastolic: 80, heartRate: baselineHr }, lastHr: { value: hr, atMs: at(111) } });
      expect(gate.items.find((i) => i.id === 'heart-rate')).toMatchObject({ ok: met, detail });
      expect(gate.holds).toBe(met);
    });

    it('needs a heart rate measured at or after the end of treatment', () => {
      expect(evaluateDischargeGate({ ...passing, lastHr: { value: 70, atMs: at(50) } }).holds).toBe(true);
      expect(evaluateDischargeGate({ ...passing, lastHr: { value: 70, atMs: at(50) - 1 } }).holds).toBe(false);
    });
  });

  describe('SpO₂ above 92 % on a reading no older than 5 min', () => {
    it.each<[string, { value: number; atMs: number }, boolean, string]>([
      ['92 %', { value: 92, atMs: at(111) }, false, 'SpO₂ 92 % is not above 92 %'],
      ['93 %', { value: 93, atMs: at(111) }, true, 'SpO₂ 93 % is above 92 %'],
      ['exactly 5 min old', { value: 97, atMs: at(107) }, true, 'SpO₂ 97 % is above 92 %'],
      ['5 min and 1 ms old', { value: 97, atMs: at(107) - 1 }, false, 'last SpO₂ is 5 min old: needs a reading from the last 5 min'],
      ['an hour old', { value: 97, atMs: at(52) }, false, 'last SpO₂ is 60 min old: needs a reading from the last 5 min'],
    ])('%s: met %s', (_name, lastSpo2, met, detail) => {
      const gate = evaluateDischargeGate({ ...passing, lastSpo2 });
      expect(gate.items.find((i) => i.id === 'spo2')).toMatchObject({ ok: met, detail });
      expect(gate.holds).toBe(met);
    });

    it('judges IV ketamine SpO₂ only when it is monitored', () => {
      const gate = evaluateDischargeGate({ ...passing, lastSpo2: null });
      expect(gate.holds).toBe(true);
      expect(gate.items.map((i) => i.id)).toEqual(['observation-time', 'bp-near-baseline', 'bp-below-severe', 'heart-rate', 'no-active-alarm', 'checklist']);
    });

    it('requires it for esketamine, monitored or not', () => {
      const esk = run([
        [10, { type: 'treatment-started' }],
        [20, { type: 'treatment-ended' }],
        [100, { type: 'checklist-updated', items: { 'sedation-resolved': true, 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } }],
      ]);
      const input = { ...passing, protocol: esketamineProtocol, state: esk, nowMs: at(130), lastBp: { systolic: 130, diastolic: 80, atMs: at(128) }, lastHr: { value: 80, atMs: at(128) } };
      expect(failingItems({ ...input, lastSpo2: null })).toEqual([['spo2', 'no SpO₂ reading']]);
      expect(evaluateDischargeGate({ ...input, lastSpo2: { value: 96, atMs: at(126) } }).holds).toBe(true);
      expect(failingItems({ ...input, lastSpo2: { value: 96, atMs: at(125) - 1 } })).toEqual([['spo2', 'last SpO₂ is 5 min old: needs a reading from the last 5 min']]);
    });
  });

  describe('no high or medium alarm condition present', () => {
    it.each<[string, Alert[], boolean, string]>([
      ['no alerts', [], true, 'no high or medium alarm condition is present'],
      ['an unacknowledged medium alarm, condition present', [alert('Marked tachycardia', 'medium', 'active', null)], false, 'Marked tachycardia (not acknowledged, condition present)'],
      ['an acknowledged medium alarm, condition present', [alert('Marked tachycardia', 'medium', 'acknowledged', null)], false, 'Marked tachycardia (acknowledged, condition present)'],
      ['an acknowledged high alarm, condition present', [alert('Hypertensive crisis', 'high', 'acknowledged', null)], false, 'Hypertensive crisis (acknowledged, condition present)'],
      ['a latched high alarm: condition resolved, not acknowledged', [alert('Hypertensive crisis', 'high', 'active', at(110))], false, 'Hypertensive crisis (not acknowledged, condition resolved)'],
      ['an acknowledged alarm whose condition resolved', [alert('Marked tachycardia', 'medium', 'acknowledged', at(110))], true, 'no high or medium alarm condition is present'],
      ['a medium alarm whose condition resolved, in its last seconds on screen', [alert('BP overdue', 'medium', 'active', at(110))], true, 'no high or medium alarm condition is present'],
      [
        'a late medium alarm (a past episode), not acknowledged',
        [{ ...alert('Hypotension', 'medium', 'active', at(110)), late: true }],
        false,
        'Hypotension (not acknowledged, condition resolved)',
      ],
      ['a cleared alarm', [alert('Marked tachycardia', 'medium', 'cleared', at(104))], true, 'no high or medium alarm condition is present'],
      ['a low-priority alarm, condition present', [alert('Tachycardia', 'low', 'active', null)], true, 'no high or medium alarm condition is present'],
      [
        'two of them, named in turn',
        [alert('Marked tachycardia', 'medium', 'acknowledged', null), alert('Tachycardia', 'low', 'active', null), alert('Desaturation', 'medium', 'active', null)],
        false,
        'Marked tachycardia (acknowledged, condition present), Desaturation (not acknowledged, condition present)',
      ],
    ])('%s: met %s', (_name, alerts, met, detail) => {
      const gate = evaluateDischargeGate({ ...passing, alerts });
      expect(gate.items.find((i) => i.id === 'no-active-alarm')).toMatchObject({ ok: met, detail });
      expect(gate.holds).toBe(met);
    });

    it('alarmsHoldingDischarge returns the alerts themselves', () => {
      const present = alert('Marked tachycardia', 'medium', 'acknowledged', null);
      expect(alarmsHoldingDischarge([alert('Tachycardia', 'low', 'active', null), present, alert('Marked tachycardia', 'medium', 'acknowledged', at(110))])).toEqual([present]);
    });
  });

  it('measures esketamine observation from dosing start: 120 min [label/REMS]', () => {
    const esk = run([
      [10, { type: 'treatment-started' }],
      [20, { type: 'treatment-ended' }],
      [100, { type: 'checklist-updated', items: { 'sedation-resolved': true, 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } }],
    ]);
    const input = { ...passing, protocol: esketamineProtocol, state: esk, lastBp: { systolic: 130, diastolic: 80, atMs: at(120) }, lastSpo2: { value: 97, atMs: at(126) } };
    expect(failingItems({ ...input, nowMs: at(129) })).toEqual([['observation-time', 'observation has 1 min left']]);
    expect(evaluateDischargeGate({ ...input, nowMs: at(130) }).items[0]?.detail).toBe('120 min since dosing start (minimum 120)');
    expect(failingItems({ ...input, nowMs: at(130), state: { ...esk, checklist: {} } })).toEqual([
      ['checklist', 'not ticked: Sedation and dissociation resolved, Alert and oriented, Walks steadily, Escort present'],
    ]);
  });
});

describe('when the gate first held ("discharge criteria met at")', () => {
  const holds = evaluateDischargeGate(passing);
  const fails = evaluateDischargeGate({ ...passing, alerts: [alert('Marked tachycardia', 'medium', 'acknowledged', null)] });

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

describe('the session record’s items (docs/clinical-defaults.md "The session record beyond vitals")', () => {
  const esk = run([
    [10, { type: 'treatment-started' }],
    [20, { type: 'treatment-ended' }],
    [100, { type: 'checklist-updated', items: { 'sedation-resolved': true, 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } }],
  ]);
  const eskInput: DischargeGateInput = {
    ...passing,
    protocol: esketamineProtocol,
    state: esk,
    nowMs: at(130),
    lastBp: { systolic: 130, diastolic: 80, atMs: at(128) },
    lastHr: { value: 80, atMs: at(128) },
    lastSpo2: { value: 97, atMs: at(128) },
  };
  const sedation = { resolved: false, resolvedAtMs: null, scoredSinceDosing: false, latestMoaaS: null, latestCadss: null, preDoseCadss: null };
  const escort = { name: 'Sam Lee', phone: '555 0100' };

  it.each<[string, NonNullable<DischargeGateInput['record']>, [string, string][]]>([
    ['resolved and an escort recorded', { sedation: { ...sedation, resolved: true, resolvedAtMs: at(90), scoredSinceDosing: true, latestMoaaS: 5, latestCadss: 1, preDoseCadss: 1 }, escort, handoff: null }, []],
    ['no score since dosing: the checklist’s tick decides', { sedation, escort, handoff: null }, []],
    [
      'scored and not resolved',
      { sedation: { ...sedation, scoredSinceDosing: true, latestMoaaS: 4, latestCadss: 3, preDoseCadss: 1 }, escort, handoff: null },
      [['sedation-resolved', 'not resolved: MOAA/S 4, CADSS-6 3 (pre-dose 1)']],
    ],
    ['no escort recorded', { sedation: { ...sedation, resolved: true, scoredSinceDosing: true, latestMoaaS: 5, latestCadss: 0 }, escort: null, handoff: null }, [['escort', 'no escort recorded (name and phone)']]],
    ['the hand-off recorded', { sedation, escort: null, handoff: { collectedBy: 'Sam Lee' } }, []],
  ])('esketamine, %s', (_name, record, expected) => {
    expect(failingItems({ ...eskInput, record })).toEqual(expected);
  });

  it('IV ketamine judges the escort, not the scores', () => {
    const record = { sedation: { ...sedation, scoredSinceDosing: true, latestMoaaS: 3 }, escort: null, handoff: null };
    expect(failingItems({ ...passing, record })).toEqual([['escort', 'no escort recorded (name and phone)']]);
  });
});
