import { describe, expect, it } from 'vitest';
import type { SessionEventView } from '../schemas/session';
import { esketamineProtocol, ivKetamineProtocol } from '../session/protocol';
import { recordEntryViews, recordEventText, recordFieldsLine, recordReport } from './record-report';
import { at, sessionDetail } from './test-fixtures';

/* Minutes from check-in; an entry written at `written` that happened at `happened` (default: then). */
function entry(seq: number, written: number, payload: Record<string, unknown>, happened: number | null = written, username = 'nina'): SessionEventView {
  return {
    seq,
    type: String(payload['type']),
    at: new Date(at(written)).toISOString(),
    username,
    role: 'nurse',
    fromPhase: null,
    toPhase: null,
    payload: happened === null ? payload : { ...payload, occurredAtMs: at(happened) },
  };
}

const check = (seq: number, minutes: number, status = 'comfortable') => entry(seq, minutes, { type: 'rounding-check', status });

describe('recordEntryViews', () => {
  it('marks a correction both ways; the correction keeps the moment of the entry it corrects unless it has its own', () => {
    const session = sessionDetail([], { treatmentStarted: 10 });
    session.events = [
      entry(1, 20, { type: 'score-recorded', scale: 'moaa-s', value: 4 }),
      entry(2, 25, { type: 'score-recorded', scale: 'moaa-s', value: 3, corrects: 1 }, null),
      entry(3, 26, { type: 'rounding-check', status: 'comfortable' }),
      // names an entry of another type: not a correction of it
      entry(4, 27, { type: 'rounding-check', status: 'other', corrects: 1 }),
    ];
    const views = recordEntryViews(session);
    expect(views.map((v) => [v.seq, v.atMs, v.corrects, v.correctedBy])).toEqual([
      [1, at(20), null, 2],
      [2, at(20), 1, null],
      [3, at(26), null, null],
      [4, at(27), 1, null],
    ]);
    expect(views[1]?.recordedAtMs).toBe(at(25));
  });

  it.each([
    // entry                                                                                                          CSV details
    [{ type: 'dose-given', drug: 'Esketamine', doseMg: 28, route: 'intranasal', device: 2, lot: 'L1', override: { reason: 'late' } }, 'drug=Esketamine; dose_mg=28; route=intranasal; device=2; lot=L1; override_reason=late'],
    [{ type: 'adverse-event', kind: 'headache', severity: 'severe', serious: true }, 'kind=headache; severity=severe; serious=yes'],
    [{ type: 'score-recorded', scale: 'cadss-6', items: [4, 4, 4, 4, 4, 4] }, 'scale=CADSS-6; items=4 4 4 4 4 4; total=24'],
    [{ type: 'escort-handoff', collectedBy: 'Sam', note: 'by taxi' }, 'collected_by=Sam; note=by taxi'],
  ])('flattens %o', (payload, line) => {
    const [view] = recordEntryViews({ ...sessionDetail([], {}, esketamineProtocol), events: [entry(1, 5, payload)] });
    expect(view && recordFieldsLine(view)).toBe(line);
  });

  it('leaves out what is not a record entry or no longer parses', () => {
    const session = sessionDetail([], {});
    session.events = [entry(1, 1, { type: 'note', text: 'x' }), entry(2, 2, { type: 'rounding-check', status: 'dancing' }), check(3, 3)];
    expect(recordEntryViews(session).map((v) => v.seq)).toEqual([3]);
    expect(recordEventText({ type: 'note', payload: { text: 'x' } }, ivKetamineProtocol)).toBeNull();
  });
});

describe('recordReport: eyes-on checks', () => {
  // Interval 15 min, overdue 5 min after: a gap of 20 min or more is past the margin.
  it.each([
    // checks (min)      end            longest gap           gaps past the margin
    // a tie keeps the first
    [[20, 35, 50], 60, { from: 20, to: 35 }, 0],
    [[20, 40], 60, { from: 20, to: 40 }, 2],
    [[29.9], 60, { from: 29.9, to: 60 }, 1],
    [[], 60, { from: 10, to: 60 }, 1],
  ])('checks at %o, discharged at %i: longest gap %o, %i past the margin', (checks, end, gap, overdue) => {
    const session = sessionDetail([], { treatmentStarted: 10, treatmentEnded: 40, discharged: end });
    session.events = checks.map((m, i) => check(i + 1, m));
    const { rounding } = recordReport(session, at(500));
    expect(rounding.longestGap).toEqual({ fromMs: at(gap.from), toMs: at(gap.to), ms: at(gap.to) - at(gap.from) });
    expect(rounding.overdueGaps).toBe(overdue);
    expect(rounding.count).toBe(checks.length);
  });

  it('runs the last gap of a running session to now', () => {
    const session = sessionDetail([], { treatmentStarted: 10 });
    session.events = [check(1, 15)];
    expect(recordReport(session, at(45)).rounding.longestGap).toEqual({ fromMs: at(15), toMs: at(45), ms: 30 * 60_000 });
  });
});

describe('recordReport: administration', () => {
  it('counts cumulative mg across the infusion, its pause and a rate change, and doses at their moment', () => {
    const session = sessionDetail([], { treatmentStarted: 10, treatmentEnded: 50, discharged: 100 });
    session.state = { ...session.state, pauses: [{ fromMs: at(20), toMs: at(25), reason: 'line' }] };
    session.events = [
      entry(1, 5, { type: 'infusion-set', drug: 'Ketamine', weightKg: 60, doseMgPerKg: 0.5, concentrationMgPerMl: 1, rateMlPerH: 60 }),
      entry(2, 30, { type: 'infusion-rate-changed', rateMlPerH: 30, reason: 'BP' }),
      entry(3, 35, { type: 'dose-given', drug: 'Ketamine', doseMg: 5, route: 'iv' }),
    ];
    const r = recordReport(session, at(200));
    // 60 mL/h × 1 mg/mL: 10 mg by 20 min, paused to 25, 5 mg more by 30; then 30 mL/h: 2.5 mg by 35 (+5 mg given), 7.5 more by 50
    expect(r.administration.map((a) => [a.what, a.cumulativeMg])).toEqual([
      ['Infusion set up', 0],
      ['Infusion started', 0],
      ['Rate changed', 15],
      ['Dose', 22.5],
      ['Infusion ended', 30],
    ]);
    expect(r.totalMg).toBe(30);
  });

  it('adds esketamine devices up and says which device and lot', () => {
    const session = sessionDetail([], { treatmentStarted: 10 }, esketamineProtocol);
    session.events = [1, 2].map((device) => entry(device, 5 + device * 5, { type: 'dose-given', drug: 'Esketamine', doseMg: 28, route: 'intranasal', device, lot: 'AB' }));
    const r = recordReport(session, at(30));
    expect(r.administration.map((a) => [a.what, a.lotDevice, a.cumulativeMg])).toEqual([
      ['Device 1', 'Device 1 · lot AB', 28],
      ['Device 2', 'Device 2 · lot AB', 56],
    ]);
    expect(r.totalMg).toBe(56);
  });
});
