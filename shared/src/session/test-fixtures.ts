/*
 * Builders for the session engine's tests (not exported from the package). Times are minutes from
 * a fixed check-in instant so that tables read like a session's timeline.
 */
import type { Reading } from '../schemas/reading';
import type { StartGateResult } from './start-gate';

export const minMs = 60_000;
/** 09:00 UTC on a clinic day: minute 0 of every test timeline. */
export const t0 = Date.parse('2025-03-03T09:00:00.000Z');
export const at = (minutes: number): number => t0 + minutes * minMs;

let seq = 0;

/** A stored reading `minutes` after t0; values not given are null. */
export function reading(
  minutes: number,
  values: Partial<Pick<Reading, 'systolic' | 'diastolic' | 'mean' | 'heartRate' | 'spo2' | 'respRate'>>,
  extra: Partial<Reading> = {},
): Reading {
  seq += 1;
  const measuredAt = new Date(at(minutes)).toISOString();
  return {
    seq,
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    chairId: 'chair-1',
    sessionId: 'session-1',
    measuredAt,
    receivedAt: measuredAt,
    source: 'device',
    systolic: null,
    diastolic: null,
    mean: null,
    heartRate: null,
    spo2: null,
    respRate: null,
    rejected: [],
    flags: [],
    enteredBy: null,
    ...values,
    ...extra,
  };
}

/** A cuff BP "sys/dia" `minutes` after t0. */
export function bp(minutes: number, value: `${number}/${number}`, extra: Partial<Reading> = {}): Reading {
  const [systolic, diastolic] = value.split('/').map(Number);
  return reading(minutes, { systolic: systolic ?? null, diastolic: diastolic ?? null }, extra);
}

/** A start gate that holds, for tests about what happens after the start. */
export const startGateHolds: StartGateResult = { holds: true, items: [] };
