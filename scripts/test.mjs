#!/usr/bin/env node
// `npm test`: lint, type checks, unit + component + integration (vitest, on SQLite and again on
// PostgreSQL when its binaries are installed), browser (Playwright on Chromium). Runs every tier even when one fails, then prints one closing line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'chairside-test-'));
let passed = 0;
let failed = 0;
const failures = [];

function run(title, command, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(title, command, args) {
  if (run(title, command, args)) passed += 1;
  else {
    failed += 1;
    failures.push(title);
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

check('lint', 'npx', ['eslint', '--max-warnings=0', '.']);
check('type check', 'npm', ['run', 'typecheck', '--silent']);

function vitestTier(title, name, projects) {
  const report = path.join(reports, `${name}.json`);
  const ok = run(title, 'npx', [
    'vitest', 'run', ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ]);
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

// Unit, component and integration tests (the integration suite on SQLite): every project but the PostgreSQL one.
vitestTier('unit, component and integration tests (vitest)', 'vitest', ['!integration-pg']);

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

console.log('');
if (failures.length > 0) console.log(`Failed: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
