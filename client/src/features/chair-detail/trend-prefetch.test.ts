import type { ChairTrend } from '@chairside/shared';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, testNow } from '../../test-utils';
import { prefetchChairTrend, takePrefetchedTrend } from './trend-prefetch';

const answer: ChairTrend = { chairId: 'chair-1', from: '', to: '', bucketMs: 15_000, readings: 0, buckets: [] };

describe('trend prefetch', () => {
  it('asks once for the period on screen, and gives it once to the page of that chair', async () => {
    const chairTrend = vi.fn(() => Promise.resolve(answer));
    const api = fakeApi({ chairTrend });
    prefetchChairTrend(api, 'chair-1', testNow);
    prefetchChairTrend(api, 'chair-1', testNow + 40); // pointer down, then click
    expect(chairTrend.mock.calls).toEqual([['chair-1', { from: new Date(testNow - 3 * 60 * 60 * 1000).toISOString(), bucketMs: 15_000 }]]);
    expect(takePrefetchedTrend(api, 'chair-2', testNow + 100)).toBeNull();
    prefetchChairTrend(api, 'chair-1', testNow);
    const taken = takePrefetchedTrend(api, 'chair-1', testNow + 100);
    expect(taken?.askedAtMs).toBe(testNow);
    await expect(taken?.trend).resolves.toBe(answer);
    expect(takePrefetchedTrend(api, 'chair-1', testNow + 100)).toBeNull();
  });

  it('is not used once stale, and a failure nobody takes is no unhandled rejection', async () => {
    const api = fakeApi({ chairTrend: () => Promise.reject(new Error('offline')) });
    prefetchChairTrend(api, 'chair-1', testNow);
    expect(takePrefetchedTrend(api, 'chair-1', testNow + 5000)).toBeNull();
    await Promise.resolve();
  });
});
