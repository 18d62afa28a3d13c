import { describe, expect, it } from 'vitest';
import type { Role } from '../schemas/common';
import type { DischargeGateResult } from './discharge-gate';
import type { StartGateResult } from './start-gate';
import { applySessionEvent, availableActions, type SessionEventInput, sessionEventInputSchema } from './phase-machine';
import { esketamineProtocol, ivKetamineProtocol } from './protocol';
import { initialSessionState, isTreatmentPaused, type SessionState, sessionStateSchema, treatmentElapsedMs } from './session-state';
import { at, minMs, startGateHolds } from './test-fixtures';

const holding: DischargeGateResult = {
  holds: true,
  atMs: at(120),
  items: [{ id: 'observation-time', ok: true, label: 'Minimum observation time', detail: '60 min since infusion end (minimum 60)' }],
};
const failing: DischargeGateResult = {
  holds: false,
  atMs: at(87),
  items: [
    { id: 'observation-time', ok: false, label: 'Minimum observation time', detail: 'observation has 23 min left' },
    { id: 'bp-near-baseline', ok: false, label: 'BP near baseline', detail: 'last BP 168/98 is more than 20 % above baseline' },
    { id: 'no-active-alarm', ok: true, label: 'No active alarm', detail: 'no high or medium alarm is active' },
  ],
};

const startWaiting: StartGateResult = {
  holds: false,
  items: [{ id: 'baseline-bp', ok: false, label: 'Baseline BP', detail: '1 more baseline BP at least 5 min after the last one', dueAtMs: at(7) }],
};
const startHeldByBp: StartGateResult = {
  holds: false,
  items: [
    { id: 'baseline-bp', ok: true, label: 'Baseline BP', detail: 'baseline 184/98 (mean of 2 BPs)', dueAtMs: null },
    { id: 'bp-below-hold', ok: false, label: 'BP below the start limit', detail: 'a BP below 180/110 (last 186/100)', dueAtMs: null },
  ],
};

/** Runs events (all as a nurse with a holding gate) and returns the state, failing loudly on a refusal. */
function run(events: [number, SessionEventInput][]): SessionState {
  let state = initialSessionState(at(0));
  for (const [minute, event] of events) {
    const outcome = applySessionEvent(state, event, { atMs: at(minute), role: 'nurse', startGate: startGateHolds, gate: holding });
    if (!outcome.ok) throw new Error(`${event.type} at ${minute} refused: ${outcome.reason}`);
    state = outcome.state;
  }
  return state;
}

const states = {
  baseline: run([]),
  treatment: run([[10, { type: 'treatment-started' }]]),
  paused: run([
    [10, { type: 'treatment-started' }],
    [20, { type: 'treatment-paused', reason: 'nausea' }],
  ]),
  observation: run([
    [10, { type: 'treatment-started' }],
    [50, { type: 'treatment-ended' }],
  ]),
  discharged: run([
    [10, { type: 'treatment-started' }],
    [50, { type: 'treatment-ended' }],
    [115, { type: 'discharged' }],
  ]),
  cancelled: run([[5, { type: 'cancelled', reason: 'BP 190/112 at baseline' }]]),
} satisfies Record<string, SessionState>;
type StateName = keyof typeof states;

const ev = {
  start: { type: 'treatment-started' },
  pause: { type: 'treatment-paused' },
  resume: { type: 'treatment-resumed' },
  end: { type: 'treatment-ended' },
  discharge: { type: 'discharged' },
  override: { type: 'discharged', override: { reason: 'BP 150/95, asymptomatic, reviewed by Dr Ames' } },
  startOverride: { type: 'treatment-started', override: { reason: 'Second baseline BP impossible: cuff intolerance; reviewed' } },
  monitor: { type: 'monitor-removed', note: 'patient to the bathroom' },
  cancel: { type: 'cancelled', reason: 'patient unwell' },
  note: { type: 'note', text: 'patient comfortable' },
  checklist: { type: 'checklist-updated', items: { 'escort-present': true } },
  limits: { type: 'limits-changed', limits: { 'bp-severe': { systolic: 190 } }, reason: 'known hypertension' },
} satisfies Record<string, SessionEventInput>;
type EventName = keyof typeof ev;

