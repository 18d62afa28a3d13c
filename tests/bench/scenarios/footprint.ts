/**
 * Footprint of a small clinic (issue targets: ≤ 1 % of a core, ≤ 120 MB RSS, healthy ≤ 2 s after
 * the process starts), on the COMPILED server as `npm start` runs it (`node --enable-source-maps
 * server/dist/main.js`, built by `npm run bench`'s `npm run build`), not through tsx.
 *
 * 1. Time to healthy: from spawning the process to the first `GET /api/health` answered 200 "ok"
 *    (polled every 20 ms on a port chosen beforehand), on a fresh DATA_DIR (migrations, VAPID keys,
 *    the admin from ADMIN_PASSWORD), the HL7 listener on as a clinic runs it; the median of
 *    `footprintStarts` cold starts. Baseline: a bare `node -e` HTTP server's spawn → first 200.
 * 2. Small clinic at rest: 8 chairs, each in a running IV session (clinician's start, so the alert
 *    engine evaluates every reading), each monitor posting one reading per second over its own
 *    HTTP connection, 2 dashboards connected and synced. After a warm-up, the server's CPU from
 *    /proc/<pid>/stat (utime + stime) over `footprintSec` and its VmRSS every second (max, mean).
 *    Baseline: a bare `node -e` HTTP server answering the same 8 posts a second, measured over the
 *    same seconds (a second load generator; both loads are tiny).
 *
 * RSS is reported in MiB (2^20 bytes): the 120 MB target is 114.4 MiB.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from '../../helpers/server-process';
import { adminPassword, type Clinic, checkInAll, createChairs, ingestToken, openClinic } from '../lib/clinic';
import { cpuSeconds, nowMs, rssMiB, runPrefix, sleep, summarize, tempDir } from '../lib/common';
import type { Config } from '../lib/config';
import { Dashboards, Devices } from '../lib/fleet';
import type { Results } from '../lib/report';

/** The 120 MB target in MiB, the unit RSS is reported in. */
export const rssTargetMiB = 120e6 / 2 ** 20;
export const cpuTargetPercent = 1;
export const healthyTargetMs = 2000;

/** The compiled entry point `npm start` / `npm run serve` runs. */
export const compiledEntry = path.join(repoRoot, 'server', 'dist', 'main.js');

/** A free TCP port on loopback (closed again at once; the server is told to listen on it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface Spawned {
  url: string;
  pid: number;
  /** Monotonic ms at spawn. */
  spawnedAt: number;
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

function track(child: ChildProcess): { output(): string; exited: Promise<void> } {
  let output = '';
  const keep = (chunk: Buffer): void => {
    output += chunk.toString();
    if (output.length > 100_000) output = output.slice(-50_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { output: () => output, exited };
}

function stopper(child: ChildProcess, exited: Promise<void>): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
  };
}

/**
 * The compiled server as its own process (`node --enable-source-maps server/dist/main.js`, cwd
 * server/ as `npm run serve`), on `port`, with the HL7 listener on its own free port unless
 * HL7_PORT is given; `nodeArgs` replace serve's `--enable-source-maps`. Resolves at spawn;
 * `waitHealthy` says when it answers.
 */
export async function spawnCompiled(env: Record<string, string>, port: number, nodeArgs: string[] = ['--enable-source-maps']): Promise<Spawned> {
  if (!fs.existsSync(compiledEntry)) throw new Error(`${compiledEntry} is missing: npm run build (npm run bench builds first)`);
  const hl7Port = env.HL7_PORT ?? String(await freePort());
  const spawnedAt = nowMs();
  const child = spawn(process.execPath, [...nodeArgs, compiledEntry], {
    cwd: path.join(repoRoot, 'server'),
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      DEMO_CHAIRS: '0',
      CLINIC_TIMEZONE: 'UTC',
      NODE_ENV: 'production',
      ...env,
      PORT: String(port),
      HL7_PORT: hl7Port,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output, exited } = track(child);
  return { url: `http://127.0.0.1:${port}`, pid: child.pid ?? -1, spawnedAt, output, exited: () => child.exitCode !== null || child.signalCode !== null, stop: stopper(child, exited) };
}

/** A bare Node HTTP server (`node -e`) that answers a POST 201 and anything else 200, with a small JSON body. */
export async function spawnBare(port: number): Promise<Spawned> {
  const code = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(q.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }); s.end('{"status":"ok"}'); }); }).listen(${port}, '127.0.0.1');`;
  const spawnedAt = nowMs();
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { output, exited } = track(child);
  return { url: `http://127.0.0.1:${port}`, pid: child.pid ?? -1, spawnedAt, output, exited: () => child.exitCode !== null || child.signalCode !== null, stop: stopper(child, exited) };
}

