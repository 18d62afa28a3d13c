import { afterEach, describe, expect, it } from 'vitest';
import type { SyncResponse } from '@chairside/shared';
import { sampleHealth, worstAllowedMs } from '../helpers/event-loop';
import { seedRow, startTestServer, storeKind, type TestServer } from '../helpers/test-server';

/**
 * One logged-in screen cannot freeze the server by asking for history (issue: 500 `readings:sync`
 * at once on a large store held the event loop for 37 s): heavy reads take turns, one socket may
 * have 2 sync requests unanswered, and the rest are told "busy" at once. `/api/health` is sampled
 * meanwhile: the event loop is measured, not the flood.
 */

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const storedReadings = 60_000;

async function seed(): Promise<void> {
  const t0 = Date.now() - storedReadings * 1000;
  const rows = Array.from({ length: storedReadings }, (_, i) =>
    seedRow({ measuredAtMs: t0 + i * 1000, chairId: i % 2 === 0 ? 'chair-1' : 'chair-2', heartRate: 60 + (i % 40), spo2: 97, respRate: 14 }),
  );
  for (let i = 0; i < rows.length; i += 5_000) await server.store.readings.insertReadingBatches([rows.slice(i, i + 5_000)]);
}

// Measures this server's event loop; the store's part is covered on both stores elsewhere, so it runs on SQLite only (the suite's time is bounded).
describe.runIf(storeKind === 'sqlite')('history floods', () => {
  it('500 readings:sync at once from one socket: 2 are read, the rest told busy at once, and the server stays responsive', async () => {
    server = await startTestServer();
    await seed();
    const socket = await server.dashboard(await server.login('nurse'));
    const sampler = sampleHealth(server.url);
    const answers = await Promise.all(
      Array.from({ length: 500 }, () => socket.timeout(60_000).emitWithAck('readings:sync', { afterSeq: 0 }) as Promise<SyncResponse | { error: { code: string } }>),
    );
    const health = await sampler.stop();
    const served = answers.filter((a): a is SyncResponse => 'readings' in a);
    const busy = answers.filter((a) => 'error' in a && a.error.code === 'unavailable');
    console.log(`sync flood: ${served.length} served, ${busy.length} busy; /api/health worst ${health.worstMs} ms, p50 ${health.p50Ms} ms, loop delay max ${health.loopDelayMaxMs} ms (${health.samples} samples)`);
    // Two at a time: the third and later are refused until an answer has gone out.
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(served.length + busy.length).toBe(500);
    expect(busy.length).toBeGreaterThan(400);
    expect(served[0]?.readings).toHaveLength(1_000);
    expect(served[0]?.hasMore).toBe(true);
    expect(health.worstMs).toBeLessThan(worstAllowedMs);
    expect(socket.connected).toBe(true);
  });

  it('30 requests for a chair’s whole history at once: they take turns, the rest are busy, and the server stays responsive', async () => {
    server = await startTestServer();
    await seed();
    const nurse = await server.login('nurse');
    const from = new Date(Date.now() - (storedReadings + 60) * 1000).toISOString();
    const url = `${server.url}/api/v1/chairs/chair-1/readings?from=${encodeURIComponent(from)}&limit=100000`;
    // The bodies are taken as bytes: parsing megabytes of JSON here would stall this process, which
    // is also the server's, and the sampler would measure the test instead of the server.
    const get = async () => {
      const res = await fetch(url, { headers: { cookie: nurse } });
      return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
    };
    const sampler = sampleHealth(server.url);
    const answers = await Promise.all(Array.from({ length: 30 }, get));
    const health = await sampler.stop();
    const ok = answers.filter((a) => a.status === 200);
    const busy = answers.filter((a) => a.status === 503);
    console.log(`readings flood: ${ok.length} served, ${busy.length} busy; /api/health worst ${health.worstMs} ms, p50 ${health.p50Ms} ms, loop delay max ${health.loopDelayMaxMs} ms`);
    expect(ok.length + busy.length).toBe(30);
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect((JSON.parse(ok[0]?.body.toString('utf8') ?? '[]') as unknown[]).length).toBe(storedReadings / 2);
    expect(health.worstMs).toBeLessThan(worstAllowedMs);
  });
});
