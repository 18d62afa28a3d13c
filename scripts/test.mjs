#!/usr/bin/env node
// `npm test`: lint, type checks, unit + component + integration (vitest, on SQLite and again on
// PostgreSQL when its binaries are installed), browser (Playwright on Chromium). Runs every tier even when one fails, then prints
// how long each took and one closing line "N passed, N failed".
//
// On a 2-core machine: the demo's integration test spends about 2.5 minutes waiting for simulated
// visits in real time while using little CPU, so it runs in the background from the start, beside
// lint and the type checks (each of which keeps one core busy) and the first tests; it is reported
// as its own tier once the other vitest tests are done.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'chairside-test-'));
let passed = 0;
let failed = 0;
const failures = [];

const startedAt = Date.now();
/** How long each tier took, in the order they ended: [title, seconds, note]. */
const timings = [];
const seconds = (fromMs) => Math.round((Date.now() - fromMs) / 100) / 10;
const clockTime = (s) => (s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);

function timed(title, fromMs, note = '', toMs = Date.now()) {
  const s = Math.round((toMs - fromMs) / 100) / 10;
  timings.push([title, s, note]);
  console.log(`--- ${title}: ${clockTime(s)}${note ? ` (${note})` : ''}`);
}

function run(title, command, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const t0 = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  timed(title, t0);
  return result.status === 0;
}

/**
 * Starts a command now without waiting for it, its output kept in a file; `finish()` waits for it
 * and then prints that output under the tier's title, so tiers that overlap do not interleave.
 * While a tier runs in the foreground (spawnSync) this process does not see the command end, so
 * `doneFile`, a file the command writes last, tells when it did.
 */
function start(title, command, args, { env = {}, doneFile = null } = {}) {
  const log = path.join(reports, `${title.replace(/[^a-z0-9]+/gi, '-')}.log`);
  const out = fs.openSync(log, 'w');
  const t0 = Date.now();
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', out, out], env: { ...process.env, ...env } });
  fs.closeSync(out);
  const exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code, at: Date.now() }));
  });
  return {
    async finish(note = '') {
      const { code, error, at } = await exited;
      console.log(`\n=== ${title} ===`);
      process.stdout.write(fs.readFileSync(log, 'utf8'));
      if (error) console.log(String(error));
      const doneAt = doneFile && fs.existsSync(doneFile) ? Math.min(at ?? Date.now(), fs.statSync(doneFile).mtimeMs) : at;
      timed(title, t0, note, doneAt);
      return code === 0;
    },
  };
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function vitestArgs(name, args) {
  const report = path.join(reports, `${name}.json`);
  return { report, args: ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`] };
}

/** The vitest test files that mostly wait in real time: run on their own, in the background (see the top). */
const realTimeFiles = ['tests/integration/demo.int.test.ts'];
const realTime = vitestArgs('vitest-real-time', ['--project', 'integration', ...realTimeFiles]);
const realTimeRun = start('integration tests that wait in real time (vitest, in the background)', 'npx', realTime.args, { doneFile: realTime.report });

// Lint and the type checks each keep one core busy: side by side.
const lint = start('lint', 'npx', ['eslint', '--max-warnings=0', '.']);
const typecheck = start('type check', 'npm', ['run', 'typecheck', '--silent']);
for (const [title, tier] of [['lint', lint], ['type check', typecheck]]) {
  if (await tier.finish('beside the other')) passed += 1;
  else {
    failed += 1;
    failures.push(title);
  }
}

function vitestTier(title, name, projects, extraArgs = []) {
  const { report, args } = vitestArgs(name, [...projects.flatMap((p) => ['--project', p]), ...extraArgs]);
  const ok = run(title, 'npx', args);
  countVitest(name, ok, report);
}

function countVitest(name, ok, report) {
  const result = readJson(report);
  if (result) {
    passed += result.numPassedTests;
    failed += result.numFailedTests;
  }
  if (!ok || !result) {
    failures.push(name);
    if (!result || result.numFailedTests === 0) failed += 1; // a crash or no report still fails the run
  }
}

/** PostgreSQL server binaries (Debian's /usr/lib/postgresql/<major>/bin, or initdb on PATH). */
function hasPostgres() {
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root) && fs.readdirSync(root).some((major) => fs.existsSync(path.join(root, major, 'bin', 'initdb')))) return true;
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, 'initdb')));
}

// Unit, component and integration tests (the integration suite on SQLite): every project but the PostgreSQL one,
// all but the real-time files, which are running in the background meanwhile.
vitestTier('unit, component and integration tests (vitest)', 'vitest', ['!integration-pg'], realTimeFiles.flatMap((f) => ['--exclude', f]));
countVitest('vitest-real-time', await realTimeRun.finish('started with lint'), realTime.report);

// The integration suite again on PostgreSQL: its global setup starts a private server on loopback.
if (hasPostgres() || process.env.TEST_DATABASE_URL) {
  vitestTier('integration tests on PostgreSQL (vitest)', 'vitest-postgres', ['integration-pg']);
} else {
  console.log('\n=== integration tests on PostgreSQL ===');
  console.log('NOT RUN: no PostgreSQL server binaries found (install the Debian package "postgresql", or set TEST_DATABASE_URL).');
  if (process.env.CI === 'true') {
    failed += 1;
    failures.push('postgresql (not installed)');
  }
}

// Browser tests: build the dashboard and the server, then Playwright in real Chromium against the
// compiled server (server/dist/main.js), as `npm start` runs it.
if (run('build the dashboard and the server', 'npm', ['run', 'build', '--silent'])) {
  const pwReport = path.join(reports, 'playwright.json');
  const pwOk = run('browser tests (Playwright, Chromium)', 'npx', ['playwright', 'test', '-c', 'tests/playwright.config.ts'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: pwReport,
  });
  const pw = readJson(pwReport);
  const stats = pw?.stats;
  if (stats) {
    passed += stats.expected + (stats.flaky ?? 0);
    failed += stats.unexpected;
  }
  if (!pwOk || !stats || stats.expected === 0) {
    failures.push('playwright');
    if (!stats || stats.unexpected === 0) failed += 1;
  }
} else {
  failed += 1;
  failures.push('build');
}

console.log('\nTime per tier (tiers marked "beside" or "started with" overlapped others):');
for (const [title, s, note] of timings) console.log(`  ${clockTime(s).padStart(12)}  ${title}${note ? ` (${note})` : ''}`);
console.log(`  ${clockTime(seconds(startedAt)).padStart(12)}  in all`);
console.log('');
if (failures.length > 0) console.log(`Failed: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
