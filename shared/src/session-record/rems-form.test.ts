import { describe, expect, it } from 'vitest';
import { esketamineProtocol } from '../session/protocol';
import { initialSessionState, type SessionState } from '../session/session-state';
import { at, bp, reading, t0 } from '../session/test-fixtures';
import type { RecordEventInput } from './record-events';
import { remsFormDraft } from './rems-form';
import { deriveSessionRecord, type RecordEntry } from './session-record';

let seq = 0;
const entry = (minutes: number, body: RecordEventInput): RecordEntry => {
  seq += 1;
  return { seq, type: body.type, atMs: at(minutes), username: 'nurse', payload: body };
};
const device = (m: number, n: number) => entry(m, { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', lot: 'L-9', device: n });

// Dosing started at 10, devices at 11 and 16, dosing ended at 20, criteria met at 131 (120 min from 11), discharged at 140.
const done: SessionState = {
  ...initialSessionState(t0),
  phase: 'discharged',
  treatmentStartedAtMs: at(10),
  treatmentEndedAtMs: at(20),
  observationStartedAtMs: at(20),
  gateFirstHeldAtMs: at(131),
  dischargedAtMs: at(140),
};
const entries = [
  entry(2, { type: 'readiness-answered', answers: { 'med-benzodiazepines': false, 'med-sedative-hypnotics': false, 'med-psychostimulants': true, 'med-maois': false, 'med-opioids': false } }),
  entry(5, { type: 'score-recorded', scale: 'cadss-6', items: [0, 0, 0, 0, 0, 0] }),
  device(11, 1),
  device(16, 2),
  entry(40, { type: 'score-recorded', scale: 'moaa-s', value: 4 }),
  entry(40, { type: 'score-recorded', scale: 'cadss-6', items: [1, 1, 0, 0, 0, 0] }),
  entry(90, { type: 'score-recorded', scale: 'moaa-s', value: 5 }),
  entry(90, { type: 'score-recorded', scale: 'cadss-6', items: [0, 0, 0, 0, 0, 0] }),
];
const readings = [bp(8, '128/80'), bp(50, '150/92'), bp(135, '130/82'), reading(135, { spo2: 97, respRate: 14 })];

function draft(alerts: { ruleId: string }[] = [], state: SessionState = done) {
  const record = deriveSessionRecord({ protocol: esketamineProtocol, state, entries });
  return remsFormDraft({ sessionId: 's-1', protocol: esketamineProtocol, state, readings, record, patient: { displayName: 'J. Doe', mrn: null }, alerts });
}

describe('the REMS Patient Monitoring Form draft', () => {
  it('fills every field the record gives, each with its source, and lists the rest as missing', () => {
    const { fields, missing } = draft();
    expect(missing).toEqual(['prescriber', 'setting']);
    expect(fields.dose?.value).toEqual({ totalMg: 56, devices: 2 });
    expect(fields.lots?.value).toEqual(['L-9']);
    expect(fields.concomitantMedications?.value).toEqual({ benzodiazepines: false, 'sedative-hypnotics': false, psychostimulants: true, maois: false, opioids: false });
    expect(fields.bpBeforeDosing?.value).toMatchObject({ systolic: 128, diastolic: 80 });
    expect(fields.bpAt40Min?.value).toMatchObject({ systolic: 150, diastolic: 92, minutesFromDosing: 40 });
    expect(fields.bpAtCompletion?.value).toMatchObject({ systolic: 130, diastolic: 82 });
    expect([fields.sedation?.value, fields.dissociation?.value, fields.respiratoryDepression?.value, fields.seriousAdverseEvent?.value]).toEqual([true, true, false, false]);
    expect([fields.vitalsAcceptableBeforeDosing?.value, fields.vitalsAcceptableAtCompletion?.value, fields.pulseOximetryUsed?.value]).toEqual([true, true, true]);
    // Counted from the first device (11), not the start of dosing (10).
    expect([fields.totalMonitoringMinutes?.value, fields.readyToLeaveMinutes?.value]).toEqual([129, 120]);
    expect(fields.date?.value).toBe('2025-03-03');
  });

  it('respiratory depression: yes when an RR or SpO₂ alert was raised', () => {
    expect(draft([{ ruleId: 'rr-low' }]).fields.respiratoryDepression?.value).toBe(true);
    expect(draft([{ ruleId: 'hr-high' }]).fields.respiratoryDepression?.value).toBe(false);
  });

  it('a running session leaves completion, totals and the ready-to-leave minute missing', () => {
    const running: SessionState = { ...done, phase: 'observation', gateFirstHeldAtMs: null, dischargedAtMs: null };
    expect(draft([], running).missing).toEqual(['prescriber', 'setting', 'bpAtCompletion', 'vitalsAcceptableAtCompletion', 'totalMonitoringMinutes', 'readyToLeaveMinutes']);
  });
});
