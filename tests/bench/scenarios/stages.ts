/**
 * The capacity model's inputs (docs/capacity.md): the CPU one reading costs at each stage of its
 * path, timed in isolation with the server's own code (workers/stages.ts), on SQLite and on
 * PostgreSQL; the model built from them; and, with --postgres, its check: two compiled server nodes
 * on one PostgreSQL database driven at the highest rate these cores allow.
 *
 * Stages (µs of CPU per reading; "node" = the server process, every thread; "pg" = the PostgreSQL
 * server's processes, read from /proc):
 *   validate  the shared schemas the ingest route parses a body with (micro-timed)
 *   commit    the readings repository's group commit at several group sizes (node and pg)
 *   ingest    IngestService.ingest, 8 callers one reading each: checks, commit, caches, broadcast
 *             to nobody, sessions — without sessions, then with every chair in treatment (the
 *             difference is the alert engine and the sessions' share in situ)
 *   http      POST /api/v1/readings, one reading per request, 8 in flight, against the same app
 *             (minus the ingest stage and validation: HTTP parsing, routing, auth, the answer)
 *   broadcast `readings:stored` emits of 4 readings to 0, 10 and 50 dashboards (per emit and per
 *             dashboard)
 *   readback  readingsAfter pages of 2,000 (what every node of several does with every reading)
 * and the alert engine's `evaluate` alone (micro-timed, as tests/bench/alert-engine.ts).
 */
import fs from 'node:fs';
import pg from 'pg';
import { adminPassword, checkInAll, createChairs, dashboardLogins, ingestToken, openClinic } from '../lib/clinic';
import { cpuSeconds, nowMs, runPrefix, tempDir } from '../lib/common';
import { type Config, freshPostgresDatabase, type StoreKind } from '../lib/config';
import { Dashboards, Devices } from '../lib/fleet';
import { type Message, Worker } from '../lib/processes';
import type { Results } from '../lib/report';
import { freePort, spawnCompiled, startTreatment, waitHealthy } from './footprint';

/** Group sizes the commit stage is timed at (readings per transaction, one per request). */
const groupSizes = [1, 4, 8, 32, 256];
/** Callers in flight in the ingest and HTTP stages (the group commit's batches form from them). */
const inFlight = 8;
/** Chairs of the stage runs, every one in a running session for the engine's stages. */
const stageChairs = 200;
/** The broadcast stage's emits: 250 a second of 4 readings (1,000 readings/s). */
const broadcastShape = { emitsPerSec: 250, groupSize: 4 };

/** CPU seconds of a local PostgreSQL server (its postmaster and every child), found through a backend's parent. */
export async function postgresCpu(databaseUrl: string): Promise<() => number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? -1;
  const stat = fs.readFileSync(`/proc/${backend}/stat`, 'utf8');
  const postmaster = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  await client.end();
  return () => {
    let total = cpuSeconds(postmaster);
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const s = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        if (Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) total += cpuSeconds(Number(name));
      } catch {
        // gone meanwhile
      }
    }
    return total;
  };
}

interface Micro extends Message {
  jsonParseUs: number;
  validateOneUs: number;
  validateBatch100Us: number;
  engineUs: number;
}

interface CommitCost {
  groupSize: number;
  nodeUs: number;
  pgUs: number;
  wallUs: number;
  readingsPerSec: number;
}

interface IngestCost {
  nodeUs: number;
  pgUs: number;
  readingsPerSec: number;
  meanGroup: number;
}

interface HttpCost extends IngestCost {
  /** The load generator's CPU per request. */
  senderUs: number;
}

interface BroadcastCost {
  dashboards: number;
  /** Server CPU per emit (of `groupSize` readings). */
  perEmitUs: number;
  /** Dashboard processes' CPU per emit per dashboard (the receiving side, a load generator here). */
  receiverUsPerDelivery: number;
  delivered: number;
}

export interface StageCosts {
  store: StoreKind;
  commit: CommitCost[];
  ingest: IngestCost;
  ingestSessions: IngestCost;
  http: HttpCost;
  readback: { nodeUs: number; pgUs: number };
}

export interface StageRun {
  micro: Micro;
  broadcast: BroadcastCost[];
  stores: StageCosts[];
}

