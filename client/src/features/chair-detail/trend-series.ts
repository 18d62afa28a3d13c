import type { TrendPoint } from '../../store/reading-history';
import type { SeriesPoint } from './downsample';

export type TrendField = 'systolic' | 'diastolic' | 'mean' | 'heartRate' | 'spo2' | 'respRate';

/**
 * One vital's values within [fromMs, toMs], with a gap marker wherever two values are further apart
 * than `maxGapMs`, so a monitor that was off is not drawn as a straight line.
 */
export function seriesOf(points: readonly TrendPoint[], field: TrendField, fromMs: number, toMs: number, maxGapMs: number): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  let previous: number | null = null;
  for (const point of points) {
    if (point.t < fromMs || point.t > toMs) continue;
    const v = point[field];
    if (v === null) continue;
    if (previous !== null && point.t - previous > maxGapMs) out.push({ t: previous + 1, v: null });
    out.push({ t: point.t, v });
    previous = point.t;
  }
  return out;
}
