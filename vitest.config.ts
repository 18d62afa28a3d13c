import { defineConfig } from 'vitest/config';

// Tiers are picked by file suffix (STYLE.md): *.test.ts(x) beside the code, *.int.test.ts in
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
        },
      },
    ],
  },
});
