#!/usr/bin/env node
// `npm test`: lint, type checks, unit + component + integration (vitest), browser (Playwright on
// Chromium). Runs every tier even when one fails, then prints one closing line "N passed, N failed".
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

// Unit, component and integration tests.
const vitestReport = path.join(reports, 'vitest.json');
const vitestOk = run('unit, component and integration tests (vitest)', 'npx', [
  'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`,
]);
const vitest = readJson(vitestReport);
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
}
if (!vitestOk || !vitest) {
  failures.push('vitest');
  if (!vitest || vitest.numFailedTests === 0) failed += 1; // a crash or no report still fails the run
}

// Browser tests: build the dashboard, then Playwright in real Chromium.
if (run('build the dashboard', 'npm', ['run', 'build', '--silent'])) {
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
