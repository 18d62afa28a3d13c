import { describe, expect, it } from 'vitest';
import type { NewReading, ReadingBatchResult, ReadingsRepository } from '../store/store';
import { WriteBatcher } from './write-batcher';

const locked = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

/** A store whose commits fail with `failures` in turn, then succeed; it counts the tries. */
function storeFailing(failures: unknown[]): { store: ReadingsRepository; tries: () => number } {
  let tries = 0;
  const store = {
    async insertReadingBatches(batches: NewReading[][]): Promise<ReadingBatchResult[]> {
      tries += 1;
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return batches.map(() => ({ ok: true, results: [] }));
    },
  } as unknown as ReadingsRepository;
  return { store, tries: () => tries };
}

const batcher = (store: ReadingsRepository, lockRetry?: { delayMs: number; withinMs: number }) =>
  new WriteBatcher(store, { windowMs: 1, maxRows: 100, onCommitted: () => undefined, ...(lockRetry ? { lockRetry } : {}) });

describe('WriteBatcher and a database locked by another program', () => {
  it('tries a locked group again on a timer, and commits it once the lock is gone', async () => {
    const { store, tries } = storeFailing([locked]);
    await expect(batcher(store).write([])).resolves.toEqual({ ok: true, results: [] });
    expect(tries()).toBe(2);
  });

  it('gives up once its time is spent, so the writer hears 503 promptly', async () => {
    const { store, tries } = storeFailing(Array.from({ length: 100 }, () => locked));
    const started = performance.now();
    await expect(batcher(store, { delayMs: 20, withinMs: 100 }).write([])).rejects.toBe(locked);
    const took = performance.now() - started;
    expect(tries()).toBeGreaterThanOrEqual(2);
    expect(tries()).toBeLessThanOrEqual(5);
    expect(took).toBeLessThan(400);
  });

  it('does not try again an error that waiting cannot cure', async () => {
    const { store, tries } = storeFailing([full]);
    await expect(batcher(store).write([])).rejects.toBe(full);
    expect(tries()).toBe(1);
  });

  it('never tries again with withinMs 0', async () => {
    const { store, tries } = storeFailing([locked]);
    await expect(batcher(store, { delayMs: 10, withinMs: 0 }).write([])).rejects.toBe(locked);
    expect(tries()).toBe(1);
  });
});
