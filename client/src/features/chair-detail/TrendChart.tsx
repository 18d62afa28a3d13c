import { createContext, memo, use, useDeferredValue, useMemo, useState } from 'react';
import { type BaseTickContentProps, CartesianGrid, Line, LineChart, XAxis, YAxis } from 'recharts';
import type { LatestVitals } from '@chairside/shared';
import type { TrendBucket, TrendField } from '@chairside/shared';
import { formatClock } from '../chairs/vital-format';
import { timeTicks } from './time-ticks';
import { trendColors } from './trend-colors';
import type { SeriesPoint } from './downsample';
import { bucketSeries, sameSeries, sliceWidthMs, withNewest } from './trend-series';

interface TrendChartProps {
  /** The chair's trend buckets (the store's display resolution). */
  trend: readonly TrendBucket[];
  /** The chair's newest values: each line ends at its current value. */
  latest: LatestVitals | undefined;
  /** Width of one of those buckets. */
  bucketMs: number;
  /** The period to show, ending now. */
  fromMs: number;
  toMs: number;
  tickStepMs: number;
  /** Hold the chart's place without building it yet (nothing to draw, the first readings on their way). */
  waiting?: boolean;
}

/** Slices across the chart, each drawn as its low and high: hours of per-second data draw as fast as minutes. */
const displayBuckets = 240;
/** Longer than this without a value breaks the line (observation BP is every 15 min). */
const maxGapMs = 20 * 60 * 1000;
/** Sparse series (cuff BP, manual entries) show their points. */
const dotsBelow = 60;

/**
 * One line's points, memoized; the previous array is kept while its points stay the same (a reading
 * of another vital, a page of older readings outside the period), so recharts leaves that line be.
 */
function useSeries(
  trend: readonly TrendBucket[],
  field: TrendField,
  newest: { measuredAt: string; value: number | null } | null | undefined,
  fromMs: number,
  toMs: number,
  sliceMs: number,
): readonly SeriesPoint[] {
  const newestT = newest === null || newest === undefined || newest.value === null ? null : Date.parse(newest.measuredAt);
  const newestV = newest?.value ?? null;
  const next = useMemo(
    () => withNewest(bucketSeries(trend, field, fromMs, toMs, sliceMs, maxGapMs), newestT === null || newestV === null ? null : { t: newestT, v: newestV }, fromMs, maxGapMs),
    [trend, field, newestT, newestV, fromMs, toMs, sliceMs],
  );
  const [shown, setShown] = useState(next);
  if (shown === next || sameSeries(shown, next)) return shown;
  setShown(next);
  return next;
}

const noDot = false as const;
const dots = {
  bp: { r: 3, fill: trendColors.bp, stroke: trendColors.bp },
  heartRate: { r: 3, fill: trendColors.heartRate, stroke: trendColors.heartRate },
  spo2: { r: 3, fill: trendColors.spo2, stroke: trendColors.spo2 },
  respRate: { r: 3, fill: trendColors.respRate, stroke: trendColors.respRate },
};

function dotFor(series: readonly SeriesPoint[], dot: (typeof dots)[keyof typeof dots]) {
  return series.length <= dotsBelow ? dot : noDot;
}

const roundDown = (step: number, floor: number) => (min: number) => Math.min(floor, Math.floor(min / step) * step);
const roundUp = (step: number, ceiling: number) => (max: number) => Math.max(ceiling, Math.ceil(max / step) * step);

// Everything recharts compares by identity is made once: a new margin, style or domain on each render
// makes every axis and line register again with the chart and recompute.
const domains = {
  mmHg: [roundDown(20, 60), roundUp(20, 180)],
  rate: [roundDown(20, 40), roundUp(20, 140)],
  pct: [roundDown(5, 85), 100],
  rr: [0, roundUp(10, 30)],
} as const;
const margin = { top: 8, right: 4, bottom: 0, left: 4 };
const bpChartStyle = { width: '100%', height: 260 };
const spo2ChartStyle = { width: '100%', height: 180 };
const bpWaitingStyle = { height: 260 };
const spo2WaitingStyle = { height: 180 };
const common = { type: 'linear', dataKey: 'v', isAnimationActive: false, activeDot: false, strokeWidth: 2 } as const;
const grid = <CartesianGrid stroke={trendColors.grid} strokeDasharray="3 6" vertical={false} />;

interface LegendItem {
  label: string;
  color: string;
  dashed?: boolean;
}

