import { describe, expect, it } from 'vitest';
import type { Reading } from '../schemas/reading';
import { computeBaseline } from './baseline';
import { bpPointsOf } from './bp-readings';
import { evaluateDischargeGate, noteGateResult } from './discharge-gate';
import { esketamineMonitoringForm } from './esketamine-form';
import { applySessionEvent, type SessionEventInput } from './phase-machine';
import { esketamineProtocol } from './protocol';
import { initialSessionState, type SessionState } from './session-state';
import { at, bp, reading, startGateHolds } from './test-fixtures';

/*
 * A hand-made esketamine session, minute by minute from check-in (09:00):
 *   5  BP 136/84 (before dosing)       10 first spray          20 dosing complete
 *   25 BP 150/90   39 BP 166/96   (the 40-min checkpoint's window is 45–60, target 50)
 *   50 SBP rejected (-999), not a BP   49 SpO₂ only   51 BP 160/94 meets the checkpoint   55 BP 158/92
 *   70, 85, 100, 115, 130 BPs falling to 139/85; checklist ticked at 115
 *   130 the gate first holds (120 min from dosing)    135 discharged
 */
const protocol = esketamineProtocol;
const readings: Reading[] = [
  bp(5, '136/84'),
  bp(25, '150/90'),
  bp(39, '166/96'),
  reading(50, { systolic: null, diastolic: 95 }, { rejected: [{ field: 'systolic', value: -999, reason: 'no-reading-marker', message: 'SBP: the monitor sent -999' }] }),
  reading(49, { spo2: 96, heartRate: 88 }),
  bp(51, '160/94'),
  bp(55, '158/92'),
  bp(70, '152/90'),
  bp(85, '148/88'),
  bp(100, '144/88'),
  bp(115, '140/86'),
  bp(130, '139/85'),
];

const events: [number, SessionEventInput][] = [
  [10, { type: 'treatment-started' }],
  [20, { type: 'treatment-ended' }],
  [115, { type: 'checklist-updated', items: { 'sedation-resolved': true, 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } }],
];

/** Plays the session as the server would: events, and the gate evaluated every 5 min in observation. */
function play(untilMin: number, dischargeAtMin: number | null): SessionState {
  let state = initialSessionState(at(0));
  const baseline = computeBaseline(protocol, readings.filter((r) => Date.parse(r.measuredAt) < at(10)));
  for (let minute = 0; minute <= untilMin; minute++) {
    const nowMs = at(minute);
    const taken = bpPointsOf(readings.filter((r) => Date.parse(r.measuredAt) <= nowMs));
    const last = taken.at(-1) ?? null;
    const gate = evaluateDischargeGate({
      protocol,
      state,
      baseline,
      lastBp: last,
      // The monitor's pulse and SpO₂, read every minute.
      lastHr: { value: 78, atMs: nowMs },
      lastSpo2: { value: 97, atMs: nowMs },
      alerts: [],
      nowMs,
    });
    if (minute % 5 === 0) state = noteGateResult(state, gate, nowMs);
    for (const [eventMin, event] of events) {
      if (eventMin !== minute) continue;
      const outcome = applySessionEvent(state, event, { atMs: nowMs, role: 'nurse', gate, startGate: startGateHolds });
      if (!outcome.ok) throw new Error(outcome.reason);
      state = outcome.state;
    }
    if (minute === dischargeAtMin) {
      const outcome = applySessionEvent(state, { type: 'discharged' }, { atMs: nowMs, role: 'nurse', gate, startGate: startGateHolds });
      if (!outcome.ok) throw new Error(outcome.reason);
      state = outcome.state;
    }
  }
  return state;
}

describe('the esketamine REMS monitoring form [label/REMS]', () => {
  it('answers every field from the log of a finished session', () => {
    const state = play(135, 135);
    const form = esketamineMonitoringForm({ protocol, state, readings });
    expect(form).toMatchObject({
      dosingStartedAtMs: at(10),
      bpBeforeDosing: { systolic: 136, diastolic: 84, atMs: at(5), minutesFromDosing: -5 },
      bpAtCheckpoint: { systolic: 160, diastolic: 94, atMs: at(51), minutesFromDosing: 41, checkpointId: 'bp-40-min' },
      bpBeforeDischarge: { systolic: 139, diastolic: 85, atMs: at(130), minutesFromDosing: 120 },
      monitoringEndedAtMs: at(135),
      totalMonitoringMinutes: 125,
      readyToLeaveAtMs: at(130),
      readyToLeaveMinutesFromDosing: 120,
      dischargeOverrideReason: null,
      missing: [],
    });
  });

  it('previews a running session and says what is still missing', () => {
    const form = esketamineMonitoringForm({ protocol, state: play(90, null), readings: readings.filter((r) => Date.parse(r.measuredAt) <= at(90)) });
    expect(form).toMatchObject({
      bpBeforeDischarge: { systolic: 148, diastolic: 88 },
      totalMonitoringMinutes: null,
      readyToLeaveAtMs: null,
      missing: ['the patient has not been discharged', 'the discharge gate has not held yet'],
    });
  });

  it('reports a missed checkpoint and a missing pre-dose BP', () => {
    const late = readings.filter((r) => {
      const t = Date.parse(r.measuredAt);
      return t > at(70);
    });
    const form = esketamineMonitoringForm({ protocol, state: play(135, 135), readings: late });
    expect(form.bpBeforeDosing).toBeNull();
    expect(form.bpAtCheckpoint).toBeNull();
    expect(form.missing).toEqual(['no BP before dosing start', 'no BP for "BP at 40 min" (35–50 min after dosing start)']);
  });

  it('records an override when the patient left before the gate held', () => {
    let state = play(100, null);
    const outcome = applySessionEvent(
      state,
      { type: 'discharged', override: { reason: 'transport arrived; stable, reviewed' } },
      { atMs: at(101), role: 'clinician', startGate: startGateHolds, gate: { holds: false, items: [{ id: 'observation-time', ok: false, label: '', detail: '' }], atMs: at(101) } },
    );
    if (!outcome.ok) throw new Error(outcome.reason);
    state = outcome.state;
    const form = esketamineMonitoringForm({ protocol, state, readings });
    expect(form).toMatchObject({
      totalMonitoringMinutes: 91,
      readyToLeaveAtMs: null,
      dischargeOverrideReason: 'transport arrived; stable, reviewed',
      bpBeforeDischarge: { systolic: 144, diastolic: 88, atMs: at(100) },
      missing: ['the discharge gate never held: a clinician discharged with an override'],
    });
  });
});
