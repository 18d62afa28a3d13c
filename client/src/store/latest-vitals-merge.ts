import { isNewerVitalStamp, type LatestVitals, type VitalStamp } from '@chairside/shared';

/** The newer of two values by the shared order (measured, capped at arrival; then server order). */
function newer<S extends VitalStamp>(a: S | null, b: S | null): S | null {
  if (a === null) return b;
  if (b === null) return a;
  return isNewerVitalStamp(b, a) ? b : a;
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
