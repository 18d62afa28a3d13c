/** Groups of worker processes: the dashboards (several processes of sockets) and the device sender. */
import fs from 'node:fs';
import path from 'node:path';
import { readFloat64, sleep } from './common';
import { type Message, Worker } from './processes';

export interface LatencyOutcome {
  /** Every (reading, dashboard) delivery's latency in ms. */
  latencies: Float64Array;
  /** Readings acknowledged to the sender (per dashboard, from the measured index on). */
  ackedPerDashboard: number;
  lostTotal: number;
  lostMaxPerDashboard: number;
  duplicates: number;
  dashboards: number;
  /** Lost connections during the run (the dashboards reconnect and resync, as the app does). */
  disconnects: number;
  reasons: string[];
  /** Deliveries that came through a resync after a reconnection. */
  resynced: number;
}

export class Dashboards {
  private constructor(
    private readonly workers: Worker[],
    readonly count: number,
  ) {}

  /**
   * One dashboard per entry of `cookies` (a session cookie each, or null for a bare server), spread
   * over `processes` worker processes, connected and synced. The server allows at most 20
   * dashboards per user (`dashboardLogins` in clinic.ts hands out cookies accordingly).
   */
  static async open(url: string, cookies: readonly (string | null)[], processes: number): Promise<Dashboards> {
    const count = cookies.length;
    const n = Math.max(1, Math.min(processes, count));
    const workers = Array.from({ length: n }, () => Worker.spawn('dashboards'));
    await Promise.all(workers.map((w) => w.next('up')));
    let from = 0;
    await Promise.all(
      workers.map((w, i) => {
        const share = Math.floor(count / n) + (i < count % n ? 1 : 0);
        const mine = cookies.slice(from, from + share);
        from += share;
        return w.ask({ type: 'connect', url, cookies: mine }, 'connected', 120_000);
      }),
    );
    return new Dashboards(workers, count);
  }

  get pids(): number[] {
    return this.workers.map((w) => w.pid);
  }

  /** Starts counting (and, with capacity > 0, timing) the readings of run `prefix`. */
  async track(prefix: string, capacity: number): Promise<void> {
    await Promise.all(this.workers.map((w) => w.ask({ type: 'track', prefix, capacity }, 'tracking')));
  }

  async counts(): Promise<{ counts: number[]; connected: number; disconnects: number }> {
    const answers = await Promise.all(
      this.workers.map((w) => w.ask<Message & { counts: number[]; connected: number; disconnects: number }>({ type: 'counts' }, 'counts')),
    );
    return {
      counts: answers.flatMap((a) => a.counts),
      connected: answers.reduce((s, a) => s + a.connected, 0),
      disconnects: answers.reduce((s, a) => s + a.disconnects, 0),
    };
  }

  /**
   * Waits until every dashboard has received `expected` readings of the tracked run, or nothing
   * moved for `quietMs`, or `timeoutMs` passed. Returns how long it waited and the lowest count.
   */
  async drain(expected: number, timeoutMs = 30_000, quietMs = 5_000): Promise<{ waitedMs: number; minCount: number; connected: number; disconnects: number }> {
    const start = Date.now();
    let last = -1;
    let lastChange = Date.now();
    for (;;) {
      const { counts, connected, disconnects } = await this.counts();
      const min = Math.min(...counts);
      const total = counts.reduce((a, b) => a + b, 0);
      if (total !== last) {
        last = total;
        lastChange = Date.now();
      }
      if (min >= expected || Date.now() - start > timeoutMs || Date.now() - lastChange > quietMs) {
        return { waitedMs: Date.now() - start, minCount: min, connected, disconnects };
      }
      await sleep(200);
    }
  }

  /** Latencies of the tracked run against the sender's send times, from reading `fromIndex` on. */
  async finish(sendTimesFile: string, fromIndex: number): Promise<LatencyOutcome> {
    const dir = path.dirname(sendTimesFile);
    const answers = await Promise.all(
      this.workers.map((w, i) =>
        w.ask<Message & { perConnection: { acked: number; lost: number; duplicates: number; disconnects: number; reasons: string[]; resynced: number }[]; latencyFile: string }>(
          { type: 'finish', sendTimesFile, fromIndex, outFile: path.join(dir, `latency-${i}.bin`) },
          'finished',
        ),
      ),
    );
    const parts = answers.map((a) => readFloat64(a.latencyFile));
    for (const a of answers) fs.rmSync(a.latencyFile, { force: true });
    const latencies = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      latencies.set(p, offset);
      offset += p.length;
    }
    const conns = answers.flatMap((a) => a.perConnection);
    return {
      latencies,
      ackedPerDashboard: conns[0]?.acked ?? 0,
      lostTotal: conns.reduce((s, c) => s + c.lost, 0),
      lostMaxPerDashboard: Math.max(0, ...conns.map((c) => c.lost)),
      duplicates: conns.reduce((s, c) => s + c.duplicates, 0),
      dashboards: conns.length,
      disconnects: conns.reduce((s, c) => s + c.disconnects, 0),
      reasons: [...new Set(conns.flatMap((c) => c.reasons))],
      resynced: conns.reduce((s, c) => s + c.resynced, 0),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
  }
}

export interface RateOutcome extends Message {
  sent: number;
  acked: number;
  statuses: Record<string, number>;
  elapsedMs: number;
  maxBurst: number;
  maxInFlight: number;
  ack: { count: number; p50: number; p95: number; p99: number; max: number; mean: number };
  perSecond: { second: number; sent: number; p50: number; max: number; failed: number }[];
  /** When sending started (epoch ms) and how many readings were acknowledged by each second since. */
  startedAtEpochMs: number;
  ackedBySecond: number[];
}

export interface MaxOutcome extends Message {
  readingsPerSec: number;
  ackedInWindow: number;
  ackedTotal: number;
  issued: number;
  failed: number;
  statuses: Record<string, number>;
  request: { count: number; p50: number; p95: number; p99: number; max: number; mean: number };
  perSecond: number[];
}

/** The device load generator process. */
export class Devices {
  private constructor(private readonly worker: Worker) {}

  static async start(): Promise<Devices> {
    const worker = Worker.spawn('devices');
    await worker.next('up');
    return new Devices(worker);
  }

  get pid(): number {
    return this.worker.pid;
  }

  /** Sends once the answer is awaited; resolves when every request has been answered. */
  rate(job: {
    url: string;
    token: string;
    chairIds: string[];
    prefix: string;
    ratePerSec: number;
    count: number;
    measuredAtOffsetMs?: number;
    sendTimesFile: string;
    rampMs?: number;
    fromIndex?: number;
    connections?: number;
  }): Promise<RateOutcome> {
    return this.worker.ask<RateOutcome>({ type: 'rate', ...job }, 'rate-done', 60 * 60_000);
  }

  /** The sustained durable rate: `concurrency` senders posting batches back to back (HTTP), or the same over device sockets. */
  max(
    job: { url: string; token: string; chairIds: string[]; prefix: string; batch: number; concurrency: number; warmupMs: number; durationMs: number },
    over: 'http' | 'socket' = 'http',
  ): Promise<MaxOutcome> {
    return this.worker.ask<MaxOutcome>({ type: over === 'http' ? 'max' : 'socket-max', ...job }, 'max-done', 60 * 60_000);
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }
}
