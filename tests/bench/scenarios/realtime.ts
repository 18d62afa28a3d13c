/**
 * Scenarios 1 and 2 with their baselines.
 *
 * 1. Sustained ingest: the highest rate of durable readings (answered 201 after the commit) over
 *    HTTP batches, with 50 dashboards connected — first on chairs without sessions, then with every
 *    chair in a session (alert engine and session summaries running) — and over device sockets
 *    (`readings:ingest`, acknowledged after the commit) on chairs without sessions. Baseline: bare
 *    group-commit inserts of the same rows.
 * 2. End-to-end latency at 1,000 readings/s (1,000 chairs at 1 Hz, one reading per request) with 50
 *    dashboards: device send → dashboard receive, p50/p99/max, and none lost. Baseline: a bare
 *    Socket.IO server broadcasting the same kind of payload at the same rate to 50 connections.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkInAll, createChairs, dashboardLogins, ingestToken, openClinic } from '../lib/clinic';
import { cpuSeconds, nowMs, rssMiB, runPrefix, sleep, type Summary, summarize, tempDir } from '../lib/common';
import type { Config, StoreKind } from '../lib/config';
import { Dashboards, Devices } from '../lib/fleet';
import { launchServer } from '../lib/launch';
import { Worker } from '../lib/processes';
import type { Results } from '../lib/report';
import { rampCount } from '../lib/schedule';

interface LatencyRun {
  latency: Summary;
  ackedPerDashboard: number;
  lostTotal: number;
  lostMaxPerDashboard: number;
  duplicates: number;
  dashboards: number;
  disconnects: number;
  reasons: string[];
  resynced: number;
  drainMs: number;
  send: unknown;
}

/** One timed run: track a fresh run of readings on the dashboards, send it, wait, subtract. */
async function latencyRun(
  dashboards: Dashboards,
  rate: number,
  seconds: number,
  warmupSec: number,
  send: (prefix: string, count: number, sendTimesFile: string, rampMs: number, fromIndex: number) => Promise<{ acked: number; details: unknown }>,
): Promise<LatencyRun> {
  const prefix = runPrefix();
  // The warm-up ramps from 0 to the full rate; only what follows it is measured.
  const fromIndex = rampCount(rate, warmupSec);
  const count = fromIndex + Math.round(rate * seconds);
  const dir = tempDir('latency');
  const file = path.join(dir, `send-${prefix}.bin`);
  await dashboards.track(prefix, count);
  const sent = await send(prefix, count, file, warmupSec * 1000, fromIndex);
  const drain = await dashboards.drain(sent.acked, 30_000, 5_000);
  const outcome = await dashboards.finish(file, fromIndex);
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    latency: summarize(outcome.latencies),
    ackedPerDashboard: outcome.ackedPerDashboard,
    lostTotal: outcome.lostTotal,
    lostMaxPerDashboard: outcome.lostMaxPerDashboard,
    duplicates: outcome.duplicates,
    dashboards: outcome.dashboards,
    disconnects: outcome.disconnects,
    reasons: outcome.reasons,
    resynced: outcome.resynced,
    drainMs: drain.waitedMs,
    send: sent.details,
  };
}

const chairIdsOf = (n: number): string[] => Array.from({ length: n }, (_, i) => `chair-${i + 1}`);

