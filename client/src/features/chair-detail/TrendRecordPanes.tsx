import { memo, useMemo, useState } from 'react';
import { Line, LineChart, ReferenceArea, ReferenceLine, YAxis } from 'recharts';
import type { SeriesPoint } from '../../lib/downsample';
import { type RateSegment, type RecordChartView, type RecordMarker, type ScoreDueMark, cadssAxisTop, rateText } from '../../lib/record-chart';
import { RecordMarkerGlyph, markerRowPx, recordLineColors, recordMarkerColors, scoreValueLabel } from '../../lib/record-marks';
import { trendColors } from '../../lib/trend-colors';
import { formatClock } from '../../lib/vital-format';
import { type TimeAxis, ValueTick, grid, timeAxis, valueAxisWidth, viewBoxOf } from './trend-chart-parts';
import { valueTicks } from './trend-panes';

/*
 * The session record on the chair page's trend, on the vitals' time axis: a dose pane under BP (the infusion's rate
 * as steps, its pauses, the devices, doses, PRNs and adverse events as shapes) and the scores under the vitals
 * (MOAA/S and CADSS-6 with their due times), so a BP surge reads against the dose that preceded it.
 */

/** Keeps the previous value while a new one says the same (a session update that changed nothing here). */
export function useSame<T>(next: T): T {
  const [held, setHeld] = useState(next);
  if (held === next || JSON.stringify(held) === JSON.stringify(next)) return held;
  setHeld(next);
  return next;
}

const doseMargin = { top: 4, right: 8, bottom: 0, left: 0 };
/** The MOAA/S pane names its due times above the plot. */
const scoreMargin = { top: 18, right: 8, bottom: 0, left: 0 };
const margin = { top: 6, right: 8, bottom: 0, left: 0 };
/** Height of the rate's lane under the markers. */
const rateLanePx = 58;
const axisPx = 8;
const stepLine = { type: 'stepAfter', dataKey: 'v', isAnimationActive: false, activeDot: false, strokeWidth: 2 } as const;

/** A running stretch's rate above its step, with everything about it on hover; nothing where it does not fit. */
function rateLabel(seg: RateSegment, domainTop: number) {
  return function RateLabel(props: unknown) {
    const { x, y, width, height } = viewBoxOf(props);
    const words = seg.kind === 'running' ? `${seg.rateMlPerH} mL/h` : seg.kind === 'paused' ? 'Paused' : 'Dose in';
    const lineY = y + height * (1 - seg.rateMlPerH / domainTop);
    const fits = width >= words.length * 7 + 6;
    return (
      <g className={`trend__rate trend__rate--${seg.kind}`}>
        <title>{`${formatClock(seg.fromMs)}–${formatClock(seg.toMs)}: ${rateText(seg)}${seg.reason === null ? '' : `, ${seg.reason}`}; ${Math.round(seg.mgAtEnd * 10) / 10} mg in by ${formatClock(seg.toMs)}`}</title>
        <rect x={x} y={y} width={width} height={height} fill="transparent" />
        {fits && (
          <text x={x + 3} y={seg.kind === 'running' ? lineY - 5 : y + height - 5} fill={trendColors.axis} fontSize={12} fontWeight={600}>
            {words}
          </text>
        )}
      </g>
    );
  };
}

/** A marker's shape at the top of its line, a row down when it is close to the one before. */
function markerLabel(marker: RecordMarker) {
  return function MarkerLabel(props: unknown) {
    const { x, y } = viewBoxOf(props);
    return (
      <g>
        <title>{`${marker.name}, ${formatClock(marker.atMs)}: ${marker.text}`}</title>
        <RecordMarkerGlyph kind={marker.kind} code={marker.code} x={x} y={y + markerRowPx / 2 + marker.row * markerRowPx} />
      </g>
    );
  };
}

/** The record's markers as lines across a vitals pane (the BP pane), without their shapes: the dose pane under it has them. */
export function markerLines(markers: readonly RecordMarker[], yAxisId: string) {
  return markers.map((m) => (
    <ReferenceLine
      key={`record-${m.id}`}
      yAxisId={yAxisId}
      x={m.atMs}
      stroke={recordMarkerColors[m.kind]}
      strokeOpacity={0.55}
      strokeDasharray="2 4"
      ifOverflow="hidden"
      className={`trend__record-line trend__record-line--${m.kind}`}
    />
  ));
}