// The timeline never runs backwards: events in these tables happen at minute 130.
const later = at(130);

describe('session phases (README, API: "Sessions")', () => {
  it.each<[StateName, EventName, Role, StateName | 'same']>([
    ['baseline', 'start', 'nurse', 'treatment'],
    ['baseline', 'start', 'clinician', 'treatment'],
    ['baseline', 'cancel', 'nurse', 'cancelled'],
    ['treatment', 'pause', 'nurse', 'paused'],
    ['paused', 'resume', 'nurse', 'treatment'],
    ['treatment', 'end', 'nurse', 'observation'],
    ['paused', 'end', 'nurse', 'observation'],
    ['observation', 'discharge', 'nurse', 'discharged'],
    ['observation', 'discharge', 'clinician', 'discharged'],
    ['baseline', 'note', 'nurse', 'same'],
    ['treatment', 'note', 'nurse', 'same'],
    ['paused', 'note', 'clinician', 'same'],
    ['observation', 'note', 'nurse', 'same'],
    ['discharged', 'note', 'nurse', 'same'],
    ['cancelled', 'note', 'clinician', 'same'],
    ['baseline', 'checklist', 'nurse', 'same'],
    ['baseline', 'monitor', 'nurse', 'same'],
    ['treatment', 'monitor', 'nurse', 'same'],
    ['observation', 'monitor', 'clinician', 'same'],
    ['observation', 'checklist', 'nurse', 'same'],
    ['treatment', 'limits', 'clinician', 'same'],
    ['observation', 'limits', 'clinician', 'same'],
  ])('in %s, "%s" by a %s is allowed → %s', (from, event, role, to) => {
    const state = states[from];
    const outcome = applySessionEvent(state, ev[event], { atMs: later, role, startGate: startGateHolds, gate: holding });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const expected = to === 'same' ? state.phase : states[to].phase;
    expect(outcome.state.phase).toBe(expected);
    expect(isTreatmentPaused(outcome.state)).toBe(to === 'paused' || (to === 'same' && from === 'paused'));
    expect(outcome.record).toMatchObject({ type: ev[event].type, fromPhase: state.phase, toPhase: expected, atMs: later, role });
  });

  it.each<[StateName, EventName, Role, 'conflict' | 'forbidden', string]>([
    ['baseline', 'start', 'admin', 'forbidden', 'Admins do not run sessions: log in as a nurse or clinician'],
    ['observation', 'note', 'admin', 'forbidden', 'Admins do not run sessions: log in as a nurse or clinician'],
    ['baseline', 'pause', 'nurse', 'conflict', 'Treatment has not started'],
    ['baseline', 'resume', 'nurse', 'conflict', 'Treatment has not started'],
    ['baseline', 'end', 'nurse', 'conflict', 'Treatment has not started'],
    ['baseline', 'discharge', 'nurse', 'conflict', 'Treatment has not started: cancel the session instead'],
    ['treatment', 'start', 'nurse', 'conflict', 'Treatment has already started'],
    ['treatment', 'resume', 'nurse', 'conflict', 'Treatment is not paused'],
    ['paused', 'pause', 'nurse', 'conflict', 'Treatment is already paused'],
    ['treatment', 'discharge', 'nurse', 'conflict', 'Treatment has not ended'],
    ['paused', 'discharge', 'clinician', 'conflict', 'Treatment has not ended'],
    ['treatment', 'cancel', 'clinician', 'conflict', 'Treatment has started: a session can only be cancelled before it; end treatment and discharge instead'],
    ['observation', 'start', 'nurse', 'conflict', 'Treatment has already started'],
    ['observation', 'pause', 'nurse', 'conflict', 'Treatment has already ended'],
    ['observation', 'end', 'nurse', 'conflict', 'Treatment has already ended'],
    ['observation', 'cancel', 'nurse', 'conflict', 'Treatment has started: a session can only be cancelled before it; end treatment and discharge instead'],
    ['observation', 'override', 'nurse', 'forbidden', 'Only a clinician can override the discharge gate'],
    ['observation', 'limits', 'nurse', 'forbidden', "Only a clinician can change a session's alert limits"],
    ['discharged', 'discharge', 'clinician', 'conflict', 'The patient has already been discharged'],
    ['discharged', 'start', 'nurse', 'conflict', 'The session has ended: the patient was discharged'],
    ['discharged', 'checklist', 'nurse', 'conflict', 'The session has ended: the patient was discharged'],
    ['discharged', 'limits', 'clinician', 'conflict', 'The session has ended: the patient was discharged'],
    ['cancelled', 'start', 'nurse', 'conflict', 'The session was cancelled'],
    ['cancelled', 'cancel', 'nurse', 'conflict', 'The session was cancelled'],
    ['cancelled', 'discharge', 'clinician', 'conflict', 'The session was cancelled'],
    ['baseline', 'startOverride', 'nurse', 'forbidden', 'Only a clinician can override the start gate'],
    ['treatment', 'startOverride', 'clinician', 'conflict', 'Treatment has already started'],
    ['discharged', 'monitor', 'nurse', 'conflict', 'The session has ended: the patient was discharged'],
    ['cancelled', 'monitor', 'nurse', 'conflict', 'The session was cancelled'],
  ])('in %s, "%s" by a %s is refused (%s): %s', (from, event, role, code, reason) => {
    const state = states[from];
    const before = JSON.parse(JSON.stringify(state)) as SessionState;
    const outcome = applySessionEvent(state, ev[event], { atMs: later, role, startGate: startGateHolds, gate: holding });
    expect(outcome).toEqual({ ok: false, code, reason });
    expect(state).toEqual(before);
  });

  it('refuses a phase change dated before the last one', () => {
    const outcome = applySessionEvent(states.observation, ev.discharge, { atMs: at(49), role: 'nurse', startGate: startGateHolds, gate: holding });
    expect(outcome).toEqual({ ok: false, code: 'conflict', reason: "The event is dated before the session's last change" });
  });
});

