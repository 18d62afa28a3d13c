import { describe, expect, it } from 'vitest';
import { sessionClocks } from './clocks';
import { applySessionEvent, type SessionEventInput } from './phase-machine';
import { esketamineProtocol, ivKetamineProtocol } from './protocol';
import { initialSessionState, type SessionState } from './session-state';
import { at, minMs, startGateHolds } from './test-fixtures';

function run(events: [number, SessionEventInput][]): SessionState {
  let state = initialSessionState(at(0));
  for (const [minute, event] of events) {
    const outcome = applySessionEvent(state, event, { atMs: at(minute), role: 'nurse', startGate: startGateHolds, gate: { holds: true, items: [], atMs: at(minute) } });
    if (!outcome.ok) throw new Error(outcome.reason);
    state = outcome.state;
  }
  return state;
}

const noBp = { lastBpAtMs: null, bpReadingTimes: [] };
const lastBpAt = (minute: number | null) => ({ lastBpAtMs: minute === null ? null : at(minute), bpReadingTimes: [] });

// IV ketamine: check-in at 0, infusion 10–50, observation from 50.
const ivTreatment = run([[10, { type: 'treatment-started' }]]);
const ivObservation = run([
  [10, { type: 'treatment-started' }],
  [50, { type: 'treatment-ended' }],
]);
// Esketamine: check-in at 0, first spray at 10, dosing complete at 20.
const eskDosing = run([[10, { type: 'treatment-started' }]]);
const eskObservation = run([
  [10, { type: 'treatment-started' }],
  [20, { type: 'treatment-ended' }],
]);

describe('next BP due: the phase’s interval from the last BP in it, or from the phase start', () => {
  it.each<[string, SessionState, number | null, number, { due: number; from: string; overdueMs: number }]>([
    ['treatment, no BP yet', ivTreatment, null, 14, { due: 15, from: 'phase-start', overdueMs: 0 }],
    ['treatment, due exactly now', ivTreatment, null, 15, { due: 15, from: 'phase-start', overdueMs: 0 }],
    ['treatment, a baseline BP does not count', ivTreatment, 8, 15, { due: 15, from: 'phase-start', overdueMs: 0 }],
    ['treatment, 5 min after the last BP', ivTreatment, 12, 16, { due: 17, from: 'last-bp', overdueMs: 0 }],
    ['treatment, 3 min overdue', ivTreatment, 12, 20, { due: 17, from: 'last-bp', overdueMs: 3 * minMs }],
    ['observation, a treatment BP does not count', ivObservation, 48, 60, { due: 65, from: 'phase-start', overdueMs: 0 }],
    ['observation, every 15 min', ivObservation, 55, 71, { due: 70, from: 'last-bp', overdueMs: 1 * minMs }],
    ['esketamine dosing, every 15 min', eskDosing, null, 20, { due: 25, from: 'phase-start', overdueMs: 0 }],
  ])('%s', (_name, state, lastBp, nowMin, expected) => {
    const protocol = state === eskDosing ? esketamineProtocol : ivKetamineProtocol;
    const clock = sessionClocks(protocol, state, lastBpAt(lastBp), at(nowMin)).nextBp;
    expect(clock).toMatchObject({ dueAtMs: at(expected.due), countedFrom: expected.from, overdueMs: expected.overdueMs, overdue: expected.overdueMs > 0 });
  });

  it('is overdue one millisecond after it is due', () => {
    expect(sessionClocks(ivKetamineProtocol, ivTreatment, noBp, at(15) + 1).nextBp).toMatchObject({ overdue: true, overdueMs: 1 });
  });

  it('has no cadence in baseline or after the session', () => {
    expect(sessionClocks(ivKetamineProtocol, initialSessionState(at(0)), noBp, at(30)).nextBp).toBeNull();
    const discharged = applySessionEvent(ivObservation, { type: 'discharged' }, { atMs: at(115), role: 'nurse', startGate: startGateHolds, gate: { holds: true, items: [], atMs: at(115) } });
    if (!discharged.ok) throw new Error(discharged.reason);
    expect(sessionClocks(ivKetamineProtocol, discharged.state, noBp, at(200)).nextBp).toBeNull();
  });
});

