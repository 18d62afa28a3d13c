import type { Reading } from '../schemas/reading';
import { readingOrderAtMs } from '../vitals/reading-order';

/** One plausible cuff blood pressure: systolic and diastolic both accepted. */
export interface BpPoint {
  readingId: string;
  seq: number;
  atMs: number;
  systolic: number;
  diastolic: number;
  mean: number | null;
  heartRate: number | null;
}

/**
 * The blood pressures among stored readings, oldest first (by measurement time, then server order).
 * A reading whose systolic or diastolic was rejected (stored as null) is not a blood pressure.
 */
export function bpPointsOf(readings: readonly Reading[]): BpPoint[] {
  const points: BpPoint[] = [];
  for (const r of readings) {
    // Ordered by measurement, capped at arrival (a stamp ahead of the clock counts from its arrival).
    const atMs = readingOrderAtMs(r);
    if (r.systolic === null || r.diastolic === null || Number.isNaN(atMs)) continue;
    points.push({
      readingId: r.id,
      seq: r.seq,
      atMs,
      systolic: r.systolic,
      diastolic: r.diastolic,
      mean: r.mean,
      heartRate: r.heartRate,
    });
  }
  return points.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
}

/** "168/98" */
export function formatBp(bp: { systolic: number; diastolic: number }): string {
  return `${Math.round(bp.systolic)}/${Math.round(bp.diastolic)}`;
}

export const msPerMin = 60_000;

/** Minutes left as a person reads a countdown: 22 min 10 s left is "23 min". */
export function minutesLeft(ms: number): number {
  return Math.max(0, Math.ceil(ms / msPerMin));
}