describe('discharge and the gate (docs/clinical-defaults.md "The session timeline")', () => {
  it('refuses a discharge while the gate fails, listing what fails', () => {
    const outcome = applySessionEvent(states.observation, ev.discharge, { atMs: at(87), role: 'clinician', startGate: startGateHolds, gate: failing });
    expect(outcome).toEqual({
      ok: false,
      code: 'conflict',
      reason:
        "Discharge needs the gate to hold or a clinician's override: observation has 23 min left; last BP 168/98 is more than 20 % above baseline",
    });
  });

  it('refuses a discharge when the gate was not evaluated', () => {
    const outcome = applySessionEvent(states.observation, ev.discharge, { atMs: at(87), role: 'nurse', startGate: startGateHolds, gate: null });
    expect(outcome.ok || outcome.reason).toBe("Discharge needs the gate to hold or a clinician's override: the discharge gate has not been evaluated");
  });

  it('lets a clinician override a failing gate, logging the reason and the failing items', () => {
    const outcome = applySessionEvent(states.observation, ev.override, { atMs: at(87), role: 'clinician', startGate: startGateHolds, gate: failing });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.state.phase).toBe('discharged');
    expect(outcome.state.dischargedAtMs).toBe(at(87));
    expect(outcome.state.dischargeOverride).toEqual({ reason: ev.override.override.reason, failingItems: ['observation-time', 'bp-near-baseline'] });
    expect(outcome.state.gateFirstHeldAtMs).toBeNull();
    expect(outcome.record.discharge).toEqual({
      gateHeld: false,
      failingItems: ['observation-time', 'bp-near-baseline'],
      overrideReason: ev.override.override.reason,
    });
  });

  it('discharges without override when the gate holds, and notes that moment as the first it held if none was noted', () => {
    const outcome = applySessionEvent(states.observation, ev.discharge, { atMs: at(115), role: 'nurse', startGate: startGateHolds, gate: holding });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.state.dischargeOverride).toBeNull();
    expect(outcome.state.gateFirstHeldAtMs).toBe(at(115));
    expect(outcome.record.discharge).toEqual({ gateHeld: true, failingItems: [], overrideReason: null });
  });
});