describe('the esketamine 40-min BP checkpoint (window 35–50 min from dosing start) [label]', () => {
  // Dosing started at minute 10: target 50, window 45–60.
  it.each<[string, number[], number, { status: string; open: boolean; metAtMs: number | null }]>([
    ['before the window, no reading', [], 40, { status: 'pending', open: false, metAtMs: null }],
    ['as the window opens', [], 45, { status: 'pending', open: true, metAtMs: null }],
    ['a reading just before the window does not count', [44], 52, { status: 'pending', open: true, metAtMs: null }],
    ['a reading at the window start meets it', [45], 52, { status: 'met', open: false, metAtMs: at(45) }],
    ['a reading at the window end meets it', [60], 61, { status: 'met', open: false, metAtMs: at(60) }],
    ['the reading nearest the target meets it', [46, 53, 58], 61, { status: 'met', open: false, metAtMs: at(53) }],
    ['on a tie, the earlier reading', [47, 53], 61, { status: 'met', open: false, metAtMs: at(47) }],
    ['at the window end without reading, still pending', [44, 61], 60, { status: 'pending', open: true, metAtMs: null }],
    ['after the window without reading, missed', [44, 61], 60.001, { status: 'missed', open: false, metAtMs: null }],
  ])('%s', (_name, readingMinutes, nowMin, expected) => {
    const clocks = sessionClocks(esketamineProtocol, eskObservation, { lastBpAtMs: null, bpReadingTimes: readingMinutes.map(at) }, at(nowMin));
    expect(clocks.checkpoints).toEqual([
      { id: 'bp-40-min', label: 'BP at 40 min', targetAtMs: at(50), windowStartAtMs: at(45), windowEndAtMs: at(60), ...expected },
    ]);
  });

  it('is pending with no times before dosing starts', () => {
    expect(sessionClocks(esketamineProtocol, initialSessionState(at(0)), noBp, at(60)).checkpoints[0]).toMatchObject({
      status: 'pending',
      open: false,
      windowStartAtMs: null,
    });
  });
});

describe('observation time', () => {
  it.each<[string, typeof ivKetamineProtocol, SessionState, number, { elapsed: number; remaining: number; reached: boolean } | null]>([
    ['IV, during the infusion: not started', ivKetamineProtocol, ivTreatment, 30, null],
    ['IV, at infusion end', ivKetamineProtocol, ivObservation, 50, { elapsed: 0, remaining: 60, reached: false }],
    ['IV, 59 min after infusion end', ivKetamineProtocol, ivObservation, 109, { elapsed: 59, remaining: 1, reached: false }],
    ['IV, 60 min after infusion end', ivKetamineProtocol, ivObservation, 110, { elapsed: 60, remaining: 0, reached: true }],
    ['esketamine, counted from dosing start while dosing', esketamineProtocol, eskDosing, 15, { elapsed: 5, remaining: 115, reached: false }],
    ['esketamine, 60 min after dosing start', esketamineProtocol, eskObservation, 70, { elapsed: 60, remaining: 60, reached: false }],
    ['esketamine, 120 min after dosing start', esketamineProtocol, eskObservation, 130, { elapsed: 120, remaining: 0, reached: true }],
  ])('%s', (_name, protocol, state, nowMin, expected) => {
    const clock = sessionClocks(protocol, state, noBp, at(nowMin)).observation;
    if (expected === null) return expect(clock).toBeNull();
    expect(clock).toMatchObject({ elapsedMs: expected.elapsed * minMs, remainingMs: expected.remaining * minMs, minimumReached: expected.reached });
  });
});

describe('treatment time and totals', () => {
  const paused = run([
    [10, { type: 'treatment-started' }],
    [20, { type: 'treatment-paused' }],
    [30, { type: 'treatment-resumed' }],
  ]);

  it('counts the planned infusion without its pauses', () => {
    expect(sessionClocks(ivKetamineProtocol, paused, noBp, at(40)).treatment).toMatchObject({
      elapsedMs: 20 * minMs,
      pausedMs: 10 * minMs,
      remainingMs: 20 * minMs,
      plannedEndAtMs: at(60),
      paused: false,
    });
  });

  it('shows no planned end while paused, and an overrun past the plan', () => {
    const pausedNow = applySessionEvent(paused, { type: 'treatment-paused' }, { atMs: at(45), role: 'nurse', startGate: startGateHolds, gate: null });
    if (!pausedNow.ok) throw new Error(pausedNow.reason);
    expect(sessionClocks(ivKetamineProtocol, pausedNow.state, noBp, at(50)).treatment).toMatchObject({ elapsedMs: 25 * minMs, plannedEndAtMs: null, paused: true });
    expect(sessionClocks(ivKetamineProtocol, paused, noBp, at(65)).treatment).toMatchObject({ remainingMs: 0, overrunMs: 5 * minMs });
  });

  it('stops the clocks at discharge', () => {
    const discharged = applySessionEvent(eskObservation, { type: 'discharged' }, { atMs: at(135), role: 'nurse', startGate: startGateHolds, gate: { holds: true, items: [], atMs: at(135) } });
    if (!discharged.ok) throw new Error(discharged.reason);
    const clocks = sessionClocks(esketamineProtocol, discharged.state, noBp, at(300));
    expect(clocks.totalMonitoringMinutes).toBe(135);
    expect(clocks.sinceTreatmentStartMs).toBe(125 * minMs);
    expect(clocks.observation?.elapsedMs).toBe(125 * minMs);
    expect(clocks.treatment?.elapsedMs).toBe(10 * minMs);
  });

  it('counts monitoring minutes down to the whole minute', () => {
    expect(sessionClocks(ivKetamineProtocol, ivTreatment, noBp, at(42.99)).totalMonitoringMinutes).toBe(42);
  });
});
