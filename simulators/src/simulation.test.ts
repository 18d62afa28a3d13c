import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSimulation, startSimulation } from './simulation';
import { createFakeIngest } from './testing/fake-ingest';

const t0 = Date.parse('2026-11-22T08:00:00.000Z');

describe('startSimulation', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(t0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends on its own timer with the injected clock, and nothing after stop()', async () => {
    const clock = { now: () => Date.now() };
    const ingest = createFakeIngest(clock);
    const running = startSimulation({
      baseUrl: 'http://127.0.0.1:3999',
      token: 'device-token',
      chairIds: ['chair-1', 'chair-2'],
      speed: 10,
      seed: 42,
      clock,
      fetch: ingest.fetch,
    });

    await vi.advanceTimersByTimeAsync(60_000);
    const sent = ingest.stored.size;
    // 2 chairs × 13 vitals (every 5 s, 0–60 s) at least, plus the first BPs.
    expect(sent).toBeGreaterThanOrEqual(26);
    expect(running.stats().sent).toBe(sent);
    expect(Math.max(...[...ingest.stored.values()].map((r) => Date.parse(r.measuredAt)))).toBeLessThanOrEqual(Date.now());

    await running.stop();
    const requests = ingest.requests.length;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(ingest.requests.length).toBe(requests);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('createSimulation options', () => {
  const base = {
    baseUrl: 'http://127.0.0.1:3999',
    token: 't',
    chairIds: ['chair-1'],
    speed: 1,
    seed: 1,
    clock: { now: () => t0 },
    fetch: createFakeIngest({ now: () => t0 }).fetch,
  };

  it.each([
    [{ speed: 0 }, /speed/],
    [{ chairIds: [] }, /at least one chair/],
    [{ chairIds: ['chair-1', 'chair-1'] }, /unique/],
    [{ chairIds: ['bad id!'] }, /chairIds/],
    [{ baseUrl: 'ftp://x' }, /http/],
    [{ seed: -1 }, /seed/],
    [{ token: '' }, /token/],
  ])('refuses %o', (override, message) => {
    expect(() => createSimulation({ ...base, ...override })).toThrow(message);
  });
});