describe('the start gate (docs/clinical-defaults.md "The session timeline")', () => {
  const start = (event: SessionEventInput, role: Role, startGate: StartGateResult | null) =>
    applySessionEvent(states.baseline, event, { atMs: at(10), role, gate: null, startGate });

  it.each<[string, StartGateResult | null, string]>([
    ['the baseline is incomplete', startWaiting, 'Start waits for: 1 more baseline BP at least 5 min after the last one'],
    ['the last BP is at the hold limit', startHeldByBp, 'Start waits for: a BP below 180/110 (last 186/100)'],
    ['the gate was not evaluated', null, 'Start waits for: the start gate has not been evaluated'],
  ])('refuses the start while %s, naming what it waits for', (_name, gate, reason) => {
    for (const role of ['nurse', 'clinician'] as const) expect(start(ev.start, role, gate)).toEqual({ ok: false, code: 'conflict', reason });
  });

  it('starts when the gate holds, and logs that it held', () => {
    const outcome = start(ev.start, 'nurse', startGateHolds);
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.state).toMatchObject({ phase: 'treatment', treatmentStartedAtMs: at(10), startOverride: null });
    expect(outcome.record.start).toEqual({ gateHeld: true, failingItems: [], overrideReason: null });
  });

  it.each<[string, StartGateResult | null]>([
    ['holds', startGateHolds],
    ['waits for the baseline', startWaiting],
    ['is held by the BP', startHeldByBp],
    ['was not evaluated', null],
  ])('refuses a nurse’s override (403) when the gate %s', (_name, gate) => {
    expect(start(ev.startOverride, 'nurse', gate)).toEqual({ ok: false, code: 'forbidden', reason: 'Only a clinician can override the start gate' });
  });

  it.each<[string, StartGateResult, string[]]>([
    ['an incomplete baseline', startWaiting, ['baseline-bp']],
    ['a BP at the hold limit', startHeldByBp, ['bp-below-hold']],
  ])('lets a clinician override %s, keeping the reason and the failing items', (_name, gate, failingItems) => {
    const outcome = start(ev.startOverride, 'clinician', gate);
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.state.phase).toBe('treatment');
    expect(outcome.state.startOverride).toEqual({ reason: ev.startOverride.override.reason, failingItems });
    expect(outcome.record.start).toEqual({ gateHeld: false, failingItems, overrideReason: ev.startOverride.override.reason });
  });

  it('accepts a clinician’s override when the gate holds, logged as not needed', () => {
    const outcome = start(ev.startOverride, 'clinician', startGateHolds);
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.state.startOverride).toBeNull();
    expect(outcome.record.start).toEqual({ gateHeld: true, failingItems: [], overrideReason: ev.startOverride.override.reason });
  });

  it('refuses an override without a reason at the edge', () => {
    const result = sessionEventInputSchema.safeParse({ type: 'treatment-started', override: { reason: ' ' } });
    expect(result.error?.issues.map((i) => i.message)).toEqual(['give a reason for overriding the start gate']);
  });
});

describe('monitor removed', () => {
  it('records the moment once, in any running phase, without moving the phase', () => {
    const outcome = applySessionEvent(states.observation, ev.monitor, { atMs: at(100), role: 'nurse', gate: null, startGate: null });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.state).toMatchObject({ phase: 'observation', monitorRemovedAtMs: at(100) });
    expect(outcome.record).toMatchObject({ type: 'monitor-removed', fromPhase: 'observation', toPhase: 'observation', note: 'patient to the bathroom' });
    const again = applySessionEvent(outcome.state, ev.monitor, { atMs: at(101), role: 'nurse', gate: null, startGate: null });
    expect(again).toEqual({ ok: false, code: 'conflict', reason: 'The monitor has already been recorded as removed' });
  });

  it('is not a phase change, so it may be recorded with a time before the last one', () => {
    const outcome = applySessionEvent(states.observation, ev.monitor, { atMs: at(45), role: 'nurse', gate: null, startGate: null });
    expect(outcome.ok && outcome.state.monitorRemovedAtMs).toBe(at(45));
  });

  it('reads states stored before it existed as "not removed"', () => {
    const { monitorRemovedAtMs: _m, startOverride: _s, ...stored } = states.treatment;
    expect(sessionStateSchema.parse(stored)).toEqual(states.treatment);
  });
});

