import { describe, expect, it } from 'vitest';
import type { Role } from '../schemas/common';
import { esketamineProtocol, ivKetamineProtocol, type Protocol } from '../session/protocol';
import { initialSessionState, type SessionState } from '../session/session-state';
import { at, t0 } from '../session/test-fixtures';
import { type RecordEventInput, recordEventInputSchema, scoreRecordedSchema } from './record-events';
import { type RecordCheck, checkRecordEvent } from './record-rules';
import { deriveSessionRecord, type RecordEntry } from './session-record';

const treating: SessionState = { ...initialSessionState(t0), phase: 'treatment', treatmentStartedAtMs: at(2) };

/** Checks `input` at minute `now` against a session with `entries` (stored at the minutes given). */
function check(
  protocol: Protocol,
  entries: [number, RecordEventInput][],
  input: RecordEventInput,
  now: number,
  role: Role = 'nurse',
  state: SessionState = treating,
): RecordCheck {
  const stored: RecordEntry[] = entries.map(([m, body], i) => ({ seq: i + 1, type: body.type, atMs: at(m), username: 'nurse', payload: body }));
  const record = deriveSessionRecord({ protocol, state, entries: stored });
  return checkRecordEvent(input, { protocol, state, entries: stored, record, role, nowMs: at(now) });
}

const device = (n: number, extra: Partial<Extract<RecordEventInput, { type: 'dose-given' }>> = {}): RecordEventInput => ({
  type: 'dose-given',
  drug: 'esketamine',
  doseMg: 28,
  route: 'intranasal',
  lot: 'A123',
  device: n,
  ...extra,
});
const refusal = (c: RecordCheck) => (c.ok ? 'ok' : `${c.code} ${c.field}`);

