import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

// findBy…/waitFor wait for the state a test needs and return as soon as it is there; the limit is only
// how long a test may wait. 1 s (the default) is too short when these files share two cores with the
// integration suite's servers (`npm test` runs them in one queue): a lazy page then takes longer to come.
configure({ asyncUtilTimeout: 5_000 });

// recharts measures its container; jsdom has neither layout nor ResizeObserver.
vi.stubGlobal(
  'ResizeObserver',
  class {
    observe() {}
    unobserve() {}
    disconnect() {}
  },
);
