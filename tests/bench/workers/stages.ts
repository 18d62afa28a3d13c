/**
 * The stages of one reading's path, each timed with the server's own code in this process (the
 * coordinator, scenarios/stages.ts, reads this process's and PostgreSQL's CPU time from /proc around
 * each request, so everything the stage costs — every thread — is counted):
 *
 * - `micro`: validation with the shared schemas the ingest route parses with (`readingInputSchema`,
 *   `readingArrayInputSchema`), and the alert engine's `evaluate` over an hour of a chair in treatment
 *   (as tests/bench/alert-engine.ts), timed here with performance.now.
 * - `open`: the real application (`createApp`) on a real store (a better-sqlite3 file or a PostgreSQL
 *   database), listening on loopback, with the bench's admin and device token.
 * - `commit`: the readings repository's group commit (`insertReadingBatches`), one reading per batch
 *   (one per request, as monitors send), `groupSize` batches per transaction, back to back.
 * - `ingest`: `IngestService.ingest` (the route's work after validation: checks, group commit, the
 *   chairs' newest values, the broadcast, the alert engine, the sessions), `concurrency` callers
 *   each sending one reading and waiting for its durable acknowledgement.
 * - `broadcast`: `readings:stored` emits of `groupSize` stored readings to the dashboards room at
 *   `emitsPerSec`, exactly as the server's reading path emits them.
 * - `readback`: what each node of several does per reading: `readingsAfter` pages of 2,000.
 * - `commits`: the group commit's transactions and rows so far (the batch size of a run from outside).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bootstrapAdmin, type Chairside, createApp, PostgresStore, silentLogger, SqliteStore, type Store, systemClock } from '@chairside/server';
import {
  createAlertEngineState,
  defaultAlertContext,
  defaultAlertRules,
  evaluate,
  type Reading,
  type ReadingInput,
  readingArrayInputSchema,
  readingInputSchema,
  socketRooms,
} from '@chairside/shared';
import { adminPassword, ingestToken } from '../lib/clinic';
import { nowMs, readingId, runPrefix, sleep } from '../lib/common';
import { type Message, reply, serveMessages } from '../lib/processes';
import { anHourOfEngineReadings, readingJson } from '../lib/readings';

const device = { kind: 'device' as const, deviceLabel: 'bench-stages' };

/** A reading ready to store (the store's NewReading, which the server's package does not export). */
type NewReading = Parameters<Store['readings']['insertReadingBatches']>[0][number][number];

let app: Chairside | null = null;
let store: Store | null = null;
/** Groups and rows the store's group commit saw (counted around the repository's own method). */
const commits = { groups: 0, rows: 0 };

function opened(): { app: Chairside; store: Store } {
  if (!app || !store) throw new Error('open first');
  return { app, store };
}