function Legend({ items }: { items: LegendItem[] }) {
  return (
    <ul className="trend__legend" aria-hidden="true">
      {items.map((item) => (
        <li key={item.label}>
          <span className={`trend__swatch${item.dashed === true ? ' trend__swatch--dashed' : ''}`} style={{ borderColor: item.color }} />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/**
 * An axis label as plain SVG text. Recharts' own label measures every word in the DOM to wrap it
 * (a forced layout per tick, tens of ms per chart); a time or a round number never wraps.
 */
function tickLabel(format: (value: number) => string) {
  return function TickLabel({ x, y, textAnchor, verticalAnchor, payload }: BaseTickContentProps) {
    const dy = verticalAnchor === 'start' ? '0.71em' : verticalAnchor === 'end' ? '0' : '0.355em';
    return (
      <text x={x} y={y} dy={dy} textAnchor={textAnchor} fill={trendColors.axis} fontSize={13} className="recharts-cartesian-axis-tick-value">
        {format(Number(payload.value))}
      </text>
    );
  };
}

const TimeTick = tickLabel(formatClock);
const ValueTick = tickLabel(String);
/** Recharts' few round value ticks on a fixed-width axis never collide: skip checking them for overlap. */
const valueAxis = { width: 44, interval: 0, tick: ValueTick, stroke: trendColors.grid } as const;

/** The shared time axis, one object while the period and the clock stay put. */
interface TimeAxis {
  domain: [number, number];
  ticks: number[];
}

function timeAxis(time: TimeAxis) {
  return (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={time.domain}
      allowDataOverflow
      ticks={time.ticks}
      // Every tick shown: they are round times far apart, so recharts need not measure each label for overlap.
      interval={0}
      tick={TimeTick}
      stroke={trendColors.grid}
    />
  );
}

/** How one line looks; made once, so its element can be kept while its points stay the same. */
interface LineLook {
  yAxisId: string;
  name: string;
  stroke: string;
  strokeWidth?: number;
  strokeDasharray?: string;
  /** Dots for a sparse series (cuff BP, manual entries); never for MAP. */
  dot: (typeof dots)[keyof typeof dots] | typeof noDot;
}

const looks = {
  systolic: { yAxisId: 'mmHg', name: 'Systolic', stroke: trendColors.bp, dot: dots.bp },
  diastolic: { yAxisId: 'mmHg', name: 'Diastolic', stroke: trendColors.bp, dot: dots.bp },
  mean: { yAxisId: 'mmHg', name: 'MAP', stroke: trendColors.mean, strokeWidth: 1.5, strokeDasharray: '5 5', dot: noDot },
  heartRate: { yAxisId: 'rate', name: 'Heart rate', stroke: trendColors.heartRate, dot: dots.heartRate },
  spo2: { yAxisId: 'pct', name: 'SpO₂', stroke: trendColors.spo2, dot: dots.spo2 },
  respRate: { yAxisId: 'rr', name: 'Respiratory rate', stroke: trendColors.respRate, strokeWidth: 1.5, dot: dots.respRate },
} satisfies Record<TrendField, LineLook>;

type PanelSeries = Partial<Record<TrendField, readonly SeriesPoint[]>>;

/**
 * The panels' points reach their lines through context: a new reading re-renders the lines whose
 * points changed and not the chart around them (recharts re-registers a whole chart's options on
 * each render of the chart itself, ~10 ms).
 */
const SeriesContext = createContext<PanelSeries>({});
const noPoints: readonly SeriesPoint[] = [];

/** One line, the same element while its points stay the same, so React skips it when another line changes. */
function LiveLine({ field }: { field: TrendField }) {
  const data = use(SeriesContext)[field] ?? noPoints;
  const look: LineLook = looks[field];
  return useMemo(() => <Line {...common} {...look} data={data} dot={look.dot === noDot ? noDot : dotFor(data, look.dot)} />, [data, look]);
}

const axes = {
  mmHg: <YAxis {...valueAxis} yAxisId="mmHg" domain={domains.mmHg} />,
  rate: <YAxis {...valueAxis} yAxisId="rate" orientation="right" domain={domains.rate} />,
  pct: <YAxis {...valueAxis} yAxisId="pct" domain={domains.pct} />,
  rr: <YAxis {...valueAxis} yAxisId="rr" orientation="right" domain={domains.rr} />,
};

const bpLegend = (
  <Legend
    items={[
      { label: 'SBP / DBP mmHg', color: trendColors.bp },
      { label: 'MAP', color: trendColors.mean, dashed: true },
      { label: 'HR /min', color: trendColors.heartRate },
    ]}
  />
);

const spo2Legend = (
  <Legend
    items={[
      { label: 'SpO₂ %', color: trendColors.spo2 },
      { label: 'RR /min', color: trendColors.respRate },
    ]}
  />
);

interface BpPanelProps {
  time: TimeAxis;
  systolic: readonly SeriesPoint[];
  diastolic: readonly SeriesPoint[];
  mean: readonly SeriesPoint[];
  heartRate: readonly SeriesPoint[];
  waiting: boolean;
}

/** BP with HR on a second axis. Memoized: a page of older readings outside the period redraws nothing. */
const BpPanel = memo(function BpPanel({ time, systolic, diastolic, mean, heartRate, waiting }: BpPanelProps) {
  const series = useMemo(() => ({ systolic, diastolic, mean, heartRate }), [systolic, diastolic, mean, heartRate]);
  // The chart itself changes only with the time axis.
  const chart = useMemo(
    () => (
      <LineChart responsive style={bpChartStyle} margin={margin}>
        {grid}
        {timeAxis(time)}
        {axes.mmHg}
        {axes.rate}
        <LiveLine field="systolic" />
        <LiveLine field="diastolic" />
        <LiveLine field="mean" />
        <LiveLine field="heartRate" />
      </LineChart>
    ),
    [time],
  );
  return (
    <figure className="trend__panel">
      <figcaption className="trend__caption">
        <span>Blood pressure and heart rate</span>
        {bpLegend}
      </figcaption>
      {waiting ? <div className="trend__waiting" style={bpWaitingStyle} /> : <SeriesContext value={series}>{chart}</SeriesContext>}
    </figure>
  );
});

interface Spo2PanelProps {
  time: TimeAxis;
  spo2: readonly SeriesPoint[];
  respRate: readonly SeriesPoint[];
  waiting: boolean;
}

/** SpO₂ with RR on a second axis, below the BP panel on the same time axis. */
const Spo2Panel = memo(function Spo2Panel({ time, spo2, respRate, waiting }: Spo2PanelProps) {
  const series = useMemo(() => ({ spo2, respRate }), [spo2, respRate]);
  const chart = useMemo(
    () => (
      <LineChart responsive style={spo2ChartStyle} margin={margin}>
        {grid}
        {timeAxis(time)}
        {axes.pct}
        {axes.rr}
        <LiveLine field="spo2" />
        <LiveLine field="respRate" />
      </LineChart>
    ),
    [time],
  );
  return (
    <figure className="trend__panel">
      <figcaption className="trend__caption">
        <span>Oxygen saturation and respiration</span>
        {spo2Legend}
      </figcaption>
      {waiting ? <div className="trend__waiting" style={spo2WaitingStyle} /> : <SeriesContext value={series}>{chart}</SeriesContext>}
    </figure>
  );
});

/** Live trend of one chair: BP with HR on a second axis, and SpO₂ with RR below, on one time axis. */
export function TrendChart({ trend, latest, bucketMs, fromMs, toMs, tickStepMs, waiting = false }: TrendChartProps) {
  const periodMs = toMs - fromMs;
  const sliceMs = sliceWidthMs(periodMs, bucketMs, displayBuckets);
  // The axis advances a slice at a time (45 s over 3 h, under 1 % of its width), ending at or just
  // after now: in between, the clock changes nothing drawn and recharts is left alone.
  const endMs = Math.ceil(toMs / sliceMs) * sliceMs;
  const startMs = endMs - periodMs;
  const bp = latest?.bp;
  const systolic = useSeries(trend, 'systolic', bp && { measuredAt: bp.measuredAt, value: bp.systolic }, startMs, endMs, sliceMs);
  const diastolic = useSeries(trend, 'diastolic', bp && { measuredAt: bp.measuredAt, value: bp.diastolic }, startMs, endMs, sliceMs);
  const mean = useSeries(trend, 'mean', bp && { measuredAt: bp.measuredAt, value: bp.mean }, startMs, endMs, sliceMs);
  const heartRate = useSeries(trend, 'heartRate', latest?.heartRate, startMs, endMs, sliceMs);
  const spo2 = useSeries(trend, 'spo2', latest?.spo2, startMs, endMs, sliceMs);
  const respRate = useSeries(trend, 'respRate', latest?.respRate, startMs, endMs, sliceMs);
  const time = useMemo((): TimeAxis => ({ domain: [startMs, endMs], ticks: timeTicks(startMs, endMs, tickStepMs) }), [startMs, endMs, tickStepMs]);
  // A reading or the axis moving changes both panels: the lower one follows in a task of its own,
  // right after the upper one, so the page never waits for both at once. The first draw is not
  // held back (the chart appears whole).
  const lowerNow = useMemo(() => ({ time, spo2, respRate, waiting }), [time, spo2, respRate, waiting]);
  const lowerDeferred = useDeferredValue(lowerNow);
  const lower = lowerDeferred.waiting === waiting ? lowerDeferred : lowerNow;

  return (
    <div className="trend">
      <BpPanel time={time} systolic={systolic} diastolic={diastolic} mean={mean} heartRate={heartRate} waiting={waiting} />
      <Spo2Panel {...lower} />
    </div>
  );
}