/** Polls `path` every 20 ms until it answers 200 `{"status":"ok"}`; ms from spawn. */
export async function waitHealthy(server: Spawned, pathname = '/api/health', timeoutMs = 60_000): Promise<number> {
  for (;;) {
    if (server.exited()) throw new Error(`the process exited before it was healthy:\n${server.output()}`);
    try {
      const res = await fetch(`${server.url}${pathname}`);
      const body = (await res.json()) as { status?: string };
      if (res.status === 200 && body.status === 'ok') return nowMs() - server.spawnedAt;
    } catch {
      // not listening yet
    }
    if (nowMs() - server.spawnedAt > timeoutMs) throw new Error(`not healthy within ${timeoutMs} ms:\n${server.output()}`);
    await sleep(20);
  }
}

const median = (values: readonly number[]): number => summarize(values).p50;

/** The compiled server's Node flags in this run: serve's, or those asked for to measure a change. */
const serverNodeArgs = (cfg: Config): string[] => [...cfg.serverFlags, ...(cfg.sourceMaps ? ['--enable-source-maps'] : [])];

/** Cold starts of the compiled server on fresh data folders, and of the bare server: ms to healthy. */
async function coldStarts(cfg: Config): Promise<{ server: number[]; bare: number[]; rssAtHealthy: number[] }> {
  const server: number[] = [];
  const bare: number[] = [];
  const rssAtHealthy: number[] = [];
  for (let i = 0; i < cfg.footprintStarts; i += 1) {
    const dataDir = tempDir('footprint-start');
    const s = await spawnCompiled({ DATA_DIR: dataDir, INGEST_TOKEN: ingestToken, ADMIN_PASSWORD: adminPassword, DATABASE_URL: '' }, await freePort(), serverNodeArgs(cfg));
    try {
      server.push(await waitHealthy(s));
      rssAtHealthy.push(rssMiB(s.pid));
    } finally {
      await s.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    const b = await spawnBare(await freePort());
    try {
      bare.push(await waitHealthy(b, '/'));
    } finally {
      await b.stop();
    }
  }
  return { server, bare, rssAtHealthy };
}

/** Starts treatment on each session as a clinician would (an override: these patients have no baseline readings yet). */
export async function startTreatment(clinic: Clinic, sessionIds: readonly string[]): Promise<void> {
  for (const id of sessionIds) {
    const answer = await clinic.call(clinic.clinician, 'POST', `/api/v1/sessions/${id}/events`, {
      type: 'treatment-started',
      override: { reason: 'Bench: treatment started by the clinician' },
    });
    if (answer.status !== 201) throw new Error(`start treatment of ${id}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

interface Sampled {
  cpuPercent: number;
  rssMaxMiB: number;
  rssMeanMiB: number;
  seconds: number;
}

/** CPU share of one core and VmRSS (sampled every second) of each pid over `seconds`. */
async function sample(pids: readonly number[], seconds: number): Promise<Sampled[]> {
  const cpu0 = pids.map(cpuSeconds);
  const rss: number[][] = pids.map(() => []);
  const t0 = nowMs();
  while (nowMs() - t0 < seconds * 1000) {
    pids.forEach((pid, i) => rss[i]?.push(rssMiB(pid)));
    await sleep(1000);
  }
  const elapsed = (nowMs() - t0) / 1000;
  return pids.map((pid, i) => {
    const list = rss[i] ?? [];
    return {
      cpuPercent: ((cpuSeconds(pid) - (cpu0[i] ?? 0)) / elapsed) * 100,
      rssMaxMiB: Math.max(...list),
      rssMeanMiB: list.reduce((a, b) => a + b, 0) / list.length,
      seconds: elapsed,
    };
  });
}

export async function runFootprint(cfg: Config, results: Results): Promise<void> {
  const chairs = cfg.footprintChairs;
  const dashboardsWanted = cfg.footprintDashboards;
  console.log(
    `\n[footprint] compiled server (node ${serverNodeArgs(cfg).join(' ')} server/dist/main.js), SQLite: ${cfg.footprintStarts} cold starts; then ${chairs} chairs in running sessions at 1 Hz ` +
      `over HTTP, ${dashboardsWanted} dashboards, ${cfg.footprintWarmupSec} s warm-up + ${cfg.footprintSec} s measured; beside a bare node -e HTTP server`,
  );
  const scenario = `footprint (8 chairs, compiled${cfg.serverFlags.length > 0 || !cfg.sourceMaps ? `, node ${serverNodeArgs(cfg).join(' ') || 'without flags'}` : ''})`;
  const starts = await coldStarts(cfg);
  console.log(`  time to healthy (ms): ${starts.server.map((v) => v.toFixed(0)).join(', ')}; bare: ${starts.bare.map((v) => v.toFixed(0)).join(', ')}`);

  const dataDir = tempDir('footprint');
  const server = await spawnCompiled({ DATA_DIR: dataDir, INGEST_TOKEN: ingestToken, ADMIN_PASSWORD: adminPassword, DATABASE_URL: '' }, await freePort(), [
    ...serverNodeArgs(cfg),
    ...(cfg.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cfg.resultsDir, 'profiles-footprint')}`] : []),
  ]);
  const bare = await spawnBare(await freePort());
  const devices = await Devices.start();
  const bareDevices = await Devices.start();
  let dashboards: Dashboards | null = null;
  try {
    await waitHealthy(server);
    await waitHealthy(bare, '/');
    const rssBeforeLoad = rssMiB(server.pid);
    const clinic = await openClinic(server.url);
    const chairIds = await createChairs(clinic, chairs);
    await startTreatment(clinic, await checkInAll(clinic, chairIds));
    dashboards = await Dashboards.open(server.url, new Array<string>(dashboardsWanted).fill(clinic.nurse), 1);
    const prefix = runPrefix();
    await dashboards.track(prefix, 0);
    const seconds = cfg.footprintWarmupSec + cfg.footprintSec + 2;
    const count = chairs * seconds;
    const dir = tempDir('footprint-send');
    const job = { token: ingestToken, chairIds, prefix, ratePerSec: chairs, count, connections: chairs };
    const sending = devices.rate({ ...job, url: server.url, sendTimesFile: path.join(dir, 'server.bin') });
    const bareSending = bareDevices.rate({ ...job, url: bare.url, sendTimesFile: path.join(dir, 'bare.bin') });
    await sleep(cfg.footprintWarmupSec * 1000);
    const [ours, base] = await sample([server.pid, bare.pid], cfg.footprintSec);
    const sent = await sending;
    await bareSending;
    const drain = await dashboards.drain(sent.acked, 10_000, 3_000);
    fs.rmSync(dir, { recursive: true, force: true });
    if (!ours || !base) throw new Error('no samples');
    results.detail('footprint', { starts, rssBeforeLoadMiB: rssBeforeLoad, ours, bare: base, acked: sent.acked, sent: sent.sent, statuses: sent.statuses, ack: sent.ack, dashboards: drain });
    console.log(
      `  server CPU ${ours.cpuPercent.toFixed(2)} % of a core, RSS max ${ours.rssMaxMiB.toFixed(1)} MiB mean ${ours.rssMeanMiB.toFixed(1)} MiB (at healthy ${rssBeforeLoad.toFixed(1)}); ` +
        `bare ${base.cpuPercent.toFixed(2)} %, ${base.rssMaxMiB.toFixed(1)} MiB; acked ${sent.acked}/${sent.sent}, dashboards got ${drain.minCount} each`,
    );
    results.add({ scenario, figure: `server CPU, ${chairs} chairs at 1 Hz in session, ${dashboardsWanted} dashboards (share of one core over ${Math.round(ours.seconds)} s)`, unit: '%', ours: ours.cpuPercent, baseline: base.cpuPercent, target: `≤ ${cpuTargetPercent} %`, met: ours.cpuPercent <= cpuTargetPercent });
    results.add({ scenario, figure: 'server RSS, max of 1-s samples (MiB; 120 MB = 114.4 MiB)', unit: 'MiB', ours: ours.rssMaxMiB, baseline: base.rssMaxMiB, target: '≤ 114.4 MiB', met: ours.rssMaxMiB <= rssTargetMiB });
    results.add({ scenario, figure: 'server RSS, mean of 1-s samples', unit: 'MiB', ours: ours.rssMeanMiB, baseline: base.rssMeanMiB, target: '≤ 114.4 MiB', met: ours.rssMeanMiB <= rssTargetMiB });
    results.add({ scenario, figure: 'server RSS once healthy, before any load', unit: 'MiB', ours: rssBeforeLoad, baseline: null, target: null, met: null });
    const healthy = median(starts.server);
    results.add({ scenario, figure: `process start → GET /api/health 200, median of ${starts.server.length} cold starts on a fresh data dir (baseline: bare node -e server → first 200)`, unit: 'ms', ours: healthy, baseline: median(starts.bare), target: `≤ ${healthyTargetMs} ms`, met: healthy <= healthyTargetMs });
    results.add({ scenario, figure: 'process start → healthy, slowest cold start', unit: 'ms', ours: Math.max(...starts.server), baseline: Math.max(...starts.bare), target: null, met: null });
    results.add({ scenario, figure: `readings acknowledged (and every dashboard got them: ${drain.minCount})`, unit: '%', ours: (sent.acked / sent.sent) * 100, baseline: null, target: '100 %', met: sent.acked === sent.sent && drain.minCount >= sent.acked });
  } finally {
    await dashboards?.close();
    await devices.stop();
    await bareDevices.stop();
    await bare.stop();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
