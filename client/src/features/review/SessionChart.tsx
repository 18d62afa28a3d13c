import { type AlertPriority, alertSymbol, formatClinicTime, pauseSpans, phaseSpans, sessionEndedAtMs } from '@chairside/shared';
import { type PointerEvent, type ReactNode, useId, useMemo, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceDot,
  ReferenceLine,
  XAxis,
  YAxis,
  ZIndexLayer,
  usePlotArea,
} from 'recharts';
import type { SeriesPoint } from '../../lib/downsample';
import { trendColors } from '../../lib/trend-colors';
import { type RateSegment, type RecordMarker, type ScoreDueMark, doseSummary, rateStepsText, rateText, scoresText, sessionRecordOf } from '../../lib/record-chart';
import { RecordMarkerGlyph, RecordMarkerList, markerRowPx, recordLineColors, recordMarkerColors, scoreValueLabel } from '../../lib/record-marks';
import type { ReportView } from './report-view';
import { phaseWord } from './review-format';
import {
  type TimeRange,
  alertMarks,
  cadssDomain,
  clinicTicks,
  limitLines,
  recordChartOf,
  sessionRange,
  trendPointsOf,
  valueDomain,
  visibleSeries,
  zoomRange,
  zoomedOut,
} from './session-chart-data';

/** Alarm colours (theme.css) mark alarms only; phases are shaded in calm colours. */
const priorityColor: Record<AlertPriority, string> = { high: '#ff5c5c', medium: '#f5c542', low: '#5fd3e6' };
const phaseFill = { baseline: 'transparent', treatment: '#8ab4f8', observation: '#7cc8f2' } as const;
const ackColor = '#5bd08a';
const pauseFill = '#93a1b0';
const axisTick = { fill: trendColors.axis, fontSize: 12 };
const dotsBelow = 80;
const zoomLayer = 3000;

function dotFor(series: readonly SeriesPoint[], color: string, vital: 'bp' | 'hr' | 'spo2' | 'rr') {
  return series.length <= dotsBelow ? { r: 3, fill: color, stroke: color, className: `review-dot--${vital}` } : false;
}

/**
 * Drag across the plot to zoom into that stretch of time. A transparent layer over the plot area
 * maps the pointer to time: the x axis shows exactly `range`, so the mapping is linear.
 */
function DragToZoom({ range, onZoom }: { range: TimeRange; onZoom: (aMs: number, bMs: number) => void }) {
  const plot = usePlotArea();
  const [drag, setDrag] = useState<{ fromX: number; toX: number } | null>(null);
  if (plot === undefined || plot.width <= 0) return null;

  /** The pointer's x within the plot, in the chart's own units (the SVG may be scaled, e.g. in print). */
  const xOf = (event: PointerEvent<SVGRectElement>) => {
    const bounds = event.currentTarget.getBoundingClientRect();
    const x = bounds.width > 0 ? ((event.clientX - bounds.left) / bounds.width) * plot.width : 0;
    return Math.min(plot.width, Math.max(0, x));
  };
  const timeAt = (x: number) => range.fromMs + (x / plot.width) * (range.toMs - range.fromMs);

  // Above every layer recharts draws (areas, lines, dots), so the drag always reaches it.
  return (
    <ZIndexLayer zIndex={zoomLayer}>
      <g className="review-chart__zoom">
        {drag !== null && (
          <rect
            x={plot.x + Math.min(drag.fromX, drag.toX)}
            y={plot.y}
            width={Math.abs(drag.toX - drag.fromX)}
            height={plot.height}
            fill="#8ab4f8"
            fillOpacity={0.18}
            stroke="#8ab4f8"
            strokeOpacity={0.6}
            pointerEvents="none"
          />
        )}
        <rect
          x={plot.x}
          y={plot.y}
          width={plot.width}
          height={plot.height}
          fill="transparent"
          style={{ cursor: 'crosshair', touchAction: 'pan-y' }}
          onPointerDown={(event) => {
            event.currentTarget.setPointerCapture(event.pointerId);
            const x = xOf(event);
            setDrag({ fromX: x, toX: x });
          }}
          onPointerMove={(event) => {
            if (drag !== null) setDrag({ ...drag, toX: xOf(event) });
          }}
          onPointerUp={(event) => {
            if (drag === null) return;
            const toX = xOf(event);
            setDrag(null);
            if (Math.abs(toX - drag.fromX) >= 8) onZoom(timeAt(drag.fromX), timeAt(toX));
          }}
          onPointerCancel={() => setDrag(null)}
        />
      </g>
    </ZIndexLayer>
  );
}