/** Baseline (a): the bare Socket.IO broadcast at the latency scenario's rate and fan-out. */
export async function bareBroadcast(cfg: Config, results: Results, batchMs: number): Promise<LatencyRun> {
  const shape = batchMs > 0 ? `readings of each ${batchMs} ms in one emit` : 'one emit per reading';
  console.log(`\n[baseline] bare Socket.IO broadcast: ${cfg.latencyRate} readings/s (${shape}) to ${cfg.dashboards} connections for ${cfg.latencySec} s`);
  const bare = Worker.spawn('bare-broadcast');
  const up = await bare.next<{ type: string; url: string }>('up');
  const dashboards = await Dashboards.open(up.url, new Array<null>(cfg.dashboards).fill(null), cfg.dashboardProcesses);
  const chairIds = chairIdsOf(cfg.chairs);
  const cpuBefore = cpuSeconds(bare.pid);
  const t0 = nowMs();
  const run = await latencyRun(dashboards, cfg.latencyRate, cfg.latencySec, cfg.warmupSec, async (prefix, count, sendTimesFile, rampMs) => {
    const done = await bare.ask({ type: 'run', prefix, ratePerSec: cfg.latencyRate, count, chairIds, sendTimesFile, rampMs, batchMs }, 'run-done', 60 * 60_000);
    return { acked: count, details: done };
  });
  const cpuShare = (cpuSeconds(bare.pid) - cpuBefore) / ((nowMs() - t0) / 1000);
  await dashboards.close();
  await bare.stop();
  results.detail(`baseline.broadcast.${batchMs > 0 ? `batched${batchMs}ms` : 'perReading'}`, { ...run, serverCpuShareOfOneCore: cpuShare });
  console.log(`  bare broadcast p50 ${run.latency.p50.toFixed(2)} ms, p99 ${run.latency.p99.toFixed(2)} ms, max ${run.latency.max.toFixed(1)} ms, lost ${run.lostTotal}, disconnections ${run.disconnects}`);
  return run;
}

/** Baseline (b): bare group-commit inserts of the same rows, and the latency of one small durable commit. */
export async function bareInsert(cfg: Config, results: Results, store: StoreKind): Promise<{ rowsPerSec: number; commit: Summary }> {
  const rows = cfg.quick ? 50_000 : 200_000;
  console.log(`\n[baseline] bare ${store} group-commit insert: ${rows} rows, 1000 per transaction; then 500 one-row commits`);
  const worker = Worker.spawn('bare-insert');
  await worker.next('up');
  const done = await worker.ask<{ type: string; rowsPerSec: number; commit: Summary }>(
    { type: 'run', store, rows, perTx: 1000, databaseUrl: cfg.databaseUrl },
    'done',
    10 * 60_000,
  );
  await worker.stop();
  results.detail(`baseline.insert.${store}`, done);
  console.log(`  bare ${store}: ${Math.round(done.rowsPerSec)} rows/s; one-row durable commit p50 ${done.commit.p50.toFixed(2)} ms, p99 ${done.commit.p99.toFixed(2)} ms`);
  return done;
}

