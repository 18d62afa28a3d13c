/**
 * `npm run bench`: Chairside's benchmark suite. Starts the real server (`server/src/main.ts`, real
 * store, real sockets) and drives it from separate processes; prints a table and writes JSON with
 * every figure next to a bare baseline measured in the same run, and the ratio.
 *
 *   npm run bench                         full run (~10–15 min on 2 cores)
 *   npm run bench -- --quick              short smoke run (~2 min)
 *   npm run bench -- --only latency,review
 *   npm run bench -- --postgres           also on PostgreSQL (DATABASE_URL: a role that may CREATE DATABASE)
 *   npm run bench -- --profile            V8 CPU profiles of the server processes in bench-results/
 *
 *   npm run bench -- --only footprint     the compiled server with 8 chairs at 1 Hz: CPU, RSS, time to healthy
 *   npm run bench -- --only stages --postgres
 *                                         cost of a reading per stage on SQLite and PostgreSQL, the capacity
 *                                         model, and its check with 2 nodes on PostgreSQL (docs/capacity.md)
 *
 * Scenarios: ingest, latency, browser, review, memory, footprint, stages.
 */
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { nowMs } from './lib/common';
import { dropPostgresDatabases, parseArgs, type StoreKind } from './lib/config';
import { printTable, Results, writeJson } from './lib/report';
import { runBrowser } from './scenarios/browser';
import { runFootprint } from './scenarios/footprint';
import { runMemory } from './scenarios/memory';
import { runRealtime } from './scenarios/realtime';
import { runReview } from './scenarios/review';
import { runStages } from './scenarios/stages';

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const cfg = parseArgs(process.argv.slice(2));
  const results = new Results();
  const started = nowMs();
  const stores: StoreKind[] = cfg.postgres ? ['sqlite', 'postgres'] : ['sqlite'];
  console.log(
    `Chairside benchmarks${cfg.quick ? ' (quick)' : ''}: ${[...cfg.only].join(', ')} on ${stores.join(' and ')}; ` +
      `${os.cpus().length} cores, Node ${process.version}. Load generators run in their own processes on the same cores.`,
  );
  const failures: string[] = [];
  const attempt = async (name: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      failures.push(name);
      console.error(`\n[${name}] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      results.note(`${name} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  };

  try {
    const baselines = { broadcast: null };
    for (const store of stores) {
      const want = { ingest: cfg.only.has('ingest'), latency: cfg.only.has('latency') };
      if (want.ingest || want.latency) await attempt(`ingest/latency on ${store}`, () => runRealtime(cfg, results, store, want, baselines));
    }
    if (cfg.only.has('browser')) await attempt('browser', () => runBrowser(cfg, results));
    for (const store of stores) {
      if (cfg.only.has('review')) await attempt(`review on ${store}`, () => runReview(cfg, results, store));
    }
    for (const store of stores) {
      if (cfg.only.has('memory')) await attempt(`memory on ${store}`, () => runMemory(cfg, results, store));
    }
    // A small clinic runs on SQLite: the footprint is measured there only.
    if (cfg.only.has('footprint')) await attempt('footprint', () => runFootprint(cfg, results));
    if (cfg.only.has('stages')) await attempt('stages', async () => void (await runStages(cfg, results, stores)));
  } finally {
    await dropPostgresDatabases();
  }

  const minutes = (nowMs() - started) / 60_000;
  console.log(`\nChairside benchmarks: ${results.figures.length} figures in ${minutes.toFixed(1)} min`);
  const table = printTable(results.figures);
  for (const note of results.notes) console.log(`note: ${note}`);
  const file = writeJson(cfg.resultsDir, results, {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    argv: process.argv.slice(2),
    config: { ...cfg, only: [...cfg.only] },
    minutes,
    table,
    failures,
  });
  const missed = results.figures.filter((f) => f.met === false).length;
  console.log(`Results written to ${file}`);
  console.log(`${results.figures.filter((f) => f.met === true).length} targets met, ${missed} missed${failures.length ? `, ${failures.length} scenario(s) failed: ${failures.join(', ')}` : ''}`);
  process.exit(failures.length > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