const perReading = (seconds: number, readings: number): number => (seconds * 1e6) / Math.max(1, readings);

/** The stages that need a store, on one store. */
async function storeStages(cfg: Config, worker: Worker, store: StoreKind, broadcast: BroadcastCost[] | null): Promise<StageCosts> {
  const label = store === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const dataDir = tempDir('stages');
  const databaseUrl = store === 'postgres' ? await freshPostgresDatabase(cfg.databaseUrl ?? '') : null;
  const pgCpu = databaseUrl ? await postgresCpu(databaseUrl) : () => 0;
  const { url } = await worker.ask<Message & { url: string }>({ type: 'open', store, dataDir, databaseUrl }, 'opened', 120_000);
  try {
    const clinic = await openClinic(url);
    const chairIds = await createChairs(clinic, stageChairs);
    /** Runs a worker request, with the PostgreSQL server's CPU seconds meanwhile. */
    const timed = async <T extends Message>(message: Message, answer: string): Promise<{ out: T; pgSeconds: number }> => {
      const pg0 = pgCpu();
      const out = await worker.ask<T>(message, answer, 10 * 60_000);
      return { out, pgSeconds: pgCpu() - pg0 };
    };

    const commit: CommitCost[] = [];
    for (const groupSize of groupSizes) {
      const seconds = Math.max(2, cfg.stageSec / 2);
      const { out, pgSeconds } = await timed<Message & { readings: number; wallMs: number; cpuUs: number }>({ type: 'commit', chairIds, groupSize, seconds }, 'commit-done');
      commit.push({
        groupSize,
        nodeUs: out.cpuUs / out.readings,
        pgUs: perReading(pgSeconds, out.readings),
        wallUs: (out.wallMs * 1000) / out.readings,
        readingsPerSec: out.readings / (out.wallMs / 1000),
      });
    }
    console.log(`  [${label}] commit per reading (node CPU / pg CPU / wall µs): ${commit.map((c) => `${c.groupSize}: ${c.nodeUs.toFixed(1)} / ${c.pgUs.toFixed(1)} / ${c.wallUs.toFixed(1)}`).join('; ')}`);

    const ingestRun = async (): Promise<IngestCost> => {
      const { out, pgSeconds } = await timed<Message & { readings: number; elapsedMs: number; cpuUs: number; meanGroup: number }>(
        { type: 'ingest', chairIds, concurrency: inFlight, seconds: cfg.stageSec },
        'ingest-done',
      );
      return { nodeUs: out.cpuUs / out.readings, pgUs: perReading(pgSeconds, out.readings), readingsPerSec: out.readings / (out.elapsedMs / 1000), meanGroup: out.meanGroup };
    };
    const ingest = await ingestRun();
    await startTreatment(clinic, await checkInAll(clinic, chairIds));
    const ingestSessions = await ingestRun();
    console.log(
      `  [${label}] ingest (IngestService, ${inFlight} in flight) per reading: node ${ingest.nodeUs.toFixed(1)} µs, pg ${ingest.pgUs.toFixed(1)} µs (${Math.round(ingest.readingsPerSec)}/s, ${ingest.meanGroup.toFixed(1)} per commit); ` +
        `every chair in treatment: node ${ingestSessions.nodeUs.toFixed(1)} µs, pg ${ingestSessions.pgUs.toFixed(1)} µs (${Math.round(ingestSessions.readingsPerSec)}/s)`,
    );

    // HTTP: the monitors' own path against the same app, from a load generator process.
    const devices = await Devices.start();
    let http: HttpCost;
    try {
      const c0 = await worker.ask<Message & { groups: number; rows: number }>({ type: 'commits' }, 'commits');
      const w0 = cpuSeconds(worker.pid);
      const d0 = cpuSeconds(devices.pid);
      const pg0 = pgCpu();
      const t0 = nowMs();
      const out = await devices.max({ url, token: ingestToken, chairIds, prefix: runPrefix(), batch: 1, concurrency: inFlight, warmupMs: 2000, durationMs: cfg.stageSec * 1000 });
      const elapsed = (nowMs() - t0) / 1000;
      if (out.failed > 0) throw new Error(`HTTP stage: ${out.failed} readings failed ${JSON.stringify(out.statuses)}`);
      const c1 = await worker.ask<Message & { groups: number; rows: number }>({ type: 'commits' }, 'commits');
      http = {
        nodeUs: perReading(cpuSeconds(worker.pid) - w0, out.ackedTotal),
        pgUs: perReading(pgCpu() - pg0, out.ackedTotal),
        senderUs: perReading(cpuSeconds(devices.pid) - d0, out.ackedTotal),
        readingsPerSec: out.ackedTotal / elapsed,
        meanGroup: (c1.rows - c0.rows) / Math.max(1, c1.groups - c0.groups),
      };
    } finally {
      await devices.stop();
    }
    console.log(`  [${label}] HTTP, one reading per request, ${inFlight} in flight: node ${http.nodeUs.toFixed(1)} µs, pg ${http.pgUs.toFixed(1)} µs, sender ${http.senderUs.toFixed(1)} µs per reading (${Math.round(http.readingsPerSec)}/s, ${http.meanGroup.toFixed(1)} per commit)`);

    if (broadcast) {
      for (const count of [0, ...cfg.stageDashboards]) {
        const dashboards = count > 0 ? await Dashboards.open(url, await dashboardLogins(clinic, count), cfg.dashboardProcesses) : null;
        try {
          const prefix = runPrefix();
          await dashboards?.track(prefix, 0);
          const r0 = (dashboards?.pids ?? []).reduce((s, pid) => s + cpuSeconds(pid), 0);
          const out = await worker.ask<Message & { emits: number; readings: number; cpuUs: number }>(
            { type: 'broadcast', chairIds, prefix, seconds: cfg.stageSec, ...broadcastShape },
            'broadcast-done',
            10 * 60_000,
          );
          const drain = dashboards ? await dashboards.drain(out.readings, 20_000, 3_000) : null;
          const r1 = (dashboards?.pids ?? []).reduce((s, pid) => s + cpuSeconds(pid), 0);
          broadcast.push({
            dashboards: count,
            perEmitUs: out.cpuUs / out.emits,
            receiverUsPerDelivery: count > 0 ? ((r1 - r0) * 1e6) / (out.emits * count) : 0,
            delivered: drain ? drain.minCount / out.readings : 1,
          });
        } finally {
          await dashboards?.close();
        }
      }
      console.log(`  broadcast, ${broadcastShape.groupSize} readings per emit: ${broadcast.map((b) => `${b.dashboards} dashboards ${b.perEmitUs.toFixed(1)} µs per emit (received ${(b.delivered * 100).toFixed(0)} %)`).join('; ')}`);
    }

    const { out: back, pgSeconds: backPg } = await timed<Message & { readings: number; cpuUs: number }>({ type: 'readback', seconds: Math.max(2, cfg.stageSec / 2) }, 'readback-done');
    const readback = { nodeUs: back.cpuUs / back.readings, pgUs: perReading(backPg, back.readings) };
    console.log(`  [${label}] read back (readingsAfter, pages of 2,000): node ${readback.nodeUs.toFixed(2)} µs, pg ${readback.pgUs.toFixed(2)} µs per reading`);
    return { store, commit, ingest, ingestSessions, http, readback };
  } finally {
    await worker.ask({ type: 'close' }, 'closed', 60_000);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Per-dashboard CPU of one emit, from the broadcast stage (least squares through the points). */
function perDashboardUs(broadcast: readonly BroadcastCost[]): { baseUs: number; perDashboardUs: number; receiverUs: number } {
  const points = broadcast.map((b) => ({ x: b.dashboards, y: b.perEmitUs }));
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const slopeUs = den === 0 ? 0 : points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / den;
  const withDashboards = broadcast.filter((b) => b.dashboards > 0);
  const receiverUs = withDashboards.reduce((s, b) => s + b.receiverUsPerDelivery, 0) / Math.max(1, withDashboards.length);
  return { baseUs: my - slopeUs * mx, perDashboardUs: slopeUs, receiverUs };
}

/** The commit cost at the group size nearest `g`. */
function commitAt(costs: StageCosts, g: number): CommitCost {
  return costs.commit.reduce((best, c) => (Math.abs(Math.log(c.groupSize / g)) < Math.abs(Math.log(best.groupSize / g)) ? c : best), costs.commit[0] as CommitCost);
}

/**
 * Event-loop time a reading's commit holds beyond its CPU: better-sqlite3 commits synchronously, so
 * the fsync of each group blocks the server's one loop (wall − CPU of the commit stage); PostgreSQL's
 * commit is awaited, and the loop is free meanwhile.
 */
export function blockedUs(costs: StageCosts, g: number): number {
  if (costs.store !== 'sqlite') return 0;
  const c = commitAt(costs, g);
  return Math.max(0, c.wallUs - c.nodeUs);
}

export interface ModelInputs {
  /** Readings per chair per second. */
  hz: number;
  /** Readings per emit (the group commit's group at the node's rate). */
  perEmit: number;
  /** Share of a core a node may use in steady state (headroom for bursts, reconnect resyncs, a peer's failure). */
  utilisation: number;
}

export const modelInputs: ModelInputs = { hz: 1, perEmit: 4, utilisation: 0.5 };

/**
 * One node's event-loop time per reading with `dashboards` connected: the whole path over HTTP
 * (CPU), SQLite's fsync wait, and the broadcast to each dashboard (PostgreSQL on a host of its own).
 */
export function nodeUsPerReading(run: StageRun, costs: StageCosts, dashboards: number, m: ModelInputs = modelInputs): number {
  const b = perDashboardUs(run.broadcast);
  return costs.http.nodeUs + blockedUs(costs, m.perEmit) + (b.perDashboardUs * dashboards) / m.perEmit;
}

/** The stage table of one store (µs of CPU per reading). */
export function stageTable(run: StageRun, costs: StageCosts): { stage: string; nodeUs: number; pgUs: number; how: string }[] {
  const g = costs.ingest.meanGroup;
  const c = commitAt(costs, g);
  const b = perDashboardUs(run.broadcast);
  const evaluateUs = costs.ingestSessions.nodeUs - costs.ingest.nodeUs;
  const parseUs = costs.http.nodeUs - costs.ingestSessions.nodeUs - run.micro.validateOneUs;
  return [
    { stage: 'HTTP (parse, route, auth, answer)', nodeUs: parseUs, pgUs: 0, how: 'http − ingest with sessions − validate' },
    { stage: 'validate (zod, shared schemas)', nodeUs: run.micro.validateOneUs, pgUs: 0, how: 'micro' },
    { stage: `durable commit (group of ${c.groupSize})`, nodeUs: c.nodeUs, pgUs: c.pgUs, how: 'commit stage' },
    ...(costs.store === 'sqlite' ? [{ stage: `fsync wait on the event loop (group of ${c.groupSize})`, nodeUs: blockedUs(costs, g), pgUs: 0, how: 'commit stage wall − CPU' }] : []),
    { stage: 'checks, caches, sessions, batcher', nodeUs: costs.ingest.nodeUs - c.nodeUs, pgUs: costs.ingest.pgUs - c.pgUs, how: 'ingest without sessions − commit' },
    { stage: 'alert evaluation in situ (engine, session share)', nodeUs: evaluateUs, pgUs: costs.ingestSessions.pgUs - costs.ingest.pgUs, how: `ingest with sessions − without; evaluate() alone ${run.micro.engineUs.toFixed(1)} µs` },
    { stage: `broadcast per dashboard (${modelInputs.perEmit} readings per emit)`, nodeUs: b.perDashboardUs / modelInputs.perEmit, pgUs: 0, how: 'broadcast stage slope' },
    { stage: 'read back per node (several nodes only)', nodeUs: costs.readback.nodeUs, pgUs: costs.readback.pgUs, how: 'readback stage' },
  ];
}

/** Nodes (one server process each, one core's event loop) a clinic group needs. */
export function nodesFor(run: StageRun, costs: StageCosts, chairs: number, dashboards: number, m: ModelInputs = modelInputs): { nodes: number; leaderShare: number; pgCores: number } | null {
  const rate = chairs * m.hz;
  const b = perDashboardUs(run.broadcast);
  const evaluateUs = costs.ingestSessions.nodeUs - costs.ingest.nodeUs;
  const ownUs = costs.http.nodeUs - evaluateUs + blockedUs(costs, m.perEmit); // HTTP, validation, commit, checks: the node that took the reading
  const emits = rate / m.perEmit;
  for (let k = 1; k <= 64; k += 1) {
    // Every node: its share of the readings, every reading read back, every emit to its own dashboards.
    const share = (rate / k) * ownUs + (k > 1 ? rate * costs.readback.nodeUs : 0) + emits * (b.baseUs + (b.perDashboardUs * dashboards) / k);
    const leader = share + rate * evaluateUs;
    if (leader / 1e6 <= m.utilisation) {
      return { nodes: k, leaderShare: leader / 1e6, pgCores: (rate * (commitAt(costs, m.perEmit).pgUs + (k > 1 ? k * costs.readback.pgUs : 0))) / 1e6 };
    }
  }
  return null;
}

/** Two compiled nodes on one PostgreSQL database, each driven by its own load generator at the highest rate the machine allows. */
async function clusterCheck(cfg: Config, results: Results, run: StageRun): Promise<void> {
  const costs = run.stores.find((s) => s.store === 'postgres');
  if (!costs || !cfg.databaseUrl) return;
  const d = cfg.clusterDashboardsPerNode;
  console.log(
    `\n[capacity check] 2 compiled nodes on one PostgreSQL database, ${cfg.clusterChairs} chairs in treatment, ${d} dashboards per node, ` +
      `each node ${cfg.clusterConcurrency} monitors' requests in flight (one reading each), ${cfg.clusterSec} s after 5 s`,
  );
  const databaseUrl = await freshPostgresDatabase(cfg.databaseUrl);
  const dirs = [tempDir('node-a'), tempDir('node-b')];
  const env = (dataDir: string): Record<string, string> => ({ DATA_DIR: dataDir, INGEST_TOKEN: ingestToken, ADMIN_PASSWORD: adminPassword, DATABASE_URL: databaseUrl });
  const nodes = [await spawnCompiled(env(dirs[0] ?? ''), await freePort())];
  const fleets: Dashboards[] = [];
  const senders: Devices[] = [];
  try {
    await waitHealthy(nodes[0] as (typeof nodes)[number]);
    nodes.push(await spawnCompiled(env(dirs[1] ?? ''), await freePort()));
    await waitHealthy(nodes[1] as (typeof nodes)[number]);
    const clinic = await openClinic(nodes[0]?.url ?? '');
    const chairIds = await createChairs(clinic, cfg.clusterChairs);
    await startTreatment(clinic, await checkInAll(clinic, chairIds));
    const logins = await dashboardLogins(clinic, 2 * d);
    for (const [i, node] of nodes.entries()) fleets.push(await Dashboards.open(node.url, logins.slice(i * d, (i + 1) * d), 1));
    const prefixes = [runPrefix(), runPrefix()];
    for (const f of fleets) await f.track(prefixes[0] ?? '', 0);
    senders.push(await Devices.start(), await Devices.start());
    const pgCpu = await postgresCpu(databaseUrl);
    const pidsOf = {
      nodes: nodes.map((n) => n.pid),
      senders: senders.map((s) => s.pid),
      dashboards: fleets.flatMap((f) => f.pids),
    };
    const cpuOf = (pids: number[]): number => pids.reduce((s, pid) => s + cpuSeconds(pid), 0);
    const before = { nodes: cpuOf(pidsOf.nodes), senders: cpuOf(pidsOf.senders), dashboards: cpuOf(pidsOf.dashboards), pg: pgCpu() };
    const half = Math.ceil(chairIds.length / 2);
    const t0 = nowMs();
    const outcomes = await Promise.all(
      senders.map((s, i) =>
        s.max({
          url: nodes[i]?.url ?? '',
          token: ingestToken,
          chairIds: i === 0 ? chairIds.slice(0, half) : chairIds.slice(half),
          prefix: prefixes[i] ?? '',
          batch: 1,
          concurrency: cfg.clusterConcurrency,
          warmupMs: 5000,
          durationMs: cfg.clusterSec * 1000,
        }),
      ),
    );
    const elapsed = (nowMs() - t0) / 1000;
    const acked = outcomes.reduce((s, o) => s + o.ackedTotal, 0);
    const failed = outcomes.reduce((s, o) => s + o.failed, 0);
    const used = { nodes: cpuOf(pidsOf.nodes) - before.nodes, senders: cpuOf(pidsOf.senders) - before.senders, dashboards: cpuOf(pidsOf.dashboards) - before.dashboards, pg: pgCpu() - before.pg };
    const drains = await Promise.all(fleets.map((f) => f.drain(outcomes[0]?.ackedTotal ?? 0, 30_000, 5_000)));
    const measuredRate = outcomes.reduce((s, o) => s + o.readingsPerSec, 0);
    const per = (seconds: number): number => perReading(seconds, acked);
    const leader = nodes.findIndex((n) => /runs the alert engine/.test(n.output()));

    // The model's prediction for this machine: every process shares its 2 cores.
    const b = perDashboardUs(run.broadcast);
    // At saturation each node's groups hold about as many readings as it has requests in flight.
    const g = cfg.clusterConcurrency;
    const predicted = {
      // The whole path once (the engine on one node), every reading read back by both, every emit to both nodes' dashboards.
      nodesUs: costs.http.nodeUs + 2 * costs.readback.nodeUs + (2 * b.baseUs + b.perDashboardUs * 2 * d) / g,
      pgUs: commitAt(costs, g).pgUs + 2 * costs.readback.pgUs,
      sendersUs: costs.http.senderUs,
      dashboardsUs: (b.receiverUs * 2 * d) / g,
    };
    const predictedTotal = predicted.nodesUs + predicted.pgUs + predicted.sendersUs + predicted.dashboardsUs;
    const measuredTotal = per(used.nodes) + per(used.pg) + per(used.senders) + per(used.dashboards);
    const cores = 2;
    const predictedRate = (cores * 1e6) / predictedTotal;
    const check = {
      elapsedSec: elapsed,
      acked,
      failed,
      measuredRate,
      perNode: outcomes.map((o) => ({ rate: o.readingsPerSec, request: o.request, statuses: o.statuses })),
      machineCpuShare: (used.nodes + used.pg + used.senders + used.dashboards) / elapsed,
      measuredUsPerReading: { nodes: per(used.nodes), pg: per(used.pg), senders: per(used.senders), dashboards: per(used.dashboards), total: measuredTotal },
      predictedUsPerReading: { ...predicted, total: predictedTotal },
      predictedRate,
      leader,
      delivered: drains.map((dr) => dr.minCount / Math.max(1, outcomes[0]?.ackedTotal ?? 1)),
    };
    results.detail('stages.clusterCheck', check);
    console.log(
      `  measured ${Math.round(measuredRate)} readings/s (${outcomes.map((o) => Math.round(o.readingsPerSec)).join(' + ')}), machine CPU ${(check.machineCpuShare * 100).toFixed(0)} % of one core; failed ${failed}; ` +
        `µs per reading measured / predicted: nodes ${per(used.nodes).toFixed(0)} / ${predicted.nodesUs.toFixed(0)}, pg ${per(used.pg).toFixed(0)} / ${predicted.pgUs.toFixed(0)}, ` +
        `senders ${per(used.senders).toFixed(0)} / ${predicted.sendersUs.toFixed(0)}, dashboards ${per(used.dashboards).toFixed(0)} / ${predicted.dashboardsUs.toFixed(0)}; predicted rate ${Math.round(predictedRate)}/s; ` +
        `dashboards got ${check.delivered.map((x) => `${(x * 100).toFixed(1)} %`).join(', ')} of node A's readings; alert engine on node ${leader === 0 ? 'A' : leader === 1 ? 'B' : '?'}`,
    );
    const scenario = 'capacity check (2 nodes, PostgreSQL)';
    results.add({ scenario, figure: `durable readings/s, one per request, ${cfg.clusterChairs} chairs in treatment, ${d} dashboards per node (baseline: the model's prediction for this machine)`, unit: '/s', ours: measuredRate, baseline: predictedRate, target: 'within ±25 % of the model', met: Math.abs(measuredRate / predictedRate - 1) <= 0.25 });
    results.add({ scenario, figure: 'server nodes CPU per reading (baseline: model)', unit: 'µs', ours: per(used.nodes), baseline: predicted.nodesUs, target: null, met: null });
    results.add({ scenario, figure: 'PostgreSQL CPU per reading (baseline: model)', unit: 'µs', ours: per(used.pg), baseline: predicted.pgUs, target: null, met: null });
    results.add({ scenario, figure: 'readings every dashboard of both nodes received (node A\'s)', unit: '%', ours: Math.min(...check.delivered) * 100, baseline: null, target: '100 %', met: Math.min(...check.delivered) >= 1 && failed === 0 });
  } finally {
    for (const f of fleets) await f.close();
    for (const s of senders) await s.stop();
    for (const n of nodes.reverse()) await n.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runStages(cfg: Config, results: Results, stores: readonly StoreKind[]): Promise<StageRun> {
  console.log(`\n[stages] cost of one reading at each stage, with the server's own code (${stores.join(' and ')}), ${cfg.stageSec} s per timed loop`);
  const worker = Worker.spawn('stages');
  await worker.next('up');
  let run: StageRun;
  try {
    const micro = await worker.ask<Micro>({ type: 'micro' }, 'micro-done', 5 * 60_000);
    console.log(`  validate ${micro.validateOneUs.toFixed(2)} µs per reading (${micro.validateBatch100Us.toFixed(2)} in arrays of 100); JSON.parse ${micro.jsonParseUs.toFixed(2)} µs; evaluate() ${micro.engineUs.toFixed(2)} µs`);
    const broadcast: BroadcastCost[] = [];
    const costs: StageCosts[] = [];
    for (const [i, store] of stores.entries()) costs.push(await storeStages(cfg, worker, store, i === 0 ? broadcast : null));
    run = { micro, broadcast, stores: costs };
  } finally {
    await worker.stop();
  }
  results.detail('stages', run);
  const b = perDashboardUs(run.broadcast);
  for (const costs of run.stores) {
    const label = costs.store === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const scenario = `stages (${label}), µs CPU per reading`;
    for (const row of stageTable(run, costs)) {
      results.add({ scenario, figure: `${row.stage} [${row.how}]${row.pgUs > 0.05 ? `; PostgreSQL server ${row.pgUs.toFixed(1)} µs` : ''}`, unit: 'µs', ours: row.nodeUs, baseline: null, target: null, met: null });
    }
    results.add({ scenario, figure: `whole path over HTTP, 0 dashboards, every chair in treatment (${Math.round(costs.http.readingsPerSec)}/s with ${inFlight} in flight)`, unit: 'µs', ours: costs.http.nodeUs, baseline: null, target: null, met: null });
    for (const dashboards of [2, 10, 50]) {
      const us = nodeUsPerReading(run, costs, dashboards);
      results.add({ scenario: `capacity model (${label})`, figure: `chairs at 1 Hz one core serves at 100 % with ${dashboards} dashboards (${us.toFixed(0)} µs per reading${costs.store === 'postgres' ? ', PostgreSQL on its own host' : ''})`, unit: 'chairs', ours: 1e6 / us, baseline: null, target: null, met: null });
    }
    if (costs.store !== 'postgres') continue; // several nodes share a PostgreSQL store only
    const group = nodesFor(run, costs, 2000, 250);
    results.add({
      scenario: `capacity model (${label})`,
      figure: `nodes for 2,000 chairs at 1 Hz, 250 dashboards, each node ≤ ${modelInputs.utilisation * 100} % of its core${group ? ` (busiest node ${(group.leaderShare * 100).toFixed(0)} %, PostgreSQL ${group.pgCores.toFixed(2)} cores)` : ': none suffices'}`,
      unit: 'nodes',
      ours: group?.nodes ?? null,
      baseline: null,
      target: null,
      met: null,
    });
  }
  console.log(`  broadcast fit: ${b.baseUs.toFixed(1)} µs per emit + ${b.perDashboardUs.toFixed(2)} µs per dashboard; receiver ${b.receiverUs.toFixed(1)} µs per delivery`);
  if (stores.includes('postgres')) await clusterCheck(cfg, results, run);
  return run;
}
