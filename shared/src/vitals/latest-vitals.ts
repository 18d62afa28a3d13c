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

/** A value placed in time: its order time (measured, capped at arrival) and its server sequence number. */
export interface OrderedStamp {
  atMs: number;
  seq: number;
}

/**
 * What "newest" means for every vital, everywhere (the tiles, the chair list's store query, the
 * engine, the sessions' gates): the later order time wins, then the later server sequence.
 */
export function isNewerOrdered(candidate: OrderedStamp, current: OrderedStamp | null): boolean {
  return current === null || candidate.atMs > current.atMs || (candidate.atMs === current.atMs && candidate.seq > current.seq);
}

/**
 * True when `reading` is newer than `current`: by measurement time, capped at arrival (a stamp
 * ahead of the server's clock counts as the moment it arrived), then by server order.
 */
export function isNewerVitalStamp(reading: Stamp, current: Stamp | null): boolean {
  if (current === null) return true;
  return isNewerOrdered({ atMs: orderAtMs(reading), seq: reading.seq }, { atMs: orderAtMs(current), seq: current.seq });
}

type CarrierFields = Pick<Reading, 'systolic' | 'diastolic' | 'mean' | 'heartRate' | 'spo2' | 'respRate' | 'rejected'>;

/**
 * Which of a chair's newest values a reading can set: the one definition of "a reading that has
 * this vital". A BP is any of systolic, diastolic or mean; a rejection is any rejected value. The
 * store's query for the candidates (server/src/store/sql/readings.ts) spells the same tests in SQL,
 * keyed by these names so that none can be missed.
 */
export const latestVitalCarriers = {
  bp: (r: CarrierFields) => r.systolic !== null || r.diastolic !== null || r.mean !== null,
  heartRate: (r: CarrierFields) => r.heartRate !== null,
  spo2: (r: CarrierFields) => r.spo2 !== null,
  respRate: (r: CarrierFields) => r.respRate !== null,
  lastRejection: (r: CarrierFields) => r.rejected.length > 0,
} as const satisfies Record<Exclude<keyof LatestVitals, 'lastReadingAt'>, (r: CarrierFields) => boolean>;

export type LatestVitalKey = keyof typeof latestVitalCarriers;
export const latestVitalKeys = Object.keys(latestVitalCarriers) as LatestVitalKey[];

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

  if (latestVitalCarriers.bp(reading) && isNewerVitalStamp(stamp, latest.bp)) {
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
  if (latestVitalCarriers.lastRejection(reading) && isNewerVitalStamp(stamp, latest.lastRejection)) {
    set('lastRejection', { rejected: reading.rejected, ...stamp });
  }
  // The newest moment a reading was measured, never later than it arrived (a clock ahead cannot push it on).
  const readingAtMs = orderAtMs(stamp);
  if (latest.lastReadingAt === null || readingAtMs > Date.parse(latest.lastReadingAt)) {
    set('lastReadingAt', new Date(readingAtMs).toISOString());
  }
  return next;
}
