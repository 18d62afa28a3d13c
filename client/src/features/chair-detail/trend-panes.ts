import type { TrendField } from '@chairside/shared';
import type { SeriesPoint } from '../../lib/downsample';

/**
 * The chart's stacked panes, one per unit and scale, sharing one time axis: BP (SBP, DBP, MAP in
 * mmHg), heart rate, SpO₂ and respiratory rate. Each value axis follows its data and the session's
 * limit lines, so a desaturation to 78 % is drawn, not clipped at a fixed floor.
 */
export type PaneId = 'bp' | 'heartRate' | 'spo2' | 'respRate';

export const paneIds: readonly PaneId[] = ['bp', 'heartRate', 'spo2', 'respRate'];

export function paneOf(field: TrendField): PaneId {
  switch (field) {
    case 'systolic':
    case 'diastolic':
    case 'mean':
      return 'bp';
    default:
      return field;
  }
}

/** How a pane's value axis is chosen. */
export interface PaneScale {
  /** Ticks and domain ends fall on multiples of this. */
  step: number;
  /** The axis spans at least this much, so noise of 1–2 units is not blown up to the full height. */
  minSpan: number;
  /** Nothing is drawn beyond these (no SpO₂ above 100 %, no negative rate). */
  floor: number;
  ceiling: number;
  /** The axis with no data and no limits to show. */
  empty: readonly [number, number];
  /** Labels that fit the pane's height without crowding. */
  maxTicks: number;
}

export const paneScales: Record<PaneId, PaneScale> = {
  bp: { step: 20, minSpan: 60, floor: 0, ceiling: 300, empty: [60, 180], maxTicks: 6 },
  heartRate: { step: 10, minSpan: 40, floor: 0, ceiling: 300, empty: [40, 140], maxTicks: 5 },
  spo2: { step: 2, minSpan: 10, floor: 0, ceiling: 100, empty: [88, 100], maxTicks: 5 },
  respRate: { step: 4, minSpan: 12, floor: 0, ceiling: 80, empty: [0, 30], maxTicks: 4 },
};

/** Lowest and highest value of some series (gap markers skipped); null when none has a value. */
export function extentOf(series: readonly (readonly SeriesPoint[])[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const points of series) {
    for (const point of points) {
      if (point.v === null) continue;
      if (point.v < min) min = point.v;
      if (point.v > max) max = point.v;
    }
  }
  return min === Infinity ? null : { min, max };
}

/**
 * A pane's value axis: the data's lowest and highest value and every limit line, with a margin of
 * 8 % (at least half a step), widened to `minSpan`, ends on round steps, kept within floor and
 * ceiling. The same inputs give the same numbers, so the chart redraws its axis only when a value
 * leaves it.
 */
export function valueDomain(extent: { min: number; max: number } | null, limits: readonly number[], scale: PaneScale): [number, number] {
  let lo = extent?.min ?? Infinity;
  let hi = extent?.max ?? -Infinity;
  for (const limit of limits) {
    lo = Math.min(lo, limit);
    hi = Math.max(hi, limit);
  }
  if (lo === Infinity) return [scale.empty[0], scale.empty[1]];
  const margin = Math.max((hi - lo) * 0.08, scale.step / 2);
  lo -= margin;
  hi += margin;
  const short = scale.minSpan - (hi - lo);
  if (short > 0) {
    lo -= short / 2;
    hi += short / 2;
  }
  // Against the ceiling (SpO₂ at 100 %), the room is made below instead, and the other way round.
  if (hi > scale.ceiling) {
    lo -= hi - scale.ceiling;
    hi = scale.ceiling;
  }
  if (lo < scale.floor) {
    hi = Math.min(scale.ceiling, hi + (scale.floor - lo));
    lo = scale.floor;
  }
  return [Math.max(scale.floor, Math.floor(lo / scale.step) * scale.step), Math.min(scale.ceiling, Math.ceil(hi / scale.step) * scale.step)];
}

const valueSteps = [1, 2, 5, 10, 20, 40, 50, 100];

/** Round values to label a value axis: the smallest round step giving at most `maxTicks` labels. */
export function valueTicks([lo, hi]: readonly [number, number], maxTicks: number): number[] {
  const step = valueSteps.find((s) => Math.floor(hi / s) - Math.ceil(lo / s) + 1 <= maxTicks) ?? 100;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) ticks.push(v);
  return ticks;
}
