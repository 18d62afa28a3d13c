import { describe, expect, it } from 'vitest';
import { esketamineProtocol, ivKetamineProtocol } from '../session/protocol';
import { initialSessionState, type SessionState } from '../session/session-state';
import { at, minMs, t0 } from '../session/test-fixtures';
import type { RecordEventInput } from './record-events';
import { cumulativeInfusedMg, deriveSessionRecord, entriesInForce, infusionPlan, overdueItems, type RecordEntry } from './session-record';

let seq = 0;
/** A stored entry that happened `minutes` after t0 (written down then too, unless `at` says otherwise). */
function entry(minutes: number, body: RecordEventInput, username = 'nurse'): RecordEntry {
  seq += 1;
  return { seq, type: body.type, atMs: at(minutes), username, payload: body };
}

/** A state treated from minute `start`, ended at `end` (null: still running), paused over `pauses`. */
function treated(start: number, end: number | null = null, pauses: [number, number | null][] = []): SessionState {
  return {
    ...initialSessionState(t0),
    phase: end === null ? 'treatment' : 'observation',
    treatmentStartedAtMs: at(start),
    treatmentEndedAtMs: end === null ? null : at(end),
    observationStartedAtMs: end === null ? null : at(end),
    pauses: pauses.map(([from, to]) => ({ fromMs: at(from), toMs: to === null ? null : at(to), reason: null })),
  };
}

const moaa = (minutes: number, value: number) => entry(minutes, { type: 'score-recorded', scale: 'moaa-s', value });
const cadss = (minutes: number, items: number[]) => entry(minutes, { type: 'score-recorded', scale: 'cadss-6', items });

describe('readiness: the latest answer of each item; hard stops not answered yes are unmet', () => {
  it.each<[string, RecordEventInput[], string[]]>([
    ['nothing answered', [], ['rems-enrolled', 'transport-arranged']],
    ['REMS yes only', [{ type: 'readiness-answered', answers: { 'rems-enrolled': true } }], ['transport-arranged']],
    ['both yes', [{ type: 'readiness-answered', answers: { 'rems-enrolled': true, 'transport-arranged': true } }], []],
    ['transport answered no', [{ type: 'readiness-answered', answers: { 'rems-enrolled': true, 'transport-arranged': false } }], ['transport-arranged']],
    [
      'yes, later changed to no',
      [
        { type: 'readiness-answered', answers: { 'rems-enrolled': true, 'transport-arranged': true } },
        { type: 'readiness-answered', answers: { 'transport-arranged': false } },
      ],
      ['transport-arranged'],
    ],
  ])('%s → unmet %j', (_name, bodies, unmet) => {
    const record = deriveSessionRecord({ protocol: esketamineProtocol, state: initialSessionState(t0), entries: bodies.map((b, i) => entry(i, b)) });
    expect(record.readiness.unmetHardStops).toEqual(unmet);
  });

  it('IV ketamine: weight today and consent are the hard stops', () => {
    const record = deriveSessionRecord({ protocol: ivKetamineProtocol, state: initialSessionState(t0), entries: [] });
    expect(record.readiness.unmetHardStops).toEqual(['weight-today', 'consent-on-file']);
  });
});

describe('IV infusion: total mg, planned minutes and cumulative mg', () => {
  it.each<[number, number, number, number, number, number]>([
    // weight, mg/kg, mg/mL, mL/h → total mg, planned min
    [70, 0.5, 10, 5.25, 35, 40],
    [80, 0.5, 1, 60, 40, 40],
    [100, 1, 10, 15, 100, 40],
    [70, 0.5, 10, 10.5, 35, 20],
  ])('%s kg × %s mg/kg at %s mg/mL and %s mL/h → %s mg over %s min', (weightKg, doseMgPerKg, concentrationMgPerMl, rateMlPerH, totalMg, plannedMin) => {
    expect(infusionPlan({ weightKg, doseMgPerKg, concentrationMgPerMl, rateMlPerH })).toEqual({ totalMg, plannedMin });
  });

  // 70 kg × 0.5 mg/kg = 35 mg at 10 mg/mL: 3.5 mL; 5.25 mL/h gives 0.875 mg/min, the dose over 40 min.
  const set = entry(-5, { type: 'infusion-set', drug: 'ketamine', weightKg: 70, doseMgPerKg: 0.5, concentrationMgPerMl: 10, rateMlPerH: 5.25 });
  it.each<[string, SessionState, RecordEntry[], number, number]>([
    ['before the start', treated(10), [], 9, 0],
    ['at the start', treated(10), [], 10, 0],
    ['20 min in', treated(10), [], 30, 17.5],
    ['40 min in: the whole dose', treated(10), [], 50, 35],
    ['past the planned end: capped at the dose', treated(10), [], 70, 35],
    ['10 min paused in the middle', treated(10, null, [[20, 30]]), [], 30, 8.8],
    ['paused and still paused', treated(10, null, [[20, null]]), [], 40, 8.8],
    ['rate doubled at 20 min', treated(10), [entry(30, { type: 'infusion-rate-changed', rateMlPerH: 10.5, reason: 'behind schedule' })], 35, 26.3],
    ['rate halved at 10 min, ended at 30 min', treated(10, 30), [entry(20, { type: 'infusion-rate-changed', rateMlPerH: 2.625, reason: 'BP rising' })], 60, 13.1],
  ])('%s → %s mg', (_name, state, changes, minute, mg) => {
    const record = deriveSessionRecord({ protocol: ivKetamineProtocol, state, entries: [set, ...changes] });
    expect(cumulativeInfusedMg(record, state, at(minute))).toBe(mg);
  });
});

