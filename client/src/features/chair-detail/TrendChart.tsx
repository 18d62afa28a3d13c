import { type Alert, type AlertPriority, type LatestVitals, type Protocol, type SessionRecord, type SessionState, type TrendBucket, type TrendField, alertSymbol } from '@chairside/shared';
import { createContext, memo, use, useDeferredValue, useId, useMemo, useState } from 'react';
import { Line, LineChart, ReferenceArea, ReferenceLine, YAxis } from 'recharts';
import { formatClock } from '../../lib/vital-format';
import { type TimeAxis, ValueTick, grid, margin, timeAxis, valueAxisWidth, viewBoxOf } from './trend-chart-parts';
import type { SeriesPoint } from '../../lib/downsample';
import { timeTicks } from './time-ticks';
import { type AlarmMarker, type LimitLine, type PhaseBand, type PhaseBandKind, alarmMarkers, phaseBands } from './trend-annotations';
import { trendColors } from '../../lib/trend-colors';
import { type PaneId, extentOf, paneOf, paneScales, valueDomain, valueTicks } from './trend-panes';
import { tickStepMs } from './trend-periods';
import { bucketSeries, sameSeries, sliceWidthMs, withNewest } from '../../lib/trend-series';
import { type RecordChartView, type RecordMarker, doseSummary, rateStepsText, recordChartView, scoresText } from '../../lib/record-chart';
import { RecordMarkerList } from '../../lib/record-marks';
import { DosePane, ScorePanes, markerLines, useSame } from './TrendRecordPanes';
import { usePlotWidth } from './use-plot-width';

/** The session the chart is of: its phases become bands. */
export interface TrendSession {
  state: SessionState;
  /** The protocol's name for treatment: "Infusion", "Dosing". */
  treatmentLabel: string;
}

/** The session record beyond vitals the chart draws: a dose pane under BP, the scores under the vitals. */
export interface TrendRecord {
  record: SessionRecord;
  protocol: Pick<Protocol, 'kind' | 'record'>;
}

