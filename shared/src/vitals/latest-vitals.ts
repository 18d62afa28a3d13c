import type { LatestVitals } from '../schemas/chair';
import type { Reading } from '../schemas/reading';
import { readingOrderAtMs } from './reading-order';

export const emptyLatestVitals: LatestVitals = {
  bp: null,
  heartRate: null,
  spo2: null,
  respRate: null,
  lastRejection: null,
  lastReadingAt: null,
};

/** When a value was measured and arrived, and its server sequence number. */
export type VitalStamp = { measuredAt: string; receivedAt?: string | undefined; seq: number };
type Stamp = VitalStamp;

function orderAtMs(stamp: Stamp): number {
  return stamp.receivedAt === undefined ? Date.parse(stamp.measuredAt) : readingOrderAtMs({ measuredAt: stamp.measuredAt, receivedAt: stamp.receivedAt });
}

/**
 * True when `reading` is newer than `current`: by measurement time, capped at arrival (a stamp
 * ahead of the server's clock counts as the moment it arrived), then by server order.
 */
export function isNewerVitalStamp(reading: Stamp, current: Stamp | null): boolean {
  if (current === null) return true;
  const a = orderAtMs(reading);
  const b = orderAtMs(current);
  return a > b || (a === b && reading.seq > current.seq);
}

/**
 * Folds one stored reading into a chair's newest values. Idempotent and order-independent:
 * applying a reading twice, or an older one after a newer one, changes nothing.
 */
export function foldLatestVitals(latest: LatestVitals, reading: Reading): LatestVitals {
  const stamp = { measuredAt: reading.measuredAt, receivedAt: reading.receivedAt, seq: reading.seq };
  let next = latest;
  const set = <K extends keyof LatestVitals>(key: K, value: LatestVitals[K]): void => {
    next = { ...next, [key]: value };
  };

  if ((reading.systolic !== null || reading.diastolic !== null || reading.mean !== null) && isNewerVitalStamp(stamp, latest.bp)) {
    set('bp', { systolic: reading.systolic, diastolic: reading.diastolic, mean: reading.mean, ...stamp });
  }
  if (reading.heartRate !== null && isNewerVitalStamp(stamp, latest.heartRate)) {
    set('heartRate', { value: reading.heartRate, ...stamp });
  }
  if (reading.spo2 !== null && isNewerVitalStamp(stamp, latest.spo2)) {
    set('spo2', { value: reading.spo2, lowAccuracy: reading.flags.includes('spo2-low-accuracy'), ...stamp });
  }
  if (reading.respRate !== null && isNewerVitalStamp(stamp, latest.respRate)) {
    set('respRate', { value: reading.respRate, ...stamp });
  }
  if (reading.rejected.length > 0 && isNewerVitalStamp(stamp, latest.lastRejection)) {
    set('lastRejection', { rejected: reading.rejected, ...stamp });
  }
  // The newest moment a reading was measured, never later than it arrived (a clock ahead cannot push it on).
  const readingAtMs = orderAtMs(stamp);
  if (latest.lastReadingAt === null || readingAtMs > Date.parse(latest.lastReadingAt)) {
    set('lastReadingAt', new Date(readingAtMs).toISOString());
  }
  return next;
}
