import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './tests/helpers/slow-first-sequencer.ts';

// Tiers are picked by file suffix (docs/architecture.md, "Code conventions"): *.test.ts(x) beside the code, *.int.test.ts in
// tests/integration. Browser tests (*.e2e.ts) run under Playwright, not here.
export default defineConfig({
  test: {
    // The longest files start first, so that both workers finish together (tests/helpers/slow-first-sequencer.ts).
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'simulators/src/**/*.test.ts'],
          // Two workers on a 2-core machine (vitest's default there is one); the same for every project
          // of the group, so that unit, component and integration files share one queue.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'client',
          environment: 'jsdom',
          include: ['client/src/**/*.test.{ts,tsx}'],
          setupFiles: ['client/src/test-setup.ts'],
          // Room for findBy… waits of up to 5 s (test-setup.ts) on a machine shared with the integration suite.
          testTimeout: 20_000,
          maxWorkers: 2,
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
          // In one group with unit and client (same maxWorkers): the slow integration files start first
          // and the short unit files fill in around them, instead of a group boundary each worker waits at.
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