describe('esketamine devices: 28 mg each, "40 min" from the first device', () => {
  it('derives the next device and the earliest moment without an override', () => {
    const given = (m: number, device: number) => entry(m, { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', lot: 'L1', device });
    const record = deriveSessionRecord({ protocol: esketamineProtocol, state: treated(2), entries: [given(3, 1), given(8, 2)] });
    expect(record.firstDeviceAtMs).toBe(at(3));
    expect(record.totalDoseMg).toBe(56);
    expect(record.nextDevice).toEqual({ device: 3, notBeforeMs: at(13) });
    // The ~20 and ~40 min scores count from the first device.
    expect(record.due.find((d) => d.kind === 'score')).toMatchObject({ id: 'score:20-min', dueAtMs: at(23) });
  });
});

describe('resolution: MOAA/S 5 and CADSS-6 at or below its pre-dose value', () => {
  const predose = [moaa(1, 5), cadss(1, [1, 0, 0, 0, 0, 1])];
  it.each<[string, RecordEntry[], boolean, number | null]>([
    ['no score since dosing', predose, false, null],
    ['MOAA/S 4', [...predose, moaa(30, 4), cadss(30, [0, 0, 0, 0, 0, 0])], false, null],
    ['MOAA/S 5, CADSS-6 3 > pre-dose 2', [...predose, moaa(30, 5), cadss(30, [1, 1, 1, 0, 0, 0])], false, null],
    ['MOAA/S 5, CADSS-6 2 = pre-dose 2', [...predose, moaa(30, 5), cadss(31, [1, 1, 0, 0, 0, 0])], true, 31],
    ['resolved, then CADSS-6 up again', [...predose, moaa(30, 5), cadss(31, [0, 0, 0, 0, 0, 0]), cadss(60, [2, 2, 0, 0, 0, 0])], false, null],
    ['resolved again later: counts from then', [...predose, moaa(30, 5), cadss(31, [4, 0, 0, 0, 0, 0]), cadss(61, [0, 0, 0, 0, 0, 0])], true, 61],
    ['no pre-dose CADSS-6: back to 0 needed', [moaa(1, 5), moaa(30, 5), cadss(30, [1, 0, 0, 0, 0, 0])], false, null],
  ])('%s → resolved %s', (_name, scores, resolved, sinceMin) => {
    const record = deriveSessionRecord({ protocol: esketamineProtocol, state: treated(2, 12), entries: scores });
    expect(record.sedation.resolved).toBe(resolved);
    expect(record.sedation.resolvedAtMs).toBe(sinceMin === null ? null : at(sinceMin));
  });

  it('a CADSS-6 total is the sum of its six items; sedation and dissociation seen since dosing', () => {
    const record = deriveSessionRecord({ protocol: esketamineProtocol, state: treated(2, 12), entries: [...predose, moaa(30, 3), cadss(30, [4, 4, 4, 4, 4, 4])] });
    expect(record.scores.map((s) => s.value)).toEqual([5, 2, 3, 24]);
    expect(record.sedation).toMatchObject({ sedationSeen: true, dissociationSeen: true, preDoseCadss: 2 });
  });
});

describe('what is due next', () => {
  it('scores: before dosing while in baseline', () => {
    const record = deriveSessionRecord({ protocol: esketamineProtocol, state: initialSessionState(t0), entries: [] });
    expect(record.due).toEqual([{ kind: 'score', id: 'score:pre-dose', label: 'MOAA/S and CADSS-6 before dosing', dueAtMs: t0 }]);
  });

  it.each<[string, SessionState, RecordEntry[], string | null, number | null]>([
    ['IV, nothing scored after the start: ~20 min', treated(0), [], 'score:20-min', 20],
    ['a score at 15 min (5 min early) counts for ~20', treated(0), [moaa(15, 5), cadss(15, [0, 0, 0, 0, 0, 0])], 'score:40-min', 40],
    ['a score at 14:59 does not', treated(0), [moaa(14.99, 5), cadss(14.99, [0, 0, 0, 0, 0, 0])], 'score:20-min', 20],
    ['ended at 40 min, scored at 40: every 30 min until resolved', treated(0, 40), [moaa(20, 4), cadss(20, [1, 0, 0, 0, 0, 0]), moaa(40, 4), cadss(40, [1, 0, 0, 0, 0, 0])], 'score:observation', 70],
    ['resolved: no more scores due', treated(0, 40), [moaa(20, 5), cadss(20, [0, 0, 0, 0, 0, 0]), moaa(40, 5), cadss(40, [0, 0, 0, 0, 0, 0])], null, null],
  ])('%s', (_name, state, entries, id, dueMin) => {
    const record = deriveSessionRecord({ protocol: ivKetamineProtocol, state, entries });
    const score = record.due.find((d) => d.kind === 'score') ?? null;
    expect(score?.id ?? null).toBe(id);
    expect(score?.dueAtMs ?? null).toBe(dueMin === null ? null : at(dueMin));
  });

  it('rounding every 15 min from the start or the last check; a PRN reassessment 15 min (or as given) after it', () => {
    const ondansetron = entry(12, { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'iv', indication: 'nausea' });
    const midazolam = entry(13, { type: 'prn-given', drug: 'midazolam', doseMg: 1, route: 'iv', indication: 'emergence reaction', reassessInMin: 5 });
    const entries = [entry(10, { type: 'rounding-check', status: 'comfortable' }), ondansetron, midazolam];
    const record = deriveSessionRecord({ protocol: ivKetamineProtocol, state: treated(0), entries });
    expect(record.due.filter((d) => d.kind !== 'score').map((d) => [d.id, (d.dueAtMs - t0) / minMs])).toEqual([
      [`reassessment:${midazolam.seq}`, 18],
      ['rounding', 25],
      [`reassessment:${ondansetron.seq}`, 27],
    ]);
  });

  it('rounding overdue by 5 min is low, by 10 min medium; a reassessment past due is low', () => {
    const record = deriveSessionRecord({ protocol: ivKetamineProtocol, state: treated(0), entries: [] });
    const rounding = record.due.filter((d) => d.kind === 'rounding');
    const level = (minute: number) => overdueItems(ivKetamineProtocol, rounding, at(minute))[0]?.level ?? null;
    expect([level(19.99), level(20), level(24.99), level(25)]).toEqual([null, 'low', 'low', 'medium']);
    const reassess = [{ kind: 'reassessment', id: 'reassessment:1', label: 'x', dueAtMs: at(30) }] as const;
    expect(overdueItems(ivKetamineProtocol, reassess, at(30))).toEqual([]);
    expect(overdueItems(ivKetamineProtocol, reassess, at(30) + 1)[0]?.level).toBe('low');
  });

  it('nothing is due once the session ended', () => {
    const state: SessionState = { ...treated(0, 40), phase: 'discharged', dischargedAtMs: at(120) };
    expect(deriveSessionRecord({ protocol: ivKetamineProtocol, state, entries: [] }).due).toEqual([]);
  });
});

describe('corrections: a later entry names the one it corrects; the original stays in the log', () => {
  it('the correction replaces the corrected entry and keeps its moment', () => {
    const original = moaa(30, 2);
    const correction = entry(45, { type: 'score-recorded', scale: 'moaa-s', value: 4, corrects: original.seq });
    const inForce = entriesInForce([original, correction]).get('score-recorded') ?? [];
    expect(inForce.map((i) => [i.seq, i.atMs, i.corrects])).toEqual([[correction.seq, at(30), [original.seq]]]);
  });

  it('a reassessment naming the original PRN closes its correction', () => {
    const prn = entry(10, { type: 'prn-given', drug: 'ondansetron', doseMg: 8, route: 'iv', indication: 'nausea' });
    const fixed = entry(11, { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'iv', indication: 'nausea', corrects: prn.seq });
    const reassessed = entry(25, { type: 'prn-reassessed', prnSeq: prn.seq, response: 'nausea settled' });
    const record = deriveSessionRecord({ protocol: ivKetamineProtocol, state: treated(0), entries: [prn, fixed, reassessed] });
    expect(record.prns).toMatchObject([{ seq: fixed.seq, doseMg: 4, reassessment: { seq: reassessed.seq } }]);
    expect(record.due.some((d) => d.kind === 'reassessment')).toBe(false);
  });
});
