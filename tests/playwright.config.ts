import { defineConfig } from '@playwright/test';

// Real Chromium from Debian's package (never a downloaded browser build).
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// The servers the tests start run the compiled server (server/dist/main.js), as `npm start` does;
// the global setup compiles it. Test workers inherit this variable (tests/helpers/server-process.ts).
process.env.CHAIRSIDE_SERVER = 'dist';

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.e2e.ts',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  // Two files at a time on a 2-core machine: each file has its own server (beforeAll) and data
  // directory, and much of a browser test is waiting (a socket's ping timeout, a page settling).
  // PLAYWRIGHT_WORKERS=1 runs them one by one.
  workers: Number(process.env.PLAYWRIGHT_WORKERS ?? 2),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: '../test-results/e2e',
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