export async function runRealtime(
  cfg: Config,
  results: Results,
  store: StoreKind,
  want: { ingest: boolean; latency: boolean },
  baselines: { broadcast: LatencyRun | null },
): Promise<void> {
  const label = store === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const bareStore = await bareInsert(cfg, results, store);
  const bareRowsPerSec = bareStore.rowsPerSec;
  if (want.latency && baselines.broadcast === null) {
    // The baseline sends what the server sends: arrays of the readings of one group-commit window (2 ms).
    baselines.broadcast = await bareBroadcast(cfg, results, 2);
    if (!cfg.quick) {
      // For reference (and comparison with earlier measurements): one emit per reading.
      const single = await bareBroadcast(cfg, results, 0);
      const scenario = '2 latency (bare only)';
      results.add({ scenario, figure: 'bare broadcast, one emit per reading: p50', unit: 'ms', ours: null, baseline: single.latency.p50, target: null, met: null });
      results.add({ scenario, figure: 'bare broadcast, one emit per reading: p99', unit: 'ms', ours: null, baseline: single.latency.p99, target: null, met: null });
    }
  }

  console.log(`\n[server ${label}] ${cfg.chairs} chairs, ${cfg.dashboards} dashboards`);
  const server = await launchServer(cfg, store, 'realtime');
  const devices = await Devices.start();
  let dashboards: Dashboards | null = null;
  try {
    const clinic = await openClinic(server.url);
    const chairIds = await createChairs(clinic, cfg.chairs);
    const fleet = await Dashboards.open(server.url, await dashboardLogins(clinic, cfg.dashboards), cfg.dashboardProcesses);
    dashboards = fleet;

    const ingest = async (withSessions: boolean, over: 'http' | 'socket' = 'http'): Promise<void> => {
      const what = withSessions ? 'every chair in a session' : 'chairs without sessions';
      const via = over === 'http' ? 'HTTP' : 'a device socket';
      let best: { rate: number; shape: [number, number] } | null = null;
      const runs: ({ deliveredShareMinDashboard: number } & Record<string, unknown>)[] = [];
      // With sessions only the first shape: the alert engine, not the request shape, is what limits then.
      for (const shape of withSessions ? cfg.ingestShapes.slice(0, 1) : cfg.ingestShapes) {
        const [batch, concurrency] = shape;
        const prefix = runPrefix();
        await fleet.track(prefix, 0);
        console.log(`  ingest over ${via} (${what}): batches of ${batch}, ${concurrency} in flight, ${cfg.ingestSec} s after ${cfg.warmupSec} s warm-up`);
        const cpuBefore = cpuSeconds(server.pid);
        const t0 = nowMs();
        const outcome = await devices.max(
          {
            url: server.url,
            token: ingestToken,
            chairIds,
            prefix,
            batch,
            concurrency,
            warmupMs: cfg.warmupSec * 1000,
            durationMs: cfg.ingestSec * 1000,
          },
          over,
        );
        const cpuShare = (cpuSeconds(server.pid) - cpuBefore) / ((nowMs() - t0) / 1000);
        const drain = await fleet.drain(outcome.ackedTotal, 60_000, 10_000);
        const delivered = drain.minCount / Math.max(1, outcome.ackedTotal);
        runs.push({ batch, concurrency, ...outcome, serverCpuShareOfOneCore: cpuShare, serverRssMiB: rssMiB(server.pid), dashboardDrainMs: drain.waitedMs, deliveredShareMinDashboard: delivered, dashboardsConnected: drain.connected, dashboardDisconnects: drain.disconnects });
        console.log(
          `    ${Math.round(outcome.readingsPerSec)} durable readings/s; request p50 ${outcome.request.p50.toFixed(0)} ms p99 ${outcome.request.p99.toFixed(0)} ms; server CPU ${(cpuShare * 100).toFixed(0)} % of a core; dashboards got ${(delivered * 100).toFixed(1)} % (drained in ${drain.waitedMs} ms, ${drain.disconnects} disconnections); failed ${outcome.failed}`,
        );
        if (!best || outcome.readingsPerSec > best.rate) best = { rate: outcome.readingsPerSec, shape };
      }
      results.detail(`ingest.${store}.${withSessions ? 'sessions' : 'noSessions'}${over === 'http' ? '' : '.deviceSocket'}`, runs);
      const scenario = `1 ingest (${label})`;
      const unit = over === 'http' ? 'request' : 'message';
      results.add({
        scenario,
        figure: `durable readings/s over ${via}, ${what}${best ? ` (best: ${best.shape[0]}/${unit} × ${best.shape[1]} in flight)` : ''}`,
        unit: '/s',
        ours: best?.rate ?? null,
        baseline: bareRowsPerSec,
        target: '≥ 10,000/s',
        met: best ? best.rate >= 10_000 : false,
      });
      const minDelivered = Math.min(...runs.map((r) => r.deliveredShareMinDashboard));
      results.add({
        scenario,
        figure: `acknowledged readings every one of ${cfg.dashboards} dashboards received (${what}${over === 'http' ? '' : `, over ${via}`})`,
        unit: '%',
        ours: minDelivered * 100,
        baseline: null,
        target: '100 %',
        met: minDelivered >= 1,
      });
    };

    const latency = async (withSessions: boolean): Promise<void> => {
      const what = withSessions ? 'every chair in a session' : 'chairs without sessions';
      console.log(
        `  latency (${what}): ${cfg.latencyRate} readings/s (${cfg.chairs} chairs at ${cfg.latencyRate / cfg.chairs} Hz, one reading per request on each monitor's own connection) for ${cfg.latencySec} s after a ${cfg.warmupSec} s ramp`,
      );
      const cpuBefore = cpuSeconds(server.pid);
      const rssBefore = rssMiB(server.pid);
      const t0 = nowMs();
      const run = await latencyRun(fleet, cfg.latencyRate, cfg.latencySec, cfg.warmupSec, async (prefix, count, sendTimesFile, rampMs, fromIndex) => {
        const sent = await devices.rate({ url: server.url, token: ingestToken, chairIds, prefix, ratePerSec: cfg.latencyRate, count, sendTimesFile, rampMs, fromIndex });
        return { acked: sent.acked, details: sent };
      });
      const cpuShare = (cpuSeconds(server.pid) - cpuBefore) / ((nowMs() - t0) / 1000);
      results.detail(`latency.${store}.${withSessions ? 'sessions' : 'noSessions'}`, { ...run, serverCpuShareOfOneCore: cpuShare, serverRssMiB: { before: rssBefore, after: rssMiB(server.pid) } });
      const bare = baselines.broadcast;
      const send = run.send as { ack: Summary; acked: number; sent: number; statuses: Record<string, number> };
      console.log(
        `    p50 ${run.latency.p50.toFixed(2)} ms, p99 ${run.latency.p99.toFixed(2)} ms, max ${run.latency.max.toFixed(1)} ms; lost ${run.lostTotal}; dashboard disconnections ${run.disconnects} ${JSON.stringify(run.reasons)} (resynced ${run.resynced}); acked ${send.acked}/${send.sent} ${JSON.stringify(send.statuses)}; ack p99 ${send.ack.p99.toFixed(1)} ms; server CPU ${(cpuShare * 100).toFixed(0)} %`,
      );
      const scenario = `2 latency (${label}), ${withSessions ? 'sessions' : 'no sessions'}`;
      results.add({ scenario, figure: `device send → dashboard receive p50 (${cfg.latencyRate}/s, ${cfg.dashboards} dashboards)`, unit: 'ms', ours: run.latency.p50, baseline: bare?.latency.p50 ?? null, target: '≤ 10 ms', met: run.latency.p50 <= 10 });
      const p99Ok = run.latency.p99 <= 50 && (bare ? run.latency.p99 <= 3 * bare.latency.p99 : true);
      results.add({ scenario, figure: 'device send → dashboard receive p99', unit: 'ms', ours: run.latency.p99, baseline: bare?.latency.p99 ?? null, target: '≤ 50 ms and ≤ 3× bare', met: p99Ok });
      results.add({ scenario, figure: 'device send → dashboard receive max', unit: 'ms', ours: run.latency.max, baseline: bare?.latency.max ?? null, target: null, met: null });
      results.add({
        scenario,
        figure: `readings lost (acknowledged, not received; over ${run.dashboards} dashboards)`,
        unit: '',
        ours: run.lostTotal,
        baseline: bare?.lostTotal ?? null,
        ratio: null,
        target: '0',
        met: run.lostTotal === 0 && send.acked === send.sent,
      });
      results.add({
        scenario,
        figure: `dashboard disconnections (they reconnect and resync by seq; ${run.resynced.toLocaleString('en-US')} deliveries came that way)`,
        unit: '',
        ours: run.disconnects,
        baseline: bare?.disconnects ?? null,
        ratio: null,
        target: '0',
        met: run.disconnects === 0,
      });
      results.add({
        scenario,
        figure: 'device send → durable acknowledgement (201) p99 (baseline: one bare one-row durable commit)',
        unit: 'ms',
        ours: send.ack.p99,
        baseline: bareStore.commit.p99,
        target: null,
        met: null,
      });
      results.add({ scenario, figure: 'server CPU during the run (share of one core)', unit: '%', ours: cpuShare * 100, baseline: null, target: null, met: null });
    };

    if (want.ingest) await ingest(false);
    if (want.ingest) await ingest(false, 'socket');
    if (want.latency) await latency(false);

    console.log(`  checking a patient in on each of the ${cfg.chairs} chairs`);
    await checkInAll(clinic, chairIds);
    const idleSec = cfg.quick ? 3 : 10;
    const cpuIdle0 = cpuSeconds(server.pid);
    await sleep(idleSec * 1000);
    const idleShare = (cpuSeconds(server.pid) - cpuIdle0) / idleSec;
    console.log(`  idle with ${cfg.chairs} sessions and no readings: server CPU ${(idleShare * 100).toFixed(0)} % of a core`);
    results.add({ scenario: `2 latency (${label}), sessions`, figure: `server CPU with ${cfg.chairs} active sessions and no readings`, unit: '%', ours: idleShare * 100, baseline: null, target: null, met: null });

    if (want.ingest) await ingest(true);
    if (want.latency) await latency(true);

  } finally {
    await dashboards?.close();
    await devices.stop();
    await server.stop();
  }
}