describe('what events carry', () => {
  it('keeps the cancel reason, the checklist and the limits', () => {
    expect(states.cancelled).toMatchObject({ phase: 'cancelled', cancelledAtMs: at(5), cancelReason: 'BP 190/112 at baseline' });
    const ticked = run([
      [1, { type: 'checklist-updated', items: { 'escort-present': true, 'alert-oriented': true } }],
      [2, { type: 'checklist-updated', items: { 'alert-oriented': false } }],
    ]);
    expect(ticked.checklist).toEqual({ 'escort-present': true, 'alert-oriented': false });
    const changed = applySessionEvent(states.treatment, ev.limits, { atMs: later, role: 'clinician', startGate: startGateHolds, gate: null });
    expect(changed.ok && changed.state.alertLimits).toEqual({ 'bp-severe': { systolic: 190 } });
  });

  it('records a note on any event', () => {
    const outcome = applySessionEvent(states.baseline, { type: 'treatment-started', note: '0.5 mg/kg' }, { atMs: at(10), role: 'nurse', startGate: startGateHolds, gate: null });
    expect(outcome.ok && outcome.record.note).toBe('0.5 mg/kg');
  });

  it.each<[string, unknown, string]>([
    ['a cancel without reason', { type: 'cancelled', reason: '  ' }, 'give a reason for cancelling the session'],
    ['an override without reason', { type: 'discharged', override: { reason: '' } }, 'give a reason for overriding the discharge gate'],
    ['a limits change without reason', { type: 'limits-changed', limits: {} }, 'give a reason for changing the alert limits'],
    ['an empty note', { type: 'note', text: '' }, 'write the note'],
    ['an empty checklist update', { type: 'checklist-updated', items: {} }, 'tick or untick at least one item'],
  ])('refuses %s at the edge', (_name, input, message) => {
    const result = sessionEventInputSchema.safeParse(input);
    expect(result.error?.issues.map((i) => i.message)).toEqual([message]);
  });
});

describe('pause and resume', () => {
  const paused = run([
    [10, { type: 'treatment-started' }],
    [20, { type: 'treatment-paused', reason: 'nausea' }],
    [25, { type: 'treatment-resumed' }],
    [40, { type: 'treatment-paused' }],
  ]);

  it.each([
    [15, 5],
    [20, 10],
    [23, 10],
    [25, 10],
    [40, 25],
    [48, 25],
  ])('at minute %i the infusion has run %i min, pauses excluded', (minute, expected) => {
    expect(treatmentElapsedMs(paused, at(minute))).toBe(expected * minMs);
  });

  it('ending while paused closes the pause', () => {
    const outcome = applySessionEvent(paused, ev.end, { atMs: at(48), role: 'nurse', startGate: startGateHolds, gate: null });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.state.pauses).toEqual([
      { fromMs: at(20), toMs: at(25), reason: 'nausea' },
      { fromMs: at(40), toMs: at(48), reason: null },
    ]);
    expect(isTreatmentPaused(outcome.state)).toBe(false);
    expect(treatmentElapsedMs(outcome.state, at(200))).toBe(25 * minMs);
  });
});

