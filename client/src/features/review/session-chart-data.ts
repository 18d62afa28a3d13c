import { type Alert, type AlertPriority, type Reading, type SessionDetail, clinicOffsetMinutes, sessionEndedAtMs } from '@chairside/shared';
import { currentLimitFields } from '../../lib/alert-limits';
import { type RecordChartView, cadssAxisTop, recordChartView, sessionRecordOf } from '../../lib/record-chart';
import { type SeriesPoint, downsampleMinMax } from '../../lib/downsample';
import { type TrendField, type TrendPoint, seriesOf } from '../../lib/trend-series';

/*
 * What the session chart draws, from the report's readings and alerts; pure. The readings are thinned
 * for display only (min/max per time slice, so a spike survives); the table and exports keep all.
 */

/** Enough for a page-wide chart; a zoom thins only what is in view, so detail comes back. */
export const displayBuckets = 300;
/** Longer than this without a value breaks the line (observation BP is every 15 min). */
export const maxGapMs = 20 * 60 * 1000;

export function trendPointsOf(readings: readonly Reading[]): TrendPoint[] {
  return readings
    .map((r) => ({
      seq: r.seq,
      t: Date.parse(r.measuredAt),
      systolic: r.systolic,
      diastolic: r.diastolic,
      mean: r.mean,
      heartRate: r.heartRate,
      spo2: r.spo2,
      respRate: r.respRate,
    }))
    .filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t || a.seq - b.seq);
}

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** The whole session: check-in (or an earlier attached reading) to its end (or `asOfMs` while it runs). */
export function sessionRange(session: Pick<SessionDetail, 'state'>, points: readonly TrendPoint[], asOfMs: number): TimeRange {
  const first = points[0]?.t ?? Infinity;
  const last = points.at(-1)?.t ?? -Infinity;
  const end = sessionEndedAtMs(session.state) ?? asOfMs;
  const fromMs = Math.min(session.state.checkedInAtMs, first);
  const toMs = Math.max(end, last, fromMs + 60_000);
  return { fromMs, toMs };
}

/** One vital within the range, thinned for display. */
export function visibleSeries(points: readonly TrendPoint[], field: TrendField, range: TimeRange, buckets = displayBuckets): SeriesPoint[] {
  return downsampleMinMax(seriesOf(points, field, range.fromMs, range.toMs, maxGapMs), buckets);
}

export interface AlertMark {
  key: string;
  kind: 'raised' | 'acknowledged';
  atMs: number;
  priority: AlertPriority;
  label: string;
}

/** Every alert's onset and every acknowledgement, oldest first. */
export function alertMarks(alerts: readonly Alert[]): AlertMark[] {
  const marks: AlertMark[] = [];
  for (const alert of alerts) {
    marks.push({ key: `${alert.id}:raised`, kind: 'raised', atMs: alert.raisedAtMs, priority: alert.priority, label: alert.label });
    alert.acknowledgements.forEach((ack, i) => {
      marks.push({ key: `${alert.id}:ack:${i}`, kind: 'acknowledged', atMs: ack.atMs, priority: ack.priority, label: `${alert.label} acknowledged by ${ack.by.username}` });
    });
  }
  return marks.sort((a, b) => a.atMs - b.atMs);
}

export interface LimitLine {
  id: string;
  value: number;
  priority: AlertPriority;
  label: string;
}

/** The session's SBP and SpO₂ alarm limits (its own, when a clinician changed them), as horizontal lines. */
export function limitLines(alertLimits: unknown): { bp: LimitLine[]; spo2: LimitLine[] } {
  const fields = currentLimitFields(alertLimits);
  const pick = (id: string, label: (v: number) => string): LimitLine[] => {
    const field = fields.find((f) => f.id === id);
    return field === undefined ? [] : [{ id, value: field.value, priority: field.priority, label: label(field.value) }];
  };
  return {
    bp: [...pick('bp-severe.systolicMmHg', (v) => `SBP ${v}`), ...pick('bp-crisis.systolicMmHg', (v) => `SBP ${v}`)],
    spo2: [...pick('spo2-low.spo2Percent', (v) => `SpO₂ ${v}`), ...pick('spo2-very-low.spo2Percent', (v) => `SpO₂ ${v}`)],
  };
}

const tickStepsMin = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720];

/** Axis ticks on round clinic wall-clock times (10:00, 10:15 …), at most about `target` of them. */
export function clinicTicks(range: TimeRange, timeZone: string, target = 8): number[] {
  const spanMin = (range.toMs - range.fromMs) / 60_000;
  const stepMin = tickStepsMin.find((step) => spanMin / step <= target) ?? 1440;
  const stepMs = stepMin * 60_000;
  const offsetMs = clinicOffsetMinutes(range.fromMs, timeZone) * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil((range.fromMs + offsetMs) / stepMs) * stepMs - offsetMs; t <= range.toMs; t += stepMs) ticks.push(t);
  return ticks;
}

/** The range twice as wide around its middle, within `full`. */
export function zoomedOut(range: TimeRange, full: TimeRange): TimeRange {
  const width = (range.toMs - range.fromMs) * 2;
  const middle = (range.fromMs + range.toMs) / 2;
  let fromMs = Math.max(full.fromMs, middle - width / 2);
  const toMs = Math.min(full.toMs, fromMs + width);
  fromMs = Math.max(full.fromMs, toMs - width);
  return { fromMs, toMs };
}

/** A drag across the chart, inside the session; narrower than a minute (or a 20th of a short session) is a slip. */
export function zoomRange(aMs: number, bMs: number, full: TimeRange): TimeRange | null {
  const fromMs = Math.max(full.fromMs, Math.min(aMs, bMs));
  const toMs = Math.min(full.toMs, Math.max(aMs, bMs));
  const narrowest = Math.min(60_000, (full.toMs - full.fromMs) / 20);
  return toMs - fromMs >= narrowest ? { fromMs, toMs } : null;
}

/** A y-axis range on round numbers that holds every value and every limit line. */
export function valueDomain(series: readonly (readonly SeriesPoint[])[], lines: readonly number[], floor: { min: number; max: number }, step: number): [number, number] {
  let min = floor.min;
  let max = floor.max;
  for (const s of series) {
    for (const p of s) {
      if (p.v === null) continue;
      if (p.v < min) min = p.v;
      if (p.v > max) max = p.v;
    }
  }
  for (const v of lines) max = Math.max(max, v);
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step];
}

/**
 * The session record over the chart's range (client/src/lib/record-chart.ts): the dose pane's rate and markers, the
 * scores and their due times, as of the session's end (or `asOfMs` while it runs). Null when the session has no record
 * (a report built before it existed) or nothing in it to draw.
 */
export function recordChartOf(session: Pick<SessionDetail, 'protocol' | 'state' | 'record' | 'events'>, range: TimeRange, asOfMs: number): RecordChartView | null {
  const record = sessionRecordOf(session);
  if (record === null) return null;
  const view = recordChartView(session.protocol, session.state, record, sessionEndedAtMs(session.state) ?? asOfMs, range.fromMs, range.toMs);
  return view.parts.dose || view.parts.scores ? view : null;
}

/** The CADSS-6 axis: 0 to a multiple of 4 at least 2 above the highest total (at least 8), at most 24. */
export function cadssDomain(view: Pick<RecordChartView, 'cadss'>): [number, number] {
  return [0, cadssAxisTop(view.cadss)];
}
