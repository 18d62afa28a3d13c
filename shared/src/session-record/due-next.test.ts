import { describe, expect, it } from 'vitest';
import { esketamineProtocol } from '../session/protocol';
import { initialSessionState, type SessionState } from '../session/session-state';
import { at, t0 } from '../session/test-fixtures';
import { dueAt, dueStatus, mostUrgentDue, nextDeviceAt, openReassessments } from './due-next';
import type { RecordEventInput } from './record-events';
import { type DueItem, type RecordEntry, deriveSessionRecord } from './session-record';

const item = (kind: DueItem['kind'], id: string, minutes: number): DueItem => ({ kind, id, label: id, dueAtMs: at(minutes) });

describe('dueStatus: upcoming before its time, due up to 1 min past it, overdue after', () => {
  it.each<[number, string]>([
    [180_000, 'upcoming'],
    [1, 'upcoming'],
    [0, 'due'],
    [-59_999, 'due'],
    [-60_000, 'due'],
    [-60_001, 'overdue'],
    [-120_000, 'overdue'],
  ])('due in %i ms → %s', (dueInMs, status) => {
    expect(dueStatus(dueInMs)).toBe(status);
  });
});

describe('mostUrgentDue: the earliest due time leads; on a tie the eyes-on check, then a reassessment, then a score', () => {
  it.each<[string, DueItem[], number, string | null, string | null]>([
    // name, open items, now (min from t0) → leading id, its status
    ['nothing open', [], 10, null, null],
    ['a score due in 3 min', [item('score', 'score:20-min', 13)], 10, 'score:20-min', 'upcoming'],
    ['rounding 2 min overdue before a score due in 3 min', [item('score', 'score:20-min', 13), item('rounding', 'rounding', 8)], 10, 'rounding', 'overdue'],
    ['a reassessment due now before a rounding later', [item('rounding', 'rounding', 15), item('reassessment', 'reassessment:7', 10)], 10, 'reassessment:7', 'due'],
    ['same minute: rounding before reassessment before score', [item('score', 'score:40-min', 20), item('reassessment', 'reassessment:9', 20), item('rounding', 'rounding', 20)], 10, 'rounding', 'upcoming'],
    ['same minute: reassessment before score', [item('score', 'score:40-min', 20), item('reassessment', 'reassessment:9', 20)], 10, 'reassessment:9', 'upcoming'],
  ])('%s', (_name, due, nowMin, id, status) => {
    const next = mostUrgentDue(due, at(nowMin));
    expect(next?.item.id ?? null).toBe(id);
    expect(next?.status ?? null).toBe(status);
  });

  it('dueAt lists every item with its time left, most urgent first, without reordering the input', () => {
    const due = [item('score', 'score:20-min', 13), item('rounding', 'rounding', 8)];
    expect(dueAt(due, at(10)).map((d) => [d.item.id, d.dueInMs / 60_000, d.status])).toEqual([
      ['rounding', -2, 'overdue'],
      ['score:20-min', 3, 'upcoming'],
    ]);
    expect(due[0]?.id).toBe('score:20-min');
  });
});

let seq = 0;
const entry = (minutes: number, body: RecordEventInput): RecordEntry => {
  seq += 1;
  return { seq, type: body.type, atMs: at(minutes), username: 'nurse', payload: body };
};
const treated: SessionState = { ...initialSessionState(t0), phase: 'treatment', treatmentStartedAtMs: at(10) };
const device = (minutes: number, n: number, lot?: string) =>
  entry(minutes, { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', device: n, ...(lot === undefined ? {} : { lot }) });

describe('nextDeviceAt: the next device, the previous lot, the rest left', () => {
  it.each<[string, RecordEntry[], number, { device: number; lot: string | null; restLeftMin: number } | null]>([
    ['none given: device 1, no lot, no rest', [], 10, { device: 1, lot: null, restLeftMin: 0 }],
    ['device 1 at 10, now 12: device 2, its lot, 3 min left', [device(10, 1, 'LOT-A')], 12, { device: 2, lot: 'LOT-A', restLeftMin: 3 }],
    ['device 1 at 10, now 15: rest over exactly', [device(10, 1, 'LOT-A')], 15, { device: 2, lot: 'LOT-A', restLeftMin: 0 }],
    ['device 1 at 10, now 20: rest long over', [device(10, 1, 'LOT-A')], 20, { device: 2, lot: 'LOT-A', restLeftMin: 0 }],
    ['device 2 without a lot keeps device 1’s', [device(10, 1, 'LOT-A'), device(15, 2)], 16, { device: 3, lot: 'LOT-A', restLeftMin: 4 }],
    ['all three given: none', [device(10, 1, 'L'), device(15, 2, 'L'), device(20, 3, 'L')], 21, null],
  ])('%s', (_name, entries, nowMin, expected) => {
    const record = deriveSessionRecord({ protocol: esketamineProtocol, state: treated, entries });
    const next = nextDeviceAt(record, at(nowMin));
    expect(next === null ? null : { device: next.device, lot: next.lot, restLeftMin: next.restLeftMs / 60_000 }).toEqual(expected);
  });
});

describe('openReassessments: PRNs not yet reassessed, the one due first leading', () => {
  it('lists open ones only, by due time', () => {
    const a = entry(12, { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'odt', indication: 'nausea', reassessInMin: 30 });
    const b = entry(14, { type: 'prn-given', drug: 'labetalol', doseMg: 10, route: 'iv', indication: 'BP surge', reassessInMin: 5 });
    const c = entry(15, { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'iv', indication: 'vomiting' });
    const done = entry(16, { type: 'prn-reassessed', prnSeq: c.seq, response: 'settled' });
    const record = deriveSessionRecord({ protocol: esketamineProtocol, state: treated, entries: [a, b, c, done] });
    expect(openReassessments(record).map((p) => p.drug)).toEqual(['labetalol', 'ondansetron']);
    expect(openReassessments(record).map((p) => p.seq)).toEqual([b.seq, a.seq]);
  });
});