describe('available actions', () => {
  const summary = (actions: ReturnType<typeof availableActions>) =>
    actions.map((a) => (a.enabled ? a.label : `(${a.label}: ${a.disabledReason})`));

  it('offers the protocol’s words in baseline', () => {
    expect(summary(availableActions(states.baseline, ivKetamineProtocol, 'nurse', null, startGateHolds))).toEqual([
      'Start infusion',
      'Cancel session',
      'Monitor removed',
      'Discharge checklist',
      "(Change alert limits: Only a clinician can change a session's alert limits)",
      'Add note',
    ]);
    expect(availableActions(states.baseline, esketamineProtocol, 'clinician', null, startGateHolds)[0]?.label).toBe('First spray given');
  });

  it('disables the start while the start gate does not hold, saying why, and offers the override to clinicians only', () => {
    expect(summary(availableActions(states.baseline, ivKetamineProtocol, 'nurse', null, startWaiting)).slice(0, 3)).toEqual([
      '(Start infusion: Start waits for: 1 more baseline BP at least 5 min after the last one)',
      '(Start infusion with override: Only a clinician can override the start gate)',
      'Cancel session',
    ]);
    const clinician = availableActions(states.baseline, esketamineProtocol, 'clinician', null, startHeldByBp);
    expect(summary(clinician).slice(0, 2)).toEqual(['(First spray given: Start waits for: a BP below 180/110 (last 186/100))', 'First spray given with override']);
    expect(clinician.find((a) => a.id === 'start-treatment-with-override')).toMatchObject({ enabled: true, eventType: 'treatment-started', asks: 'reason' });
  });

  it('offers pause or resume during treatment', () => {
    expect(summary(availableActions(states.treatment, esketamineProtocol, 'nurse', null, null)).slice(0, 2)).toEqual([
      'Pause dosing',
      'Dosing complete',
    ]);
    expect(summary(availableActions(states.paused, esketamineProtocol, 'nurse', null, null)).slice(0, 2)).toEqual([
      'Resume dosing',
      'Dosing complete',
    ]);
  });

  it('disables discharge while the gate fails, and offers the override to clinicians only', () => {
    const gateReason =
      "Discharge needs the gate to hold or a clinician's override: observation has 23 min left; last BP 168/98 is more than 20 % above baseline";
    expect(summary(availableActions(states.observation, ivKetamineProtocol, 'nurse', failing, null)).slice(0, 2)).toEqual([
      `(Discharge: ${gateReason})`,
      '(Discharge with override: Only a clinician can override the discharge gate)',
    ]);
    const clinician = availableActions(states.observation, ivKetamineProtocol, 'clinician', failing, null);
    expect(clinician.find((a) => a.id === 'discharge-with-override')).toMatchObject({ enabled: true, eventType: 'discharged', asks: 'reason' });
  });

  it('offers a plain discharge when the gate holds', () => {
    const actions = availableActions(states.observation, ivKetamineProtocol, 'nurse', holding, null);
    expect(actions.find((a) => a.id === 'discharge')?.enabled).toBe(true);
    expect(actions.some((a) => a.id === 'discharge-with-override')).toBe(false);
  });

  it('offers "Monitor removed" until it is recorded', () => {
    const removed = run([[10, { type: 'treatment-started' }], [12, ev.monitor]]);
    expect(availableActions(states.treatment, ivKetamineProtocol, 'nurse', null, null).find((a) => a.id === 'record-monitor-removed')).toMatchObject({
      label: 'Monitor removed',
      eventType: 'monitor-removed',
      asks: 'nothing',
      enabled: true,
    });
    expect(availableActions(removed, ivKetamineProtocol, 'nurse', null, null).some((a) => a.id === 'record-monitor-removed')).toBe(false);
  });

  it('offers only notes once the session has ended, and nothing to admins', () => {
    expect(summary(availableActions(states.discharged, ivKetamineProtocol, 'nurse', null, null))).toEqual(['Add note']);
    expect(availableActions(states.treatment, ivKetamineProtocol, 'admin', null, null).every((a) => !a.enabled)).toBe(true);
  });

  it('never offers an action the machine would refuse', () => {
    for (const state of Object.values(states)) {
      for (const role of ['nurse', 'clinician', 'admin'] as const) {
        for (const gate of [holding, failing, null]) {
          for (const startGate of [startGateHolds, startWaiting, startHeldByBp, null]) {
            for (const action of availableActions(state, ivKetamineProtocol, role, gate, startGate)) {
              const withOverride = action.id.endsWith('-with-override');
              const event = Object.values(ev).find((e) => e.type === action.eventType && ('override' in e) === withOverride);
              if (event === undefined) throw new Error(`no sample for ${action.id}`);
              const atMs = Math.max(later, state.dischargedAtMs ?? 0);
              expect(applySessionEvent(state, event, { atMs, role, gate, startGate }).ok, `${state.phase} ${role} ${action.id}`).toBe(action.enabled);
            }
          }
        }
      }
    }
  });
});
