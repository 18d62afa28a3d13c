/**
 * Back-pressure on the dashboards' broadcast: a dashboard that stops reading (here a real
 * socket.io-client behind a TCP relay that stops forwarding) must not hold up the others. The healthy
 * dashboard receives every reading while the stalled one's queue grows; past its bound the server
 * closes the stalled connection, and that dashboard, reading again, reconnects and resyncs by
 * sequence number to every reading.
 */
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { Reading } from '@chairside/shared';
import { type DashboardSocket, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';

/** A TCP relay to the server whose server-to-client direction can be stopped (the client then reads nothing). */
interface Relay {
  url: string;
  /** Stops reading from the server: its writes pile up in the kernel's buffers, then in the server. */
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

async function relayTo(port: number): Promise<Relay> {
  const upstreams = new Set<net.Socket>();
  let stalled = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    upstreams.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    if (stalled) upstream.pause();
    const end = (): void => {
      upstreams.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('relay has no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    stall() {
      stalled = true;
      for (const upstream of upstreams) upstream.pause();
    },
    resume() {
      stalled = false;
      for (const upstream of upstreams) upstream.resume();
    },
    async close() {
      for (const upstream of upstreams) upstream.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a dashboard does on (re)connecting: sync from the last sequence number it holds, page by page. */
async function syncInto(socket: DashboardSocket, seen: Set<number>, afterSeq: number | null): Promise<void> {
  let cursor = afterSeq;
  for (;;) {
    const page = (await socket.emitWithAck('readings:sync', { afterSeq: cursor })) as { readings: Reading[]; latestSeq: number; hasMore: boolean };
    for (const r of page.readings) seen.add(r.seq);
    cursor = page.latestSeq;
    if (!page.hasMore) return;
  }
}

let server: TestServer;
let relay: Relay;
const opened: DashboardSocket[] = [];
beforeEach(async () => {
  server = await startTestServer();
  relay = await relayTo(Number(new URL(server.url).port));
});
afterEach(async () => {
  for (const socket of opened.splice(0)) socket.disconnect();
  relay.resume();
  await relay.close();
  await server.close();
});

describe('a dashboard that stops reading', () => {
  it('does not hold up the others: it is cut past its bound, then reconnects and resyncs to every reading', async () => {
    const cookie = await server.login('nurse');
    const healthy = await server.dashboard(cookie);
    const healthySeen = new Set<number>();
    healthy.on('readings:stored', (readings) => readings.forEach((r) => healthySeen.add(r.seq)));
    await syncInto(healthy, healthySeen, null);

    // The slow dashboard reconnects by itself, as the dashboard's socket does.
    const slow: DashboardSocket = connect(relay.url, { extraHeaders: { cookie }, transports: ['websocket'], reconnectionDelay: 50 });
    opened.push(slow);
    await new Promise<void>((resolve, reject) => {
      slow.once('connect', resolve);
      slow.once('connect_error', reject);
    });
    const slowSeen = new Set<number>();
    slow.on('readings:stored', (readings) => readings.forEach((r) => slowSeen.add(r.seq)));
    await syncInto(slow, slowSeen, null);
    const onServer = server.chairside.io.sockets.sockets.get(slow.id ?? '');
    if (!onServer) throw new Error('the slow dashboard has no socket on the server');
    const cut = new Promise<string>((resolve) => onServer.once('disconnect', (reason) => resolve(reason)));
    let wasCut = false;
    void cut.then(() => (wasCut = true));

    relay.stall();
    // Readings in requests of 1,000 (~450 kB per broadcast) until the server lets the slow dashboard go:
    // the kernel's buffers take a few megabytes, the bound some more.
    const stored: number[] = [];
    for (let request = 0; !wasCut; request += 1) {
      expect(request, 'the stalled dashboard was never cut').toBeLessThan(200);
      const res = await postReadings(server.url, Array.from({ length: 1000 }, () => reading()));
      expect(res.status).toBe(201);
      stored.push(...(res.body as Reading[]).map((r) => r.seq));
    }
    // Closed by the server (not a ping timeout, not the client), with its queue discarded.
    expect(await cut).toBe('forced close');

    // The healthy dashboard got every reading while the other one was stalled.
    await expect.poll(() => stored.filter((seq) => !healthySeen.has(seq)).length, { timeout: 20_000 }).toBe(0);

    // Reading again, the slow dashboard learns its connection is gone, reconnects and resyncs from what it holds.
    const reconnected = new Promise<void>((resolve) => slow.io.once('reconnect', () => resolve()));
    relay.resume();
    await reconnected;
    await syncInto(slow, slowSeen, Math.max(0, ...slowSeen));
    expect(stored.filter((seq) => !slowSeen.has(seq))).toEqual([]);
  }, 60_000);
});