describe('esketamine devices: in order, 5 min rest after each unless a clinician overrides', () => {
  const first: [number, RecordEventInput] = [3, device(1)];
  it.each<[string, [number, RecordEventInput][], RecordEventInput, number, Role, string]>([
    ['device 1', [], device(1), 3, 'nurse', 'ok'],
    ['device 2 after 4 min 59 s', [first], device(2), 3 + 299 / 60, 'nurse', 'conflict device'],
    ['device 2 after 5 min 0 s', [first], device(2), 8, 'nurse', 'ok'],
    ['device 2 after 3 min, clinician override', [first], device(2, { override: { reason: 'patient must leave early' } }), 6, 'clinician', 'ok'],
    ['device 2 after 3 min, nurse override', [first], device(2, { override: { reason: 'x' } }), 6, 'nurse', 'forbidden override'],
    ['device 1 again', [first], device(1), 10, 'nurse', 'conflict device'],
    ['device 3 before device 2', [first], device(3), 10, 'nurse', 'conflict device'],
    ['device 4 of 3', [first], device(4), 10, 'nurse', 'invalid device'],
    ['42 mg from a device', [], device(1, { doseMg: 42 }), 3, 'nurse', 'invalid doseMg'],
    ['a device given IV', [], device(1, { route: 'iv' }), 3, 'nurse', 'invalid route'],
    ['intranasal without a device number', [], { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal' }, 3, 'nurse', 'invalid device'],
  ])('%s → %s', (_name, entries, input, now, role, expected) => {
    expect(refusal(check(esketamineProtocol, entries, input, now, role))).toBe(expected);
  });

  it('the rest is measured between the moments the devices were given (`at`), not when they were written down', () => {
    const late = device(2, { at: new Date(at(7.99)).toISOString() });
    expect(refusal(check(esketamineProtocol, [[3, device(1)]], late, 20))).toBe('conflict device');
    expect(check(esketamineProtocol, [[3, device(1)]], device(2, { at: new Date(at(8)).toISOString() }), 20)).toEqual({ ok: true, occurredAtMs: at(8) });
  });

  it('no dose before treatment started', () => {
    expect(refusal(check(esketamineProtocol, [], device(1), 3, 'nurse', initialSessionState(t0)))).toBe('conflict type');
  });
});

describe('IV infusion set-up limits', () => {
  const set = (change: Partial<Extract<RecordEventInput, { type: 'infusion-set' }>>): RecordEventInput => ({
    type: 'infusion-set',
    drug: 'ketamine',
    weightKg: 70,
    doseMgPerKg: 0.5,
    concentrationMgPerMl: 10,
    rateMlPerH: 5.25,
    ...change,
  });
  it.each<[string, RecordEventInput, string]>([
    ['0.5 mg/kg over 40 min', set({}), 'ok'],
    ['29.9 kg', set({ weightKg: 29.9 }), 'invalid weightKg'],
    ['30 kg', set({ weightKg: 30, rateMlPerH: 2.25 }), 'ok'],
    ['250 kg', set({ weightKg: 250, rateMlPerH: 18 }), 'ok'],
    ['250.1 kg', set({ weightKg: 250.1 }), 'invalid weightKg'],
    ['1 mg/kg', set({ doseMgPerKg: 1, rateMlPerH: 10.5 }), 'ok'],
    ['1.01 mg/kg', set({ doseMgPerKg: 1.01 }), 'invalid doseMgPerKg'],
    ['the dose in exactly 20 min', set({ rateMlPerH: 10.5 }), 'ok'],
    ['the dose in 19.9 min', set({ rateMlPerH: 10.6 }), 'invalid rateMlPerH'],
  ])('%s → %s', (_name, input, expected) => {
    expect(refusal(check(ivKetamineProtocol, [], input, 5, 'nurse', initialSessionState(t0)))).toBe(expected);
  });

  it('a second set-up must name the one it corrects; an esketamine protocol has none', () => {
    expect(refusal(check(ivKetamineProtocol, [[1, set({})]], set({ weightKg: 72 }), 5))).toBe('conflict corrects');
    expect(refusal(check(ivKetamineProtocol, [[1, set({})]], set({ weightKg: 72, corrects: 1 }), 5))).toBe('ok');
    expect(refusal(check(esketamineProtocol, [], set({}), 5))).toBe('conflict type');
  });

  it('a rate change that would give the whole dose in under 20 min is refused', () => {
    const change = (rateMlPerH: number): RecordEventInput => ({ type: 'infusion-rate-changed', rateMlPerH, reason: 'BP' });
    expect(refusal(check(ivKetamineProtocol, [[1, set({})]], change(10.5), 10))).toBe('ok');
    expect(refusal(check(ivKetamineProtocol, [[1, set({})]], change(10.6), 10))).toBe('invalid rateMlPerH');
    expect(refusal(check(ivKetamineProtocol, [], change(5), 10))).toBe('conflict type');
  });
});

describe('references, moments and readiness answers', () => {
  const prn: RecordEventInput = { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'iv', indication: 'nausea' };
  it.each<[string, [number, RecordEventInput][], RecordEventInput, string]>([
    ['a reassessment of PRN entry 1', [[5, prn]], { type: 'prn-reassessed', prnSeq: 1, response: 'better' }, 'ok'],
    ['a reassessment of no PRN', [[5, prn]], { type: 'prn-reassessed', prnSeq: 9, response: 'better' }, 'conflict prnSeq'],
    ['a reassessment of a score', [[5, { type: 'rounding-check', status: 'comfortable' }]], { type: 'prn-reassessed', prnSeq: 1, response: 'x' }, 'conflict prnSeq'],
    ['a second reassessment', [[5, prn], [20, { type: 'prn-reassessed', prnSeq: 1, response: 'better' }]], { type: 'prn-reassessed', prnSeq: 1, response: 'again' }, 'conflict prnSeq'],
    ['a correction of no entry', [], { type: 'rounding-check', status: 'comfortable', corrects: 4 }, 'conflict corrects'],
    ['a correction of another type', [[5, prn]], { type: 'rounding-check', status: 'comfortable', corrects: 1 }, 'conflict corrects'],
    ['an unknown readiness item', [], { type: 'readiness-answered', answers: { 'shoe-size': true } }, 'invalid answers.shoe-size'],
    ['a text answer to a yes/no item', [], { type: 'readiness-answered', answers: { 'rems-enrolled': 'yes' } }, 'invalid answers.rems-enrolled'],
    ['at 5 min ahead of the clock', [], { type: 'rounding-check', status: 'comfortable', at: new Date(at(35)).toISOString() }, 'ok'],
    ['at 5 min 1 s ahead', [], { type: 'rounding-check', status: 'comfortable', at: new Date(at(35) + 1000).toISOString() }, 'invalid at'],
    ['at before check-in', [], { type: 'rounding-check', status: 'comfortable', at: new Date(at(-1)).toISOString() }, 'invalid at'],
    ['a hand-off during treatment', [], { type: 'escort-handoff', collectedBy: 'Sam' }, 'conflict type'],
  ])('%s → %s', (_name, entries, input, expected) => {
    expect(refusal(check(esketamineProtocol, entries, input, 30))).toBe(expected);
  });

  it('a moment a little ahead of the clock is stored as now', () => {
    expect(check(esketamineProtocol, [], { type: 'rounding-check', status: 'comfortable', at: new Date(at(32)).toISOString() }, 30)).toEqual({ ok: true, occurredAtMs: at(30) });
  });
});

describe('entry schemas', () => {
  it.each<[string, unknown, boolean]>([
    ['CADSS-6 items 0–4', { type: 'score-recorded', scale: 'cadss-6', items: [0, 1, 2, 3, 4, 0] }, true],
    ['a CADSS-6 item of 5', { type: 'score-recorded', scale: 'cadss-6', items: [0, 1, 2, 3, 5, 0] }, false],
    ['5 CADSS-6 items', { type: 'score-recorded', scale: 'cadss-6', items: [0, 1, 2, 3, 4] }, false],
    ['MOAA/S 6', { type: 'score-recorded', scale: 'moaa-s', value: 6 }, false],
    ['MOAA/S 0', { type: 'score-recorded', scale: 'moaa-s', value: 0 }, true],
  ])('%s: valid %s', (_name, body, valid) => {
    expect(scoreRecordedSchema.safeParse(body).success).toBe(valid);
  });

  it('an adverse event needs its severity and whether it is serious', () => {
    expect(recordEventInputSchema.safeParse({ type: 'adverse-event', kind: 'nausea', severity: 'mild' }).success).toBe(false);
    expect(recordEventInputSchema.safeParse({ type: 'adverse-event', kind: 'nausea', severity: 'mild', serious: false }).success).toBe(true);
  });
});
