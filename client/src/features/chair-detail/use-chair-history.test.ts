import { describe, expect, it } from 'vitest';
import { historySlices } from './use-chair-history';

const hour = 60 * 60 * 1000;
const now = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('historySlices', () => {
  it('asks for the period on screen first, then the rest of the window an hour at a time, newest first', () => {
    expect(historySlices(now, 3 * hour, 6 * hour, hour)).toEqual([
      { fromMs: now - 3 * hour, toMs: null },
      { fromMs: now - 4 * hour, toMs: now - 3 * hour },
      { fromMs: now - 5 * hour, toMs: now - 4 * hour },
      { fromMs: now - 6 * hour, toMs: now - 5 * hour },
    ]);
  });

  it('covers the window without overlap or gap, however the steps fall', () => {
    const slices = historySlices(now, 3 * hour, 12 * hour, 2.5 * hour);
    expect(slices[0]).toEqual({ fromMs: now - 3 * hour, toMs: null });
    for (let i = 1; i < slices.length; i += 1) expect(slices[i]?.toMs).toBe(slices[i - 1]?.fromMs);
    expect(slices.at(-1)?.fromMs).toBe(now - 12 * hour);
  });

  it('asks once when the period covers the window', () => {
    expect(historySlices(now, 12 * hour, 12 * hour, hour)).toEqual([{ fromMs: now - 12 * hour, toMs: null }]);
  });
});