interface LabelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

function boxOf(props: unknown): LabelBox {
  const box = (props as { viewBox?: Partial<LabelBox> } | null)?.viewBox ?? {};
  return { x: box.x ?? 0, y: box.y ?? 0, width: box.width ?? 0, height: box.height ?? 0 };
}

/** A stretch of the infusion: its rate above its step where it fits, everything about it on hover. */
function rateLabel(seg: RateSegment, domainTop: number, when: (ms: number) => string) {
  return function RateLabel(props: unknown) {
    const { x, y, width, height } = boxOf(props);
    const words = seg.kind === 'running' ? `${seg.rateMlPerH} mL/h` : seg.kind === 'paused' ? 'Paused' : 'Dose in';
    const lineY = y + height * (1 - seg.rateMlPerH / domainTop);
    return (
      <g className={`review-chart__rate review-chart__rate--${seg.kind}`}>
        <title>{`${when(seg.fromMs)}–${when(seg.toMs)}: ${rateText(seg)}${seg.reason === null ? '' : `, ${seg.reason}`}; ${Math.round(seg.mgAtEnd * 10) / 10} mg in by ${when(seg.toMs)}`}</title>
        {width >= words.length * 7 + 6 && (
          <text x={x + 3} y={seg.kind === 'running' ? lineY - 5 : y + height - 5} fill={trendColors.axis} fontSize={12} fontWeight={600}>
            {words}
          </text>
        )}
      </g>
    );
  };
}

/** A dose, PRN or adverse event: its shape at the top of its line, a row down when close to the one before. */
function recordMarkerLabel(marker: RecordMarker, when: (ms: number) => string) {
  return function RecordMarkerLabel(props: unknown) {
    const { x, y } = boxOf(props);
    return (
      <g>
        <title>{`${marker.name}, ${when(marker.atMs)}: ${marker.text}`}</title>
        <RecordMarkerGlyph kind={marker.kind} code={marker.code} x={x} y={y + markerRowPx / 2 + marker.row * markerRowPx} />
      </g>
    );
  };
}

/** A score due time above the scores' plot, ✓ once both were taken for it. */
function dueLabel(due: ScoreDueMark) {
  return function DueLabel(props: unknown) {
    const { x, y } = boxOf(props);
    return (
      <text x={x} y={y - 4} textAnchor="middle" fill={trendColors.axis} fontSize={11} fontWeight={600}>
        {due.met ? `✓ ${due.label}` : due.label}
      </text>
    );
  };
}

const moaaTicks = [0, 1, 2, 3, 4, 5];
const moaaDomain: [number, number] = [-0.4, 5.4];
const rateLanePx = 64;

interface LegendItem {
  label: string;
  color: string;
  dashed?: boolean;
}

