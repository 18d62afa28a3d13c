/**
 * Device load generator (its own process): bedside monitors posting readings over HTTP with a
 * device token, as `POST /api/v1/readings` documents.
 *
 * - `rate`: `ratePerSec` readings per second spread evenly over the chairs, one reading per request
 *   (each monitor sends its own); stamps every send on the machine's monotonic clock and writes the
 *   send times of acknowledged readings (NaN otherwise) to a file for the dashboards to subtract.
 * - `max`: `concurrency` senders each posting batches of `batch` readings back to back, each waiting
 *   for the durable acknowledgement (201) before the next: the sustained durable rate.
 * - `socket-max`: the same over device sockets (`readings:ingest` on the device namespace, the
 *   device token in the handshake), one socket per sender, each waiting for the acknowledgement.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { deviceNamespace, errorStatus, isErrorBody } from '@chairside/shared';
import { nowMs, summarize, writeFloat64 } from '../lib/common';
import { type Message, reply, serveMessages } from '../lib/processes';
import { readingJson, readingObject } from '../lib/readings';
import { openConnections, type RawConnection } from '../lib/raw-http';
import { runAtRate } from '../lib/schedule';

const postReadings = (conn: RawConnection, token: string, body: string): Promise<number> =>
  conn.request('POST', '/api/v1/readings', `Content-Type: application/json\r\nAuthorization: Bearer ${token}\r\n`, body);

interface RateJob extends Message {
  url: string;
  token: string;
  chairIds: string[];
  prefix: string;
  ratePerSec: number;
  count: number;
  /** measuredAt = now + this (negative: a little in the past). */
  measuredAtOffsetMs?: number;
  sendTimesFile: string;
  /** Ramp from 0 to the full rate over this long first (part of the warm-up). */
  rampMs?: number;
  /** Acknowledgement figures from this reading on (after the warm-up). */
  fromIndex?: number;
  /** Persistent connections (a monitor keeps its own); default one per chair, at most 1000. */
  connections?: number;
}

async function runRate(job: RateJob): Promise<void> {
  const url = new URL(job.url);
  // One persistent connection per monitor (up to `connections`), all open before the first reading.
  const conns = await openConnections(url, Math.min(job.chairIds.length, job.connections ?? 1000));
  const issuedAt = new Float64Array(job.count).fill(Number.NaN);
  const sendTimes = new Float64Array(job.count).fill(Number.NaN);
  const ackMs = new Float64Array(job.count).fill(Number.NaN);
  const statuses = new Map<number, number>();
  let pending = 0;
  let maxPending = 0;
  let settledAll: () => void = () => undefined;
  const allSettled = new Promise<void>((resolve) => (settledAll = resolve));
  let issued = 0;
  const offset = job.measuredAtOffsetMs ?? 0;
  const start = nowMs();
  const startedAtEpochMs = Date.now();
  const schedule = await runAtRate(
    job.count,
    job.ratePerSec,
    (i) => {
      const body = readingJson(job.prefix, i, job.chairIds, new Date(Date.now() + offset).toISOString());
      const sentAt = nowMs();
      issuedAt[i] = sentAt;
      pending += 1;
      issued += 1;
      maxPending = Math.max(maxPending, pending);
      const conn = conns[(i % job.chairIds.length) % conns.length] as RawConnection;
      void postReadings(conn, job.token, body).then((status) => {
        pending -= 1;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 201 || status === 200) {
          sendTimes[i] = sentAt;
          ackMs[i] = nowMs() - sentAt;
        }
        if (pending === 0 && issued === job.count) settledAll();
      });
    },
    job.rampMs ?? 0,
  );
  await allSettled;
  for (const c of conns) c.close();
  writeFloat64(job.sendTimesFile, sendTimes);
  const measured = ackMs.subarray(job.fromIndex ?? 0).filter((v) => !Number.isNaN(v));
  // Acknowledgement time per second of sending: where in the run any queueing happened.
  const buckets = new Map<number, number[]>();
  issuedAt.forEach((t, i) => {
    const second = Math.floor((t - start) / 1000);
    const list = buckets.get(second) ?? [];
    list.push(ackMs[i] ?? Number.NaN);
    buckets.set(second, list);
  });
  const perSecond = [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([second, list]) => {
      const ok = list.filter((v) => !Number.isNaN(v));
      const s = summarize(ok);
      return { second, sent: list.length, p50: Math.round(s.p50), max: Math.round(s.max), failed: list.length - ok.length };
    });
  // Cumulative acknowledgements by second since `startedAtEpochMs` (for plotting against other samples).
  const ackedBySecond: number[] = [];
  issuedAt.forEach((t, i) => {
    const ack = ackMs[i] ?? Number.NaN;
    if (Number.isNaN(ack)) return;
    const second = Math.max(0, Math.ceil((t + ack - start) / 1000));
    ackedBySecond[second] = (ackedBySecond[second] ?? 0) + 1;
  });
  for (let k = 0, total = 0; k < ackedBySecond.length; k += 1) {
    total += ackedBySecond[k] ?? 0;
    ackedBySecond[k] = total;
  }
  reply({
    type: 'rate-done',
    startedAtEpochMs,
    ackedBySecond,
    sent: job.count,
    acked: ackMs.filter((v) => !Number.isNaN(v)).length,
    statuses: Object.fromEntries(statuses),
    elapsedMs: schedule.elapsedMs,
    maxBurst: schedule.maxBurst,
    maxInFlight: maxPending,
    ack: summarize(measured),
    perSecond,
  });
}

