/** One point of one trend series; `v: null` marks a gap the line must not bridge. */
export interface SeriesPoint {
  t: number;
  v: number | null;
}

/**
 * Thins a time series for display only, keeping its shape: the range is cut into `buckets` equal
 * time slices and each keeps its lowest and highest value (in time order), so a spike or a dip
 * survives — which an average or every-nth sample would hide. Gap markers and the newest point are
 * always kept. Output: at most 2 × buckets + 1 points plus the gap markers, in time order.
 */
export function downsampleMinMax(points: readonly SeriesPoint[], buckets: number): SeriesPoint[] {
  if (buckets < 1) throw new RangeError('buckets must be at least 1');
  if (points.length <= buckets * 2) return [...points];
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) return [];
  const span = Math.max(last.t - first.t, 1);

  const out: SeriesPoint[] = [];
  let bucket = -1;
  let low: SeriesPoint | null = null;
  let high: SeriesPoint | null = null;
  const flush = () => {
    if (low === null || high === null) return;
    if (low === high) out.push(low);
    else if (low.t <= high.t) out.push(low, high);
    else out.push(high, low);
    low = null;
    high = null;
  };

  for (const point of points) {
    if (point.v === null) {
      flush();
      out.push(point);
      continue;
    }
    const index = Math.min(buckets - 1, Math.floor(((point.t - first.t) / span) * buckets));
    if (index !== bucket || low === null || high === null) {
      flush();
      bucket = index;
      low = point;
      high = point;
      continue;
    }
    if (point.v < (low.v ?? Infinity)) low = point;
    if (point.v > (high.v ?? -Infinity)) high = point;
  }
  flush();
  if (out.at(-1) !== last) out.push(last);
  return out;
}