function Legend({ items }: { items: LegendItem[] }) {
  return (
    <ul className="trend__legend">
      {items.map((item) => (
        <li key={item.label}>
          <span className={`trend__swatch${item.dashed === true ? ' trend__swatch--dashed' : ''}`} style={{ borderColor: item.color }} aria-hidden="true" />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/** The whole session: BP and HR, SpO₂ and RR, phases shaded, alarms and acknowledgements marked, alarm limits drawn. */
export function SessionChart({ view }: { view: ReportView }) {
  const headingId = useId();
  const { session, stats, timeZone, report } = view;
  const points = useMemo(() => trendPointsOf(session.readings), [session.readings]);
  const full = useMemo(() => sessionRange(session, points, stats.asOfMs), [session, points, stats.asOfMs]);
  const [zoom, setZoom] = useState<TimeRange | null>(null);
  const range = zoom ?? full;

  const systolic = useMemo(() => visibleSeries(points, 'systolic', range), [points, range]);
  const diastolic = useMemo(() => visibleSeries(points, 'diastolic', range), [points, range]);
  const heartRate = useMemo(() => visibleSeries(points, 'heartRate', range), [points, range]);
  const spo2 = useMemo(() => visibleSeries(points, 'spo2', range), [points, range]);
  const respRate = useMemo(() => visibleSeries(points, 'respRate', range), [points, range]);
  const ticks = useMemo(() => clinicTicks(range, timeZone), [range, timeZone]);
  const limits = useMemo(() => limitLines(session.state.alertLimits), [session.state.alertLimits]);
  const marks = useMemo(() => alertMarks(report.input.alerts), [report.input.alerts]);
  const spans = useMemo(() => phaseSpans(session.state, stats.asOfMs), [session.state, stats.asOfMs]);
  const pauses = useMemo(() => pauseSpans(session.state, stats.asOfMs), [session.state, stats.asOfMs]);
  const recordView = useMemo(() => recordChartOf(session, range, stats.asOfMs), [session, range, stats.asOfMs]);
  const summary = useMemo(() => {
    const record = sessionRecordOf(session);
    return record === null ? null : doseSummary(record, session.state, sessionEndedAtMs(session.state) ?? stats.asOfMs);
  }, [session, stats.asOfMs]);

  const bpDomain = valueDomain([systolic, diastolic], limits.bp.map((l) => l.value), { min: 60, max: 160 }, 20);
  const rateDomain = valueDomain([heartRate], [], { min: 40, max: 120 }, 20);
  const spo2Domain = valueDomain([spo2], limits.spo2.map((l) => l.value), { min: 88, max: 100 }, 2);
  const rrDomain = valueDomain([respRate], [], { min: 0, max: 30 }, 10);

  const onZoom = (aMs: number, bMs: number) => {
    const next = zoomRange(aMs, bMs, full);
    if (next !== null) setZoom(next);
  };
  const zoomed = zoom !== null;
  const shortRange = range.toMs - range.fromMs < 10 * 60_000;

  const xAxis = (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={[range.fromMs, range.toMs]}
      allowDataOverflow
      ticks={ticks}
      tickFormatter={(t: number) => formatClinicTime(t, timeZone)}
      tick={axisTick}
      stroke={trendColors.grid}
    />
  );
  const grid = <CartesianGrid stroke={trendColors.grid} strokeDasharray="3 6" vertical={false} />;
  const common = { type: 'linear' as const, dataKey: 'v', isAnimationActive: false, activeDot: false, strokeWidth: 2 };

  const phaseAreas = (yAxisId: string): ReactNode[] => [
    ...spans
      .filter((span) => span.phase !== 'baseline')
      .map((span) => (
        <ReferenceArea
          key={`phase-${span.phase}`}
          yAxisId={yAxisId}
          x1={span.fromMs}
          x2={span.toMs}
          ifOverflow="hidden"
          fill={phaseFill[span.phase]}
          fillOpacity={span.phase === 'treatment' ? 0.1 : 0.05}
          className={`review-chart__phase review-chart__phase--${span.phase}`}
          label={{ value: phaseWord(span.phase, session.protocol), position: 'insideTopLeft', fill: trendColors.axis, fontSize: 12 }}
        />
      )),
    ...pauses.map((pause) => (
      <ReferenceArea
        key={`pause-${pause.fromMs}`}
        yAxisId={yAxisId}
        x1={pause.fromMs}
        x2={pause.toMs}
        ifOverflow="hidden"
        fill={pauseFill}
        fillOpacity={0.18}
        className="review-chart__phase review-chart__phase--paused"
        label={{ value: 'Paused', position: 'insideBottomLeft', fill: trendColors.axis, fontSize: 12 }}
      />
    )),
  ];

  const alertLines = (yAxisId: string, withLabels: boolean): ReactNode[] =>
    marks
      .filter((mark) => mark.kind === 'raised')
      .map((mark) => (
        <ReferenceLine
          key={mark.key}
          yAxisId={yAxisId}
          x={mark.atMs}
          ifOverflow="hidden"
          stroke={priorityColor[mark.priority]}
          strokeWidth={1.5}
          className={`review-chart__alert review-chart__alert--${mark.priority}`}
          label={withLabels ? { value: alertSymbol(mark.priority), position: 'top', fill: priorityColor[mark.priority], fontSize: 12, fontWeight: 700 } : undefined}
        />
      ));

  const acknowledgements = marks
    .filter((mark) => mark.kind === 'acknowledged')
    .map((mark) => (
      <ReferenceDot
        key={mark.key}
        yAxisId="mmHg"
        x={mark.atMs}
        y={bpDomain[1]}
        r={5}
        ifOverflow="hidden"
        fill={ackColor}
        stroke="#0b1016"
        className="review-chart__ack"
      />
    ));

  const margin = { top: 16, right: 8, bottom: 0, left: 4 };

  // The record's markers as lines across the vitals, their shapes in the dose pane.
  const recordLines = (yAxisId: string): ReactNode[] =>
    (recordView?.markers ?? []).map((m) => (
      <ReferenceLine
        key={`record-${m.id}`}
        yAxisId={yAxisId}
        x={m.atMs}
        ifOverflow="hidden"
        stroke={recordMarkerColors[m.kind]}
        strokeOpacity={0.55}
        strokeDasharray="2 4"
        className={`review-chart__record-line review-chart__record-line--${m.kind}`}
      />
    ));

  const doseChart = (() => {
    if (recordView === null || !recordView.parts.dose) return null;
    const { infusion, segments, steps, markers, maxRateMlPerH } = recordView;
    const rows = markers.length === 0 ? 1 : Math.max(...markers.map((m) => m.row)) + 1;
    const markerLanePx = rows * markerRowPx + 4;
    const rateLane = infusion === null ? 0 : rateLanePx;
    const height = 4 + markerLanePx + rateLane + 30;
    const domainTop = infusion === null ? 1 : (maxRateMlPerH * (markerLanePx + rateLane)) / (rateLane * 0.85);
    return (
      <figure className="trend__panel review-chart__dose">
        <figcaption className="trend__caption">
          <span>Dose{infusion === null ? '' : ' (rate mL/h)'}, PRNs and adverse events</span>
          {summary !== null && <span className="trend__dose-now">{summary}</span>}
        </figcaption>
        <LineChart responsive style={{ width: '100%', height }} margin={{ ...margin, top: 4 }} accessibilityLayer={false} className="review-chart__svg">
          {grid}
          {xAxis}
          <YAxis
            yAxisId="rate"
            width={44}
            domain={[0, domainTop]}
            ticks={infusion === null ? [] : [0, maxRateMlPerH]}
            tick={infusion === null ? false : axisTick}
            allowDataOverflow
            stroke={trendColors.grid}
          />
          <YAxis yAxisId="right" orientation="right" width={44} tick={false} stroke={trendColors.grid} />
          {segments.map((seg) => (
            <ReferenceArea
              key={`rate-${seg.fromMs}`}
              yAxisId="rate"
              x1={seg.fromMs}
              x2={seg.toMs}
              ifOverflow="hidden"
              fill={seg.kind === 'paused' ? pauseFill : 'transparent'}
              fillOpacity={seg.kind === 'paused' ? 0.18 : 0}
              label={rateLabel(seg, domainTop, view.when)}
            />
          ))}
          {markers.map((m) => (
            <ReferenceLine
              key={`marker-${m.id}`}
              yAxisId="rate"
              x={m.atMs}
              ifOverflow="hidden"
              stroke={recordMarkerColors[m.kind]}
              strokeOpacity={0.6}
              strokeDasharray="2 3"
              className={`review-chart__record-marker review-chart__record-marker--${m.kind}`}
              label={recordMarkerLabel(m, view.when)}
            />
          ))}
          {infusion !== null && (
            <Line {...common} type="stepAfter" yAxisId="rate" data={steps} name="Rate" stroke={recordLineColors.rate} dot={false} className="review-line review-line--rate" />
          )}
          <DragToZoom range={range} onZoom={onZoom} />
        </LineChart>
      </figure>
    );
  })();

  const scoresChart = (() => {
    if (recordView === null || !recordView.parts.scores) return null;
    const [, cadssTop] = cadssDomain(recordView);
    // A little room below a CADSS-6 of 0 (as beyond MOAA/S 0 and 5), so the points at the ends are drawn whole.
    const cadss = { domain: [-cadssTop / 16, cadssTop] as [number, number], ticks: [0, 1, 2, 3, 4].map((i) => (cadssTop * i) / 4) };
    const scoreDot = (color: string) => ({ r: 4, fill: color, stroke: color });
    return (
      <figure className="trend__panel review-chart__scores">
        <figcaption className="trend__caption">
          <span>Sedation and dissociation</span>
          <Legend
            items={[
              { label: 'MOAA/S 0–5 (left; 5 awake at the bottom, higher is deeper sedation)', color: recordLineColors.moaaS },
              { label: 'CADSS-6 total (right; higher is more dissociation)', color: recordLineColors.cadss, dashed: true },
              { label: 'Scores due (✓ taken)', color: recordLineColors.due, dashed: true },
            ]}
          />
        </figcaption>
        <LineChart responsive style={{ width: '100%', height: 200 }} margin={{ ...margin, top: 20 }} accessibilityLayer={false} className="review-chart__svg">
          {grid}
          {xAxis}
          <YAxis yAxisId="moaa" width={44} domain={moaaDomain} ticks={moaaTicks} reversed allowDataOverflow tick={axisTick} stroke={trendColors.grid} />
          <YAxis yAxisId="cadss" orientation="right" width={44} domain={cadss.domain} ticks={cadss.ticks} allowDataOverflow tick={axisTick} stroke={trendColors.grid} />
          {recordView.due.map((d) => (
            <ReferenceLine
              key={`due-${d.id}`}
              yAxisId="moaa"
              x={d.atMs}
              ifOverflow="hidden"
              stroke={recordLineColors.due}
              strokeOpacity={d.met ? 0.45 : 0.9}
              strokeDasharray={d.met ? '2 4' : '6 3'}
              className={`review-chart__due review-chart__due--${d.met ? 'met' : 'open'}`}
              label={dueLabel(d)}
            />
          ))}
          <Line
            {...common}
            type="stepAfter"
            yAxisId="moaa"
            data={recordView.moaaS}
            name="MOAA/S"
            stroke={recordLineColors.moaaS}
            dot={scoreDot(recordLineColors.moaaS)}
            label={scoreValueLabel(recordLineColors.moaaS, 'left')}
            className="review-line review-line--moaa-s"
          />
          <Line
            {...common}
            type="stepAfter"
            yAxisId="cadss"
            data={recordView.cadss}
            name="CADSS-6"
            stroke={recordLineColors.cadss}
            strokeDasharray="7 3"
            dot={scoreDot(recordLineColors.cadss)}
            label={scoreValueLabel(recordLineColors.cadss, 'right')}
            className="review-line review-line--cadss"
          />
          <DragToZoom range={range} onZoom={onZoom} />
        </LineChart>
      </figure>
    );
  })();

  return (
    <section className="panel review-section review-chart" aria-labelledby={headingId}>
      <div className="panel__bar">
        <h2 id={headingId} className="panel__title">
          Chart
        </h2>
        <div className="segmented no-print" role="group" aria-label="Chart range">
          {spans.map((span) => (
            <button key={span.phase} type="button" className="segmented__option" onClick={() => setZoom({ fromMs: span.fromMs, toMs: span.toMs })}>
              Zoom to {phaseWord(span.phase, session.protocol)}
            </button>
          ))}
          <button type="button" className="segmented__option" disabled={!zoomed} onClick={() => setZoom(zoomedOut(range, full))}>
            Zoom out
          </button>
          <button type="button" className="segmented__option" disabled={!zoomed} onClick={() => setZoom(null)}>
            Reset zoom
          </button>
        </div>
      </div>
      <p className="muted panel__hint" role="status">
        {zoomed ? 'Zoomed' : 'Whole session'}: {view.when(range.fromMs, { seconds: shortRange })}–{view.when(range.toMs, { seconds: shortRange })}
        <span className="no-print"> · drag across the chart to zoom in</span>. Values are thinned for display; the readings table lists every one.
      </p>

      <figure className="trend__panel">
        <figcaption className="trend__caption">
          <span>Blood pressure and heart rate</span>
          <Legend
            items={[
              { label: 'SBP / DBP mmHg', color: trendColors.bp },
              { label: 'HR /min', color: trendColors.heartRate },
              { label: 'Alarm limit', color: priorityColor.medium, dashed: true },
              { label: 'Alarm raised (! low, !! medium, !!! high)', color: priorityColor.high },
              { label: 'Acknowledged ●', color: ackColor },
            ]}
          />
        </figcaption>
        <LineChart responsive style={{ width: '100%', height: 300 }} margin={margin} accessibilityLayer={false} className="review-chart__svg">
          {grid}
          {xAxis}
          <YAxis yAxisId="mmHg" width={44} domain={bpDomain} allowDataOverflow tick={axisTick} stroke={trendColors.grid} />
          <YAxis yAxisId="rate" orientation="right" width={44} domain={rateDomain} allowDataOverflow tick={axisTick} stroke={trendColors.grid} />
          {phaseAreas('mmHg')}
          {limits.bp.map((line) => (
            <ReferenceLine
              key={line.id}
              yAxisId="mmHg"
              y={line.value}
              stroke={priorityColor[line.priority]}
              strokeDasharray="6 4"
              className="review-chart__limit"
              label={{ value: line.label, position: 'insideBottomRight', fill: priorityColor[line.priority], fontSize: 11 }}
            />
          ))}
          {alertLines('mmHg', true)}
          {recordLines('mmHg')}
          <Line {...common} yAxisId="mmHg" data={systolic} name="Systolic" stroke={trendColors.bp} dot={dotFor(systolic, trendColors.bp, 'bp')} className="review-line review-line--bp" />
          <Line {...common} yAxisId="mmHg" data={diastolic} name="Diastolic" stroke={trendColors.bp} dot={dotFor(diastolic, trendColors.bp, 'bp')} className="review-line review-line--bp" />
          <Line
            {...common}
            yAxisId="rate"
            data={heartRate}
            name="Heart rate"
            stroke={trendColors.heartRate}
            strokeWidth={1.5}
            dot={dotFor(heartRate, trendColors.heartRate, 'hr')}
            className="review-line review-line--hr"
          />
          {acknowledgements}
          <DragToZoom range={range} onZoom={onZoom} />
        </LineChart>
      </figure>

      <figure className="trend__panel">
        <figcaption className="trend__caption">
          <span>Oxygen saturation and respiration</span>
          <Legend
            items={[
              { label: 'SpO₂ %', color: trendColors.spo2 },
              { label: 'RR /min', color: trendColors.respRate },
            ]}
          />
        </figcaption>
        <LineChart responsive style={{ width: '100%', height: 190 }} margin={margin} accessibilityLayer={false} className="review-chart__svg">
          {grid}
          {xAxis}
          <YAxis yAxisId="pct" width={44} domain={spo2Domain} allowDataOverflow tick={axisTick} stroke={trendColors.grid} />
          <YAxis yAxisId="rr" orientation="right" width={44} domain={rrDomain} allowDataOverflow tick={axisTick} stroke={trendColors.grid} />
          {phaseAreas('pct')}
          {limits.spo2.map((line) => (
            <ReferenceLine
              key={line.id}
              yAxisId="pct"
              y={line.value}
              stroke={priorityColor[line.priority]}
              strokeDasharray="6 4"
              className="review-chart__limit"
              label={{ value: line.label, position: 'insideTopRight', fill: priorityColor[line.priority], fontSize: 11 }}
            />
          ))}
          {alertLines('pct', false)}
          <Line {...common} yAxisId="pct" data={spo2} name="SpO₂" stroke={trendColors.spo2} dot={dotFor(spo2, trendColors.spo2, 'spo2')} className="review-line review-line--spo2" />
          <Line
            {...common}
            yAxisId="rr"
            data={respRate}
            name="Respiratory rate"
            stroke={trendColors.respRate}
            strokeWidth={1.5}
            dot={dotFor(respRate, trendColors.respRate, 'rr')}
            className="review-line review-line--rr"
          />
          <DragToZoom range={range} onZoom={onZoom} />
        </LineChart>
      </figure>
      {doseChart}
      {scoresChart}
      {recordView !== null && recordView.segments.length > 0 && <p className="trend__phases">Infusion rate: {rateStepsText(recordView.segments, (ms) => view.when(ms))}</p>}
      {recordView?.parts.scores === true && <p className="trend__phases">Scores: {scoresText(recordView, (ms) => view.when(ms))}</p>}
      {recordView !== null && <RecordMarkerList markers={recordView.markers} time={(ms) => view.when(ms)} />}
    </section>
  );
}
