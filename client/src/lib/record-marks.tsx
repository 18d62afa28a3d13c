import { useId } from 'react';
import type { RecordMarker, RecordMarkerKind } from './record-chart';

/*
 * How a session chart draws the record's markers (record-chart.ts) and lists them under the chart: each kind has its
 * own shape — a device or dose a circle, a PRN a triangle, an adverse event a square — and its code in it, so neither
 * colour nor shape alone carries the meaning. Shared by the chair page's trend and the review report's chart.
 */

/** Calm colours, clear of the alarm colours (theme.css --alarm-*), which mark alarms only. */
export const recordMarkerColors: Record<RecordMarkerKind, string> = {
  device: '#8ab4f8',
  dose: '#8ab4f8',
  prn: '#f0a35e',
  'adverse-event': '#f59ad0',
};

/** The infusion's rate line and the scores' lines. */
export const recordLineColors = { rate: '#8ab4f8', moaaS: '#a9c7fb', cadss: '#f59ad0', due: '#93a1b0' } as const;

export const recordMarkerShapeWord: Record<RecordMarkerKind, string> = { device: 'circle', dose: 'circle', prn: 'triangle', 'adverse-event': 'square' };

/** Height of a marker row. */
export const markerRowPx = 22;

/** A marker's shape centred on (x, y) with its code inside; the code is the text a reader sees, so it stays dark on light. */
export function RecordMarkerGlyph({ kind, code, x, y }: { kind: RecordMarkerKind; code: string; x: number; y: number }) {
  const fill = recordMarkerColors[kind];
  const ink = '#0b1117';
  const small = code.length > 1;
  const text = (
    <text x={x} y={y + (kind === 'prn' ? 7 : 4)} textAnchor="middle" fill={ink} fontSize={small ? 10 : 12} fontWeight={700}>
      {code}
    </text>
  );
  if (kind === 'prn') {
    // Wide enough at its base for "P1": the code sits in the lower half.
    const h = 22;
    const w = 28;
    return (
      <g className="record-marker record-marker--prn">
        <path d={`M${x} ${y - h / 2} L${x + w / 2} ${y + h / 2} L${x - w / 2} ${y + h / 2} Z`} fill={fill} stroke={ink} strokeWidth={1} />
        {text}
      </g>
    );
  }
  if (kind === 'adverse-event') {
    const s = 18;
    return (
      <g className="record-marker record-marker--adverse-event">
        <rect x={x - s / 2} y={y - s / 2} width={s} height={s} rx={2} fill={fill} stroke={ink} strokeWidth={1} />
        {text}
      </g>
    );
  }
  return (
    <g className={`record-marker record-marker--${kind}`}>
      <circle cx={x} cy={y} r={small ? 10 : 9} fill={fill} stroke={ink} strokeWidth={1} />
      {text}
    </g>
  );
}

/** The shape as a small inline SVG for a list or legend. */
export function RecordMarkerIcon({ kind, code }: { kind: RecordMarkerKind; code: string }) {
  return (
    <svg className="record-marks__icon" width={30} height={24} viewBox="0 0 30 24" aria-hidden="true" focusable="false">
      <RecordMarkerGlyph kind={kind} code={code} x={15} y={12} />
    </svg>
  );
}

/** The markers under the chart, as their shapes on it say, with what each was and when. */
export function RecordMarkerList({ markers, time, title = 'Doses, PRNs and adverse events on the chart' }: { markers: readonly RecordMarker[]; time: (ms: number) => string; title?: string }) {
  const headingId = useId();
  if (markers.length === 0) return null;
  return (
    <div className="record-marks">
      <h3 id={headingId} className="record-marks__title">
        {title}
      </h3>
      <ol className="record-marks__list" aria-labelledby={headingId}>
        {markers.map((m) => (
          <li key={m.id} className={`record-marks__item record-marks__item--${m.kind}`}>
            <RecordMarkerIcon kind={m.kind} code={m.code} />
            <span className="record-marks__time">{time(m.atMs)}</span>
            <span className="record-marks__name">{m.name}</span>
            <span className="record-marks__text">
              {m.text}
              {m.kind === 'prn' && (m.reassessment === null ? ' · not reassessed yet' : ` · reassessed ${time(m.reassessment.atMs)}: ${m.reassessment.response}`)}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/**
 * A score's value beside its point, up and to one side: clear of the step's vertical (at the point) and of its
 * horizontal (to the right, at the point's height); two scales scored together take opposite sides.
 */
export function scoreValueLabel(color: string, side: 'left' | 'right') {
  return function ScoreValueLabel(props: unknown) {
    const { x, y, value } = (props ?? {}) as { x?: number | string; y?: number | string; value?: number | string };
    if (x === undefined || y === undefined || value === undefined) return <g />;
    const px = Number(x);
    return (
      <text x={side === 'right' ? px + 7 : px - 7} y={Number(y) - 6} textAnchor={side === 'right' ? 'start' : 'end'} fill={color} fontSize={12} fontWeight={700}>
        {value}
      </text>
    );
  };
}
