import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Reading } from '@chairside/shared';
import { isStoreLocked } from '../store/store-errors';
import type { NewReading, ReadingBatchResult, ReadingsRepository } from '../store/store';

interface Pending {
  batch: NewReading[];
  resolve: (result: ReadingBatchResult) => void;
  reject: (error: unknown) => void;
}

export interface WriteBatcherOptions {
  /** How long the first write of a group waits for others to join its transaction. */
  windowMs: number;
  /** A group holding this many readings is committed at once. */
  maxRows: number;
  /** Called after each commit with the readings it newly stored, in sequence order. Must not throw. */
  onCommitted: (created: Reading[]) => void;
  /**
   * A group whose commit failed because another program holds the database's lock is tried again
   * after `delayMs` (a timer: the event loop is free meanwhile) while `withinMs` has not passed since
   * its first try; then its writers get the error (503, retry later). The store's own wait for a lock
   * is kept short (SQLite's busy timeout blocks the event loop), and a lock that outlasts both is
   * reported at once rather than waited out. Default 50 ms apart within 150 ms; `withinMs` 0 never retries.
   */
  lockRetry?: { delayMs: number; withinMs: number };
}

const defaultLockRetry = { delayMs: 50, withinMs: 150 };

/**
 * Group commit: writes that arrive within a few milliseconds share one transaction, and each
 * caller's promise settles only after that transaction is durable (docs/architecture.md: acknowledge after
 * the work is durable). Groups commit one after another, so sequence numbers are broadcast in order.
 */
export class WriteBatcher {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly readings: Pick<ReadingsRepository, 'insertReadingBatches'>,
    private readonly options: WriteBatcherOptions,
  ) {}

  write(batch: NewReading[]): Promise<ReadingBatchResult> {
    if (this.closed) return Promise.reject(new Error('the reading store is shutting down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      this.queuedRows += batch.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing) return; // the running flush picks the queue up when it finishes
    if (this.queuedRows >= this.options.maxRows) {
      this.clearTimer();
      void this.flush();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.options.windowMs);
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0 && (group.length === 0 || rows + (this.queue[0]?.batch.length ?? 0) <= this.options.maxRows)) {
      const next = this.queue.shift();
      if (!next) break;
      group.push(next);
      rows += next.batch.length;
    }
    this.queuedRows -= rows;
    return group;
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return;
    const group = this.takeGroup();
    const run = async (): Promise<void> => {
      let results: ReadingBatchResult[];
      try {
        results = await this.commit(group);
      } catch (error) {
        for (const pending of group) pending.reject(error);
        return;
      }
      const created: Reading[] = [];
      for (const result of results) {
        if (result.ok) for (const r of result.results) if (r.created) created.push(r.reading);
      }
      created.sort((a, b) => a.seq - b.seq);
      if (created.length > 0) this.options.onCommitted(created);
      group.forEach((pending, i) => {
        const result = results[i];
        if (result) pending.resolve(result);
        else pending.reject(new Error('the store returned fewer results than batches'));
      });
    };
    this.flushing = run();
    await this.flushing;
    this.flushing = null;
    // Writes that queued up during this commit have waited long enough: commit them now.
    if (this.queue.length > 0) void this.flush();
  }

  /** One group's transaction, tried again while the database is locked and time is left (`lockRetry`). */
  private async commit(group: Pending[]): Promise<ReadingBatchResult[]> {
    const { delayMs, withinMs } = this.options.lockRetry ?? defaultLockRetry;
    const started = performance.now();
    for (;;) {
      try {
        return await this.readings.insertReadingBatches(group.map((p) => p.batch));
      } catch (error) {
        if (!isStoreLocked(error) || performance.now() - started + delayMs >= withinMs) throw error;
        await sleep(delayMs);
      }
    }
  }

  /** Commits what is queued and refuses new writes. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    while (this.flushing || this.queue.length > 0) {
      if (this.flushing) await this.flushing;
      else await this.flush();
    }
  }
}
