import { afterEach, describe, expect, it } from 'vitest';
import type { Reading, ServerStatus } from '@chairside/shared';
import { lockFromOutside, postReadings, reading, startTestServer, storeKind, type TestServer } from '../helpers/test-server';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

async function storedIds(): Promise<Set<string>> {
  const cookie = await server.login('nurse');
  const res = await fetch(`${server.url}/api/v1/chairs/chair-1/readings?limit=100000`, { headers: { cookie } });
  return new Set(((await res.json()) as Reading[]).map((r) => r.id));
}


describe('storage faults', () => {
  // The size limit is SQLite's max_page_count; PostgreSQL has no per-database limit a test could fill
  // (its full disk, error 53100, is mapped in store-errors.ts).
  it.runIf(storeKind === 'sqlite')('a full disk gives a clear 503 and an alarm on every dashboard, and loses nothing it acknowledged', async () => {
    server = await startTestServer({ store: { maxSizeBytes: 400 * 1024 } });
    const socket = await server.dashboard(await server.login('nurse'));
    await socket.emitWithAck('readings:sync', { afterSeq: null });
    const statuses: ServerStatus[] = [];
    socket.on('server:status', (s) => statuses.push(s));

    const acknowledged: string[] = [];
    let refused: { status: number; body: unknown } | null = null;
    for (let i = 0; i < 200 && refused === null; i += 1) {
      const batch = Array.from({ length: 50 }, () => reading());
      const res = await postReadings(server.url, batch);
      if (res.status === 201) acknowledged.push(...batch.map((r) => r.id));
      else refused = res;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.body).toMatchObject({ error: { code: 'unavailable', message: expect.stringMatching(/full/) } });
    await expect.poll(() => statuses.at(-1)?.storeWritable).toBe(false);
    expect(statuses.at(-1)?.problem).toMatch(/cannot be saved: the disk/);
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', storeWritable: false });

    const stored = await storedIds();
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });

  it('a database locked by another program gives 503, then recovers and says so', async () => {
    server = await startTestServer(storeKind === 'sqlite' ? { store: { busyTimeoutMs: 100 } } : { postgres: { lockTimeoutMs: 100 } });
    const socket = await server.dashboard(await server.login('nurse'));
    await socket.emitWithAck('readings:sync', { afterSeq: null });
    const statuses: ServerStatus[] = [];
    socket.on('server:status', (s) => statuses.push(s));

    const release = await lockFromOutside(server);
    const locked = await postReadings(server.url, reading());
    expect(locked.status).toBe(503);
    expect(locked.body).toMatchObject({ error: { message: expect.stringMatching(/locked by another program/) } });
    await release();

    const sent = reading();
    expect((await postReadings(server.url, sent)).status).toBe(201);
    await expect.poll(() => statuses.map((s) => s.storeWritable)).toEqual([false, true]);
    expect((await storedIds()).has(sent.id)).toBe(true);
  });
});
