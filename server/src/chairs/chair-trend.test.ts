import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addToTrend } from '@chairside/shared';
import { SqliteStore } from '../store/sqlite-store';
import type { NewReading } from '../store/store';
import { newReadingFixture } from '../store/test-fixtures';
import { chairTrend } from './chair-trend';

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

const t0 = Date.UTC(2026, 10, 22, 10, 0, 0);

function newReading(i: number, measuredAtMs: number, heartRate: number): NewReading {
  const bp = i % 60 === 0 ? { systolic: 120 + (i % 7), diastolic: 80 } : {};
  return newReadingFixture(i, { measuredAt: new Date(measuredAtMs).toISOString(), receivedAt: measuredAtMs, heartRate, ...bp });
}

async function storeWith(readings: NewReading[]): Promise<SqliteStore> {
  const store = new SqliteStore({ file: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chairside-trend-')), 'chairside.db') });
  stores.push(store);
  await store.catalog.createChair({ id: 'chair-1', name: 'Chair 1', hl7Bed: null, position: 1 }, 0);
  await store.catalog.createChair({ id: 'chair-2', name: 'Chair 2', hl7Bed: null, position: 2 }, 0);
  const [result] = await store.readings.insertReadingBatches([readings]);
  if (!result?.ok) throw new Error('not stored');
  return store;
}

describe('chairTrend', () => {
  // 20 min at 1 Hz; several readings share an instant, so pages must not split or skip them.
  const readings = Array.from({ length: 1200 }, (_, i) => newReading(i, t0 + Math.floor(i / 3) * 3000, i === 700 ? 190 : 70 + (i % 9)));

  it('folds every reading of the period, page by page, into what one fold of them all gives', async () => {
    const store = await storeWith([...readings, { ...newReading(5000, t0 + 60_000, 250), id: 'other-chair', chairId: 'chair-2' }]);
    const whole = addToTrend([], readings.map((r) => ({ t: Date.parse(r.measuredAt), reading: r })), { bucketMs: 15_000, windowMs: Infinity });
    for (const pageRows of [1, 7, 1000, 20_000]) {
      const trend = await chairTrend(store.readings, 'chair-1', t0, t0 + 3_600_000, 15_000, pageRows);
      expect(trend.readings).toBe(1200);
      expect(trend.buckets).toEqual(whole);
    }
  });

  it('keeps to the period: from inclusive, to exclusive, and the first bucket whole', async () => {
    const store = await storeWith(readings);
    const trend = await chairTrend(store.readings, 'chair-1', t0 + 10_000, t0 + 61_000, 60_000);
    expect(trend.buckets.map((b) => b.startMs)).toEqual([t0, t0 + 60_000]);
    expect(trend.buckets[0]?.firstOffsetMs).toBe(12_000);
    expect(trend.buckets[1]?.lastOffsetMs).toBe(0);
    expect(trend.readings).toBe(3 * (1 + (60_000 - 12_000) / 3000));
    expect((await chairTrend(store.readings, 'chair-9', t0, t0 + 3_600_000, 15_000)).buckets).toEqual([]);
  });
});
