import { describe, expect, it } from 'vitest';
import { alertAt, at, bpReading, dischargedState, reportFixture, sessionEvent } from './review-fixtures';
import { alertMarks, cadssDomain, clinicTicks, recordChartOf, limitLines, sessionRange, trendPointsOf, valueDomain, visibleSeries, zoomRange, zoomedOut } from './session-chart-data';
import { initialSessionState } from '@chairside/shared';

const state = { ...initialSessionState(at(0)), ...dischargedState };

describe('session chart data', () => {
  it('spans the whole session, an attached earlier reading included', () => {
    const points = trendPointsOf([bpReading(2, 30, 150, 92), bpReading(1, -5, 128, 80)]);
    expect(points.map((p) => p.seq)).toEqual([1, 2]);
    expect(sessionRange({ state }, points, at(500))).toEqual({ fromMs: at(-5), toMs: at(115) });
    // A running session runs to now.
    expect(sessionRange({ state: { ...state, dischargedAtMs: null } }, points, at(130))).toEqual({ fromMs: at(-5), toMs: at(130) });
  });

  it('thins a long series for display only, keeping a spike', () => {
    const readings = Array.from({ length: 7200 }, (_, i) => ({ ...bpReading(i + 1, i / 60, 120, 80), heartRate: i === 3000 ? 160 : 80 }));
    const series = visibleSeries(trendPointsOf(readings), 'heartRate', { fromMs: at(0), toMs: at(120) });
    expect(series.length).toBeLessThanOrEqual(601);
    expect(series.some((p) => p.v === 160)).toBe(true);
  });

  it('marks each alert and each acknowledgement', () => {
    const marks = alertMarks([alertAt(1, 'high', 30, { min: 32, by: 'nina' }), alertAt(2, 'low', 20)]);
    expect(marks.map((m) => [m.kind, m.atMs, m.priority])).toEqual([
      ['raised', at(20), 'low'],
      ['raised', at(30), 'high'],
      ['acknowledged', at(32), 'high'],
    ]);
  });

  it('draws the session’s own SBP limits when a clinician changed them', () => {
    expect(limitLines(null).bp.map((l) => l.value)).toEqual([180, 200]);
    expect(limitLines({ 'bp-crisis': { systolicMmHg: 190 } }).bp.map((l) => [l.value, l.priority])).toEqual([
      [180, 'medium'],
      [190, 'high'],
    ]);
    expect(limitLines(null).spo2.length).toBeGreaterThan(0);
  });

  it('puts axis ticks on round clinic times', () => {
    // 09:07–11:00 UTC is 10:07–12:00 in Berlin: ticks every 15 min from 10:15 Berlin time.
    const ticks = clinicTicks({ fromMs: Date.parse('2026-11-22T09:07:00Z'), toMs: Date.parse('2026-11-22T11:00:00Z') }, 'Europe/Berlin');
    expect(ticks[0]).toBe(Date.parse('2026-11-22T09:15:00Z'));
    expect(ticks.length).toBeLessThanOrEqual(8);
    // Kathmandu is UTC+05:45: round local hours are not round UTC hours.
    const kathmandu = clinicTicks({ fromMs: Date.parse('2026-11-22T00:00:00Z'), toMs: Date.parse('2026-11-22T06:00:00Z') }, 'Asia/Kathmandu');
    expect(kathmandu[0]).toBe(Date.parse('2026-11-22T00:15:00Z'));
  });

  it('zooms to a dragged stretch within the session, and out again', () => {
    const full = { fromMs: at(0), toMs: at(120) };
    expect(zoomRange(at(60), at(30), full)).toEqual({ fromMs: at(30), toMs: at(60) });
    expect(zoomRange(at(30), at(30.5), full)).toBeNull();
    // In a short session, a drag of less than a minute still zooms.
    expect(zoomRange(at(1), at(1.5), { fromMs: at(0), toMs: at(2) })).toEqual({ fromMs: at(1), toMs: at(1.5) });
    expect(zoomRange(at(-10), at(20), full)).toEqual({ fromMs: at(0), toMs: at(20) });
    expect(zoomedOut({ fromMs: at(30), toMs: at(60) }, full)).toEqual({ fromMs: at(15), toMs: at(75) });
    expect(zoomedOut({ fromMs: at(0), toMs: at(80) }, full)).toEqual(full);
  });

  it('fits the y axis to values and limit lines on round numbers', () => {
    expect(valueDomain([[{ t: 0, v: 187 }, { t: 1, v: null }]], [180, 200], { min: 60, max: 160 }, 20)).toEqual([60, 200]);
    expect(valueDomain([[{ t: 0, v: 212 }, { t: 1, v: 45 }]], [180], { min: 60, max: 160 }, 20)).toEqual([40, 220]);
  });
});

describe('the session record on the report chart', () => {
  const infusionSet = sessionEvent(1, 1, { type: 'infusion-set', payload: { type: 'infusion-set', drug: 'ketamine', weightKg: 80, doseMgPerKg: 0.5, concentrationMgPerMl: 1, rateMlPerH: 60 } });
  const session = (events: ReturnType<typeof sessionEvent>[]) => reportFixture({ events }).input.session;

  it('derives it from the events when the detail carries no record, as of the end of the session', () => {
    const view = recordChartOf(session([infusionSet]), { fromMs: at(0), toMs: at(115) }, at(200));
    // 60 mL/h of 1 mg/mL from 09:10: the 40 mg are in at 09:50, the end of treatment.
    expect(view?.segments.map((s) => [s.kind, s.fromMs, s.toMs, s.mgAtEnd])).toEqual([['running', at(10), at(50), 40]]);
    expect(view?.parts).toEqual({ dose: true, scores: true });
  });

  it('nothing to draw: null', () => {
    expect(recordChartOf(session([]), { fromMs: at(0), toMs: at(115) }, at(200))).toBeNull();
  });

  it.each<[number[], [number, number]]>([
    [[], [0, 8]],
    [[6], [0, 8]],
    [[7], [0, 12]],
    [[22], [0, 24]],
    [[24], [0, 24]],
  ])('CADSS-6 totals %j → axis %j', (totals, domain) => {
    expect(cadssDomain({ cadss: totals.map((v, i) => ({ t: i, v })) })).toEqual(domain);
  });
});
