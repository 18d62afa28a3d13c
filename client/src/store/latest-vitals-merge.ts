import type { LatestVitals } from '@chairside/shared';

interface Stamp {
  measuredAt: string;
  seq: number;
}

function isNewer(candidate: Stamp, current: Stamp): boolean {
  const a = Date.parse(candidate.measuredAt);
  const b = Date.parse(current.measuredAt);
  return a > b || (a === b && candidate.seq > current.seq);
}

function newer<S extends Stamp>(a: S | null, b: S | null): S | null {
  if (a === null) return b;
  if (b === null) return a;
  return isNewer(b, a) ? b : a;
}

/**
 * The newest value of each vital from two views of the same chair (the server's summary and what
 * the socket delivered), so a chair list that was read before a live reading never hides it.
 */
export function mergeLatestVitals(a: LatestVitals, b: LatestVitals): LatestVitals {
  let lastReadingAt = a.lastReadingAt;
  if (lastReadingAt === null || (b.lastReadingAt !== null && Date.parse(b.lastReadingAt) > Date.parse(lastReadingAt))) {
    lastReadingAt = b.lastReadingAt;
  }
  return {
    bp: newer(a.bp, b.bp),
    heartRate: newer(a.heartRate, b.heartRate),
    spo2: newer(a.spo2, b.spo2),
    respRate: newer(a.respRate, b.respRate),
    lastRejection: newer(a.lastRejection, b.lastRejection),
    lastReadingAt,
  };
}
