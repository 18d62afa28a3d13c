import type { LatestVitals } from '../schemas/chair';
import type { Reading } from '../schemas/reading';

export const emptyLatestVitals: LatestVitals = {
  bp: null,
  heartRate: null,
  spo2: null,
  respRate: null,
  lastRejection: null,
  lastReadingAt: null,
};

type Stamp = { measuredAt: string; seq: number };

/** True when `reading` is newer than `current` (by measurement time, then by server order). */
function isNewer(reading: Stamp, current: Stamp | null): boolean {
  if (current === null) return true;
  const a = Date.parse(reading.measuredAt);
  const b = Date.parse(current.measuredAt);
  return a > b || (a === b && reading.seq > current.seq);
}

/**
 * Folds one stored reading into a chair's newest values. Idempotent and order-independent:
 * applying a reading twice, or an older one after a newer one, changes nothing.
 */
export function foldLatestVitals(latest: LatestVitals, reading: Reading): LatestVitals {
  const stamp: Stamp = { measuredAt: reading.measuredAt, seq: reading.seq };
  let next = latest;
  const set = <K extends keyof LatestVitals>(key: K, value: LatestVitals[K]): void => {
    next = { ...next, [key]: value };
  };

  if ((reading.systolic !== null || reading.diastolic !== null || reading.mean !== null) && isNewer(stamp, latest.bp)) {
    set('bp', { systolic: reading.systolic, diastolic: reading.diastolic, mean: reading.mean, ...stamp });
  }
  if (reading.heartRate !== null && isNewer(stamp, latest.heartRate)) {
    set('heartRate', { value: reading.heartRate, ...stamp });
  }
  if (reading.spo2 !== null && isNewer(stamp, latest.spo2)) {
    set('spo2', { value: reading.spo2, lowAccuracy: reading.flags.includes('spo2-low-accuracy'), ...stamp });
  }
  if (reading.respRate !== null && isNewer(stamp, latest.respRate)) {
    set('respRate', { value: reading.respRate, ...stamp });
  }
  if (reading.rejected.length > 0 && isNewer(stamp, latest.lastRejection)) {
    set('lastRejection', { rejected: reading.rejected, ...stamp });
  }
  if (latest.lastReadingAt === null || Date.parse(reading.measuredAt) > Date.parse(latest.lastReadingAt)) {
    set('lastReadingAt', reading.measuredAt);
  }
  return next;
}