/** Median of `rounds` timed runs (after one untimed run to warm the JIT), in ms. */
function timeIt(rounds: number, run: () => void): number {
  run();
  const times: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

function micro(): Message {
  const chairIds = Array.from({ length: 200 }, (_, i) => `chair-${i + 1}`);
  const prefix = runPrefix();
  const at = new Date().toISOString();
  const bodies = Array.from({ length: 10_000 }, (_, i) => readingJson(prefix, i, chairIds, at));
  const parsed = bodies.map((b) => JSON.parse(b) as unknown);
  const arrays = Array.from({ length: 100 }, (_, k) => parsed.slice(k * 100, k * 100 + 100));
  const jsonMs = timeIt(5, () => {
    for (const b of bodies) JSON.parse(b);
  });
  const oneMs = timeIt(5, () => {
    for (const p of parsed) readingInputSchema.parse(p);
  });
  const arrayMs = timeIt(5, () => {
    for (const a of arrays) readingArrayInputSchema.parse(a);
  });
  const t0 = Date.now() - 3600_000;
  const input = anHourOfEngineReadings(t0);
  const engineMs = timeIt(5, () => {
    let state = createAlertEngineState({ idPrefix: 's1', context: { ...defaultAlertContext, phase: 'treatment', treatmentStartedAtMs: t0 - 600_000 } });
    for (const reading of input) state = evaluate(defaultAlertRules, state, { kind: 'reading', reading }, Date.parse(reading.receivedAt)).state;
  });
  const us = (ms: number, n: number): number => (ms * 1000) / n;
  return {
    type: 'micro-done',
    jsonParseUs: us(jsonMs, bodies.length),
    validateOneUs: us(oneMs, parsed.length),
    validateBatch100Us: us(arrayMs, parsed.length),
    engineUs: us(engineMs, input.length),
  };
}

async function open(job: Message): Promise<Message> {
  const kind = job.store === 'postgres' ? 'postgres' : 'sqlite';
  store =
    kind === 'postgres'
      ? await PostgresStore.open({ connectionString: String(job.databaseUrl) })
      : new SqliteStore({ file: path.join(String(job.dataDir), 'chairside.db') });
  // Count the group commit's transactions and rows (the batch size the ingest stage ran at).
  const repo = store.readings;
  const insert = repo.insertReadingBatches.bind(repo);
  repo.insertReadingBatches = (batches) => {
    commits.groups += 1;
    commits.rows += batches.reduce((s, b) => s + b.length, 0);
    return insert(batches);
  };
  app = await createApp({ store, clock: systemClock, logger: silentLogger, deviceTokens: [ingestToken], sessionIdleMs: 12 * 3600_000 });
  await bootstrapAdmin(store, app.auth, adminPassword);
  const server = app.httpServer;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { type: 'opened', url: `http://127.0.0.1:${port}` };
}

/** Reading `index` of a run as the route hands it on after validation (built without the schemas: that stage is timed on its own). */
function inputOf(prefix: string, index: number, chairIds: readonly string[]): ReadingInput {
  const wave = (index * 7919) % 13;
  const bp = index % 300 === 0;
  return {
    id: readingId(prefix, index),
    chairId: chairIds[index % chairIds.length] ?? 'chair-1',
    measuredAt: new Date().toISOString(),
    heartRate: 72 + wave,
    spo2: 96 + (wave % 4),
    respRate: 13 + (wave % 5),
    ...(bp ? { systolic: 118 + wave, diastolic: 76 + (wave >> 1), mean: 90 + (wave >> 1) } : {}),
    source: 'device',
  };
}

/** CPU time this process has used (every thread), µs. */
function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** A reading ready to store, as IngestService makes it (the hash is any 64 hex digits here). */
function newReading(input: ReadingInput): NewReading {
  return {
    id: input.id,
    chairId: input.chairId ?? 'chair-1',
    sessionId: null,
    measuredAt: input.measuredAt,
    receivedAt: Date.now(),
    source: input.source,
    systolic: input.systolic ?? null,
    diastolic: input.diastolic ?? null,
    mean: input.mean ?? null,
    heartRate: input.heartRate ?? null,
    spo2: input.spo2 ?? null,
    respRate: input.respRate ?? null,
    rejected: [],
    flags: [],
    enteredBy: null,
    supersedes: null,
    payloadHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
  };
}

/**
 * Back-to-back group commits of `groupSize` one-reading batches for `seconds`; CPU and wall time
 * are counted around the repository's call only (the rows are built outside it).
 */
async function commit(job: Message): Promise<Message> {
  const { store: s } = opened();
  const chairIds = job.chairIds as string[];
  const groupSize = Number(job.groupSize);
  const prefix = runPrefix();
  let index = 0;
  let groups = 0;
  let cpu = 0;
  let wall = 0;
  const start = nowMs();
  while (nowMs() - start < Number(job.seconds) * 1000) {
    const group = Array.from({ length: groupSize }, () => {
      index += 1;
      return [newReading(inputOf(prefix, index - 1, chairIds))];
    });
    const cpu0 = cpuUs();
    const t0 = nowMs();
    await s.readings.insertReadingBatches(group);
    wall += nowMs() - t0;
    cpu += cpuUs() - cpu0;
    groups += 1;
  }
  return { type: 'commit-done', readings: index, groups, wallMs: wall, cpuUs: cpu };
}

/** `concurrency` callers, each ingesting one reading at a time through the real IngestService, for `seconds`. */
async function ingest(job: Message): Promise<Message> {
  const { app: a } = opened();
  const chairIds = job.chairIds as string[];
  const prefix = runPrefix();
  let index = 0;
  const before = { ...commits };
  const cpu0 = cpuUs();
  const start = nowMs();
  const end = start + Number(job.seconds) * 1000;
  await Promise.all(
    Array.from({ length: Number(job.concurrency) }, async () => {
      while (nowMs() < end) {
        const input = inputOf(prefix, index, chairIds);
        index += 1;
        await a.ingest.ingest([input], device);
      }
    }),
  );
  const groups = commits.groups - before.groups;
  return { type: 'ingest-done', readings: index, elapsedMs: nowMs() - start, cpuUs: cpuUs() - cpu0, groups, meanGroup: (commits.rows - before.rows) / Math.max(1, groups) };
}

/** Stored readings as the server broadcasts them. */
function storedReadings(prefix: string, first: number, count: number, chairIds: readonly string[]): Reading[] {
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, k) => {
    const i = first + k;
    const wave = (i * 7919) % 13;
    return {
      seq: 1_000_000 + i,
      id: `${prefix}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      chairId: chairIds[i % chairIds.length] ?? 'chair-1',
      sessionId: null,
      measuredAt: at,
      receivedAt: at,
      source: 'device',
      systolic: null,
      diastolic: null,
      mean: null,
      heartRate: 72 + wave,
      spo2: 96 + (wave % 4),
      respRate: 13 + (wave % 5),
      rejected: [],
      flags: [],
      enteredBy: null,
    };
  });
}

/** `emitsPerSec` emits of `groupSize` readings to the dashboards room for `seconds`, evenly spaced. */
async function broadcast(job: Message): Promise<Message> {
  const { app: a } = opened();
  const chairIds = job.chairIds as string[];
  const groupSize = Number(job.groupSize);
  const perMs = Number(job.emitsPerSec) / 1000;
  const prefix = String(job.prefix);
  const start = nowMs();
  const total = Math.round(Number(job.emitsPerSec) * Number(job.seconds));
  let cpu = 0;
  let emits = 0;
  while (emits < total) {
    const due = Math.min(total, Math.floor((nowMs() - start) * perMs) + 1);
    for (; emits < due; emits += 1) {
      const readings = storedReadings(prefix, emits * groupSize, groupSize, chairIds);
      // Counted around the emit only (Socket.IO encodes and writes to every socket within it), not the pacing.
      const cpu0 = cpuUs();
      a.io.to(socketRooms.dashboards).emit('readings:stored', readings);
      cpu += cpuUs() - cpu0;
    }
    await sleep(1);
  }
  return { type: 'broadcast-done', emits, readings: emits * groupSize, elapsedMs: nowMs() - start, cpuUs: cpu };
}

/** Reads every stored reading back in pages of 2,000, as ReadingsFeed does on each node, for at least `seconds`. */
async function readback(job: Message): Promise<Message> {
  const { store: s } = opened();
  let readings = 0;
  const cpu0 = cpuUs();
  const start = nowMs();
  while (nowMs() - start < Number(job.seconds) * 1000) {
    let cursor = 0;
    for (;;) {
      const page = await s.readings.readingsAfter(cursor, 2_000);
      if (page.length === 0) break;
      readings += page.length;
      cursor = page.at(-1)?.seq ?? cursor;
      if (nowMs() - start >= Number(job.seconds) * 1000) break;
    }
  }
  return { type: 'readback-done', readings, elapsedMs: nowMs() - start, cpuUs: cpuUs() - cpu0 };
}

async function close(): Promise<Message> {
  await app?.close();
  await store?.close();
  app = null;
  store = null;
  return { type: 'closed' };
}

serveMessages(async (message) => {
  switch (message.type) {
    case 'micro':
      reply(micro());
      break;
    case 'open':
      reply(await open(message));
      break;
    case 'commit':
      reply(await commit(message));
      break;
    case 'ingest':
      reply(await ingest(message));
      break;
    case 'broadcast':
      reply(await broadcast(message));
      break;
    case 'readback':
      reply(await readback(message));
      break;
    case 'commits':
      reply({ type: 'commits', ...commits });
      break;
    case 'close':
      reply(await close());
      break;
  }
});
reply({ type: 'up' });