interface MaxJob extends Message {
  url: string;
  token: string;
  chairIds: string[];
  prefix: string;
  batch: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

/**
 * Prepares the request of readings `first` … `first + batch - 1`; the function it returns sends it and
 * resolves with the (HTTP) status of the answer. Preparing is not timed.
 */
type Send = (first: number, batch: number, measuredAt: string) => () => Promise<number>;

async function runMax(job: MaxJob): Promise<void> {
  const url = new URL(job.url);
  const conns = await openConnections(url, job.concurrency);
  const senders: Send[] = conns.map((conn) => (first, batch, measuredAt) => {
    const parts: string[] = [];
    for (let i = first; i < first + batch; i += 1) parts.push(readingJson(job.prefix, i, job.chairIds, measuredAt));
    const body = `[${parts.join(',')}]`;
    return () => postReadings(conn, job.token, body);
  });
  reply({ type: 'max-done', ...(await sustained(job, senders)) });
  for (const c of conns) c.close();
}

/** Device sockets, one per sender, all connected before the first reading. */
async function openDeviceSockets(url: string, token: string, count: number): Promise<Socket[]> {
  return Promise.all(
    Array.from({ length: count }, () => {
      const socket = connect(`${url}${deviceNamespace}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      return new Promise<Socket>((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    }),
  );
}

async function runSocketMax(job: MaxJob): Promise<void> {
  const sockets = await openDeviceSockets(job.url, job.token, job.concurrency);
  const senders: Send[] = sockets.map((socket) => (first, batch, measuredAt) => {
    const readings: Record<string, unknown>[] = [];
    for (let i = first; i < first + batch; i += 1) readings.push(readingObject(job.prefix, i, job.chairIds, measuredAt));
    return async () => {
      const answer: unknown = await socket.timeout(120_000).emitWithAck('readings:ingest', readings);
      if (isErrorBody(answer)) return errorStatus[answer.error.code];
      // Counted as HTTP would answer: 201 when something new was stored, 200 for retries only.
      return typeof answer === 'object' && answer !== null && 'createdCount' in answer ? (answer.createdCount === 0 ? 200 : 201) : 0;
    };
  });
  reply({ type: 'max-done', ...(await sustained(job, senders)) });
  for (const socket of sockets) socket.disconnect();
}

/** `senders` send batches back to back, each waiting for its durable acknowledgement; the rate after the warm-up. */
async function sustained(job: MaxJob, senders: Send[]): Promise<Record<string, unknown>> {
  const start = nowMs();
  const measureFrom = start + job.warmupMs;
  const end = measureFrom + job.durationMs;
  let nextIndex = 0;
  let ackedInWindow = 0;
  let ackedTotal = 0;
  let failed = 0;
  const statuses = new Map<number, number>();
  const requestMs: number[] = [];
  const perSecond = new Map<number, number>();
  const lanes = senders.map(async (send) => {
    while (nowMs() < end) {
      const first = nextIndex;
      nextIndex += job.batch;
      const request = send(first, job.batch, new Date().toISOString());
      const sentAt = nowMs();
      const status = await request();
      const doneAt = nowMs();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status !== 201 && status !== 200) {
        failed += job.batch;
        continue;
      }
      ackedTotal += job.batch;
      if (doneAt >= measureFrom && doneAt <= end) {
        ackedInWindow += job.batch;
        requestMs.push(doneAt - sentAt);
        const second = Math.floor((doneAt - measureFrom) / 1000);
        perSecond.set(second, (perSecond.get(second) ?? 0) + job.batch);
      }
    }
  });
  await Promise.all(lanes);
  return {
    readingsPerSec: (ackedInWindow / job.durationMs) * 1000,
    ackedInWindow,
    ackedTotal,
    issued: nextIndex,
    failed,
    statuses: Object.fromEntries(statuses),
    request: summarize(requestMs),
    perSecond: [...perSecond.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n),
  };
}

serveMessages(async (message) => {
  if (message.type === 'rate') await runRate(message as RateJob);
  else if (message.type === 'max') await runMax(message as MaxJob);
  else if (message.type === 'socket-max') await runSocketMax(message as MaxJob);
});
reply({ type: 'up' });
