import {
  type RecordEntry,
  type RecordEventInput,
  type SessionState,
  deriveSessionRecord,
  esketamineProtocol,
  initialSessionState,
  ivKetamineProtocol,
} from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { infusionAt, rateSegments, rateSteps, recordChartParts, recordMarkers, scoreDueMarks, scoreSeries, sessionRecordOf } from './record-chart';

const t0 = Date.UTC(2026, 11, 7, 9, 0);
const min = 60_000;
const at = (m: number) => t0 + m * min;

let seq = 0;
function entry(minutes: number, body: RecordEventInput): RecordEntry {
  seq += 1;
  return { seq, type: body.type, atMs: at(minutes), username: 'nurse', payload: body };
}

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

// 80 kg, 0.5 mg/kg = 40 mg at 1 mg/mL: 60 mL/h is 1 mg/min (40 min), 30 mL/h half that.
const setUp: RecordEventInput = { type: 'infusion-set', drug: 'ketamine', weightKg: 80, doseMgPerKg: 0.5, concentrationMgPerMl: 1, rateMlPerH: 60 };
const slower = (m: number) => entry(m, { type: 'infusion-rate-changed', rateMlPerH: 30, reason: 'BP surge' });

function ivRecord(state: SessionState, more: RecordEntry[] = []) {
  return deriveSessionRecord({ protocol: ivKetamineProtocol, state, entries: [entry(0, setUp), ...more] });
}

/** Segments as [kind, from min, to min, mL/h, mg by the end]. */
const shape = (segments: ReturnType<typeof rateSegments>) => segments.map((s) => [s.kind, (s.fromMs - t0) / min, (s.toMs - t0) / min, s.rateMlPerH, s.mgAtEnd]);

describe('rateSegments: the infusion in stretches of one rate', () => {
  it.each<[string, SessionState, RecordEntry[], number, (string | number)[][]]>([
    ['running at the set rate', treated(10), [], 30, [['running', 10, 30, 60, 20]]],
    ['a rate change cuts it', treated(10), [slower(20)], 40, [['running', 10, 20, 60, 10], ['running', 20, 40, 30, 20]]],
    ['a pause is 0 and adds nothing', treated(10, null, [[20, 25]]), [], 35, [['running', 10, 20, 60, 10], ['paused', 20, 25, 0, 10], ['running', 25, 35, 60, 20]]],
    [
      'a rate change during a pause runs from the resume',
      treated(10, null, [[20, 30]]),
      [slower(25)],
      40,
      [['running', 10, 20, 60, 10], ['paused', 20, 30, 0, 10], ['running', 30, 40, 30, 15]],
    ],
    ['a pause still open runs to now', treated(10, null, [[20, null]]), [], 30, [['running', 10, 20, 60, 10], ['paused', 20, 30, 0, 10]]],
    ['the set dose in: the pump stops', treated(10), [], 60, [['running', 10, 50, 60, 40], ['complete', 50, 60, 0, 40]]],
    ['the end of treatment ends it', treated(10, 30), [], 60, [['running', 10, 30, 60, 20]]],
    ['before the start: nothing', treated(10), [], 10, []],
  ])('%s', (_name, state, more, nowMin, expected) => {
    expect(shape(rateSegments(ivRecord(state, more), state, at(nowMin), at(-60), at(nowMin)))).toEqual(expected);
  });

  it('clipped to the axis, with the milligrams by the clipped end', () => {
    const state = treated(10);
    expect(shape(rateSegments(ivRecord(state, [slower(20)]), state, at(40), at(15), at(30)))).toEqual([
      ['running', 15, 20, 60, 10],
      ['running', 20, 30, 30, 15],
    ]);
  });

  it('names the rate change’s reason and gives mg/kg/h', () => {
    const state = treated(10);
    const [first, second] = rateSegments(ivRecord(state, [slower(20)]), state, at(40), at(0), at(40));
    expect(first).toMatchObject({ reason: null, mgPerKgPerH: 0.75 });
    expect(second).toMatchObject({ reason: 'BP surge', mgPerKgPerH: 0.38 });
  });

  it('without a set-up: nothing', () => {
    const state = treated(10);
    expect(rateSegments(deriveSessionRecord({ protocol: ivKetamineProtocol, state, entries: [] }), state, at(40), at(0), at(40))).toEqual([]);
  });

  it('rateSteps draws each stretch flat and breaks where the axis skips one', () => {
    const state = treated(10, null, [[20, 25]]);
    const segs = rateSegments(ivRecord(state), state, at(35), at(0), at(35));
    expect(rateSteps(segs).map((p) => [(p.t - t0) / min, p.v])).toEqual([
      [10, 60],
      [20, 60],
      [20, 0],
      [25, 0],
      [25, 60],
      [35, 60],
    ]);
  });

  it.each<[number, string, number, number]>([
    [5, 'not started', 0, 0],
    [15, 'running', 60, 5],
    [22, 'paused', 0, 10],
    [60, 'complete', 0, 40],
  ])('infusionAt minute %d: %s at %d mL/h, %d mg in', (m, kind, rate, mg) => {
    const state = treated(10, null, [[20, 25]]);
    expect(infusionAt(ivRecord(state), state, at(m))).toMatchObject({ kind, rateMlPerH: rate, mg, totalMg: 40 });
  });
});