interface TrendChartProps {
  /** The chair's trend buckets (the store's display resolution). */
  trend: readonly TrendBucket[];
  /** The chair's newest values: each line ends at its current value. */
  latest: LatestVitals | undefined;
  /** Width of one of those buckets. */
  bucketMs: number;
  /** The instants to show; `toMs` is now. */
  fromMs: number;
  toMs: number;
  /** Values before this are not drawn (the chair's previous patient); default `fromMs`. */
  dataFromMs?: number;
  /** The chair's session, or null: phases as bands. */
  session?: TrendSession | null;
  /** The session's alert limits as lines. */
  limits?: readonly LimitLine[];
  /** The session's alerts, marked where they started. */
  alerts?: readonly Alert[];
  /** The session's record (doses, PRNs, adverse events, scores), or null. */
  record?: TrendRecord | null;
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

/** Alarm priorities as the alarm bar colours them (theme.css --alarm-*). */
const priorityColors: Record<AlertPriority, string> = { high: '#ff5c5c', medium: '#f5c542', low: '#5fd3e6' };
/** Beside colour, the line itself says the priority: solid high, dashed medium, dotted low. */
const priorityDash: Record<AlertPriority, string | undefined> = { high: undefined, medium: '6 3', low: '2 3' };

const bandFills: Record<PhaseBandKind, string> = {
  baseline: '#93a1b0',
  treatment: '#a78bfa',
  paused: '#f0a35e',
  observation: '#5fd3e6',
  discharged: '#7fdc9f',
};

/** The BP pane names the phases above its plot, clear of the lines and the limit labels. */
const bpMargin = { top: 20, right: 8, bottom: 0, left: 0 };
const common = { type: 'linear', dataKey: 'v', isAnimationActive: false, activeDot: false, strokeWidth: 2 } as const;

/** How one line looks; made once, so its element can be kept while its points stay the same. */
interface LineLook {
  name: string;
  stroke: string;
  strokeWidth?: number;
  strokeDasharray?: string;
  /** Dots for a sparse series (cuff BP, manual entries); never for MAP. */
  dot: (typeof dots)[keyof typeof dots] | typeof noDot;
}

const looks = {
  systolic: { name: 'Systolic', stroke: trendColors.bp, dot: dots.bp },
  diastolic: { name: 'Diastolic', stroke: trendColors.bp, dot: dots.bp },
  mean: { name: 'MAP', stroke: trendColors.mean, strokeWidth: 1.5, strokeDasharray: '5 5', dot: noDot },
  heartRate: { name: 'Heart rate', stroke: trendColors.heartRate, dot: dots.heartRate },
  spo2: { name: 'SpO₂', stroke: trendColors.spo2, dot: dots.spo2 },
  respRate: { name: 'Respiratory rate', stroke: trendColors.respRate, dot: dots.respRate },
} satisfies Record<TrendField, LineLook>;

type PaneSeries = Partial<Record<TrendField, readonly SeriesPoint[]>>;

/**
 * The panes' points reach their lines through context: a new reading re-renders the lines whose
 * points changed and not the chart around them (recharts re-registers a whole chart's options on
 * each render of the chart itself, ~10 ms).
 */
const SeriesContext = createContext<PaneSeries>({});
const noPoints: readonly SeriesPoint[] = [];

/** One line, the same element while its points stay the same, so React skips it when another line changes. */
function LiveLine({ field }: { field: TrendField }) {
  const data = use(SeriesContext)[field] ?? noPoints;
  const look: LineLook = looks[field];
  return useMemo(() => <Line {...common} {...look} yAxisId="v" data={data} dot={look.dot === noDot ? noDot : dotFor(data, look.dot)} />, [data, look]);
}

interface LegendItem {
  label: string;
  color: string;
  dashed?: boolean;
}

interface PaneLook {
  title: string;
  unit: string;
  fields: readonly TrendField[];
  /** Plot height in px; BP, the one a nurse reads most, is the tallest. */
  height: number;
  /** Times under the plot: on the top and bottom panes; those between share them. */
  timeLabels: boolean;
  legend: LegendItem[];
}

const paneLooks: Record<PaneId, PaneLook> = {
  bp: {
    title: 'Blood pressure',
    unit: 'mmHg',
    fields: ['systolic', 'diastolic', 'mean'],
    height: 222,
    timeLabels: true,
    legend: [
      { label: 'SBP / DBP', color: trendColors.bp },
      { label: 'MAP', color: trendColors.mean, dashed: true },
    ],
  },
  heartRate: { title: 'Heart rate', unit: '/min', fields: ['heartRate'], height: 118, timeLabels: false, legend: [] },
  spo2: { title: 'SpO₂', unit: '%', fields: ['spo2'], height: 118, timeLabels: false, legend: [] },
  respRate: { title: 'Respiratory rate', unit: '/min', fields: ['respRate'], height: 120, timeLabels: true, legend: [] },
};

const swatchColors: Record<PaneId, string> = { bp: trendColors.bp, heartRate: trendColors.heartRate, spo2: trendColors.spo2, respRate: trendColors.respRate };

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

/** A phase's name just above its band's left end, when the band is wide enough to hold it. */
function bandLabel(text: string) {
  return function BandLabel(props: unknown) {
    const { x, y, width } = viewBoxOf(props);
    if (width < text.length * 7 + 8) return <g />;
    return (
      <text x={x + 3} y={y - 5} fill={trendColors.axis} fontSize={12} fontWeight={600}>
        {text}
      </text>
    );
  };
}

/**
 * A limit line's name at its left end (the newest values and the alarm marks crowd the right),
 * above the line for a high limit, below for a low one.
 */
function limitLabel(line: LimitLine) {
  return function LimitLabel(props: unknown) {
    const { x, y } = viewBoxOf(props);
    return (
      <text x={x + 4} y={line.direction === 'high' ? y - 4 : y + 13} fill={priorityColors[line.priority]} fontSize={12}>
        {line.label}
      </text>
    );
  };
}

/** An alarm's number in a badge of its priority's colour at the top of its mark (lower for a crowded one). */
function markerLabel(marker: AlarmMarker) {
  return function MarkerLabel(props: unknown) {
    const { x, y: top } = viewBoxOf(props);
    const y = top + marker.row * 19;
    const text = String(marker.number);
    const w = 8 + text.length * 8;
    return (
      <g>
        <rect x={x - w / 2} y={y} width={w} height={17} rx={4} fill={priorityColors[marker.priority]} />
        <text x={x} y={y + 13} textAnchor="middle" fill="#0b1117" fontSize={12} fontWeight={700}>
          {text}
        </text>
      </g>
    );
  };
}

/** The bands, limits and markers of one pane, as recharts elements (made again only when they change). */
function annotations(pane: PaneId, bands: readonly PhaseBand[], limits: readonly LimitLine[], markers: readonly AlarmMarker[], recordMarkers: readonly RecordMarker[]) {
  return [
    ...markerLines(recordMarkers, 'v'),
    ...bands.map((band) => (
      <ReferenceArea
        key={`band-${band.kind}-${band.fromMs}`}
        yAxisId="v"
        x1={band.fromMs}
        x2={band.toMs}
        fill={bandFills[band.kind]}
        fillOpacity={0.09}
        ifOverflow="hidden"
        label={pane === 'bp' ? bandLabel(band.label) : undefined}
      />
    )),
    ...limits
      .filter((line) => paneOf(line.field) === pane)
      .map((line) => (
        <ReferenceLine
          key={`limit-${line.field}-${line.direction}`}
          yAxisId="v"
          y={line.value}
          stroke={priorityColors[line.priority]}
          strokeOpacity={0.75}
          strokeDasharray="4 4"
          ifOverflow="hidden"
          label={limitLabel(line)}
        />
      )),
    ...markers
      .filter((marker) => marker.pane === pane)
      .map((marker) => (
        <ReferenceLine
          key={`alarm-${marker.id}`}
          yAxisId="v"
          x={marker.atMs}
          stroke={priorityColors[marker.priority]}
          strokeWidth={2}
          strokeDasharray={priorityDash[marker.priority]}
          ifOverflow="hidden"
          label={markerLabel(marker)}
          className={`trend__marker trend__marker--${marker.priority}`}
        />
      )),
  ];
}

interface PaneProps {
  pane: PaneId;
  time: TimeAxis;
  series: PaneSeries;
  domain: [number, number];
  bands: readonly PhaseBand[];
  limits: readonly LimitLine[];
  markers: readonly AlarmMarker[];
  waiting: boolean;
  /** The plot's width in px (the trend's column, usePlotWidth); 0 until measured. */
  width: number;
  /** The record's markers, as lines across the pane (the BP pane). */
  recordMarkers?: readonly RecordMarker[];
  /** Times under the plot, when not as the pane's look says (the respiratory rate pane above the scores). */
  timeLabels?: boolean;
}

/** One pane: a vital (or BP's three) on its own value axis, on the shared time axis. Memoized: a page of older readings outside the period redraws nothing. */
const Pane = memo(function Pane({ pane, time, series, domain, bands, limits, markers, waiting, width, recordMarkers = noRecordMarkers, timeLabels }: PaneProps) {
  const look = paneLooks[pane];
  const labelled = timeLabels ?? look.timeLabels;
  const lines = useMemo(() => annotations(pane, bands, limits, markers, recordMarkers), [pane, bands, limits, markers, recordMarkers]);
  const ticks = useMemo(() => valueTicks(domain, paneScales[pane].maxTicks), [domain, pane]);
  // The chart itself changes only with the time axis, the value axis and what is drawn over the lines.
  const chart = useMemo(
    () => (
      <LineChart width={width} height={look.height} margin={pane === 'bp' ? bpMargin : margin}>
        {grid}
        {timeAxis(time, labelled)}
        <YAxis yAxisId="v" width={valueAxisWidth} interval={0} tick={ValueTick} stroke={trendColors.grid} domain={domain} ticks={ticks} allowDataOverflow />
        {lines}
        {look.fields.map((field) => (
          <LiveLine key={field} field={field} />
        ))}
      </LineChart>
    ),
    [pane, time, domain, ticks, lines, look, labelled, width],
  );
  return (
    <figure className={`trend__panel trend__panel--${pane}`}>
      <figcaption className="trend__caption">
        <span className="trend__title">
          <span className="trend__swatch" style={{ borderColor: swatchColors[pane] }} aria-hidden="true" />
          {look.title} <span className="trend__unit">{look.unit}</span>
        </span>
        {look.legend.length > 0 && <Legend items={look.legend} />}
      </figcaption>
      {waiting || width === 0 ? <div className="trend__waiting" style={{ height: look.height }} /> : <SeriesContext value={series}>{chart}</SeriesContext>}
    </figure>
  );
});

/** A pane's value axis from its points and its limit lines, the same array while the numbers stay. */
function useDomain(pane: PaneId, series: PaneSeries, limits: readonly LimitLine[]): [number, number] {
  const [lo, hi] = useMemo(() => {
    const points = paneLooks[pane].fields.map((field) => series[field] ?? noPoints);
    const values = limits.filter((line) => paneOf(line.field) === pane).map((line) => line.value);
    return valueDomain(extentOf(points), values, paneScales[pane]);
  }, [pane, series, limits]);
  return useMemo(() => [lo, hi], [lo, hi]);
}

const noLimits: readonly LimitLine[] = [];
const noAlerts: readonly Alert[] = [];
const noBands: readonly PhaseBand[] = [];
const noRecordMarkers: readonly RecordMarker[] = [];

/** "Baseline 10:02–10:17 · Infusion 10:17–10:57 · Observation 10:57–now", for a screen reader and a printout. */
function phaseSummary(bands: readonly PhaseBand[], endMs: number): string {
  return bands.map((band) => `${band.label} ${formatClock(band.fromMs)}–${band.toMs >= endMs ? 'now' : formatClock(band.toMs)}`).join(' · ');
}

/** The alarms marked on the chart, numbered as their marks; priority in colour, symbol and word. */
function MarkerList({ markers }: { markers: readonly AlarmMarker[] }) {
  const headingId = useId();
  if (markers.length === 0) return null;
  return (
    <div className="trend__alarms">
      <h3 id={headingId} className="trend__alarms-title">
        Alarms marked on the chart
      </h3>
      <ol className="trend__alarm-list" aria-labelledby={headingId}>
        {markers.map((marker) => (
          <li key={marker.id} className={`trend__alarm trend__alarm--${marker.priority}`}>
            <span className="trend__alarm-number" aria-hidden="true">
              {marker.number}
            </span>
            <time dateTime={new Date(marker.atMs).toISOString()}>{formatClock(marker.atMs)}</time>
            <span className="trend__alarm-priority">
              <span aria-hidden="true">{alertSymbol(marker.priority)} </span>
              {marker.priority === 'high' ? 'High' : marker.priority === 'medium' ? 'Medium' : 'Low'}
            </span>
            <span className="trend__alarm-title">{marker.title}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/**
 * Live trend of one chair in stacked panes on one time axis: BP, heart rate, SpO₂ and respiratory
 * rate, each on an axis that follows its values and the session's limit lines, over the session's
 * phases, with its alarms marked and listed.
 */
export function TrendChart({ trend, latest, bucketMs, fromMs, toMs, dataFromMs = fromMs, session = null, limits = noLimits, alerts = noAlerts, record = null, waiting = false }: TrendChartProps) {
  const periodMs = toMs - fromMs;
  const sliceMs = sliceWidthMs(periodMs, bucketMs, displayBuckets);
  // The axis advances a slice at a time (45 s over 3 h, under 1 % of its width), ending at or just
  // after now, and starts on a slice too: in between, the clock changes nothing drawn and recharts
  // is left alone.
  const endMs = Math.ceil(toMs / sliceMs) * sliceMs;
  const startMs = Math.floor(fromMs / sliceMs) * sliceMs;
  // Values start on a slice too (the same slices whatever the span), never before the axis.
  const valuesMs = Math.max(startMs, Math.floor(dataFromMs / sliceMs) * sliceMs);
  const bp = latest?.bp;
  const systolic = useSeries(trend, 'systolic', bp && { measuredAt: bp.measuredAt, value: bp.systolic }, valuesMs, endMs, sliceMs);
  const diastolic = useSeries(trend, 'diastolic', bp && { measuredAt: bp.measuredAt, value: bp.diastolic }, valuesMs, endMs, sliceMs);
  const mean = useSeries(trend, 'mean', bp && { measuredAt: bp.measuredAt, value: bp.mean }, valuesMs, endMs, sliceMs);
  const heartRate = useSeries(trend, 'heartRate', latest?.heartRate, valuesMs, endMs, sliceMs);
  const spo2 = useSeries(trend, 'spo2', latest?.spo2, valuesMs, endMs, sliceMs);
  const respRate = useSeries(trend, 'respRate', latest?.respRate, valuesMs, endMs, sliceMs);
  const time = useMemo((): TimeAxis => ({ domain: [startMs, endMs], ticks: timeTicks(startMs, endMs, tickStepMs(endMs - startMs)) }), [startMs, endMs]);

  const state = session?.state ?? null;
  const treatmentLabel = session?.treatmentLabel ?? '';
  const bands = useMemo(() => (state === null ? noBands : phaseBands(state, treatmentLabel, startMs, endMs)), [state, treatmentLabel, startMs, endMs]);
  const markers = useMemo(() => alarmMarkers(alerts, startMs, endMs), [alerts, startMs, endMs]);
  // The record as of the last whole slice: the clock moving within a slice redraws nothing.
  const recordNowMs = Math.max(startMs, Math.floor(toMs / sliceMs) * sliceMs);
  const derived = useMemo(
    (): RecordChartView | null => (record === null || state === null ? null : recordChartView(record.protocol, state, record.record, recordNowMs, startMs, endMs)),
    [record, state, recordNowMs, startMs, endMs],
  );
  // A session update that changed nothing of the record (a BP reading) leaves the record's panes be.
  const recordView = useSame(derived);
  const summary = record === null || state === null ? null : doseSummary(record.record, state, toMs);
  const showDose = recordView?.parts.dose === true;
  const showScores = recordView?.parts.scores === true;

  const bpSeries = useMemo(() => ({ systolic, diastolic, mean }), [systolic, diastolic, mean]);
  const hrSeries = useMemo(() => ({ heartRate }), [heartRate]);
  const spo2Series = useMemo(() => ({ spo2 }), [spo2]);
  const rrSeries = useMemo(() => ({ respRate }), [respRate]);
  const bpDomain = useDomain('bp', bpSeries, limits);
  const hrDomain = useDomain('heartRate', hrSeries, limits);
  const spo2Domain = useDomain('spo2', spo2Series, limits);
  const rrDomain = useDomain('respRate', rrSeries, limits);

  const [trendRef, width] = usePlotWidth<HTMLDivElement>();
  const shared = { time, bands, limits, markers, waiting, width };
  // A reading or the axis moving changes several panes: the lower ones follow in a task of their
  // own, right after the BP pane, so the page never waits for all at once. The first draw is not
  // held back (the chart appears whole).
  const lowerNow = useMemo(
    () => ({ time, bands, limits, markers, waiting, width, hrSeries, hrDomain, spo2Series, spo2Domain, rrSeries, rrDomain, recordView }),
    [time, bands, limits, markers, waiting, width, hrSeries, hrDomain, spo2Series, spo2Domain, rrSeries, rrDomain, recordView],
  );
  const lowerDeferred = useDeferredValue(lowerNow);
  const lower = lowerDeferred.waiting === waiting && lowerDeferred.width === width ? lowerDeferred : lowerNow;
  const lowerShared = { time: lower.time, bands: lower.bands, limits: lower.limits, markers: lower.markers, waiting: lower.waiting, width: lower.width };

  return (
    <div className="trend" ref={trendRef}>
      <Pane pane="bp" series={bpSeries} domain={bpDomain} recordMarkers={recordView?.markers ?? noRecordMarkers} {...shared} />
      {showDose && lower.recordView !== null && <DosePane time={lower.time} view={lower.recordView} summary={summary} waiting={lower.waiting} width={lower.width} />}
      <Pane pane="heartRate" series={lower.hrSeries} domain={lower.hrDomain} {...lowerShared} />
      <Pane pane="spo2" series={lower.spo2Series} domain={lower.spo2Domain} {...lowerShared} />
      <Pane pane="respRate" series={lower.rrSeries} domain={lower.rrDomain} timeLabels={!showScores} {...lowerShared} />
      {showScores && lower.recordView !== null && (
        <ScorePanes time={lower.time} moaaS={lower.recordView.moaaS} cadss={lower.recordView.cadss} due={lower.recordView.due} waiting={lower.waiting} width={lower.width} />
      )}
      {bands.length > 0 && <p className="trend__phases">Phases: {phaseSummary(bands, endMs)}</p>}
      {recordView !== null && recordView.segments.length > 0 && <p className="trend__phases">Infusion rate: {rateStepsText(recordView.segments, formatClock)}</p>}
      {showScores && recordView !== null && <p className="trend__phases">Scores: {scoresText(recordView, formatClock)}</p>}
      <MarkerList markers={markers} />
      {recordView !== null && <RecordMarkerList markers={recordView.markers} time={formatClock} />}
    </div>
  );
}