interface DosePaneProps {
  time: TimeAxis;
  view: RecordChartView;
  /** The dose in one line (record-chart.ts doseSummary), or null. */
  summary: string | null;
  waiting: boolean;
  /** The plot's width in px (the trend's column); 0 until measured. */
  width: number;
}

/** The dose pane: the rate in mL/h as steps (IV), pauses, the set dose's end, and the markers above it. */
export const DosePane = memo(function DosePane({ time, view, summary, waiting, width }: DosePaneProps) {
  const { infusion, segments, steps, markers, maxRateMlPerH } = view;
  const rows = markers.length === 0 ? 0 : Math.max(...markers.map((m) => m.row)) + 1;
  const markerLanePx = Math.max(rows, 1) * markerRowPx + 4;
  const rateLane = infusion === null ? 0 : rateLanePx;
  const height = doseMargin.top + markerLanePx + rateLane + axisPx;
  // The rate's steps fill the lane under the markers: the axis' top is above the highest rate by the markers' share.
  const domainTop = infusion === null ? 1 : (maxRateMlPerH * (markerLanePx + rateLane)) / (rateLane * 0.85);
  const chart = useMemo(
    () => (
      <LineChart width={width} height={height} margin={doseMargin}>
        {grid}
        {timeAxis(time, false)}
        <YAxis
          yAxisId="v"
          width={valueAxisWidth}
          interval={0}
          tick={infusion === null ? false : ValueTick}
          stroke={trendColors.grid}
          domain={[0, domainTop]}
          ticks={infusion === null ? [] : [0, maxRateMlPerH]}
          allowDataOverflow
        />
        {segments.map((seg) => (
          <ReferenceArea
            key={`rate-${seg.fromMs}`}
            yAxisId="v"
            x1={seg.fromMs}
            x2={seg.toMs}
            fill={seg.kind === 'paused' ? '#f0a35e' : 'transparent'}
            fillOpacity={seg.kind === 'paused' ? 0.2 : 0}
            ifOverflow="hidden"
            label={rateLabel(seg, domainTop)}
          />
        ))}
        {markers.map((m) => (
          <ReferenceLine
            key={`marker-${m.id}`}
            yAxisId="v"
            x={m.atMs}
            stroke={recordMarkerColors[m.kind]}
            strokeOpacity={0.6}
            strokeDasharray="2 3"
            ifOverflow="hidden"
            label={markerLabel(m)}
            className={`trend__record-marker trend__record-marker--${m.kind}`}
          />
        ))}
        {infusion !== null && <Line {...stepLine} yAxisId="v" data={steps} name="Rate" stroke={recordLineColors.rate} dot={false} />}
      </LineChart>
    ),
    [time, infusion, segments, steps, markers, maxRateMlPerH, domainTop, height, width],
  );
  return (
    <figure className="trend__panel trend__panel--dose">
      <figcaption className="trend__caption">
        <span className="trend__title">
          <span className="trend__swatch" style={{ borderColor: recordLineColors.rate }} aria-hidden="true" />
          Dose {infusion !== null && <span className="trend__unit">mL/h</span>}
        </span>
        {summary !== null && <span className="trend__dose-now">{summary}</span>}
      </figcaption>
      {waiting || width === 0 ? <div className="trend__waiting" style={{ height }} /> : chart}
    </figure>
  );
});

/** A due time's words above the MOAA/S plot: "~20 min", with ✓ once both scores were taken for it. */
function dueLabel(due: ScoreDueMark) {
  return function DueLabel(props: unknown) {
    const { x, y } = viewBoxOf(props);
    return (
      <text x={x} y={y - 5} textAnchor="middle" fill={trendColors.axis} fontSize={11} fontWeight={600}>
        {due.met ? `✓ ${due.label}` : due.label}
      </text>
    );
  };
}

function dueLines(due: readonly ScoreDueMark[], labelled: boolean) {
  return due.map((d) => (
    <ReferenceLine
      key={`due-${d.id}`}
      yAxisId="v"
      x={d.atMs}
      stroke={recordLineColors.due}
      strokeOpacity={d.met ? 0.45 : 0.9}
      strokeDasharray={d.met ? '2 4' : '6 3'}
      ifOverflow="hidden"
      label={labelled ? dueLabel(d) : undefined}
      className={`trend__due trend__due--${d.met ? 'met' : 'open'}`}
    />
  ));
}