describe('recordMarkers: doses, devices, PRNs and adverse events on the time axis', () => {
  const state = treated(10);
  const device = (m: number, n: number, lot?: string) =>
    entry(m, { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', device: n, ...(lot === undefined ? {} : { lot }) });
  const record = deriveSessionRecord({
    protocol: esketamineProtocol,
    state,
    entries: [
      device(10, 1, 'AB12'),
      device(15, 2, 'AB12'),
      device(20, 3),
      entry(30, { type: 'adverse-event', kind: 'nausea', severity: 'moderate', serious: false }),
      entry(32, { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'odt', indication: 'nausea' }),
      entry(47, { type: 'prn-reassessed', prnSeq: seq, response: 'settled' }),
    ],
  });

  it('in time order, devices by number with their lot, PRN and AE coded per kind', () => {
    const markers = recordMarkers(record, at(0), at(120));
    expect(markers.map((m) => [m.kind, m.code, (m.atMs - t0) / min, m.name])).toEqual([
      ['device', '1', 10, 'Device 1'],
      ['device', '2', 15, 'Device 2'],
      ['device', '3', 20, 'Device 3'],
      ['adverse-event', 'A1', 30, 'Adverse event A1'],
      ['prn', 'P1', 32, 'PRN P1'],
    ]);
    expect(markers[0]?.text).toBe('esketamine 28 mg intranasal, lot AB12');
    expect(markers[2]?.text).toContain('lot not recorded');
    expect(markers[3]?.text).toBe('nausea, moderate');
    expect(markers[4]).toMatchObject({ text: 'ondansetron 4 mg odt for nausea', reassessment: { atMs: at(47), response: 'settled' } });
  });

  it.each<[number, number, number[]]>([
    // axis minutes → rows (closer than a sixteenth of the axis: 2.5 min of 40, 7.5 min of 120); three rows, then round
    [0, 40, [0, 0, 0, 0, 1]],
    [0, 120, [0, 1, 2, 0, 1]],
  ])('staggers markers close in time: axis %d–%d min', (from, to, rows) => {
    expect(recordMarkers(record, at(from), at(to)).map((m) => m.row)).toEqual(rows);
  });

  it('only those within the axis', () => {
    expect(recordMarkers(record, at(14), at(21)).map((m) => m.code)).toEqual(['2', '3']);
  });
});

describe('scores and their due times', () => {
  const state = treated(10, 50);
  const moaa = (m: number, value: number) => entry(m, { type: 'score-recorded', scale: 'moaa-s', value });
  const cadss = (m: number, total: number) => entry(m, { type: 'score-recorded', scale: 'cadss-6', items: [total, 0, 0, 0, 0, 0] });
  const record = deriveSessionRecord({
    protocol: ivKetamineProtocol,
    state,
    entries: [moaa(5, 5), cadss(5, 0), moaa(27, 3), cadss(27, 4), moaa(50, 4), cadss(50, 2)],
  });

  it('scoreSeries: MOAA/S values and CADSS-6 totals in time order', () => {
    const { moaaS, cadss: c } = scoreSeries(record);
    expect(moaaS.map((p) => [(p.t - t0) / min, p.v])).toEqual([
      [5, 5],
      [27, 3],
      [50, 4],
    ]);
    expect(c.map((p) => p.v)).toEqual([0, 4, 2]);
  });

  it.each<[string, number, boolean]>([
    // dosing from minute 10: ~20 min at 30 (met by 27, 3 min early within the 5 min tolerance), ~40 min at 50, end at 50
    ['~20 min', 30, true],
    ['~40 min', 50, true],
    ['end of treatment', 50, true],
    ['until resolved', 80, false],
  ])('%s due at minute %d, met %s', (label, m, met) => {
    const marks = scoreDueMarks(ivKetamineProtocol, state, record, at(0), at(120));
    expect(marks.find((x) => x.label === label)).toMatchObject({ atMs: at(m), met });
  });

  it('a score earlier than the tolerance does not meet a due time', () => {
    const early = deriveSessionRecord({ protocol: ivKetamineProtocol, state: treated(10), entries: [moaa(24, 4), cadss(24, 2)] });
    expect(scoreDueMarks(ivKetamineProtocol, treated(10), early, at(0), at(60)).map((m) => [m.label, m.met])).toEqual([
      ['~20 min', false],
      ['~40 min', false],
    ]);
  });
});

describe('what the chart draws of the record', () => {
  it.each<[string, RecordEntry[], SessionState, { dose: boolean; scores: boolean }]>([
    ['nothing recorded', [], treated(10), { dose: false, scores: false }],
    ['an infusion set up, treatment running', [entry(0, setUp)], treated(10), { dose: true, scores: true }],
    ['an infusion set up, not started', [entry(0, setUp)], initialSessionState(t0), { dose: true, scores: false }],
    ['only a pre-dose score', [entry(0, { type: 'score-recorded', scale: 'moaa-s', value: 5 })], initialSessionState(t0), { dose: false, scores: true }],
  ])('%s', (_name, entries, state, parts) => {
    expect(recordChartParts(deriveSessionRecord({ protocol: ivKetamineProtocol, state, entries }), state)).toEqual(parts);
  });

  it('sessionRecordOf derives the record from the events when the summary carries none', () => {
    const state = treated(10);
    const events = [{ seq: 1, type: 'infusion-set', at: new Date(at(0)).toISOString(), username: 'nurse', payload: setUp as Record<string, unknown> }];
    expect(sessionRecordOf({ protocol: ivKetamineProtocol, state, events })?.infusion?.totalMg).toBe(40);
    expect(sessionRecordOf({ protocol: ivKetamineProtocol, state })).toBeNull();
  });
});
