import { defineConfig } from 'vitest/config';

// Tiers are picked by file suffix (docs/architecture.md, "Code conventions"): *.test.ts(x) beside the code, *.int.test.ts in
// tests/integration. Browser tests (*.e2e.ts) run under Playwright, not here.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'simulators/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'client',
          environment: 'jsdom',
          include: ['client/src/**/*.test.{ts,tsx}'],
          setupFiles: ['client/src/test-setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.int.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file boots its own servers on port 0; keep the 2-core machine from thrashing.
          maxWorkers: 2,
          // Vitest runs projects with their own maxWorkers in their own group: after unit and client.
          sequence: { groupOrder: 1 },
        },
      },
      {
        // The same integration suite on PostgreSQL: the global setup starts a private server once per
        // run, and every test server gets a fresh database on it (tests/helpers/test-server.ts).
        test: {
          name: 'integration-pg',
          environment: 'node',
          include: ['tests/integration/**/*.int.test.ts'],
          env: { CHAIRSIDE_TEST_STORE: 'postgres' },
          globalSetup: ['tests/setup/postgres.global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