const moaaTicks = [0, 1, 2, 3, 4, 5];
// A little room beyond 0 and 5 (and below a CADSS-6 of 0), so the points at the ends are drawn whole.
const moaaDomain: [number, number] = [-0.4, 5.4];
const moaaHeight = 132;
const cadssHeight = 104;
const scoreDot = (color: string) => ({ r: 4, fill: color, stroke: color });
const moaaLabel = scoreValueLabel(recordLineColors.moaaS, 'left');
const cadssLabel = scoreValueLabel(recordLineColors.cadss, 'left');

interface ScorePanesProps {
  time: TimeAxis;
  moaaS: readonly SeriesPoint[];
  cadss: readonly SeriesPoint[];
  due: readonly ScoreDueMark[];
  waiting: boolean;
  /** The plot's width in px (the trend's column); 0 until measured. */
  width: number;
}

/**
 * MOAA/S and CADSS-6 under the vitals. MOAA/S runs from 5 (awake) down to 0 (no response): its axis is drawn upside
 * down, 5 at the bottom, so that on both panes higher means more drug effect — deeper sedation, more dissociation.
 */
export const ScorePanes = memo(function ScorePanes({ time, moaaS, cadss, due, waiting, width }: ScorePanesProps) {
  const cadssTop = cadssAxisTop(cadss);
  const cadssDomain = useMemo((): [number, number] => [-cadssTop / 16, cadssTop], [cadssTop]);
  const cadssTicks = useMemo(() => valueTicks([0, cadssTop], 4), [cadssTop]);
  const moaaChart = useMemo(
    () => (
      <LineChart width={width} height={moaaHeight} margin={scoreMargin}>
        {grid}
        {timeAxis(time, false)}
        <YAxis yAxisId="v" width={valueAxisWidth} interval={0} tick={ValueTick} stroke={trendColors.grid} domain={moaaDomain} ticks={moaaTicks} reversed allowDataOverflow />
        {dueLines(due, true)}
        <Line {...stepLine} yAxisId="v" data={moaaS} name="MOAA/S" stroke={recordLineColors.moaaS} dot={scoreDot(recordLineColors.moaaS)} label={moaaLabel} />
      </LineChart>
    ),
    [time, due, moaaS, width],
  );
  const cadssChart = useMemo(
    () => (
      <LineChart width={width} height={cadssHeight} margin={margin}>
        {grid}
        {timeAxis(time, true)}
        <YAxis yAxisId="v" width={valueAxisWidth} interval={0} tick={ValueTick} stroke={trendColors.grid} domain={cadssDomain} ticks={cadssTicks} allowDataOverflow />
        {dueLines(due, false)}
        <Line {...stepLine} yAxisId="v" data={cadss} name="CADSS-6" stroke={recordLineColors.cadss} strokeDasharray="7 3" dot={scoreDot(recordLineColors.cadss)} label={cadssLabel} />
      </LineChart>
    ),
    [time, due, cadss, cadssDomain, cadssTicks, width],
  );
  return (
    <>
      <figure className="trend__panel trend__panel--moaa-s">
        <figcaption className="trend__caption">
          <span className="trend__title">
            <span className="trend__swatch" style={{ borderColor: recordLineColors.moaaS }} aria-hidden="true" />
            Sedation <span className="trend__unit">MOAA/S 0–5</span>
          </span>
          <span className="trend__note">5 awake, 0 no response: drawn upside down, higher is deeper sedation · dashed lines: scores due</span>
        </figcaption>
        {waiting || width === 0 ? <div className="trend__waiting" style={{ height: moaaHeight }} /> : moaaChart}
      </figure>
      <figure className="trend__panel trend__panel--cadss">
        <figcaption className="trend__caption">
          <span className="trend__title">
            <span className="trend__swatch trend__swatch--dashed" style={{ borderColor: recordLineColors.cadss }} aria-hidden="true" />
            Dissociation <span className="trend__unit">CADSS-6 total 0–24</span>
          </span>
          <span className="trend__note">higher is more dissociation</span>
        </figcaption>
        {waiting || width === 0 ? <div className="trend__waiting" style={{ height: cadssHeight }} /> : cadssChart}
      </figure>
    </>
  );
});
