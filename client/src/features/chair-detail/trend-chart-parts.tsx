import { type BaseTickContentProps, CartesianGrid, XAxis } from 'recharts';
import { trendColors } from '../../lib/trend-colors';
import { formatClock } from '../../lib/vital-format';

/*
 * What every pane of the chair page's trend shares, so that they line up on one time axis: the margin, the value
 * axis' width, the time axis and its labels, the grid, a label's box.
 */

// Everything recharts compares by identity is made once: a new margin, style or domain on each render
// makes every axis and line register again with the chart and recompute.
export const margin = { top: 6, right: 8, bottom: 0, left: 0 };
export const grid = <CartesianGrid stroke={trendColors.grid} strokeDasharray="3 6" />;

/**
 * An axis label as plain SVG text. Recharts' own label measures every word in the DOM to wrap it
 * (a forced layout per tick, tens of ms per chart); a time or a round number never wraps.
 * Its class is not recharts' own tick class: an axis reads the computed style of the first element
 * with that class (a forced style recalculation as the chart mounts) and renders again with it, for
 * measurements these fixed ticks never need.
 */
export function tickLabel(format: (value: number) => string) {
  return function TickLabel({ x, y, textAnchor, verticalAnchor, payload }: BaseTickContentProps) {
    const dy = verticalAnchor === 'start' ? '0.71em' : verticalAnchor === 'end' ? '0' : '0.355em';
    return (
      <text x={x} y={y} dy={dy} textAnchor={textAnchor} fill={trendColors.axis} fontSize={13} className="trend__tick">
        {format(Number(payload.value))}
      </text>
    );
  };
}

export const ValueTick = tickLabel(String);
/** Width of every pane's value axis, left of the plot. */
export const valueAxisWidth = 40;

/** A time under the plot; the first and last are kept inside the chart rather than cut at its edge. */
export function TimeTick({ x, y, width, payload }: BaseTickContentProps) {
  const at = Number(x);
  const right = valueAxisWidth + Number(width);
  const halfLabel = 30;
  const anchor = at + halfLabel > right + margin.right ? 'end' : at - halfLabel < 0 ? 'start' : 'middle';
  const shownAt = anchor === 'end' ? right + margin.right : anchor === 'start' ? 0 : at;
  return (
    <text x={shownAt} y={y} dy="0.71em" textAnchor={anchor} fill={trendColors.axis} fontSize={13} className="trend__tick">
      {formatClock(Number(payload.value))}
    </text>
  );
}

/** The shared time axis, one object while the period and the clock stay put. */
export interface TimeAxis {
  domain: [number, number];
  ticks: number[];
}

/** The time axis; `labelled` false draws its grid without the times (the panes between the top and bottom ones). */
export function timeAxis(time: TimeAxis, labelled: boolean) {
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
      tick={labelled ? TimeTick : false}
      tickLine={labelled}
      stroke={trendColors.grid}
      height={labelled ? 22 : 8}
    />
  );
}

export interface LabelViewBox {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
}

export function viewBoxOf(props: unknown): Required<LabelViewBox> {
  const box = (props as { viewBox?: LabelViewBox } | null)?.viewBox ?? {};
  return { x: box.x ?? 0, y: box.y ?? 0, width: box.width ?? 0, height: box.height ?? 0 };
}
