/**
 * The simulator as an HL7 v2 bedside monitor against the real server: a real server with its MLLP
 * listener, the simulator's devices in MLLP mode (through a TCP proxy the test can cut), and the
 * readings read back over HTTP. The same simulation sent over HTTP to a recorder gives what the
 * monitors measured, so "nothing lost, nothing duplicated, on the right chair" is checked reading
 * by reading, with the server's own HL7 parser and chair mapping doing the reading.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reading, ReadingInput } from '@chairside/shared';
import { createSimulation, quietMonitorBehaviour, type DeviceTransport, type Simulation } from '@chairside/simulators';
import { api, startTestServer, type TestServer } from '../helpers/test-server';

let server: TestServer | null = null;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await server?.close();
  server = null;
});

// --- a TCP proxy between the monitors and the HL7 listener ------------------------------------

interface Proxy {
  port: number;
  /** Connections the monitors opened through the proxy. */
  connections: number;
  /** MSA-1 of every ACK the server sent, delivered or not. */
  acks: string[];
  /** The next `n` ACKs are swallowed and their connection cut: the server stored the message, the monitor never hears so. */
  loseNextAcks(n: number): void;
  /** Cuts every open connection. */
  cutAll(): void;
  close(): Promise<void>;
}

async function startProxy(targetPort: number): Promise<Proxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let toLose = 0;
  const proxy: Omit<Proxy, 'port' | 'close'> = {
    connections: 0,
    acks: [],
    loseNextAcks: (n) => {
      toLose += n;
    },
    cutAll: () => {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
    },
  };
  const server = net.createServer((client) => {
    proxy.connections += 1;
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    for (const s of pair) {
      s.on('error', () => {});
      s.on('close', cut);
    }
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      // ACKs are small: one chunk each in practice; the MSA segment tells the code.
      for (const match of chunk.toString('latin1').matchAll(/\rMSA\|([A-Z]{2})\|/g)) proxy.acks.push(match[1] ?? '');
      if (toLose > 0) {
        toLose -= 1;
        cut();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return Object.assign(proxy, {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.cutAll();
        server.close(() => resolve());
      }),
  });
}

// --- helpers -----------------------------------------------------------------------------------

const vitalFields = ['systolic', 'diastolic', 'mean', 'heartRate', 'spo2', 'respRate'] as const;

/** A reading as `measuredAt ms → values`, stored or measured alike (rejected values count as sent). */
type Observed = { atMs: number; values: Partial<Record<(typeof vitalFields)[number], number>> };

function fromInput(r: ReadingInput): Observed {
  const values: Observed['values'] = {};
  for (const f of vitalFields) if (r[f] !== undefined) values[f] = r[f];
  return { atMs: Date.parse(r.measuredAt), values };
}

function fromStored(r: Reading): Observed {
  const values: Observed['values'] = {};
  for (const f of vitalFields) {
    const v = r[f] ?? r.rejected.find((x) => x.field === f)?.value;
    if (v !== undefined && v !== null) values[f] = v;
  }
  return { atMs: Date.parse(r.measuredAt), values };
}

const byTime = (a: Observed, b: Observed): number => a.atMs - b.atMs;

const chairIds = ['mon-1', 'mon-2', 'mon-3'];
const seed = 2026;
const speed = 10;
/** The run starts in the past so that minutes of monitor time pass in a moment with a hand-moved clock. */
const runMs = 8 * 60_000;

function clockAt(ms: number): { now(): number; set(ms: number): void } {
  let now = ms;
  return { now: () => now, set: (t) => (now = t) };
}

async function run(simulation: Simulation, clock: { set(ms: number): void }, fromMs: number, toMs: number, onTick?: (t: number) => void): Promise<void> {
  for (let t = fromMs; t <= toMs; t += 1_000) {
    clock.set(t);
    onTick?.(t);
    await simulation.tick(t);
  }
}

/** What the simulation measures on each chair: the same run, sent over HTTP to a recorder. */
async function measuredReadings(startMs: number): Promise<Map<string, Observed[]>> {
  const recorded: ReadingInput[] = [];
  const clock = clockAt(startMs);
  const simulation = createSimulation({
    baseUrl: 'http://recorder.invalid',
    token: 'token',
    fetch: async (_url, init) => {
      const body = JSON.parse(String(init.body)) as ReadingInput[];
      recorded.push(...body);
      return new Response(JSON.stringify(body), { status: 201, headers: { 'content-type': 'application/json' } });
    },
    chairIds,
    speed,
    seed,
    clock,
    monitor: quietMonitorBehaviour,
  });
  await run(simulation, clock, startMs, startMs + runMs);
  await simulation.stop();
  return new Map(chairIds.map((id) => [id, recorded.filter((r) => r.chairId === id).map(fromInput).sort(byTime)]));
}

// --- tests -------------------------------------------------------------------------------------

describe('simulated monitors over HL7 v2 (MLLP)', () => {
  it('deliver every reading once, on the chair their bed or device id maps to, through lost ACKs and cut connections', async () => {
    server = await startTestServer({ hl7: {} });
    if (server.hl7Port === null) throw new Error('no HL7 listener');
    const admin = await server.login('admin');
    // mon-1: hl7Bed = the bed part of the simulator's PV1-3 (SIM^^mon-1); mon-2: the whole PV1-3;
    // mon-3: no bed, the monitor id (MSH-3 / OBX-18) registered instead.
    for (const [id, hl7Bed] of [['mon-1', 'mon-1'], ['mon-2', 'SIM^^mon-2'], ['mon-3', undefined]] as const) {
      expect((await api(server.url, 'POST', '/api/v1/chairs', admin, { id, name: id, ...(hl7Bed ? { hl7Bed } : {}) })).status).toBe(201);
    }
    expect((await api(server.url, 'POST', '/api/v1/devices', admin, { deviceId: 'SIM-mon-3', chairId: 'mon-3' })).status).toBe(201);

    const proxy = await startProxy(server.hl7Port);
    cleanups.push(() => proxy.close());
    const startMs = Date.now() - 20 * 60_000;
    const clock = clockAt(startMs);
    const transport: DeviceTransport = { kind: 'mllp', host: '127.0.0.1', port: proxy.port };
    const simulation = createSimulation({ transport, chairIds, speed, seed, clock, monitor: quietMonitorBehaviour });
    cleanups.push(() => simulation.stop());

    await run(simulation, clock, startMs, startMs + runMs, (t) => {
      const sec = (t - startMs) / 1000;
      // Stored, but the ACK never arrives: the monitor resends the same message.
      if (sec === 60 || sec === 200) proxy.loseNextAcks(1);
      if (sec === 300) proxy.loseNextAcks(2);
      // The network drops every connection; the monitors reconnect on their next message.
      if (sec === 120 || sec === 400) proxy.cutAll();
    });
    const stats = simulation.stats();
    await simulation.stop();

    expect(stats.generated).toBeGreaterThan(chairIds.length * 80);
    expect(stats).toMatchObject({ sent: stats.generated, pending: 0, rejected: 0, dropped: 0 });
    // The four lost ACKs (and perhaps a message cut in flight) failed and were sent again.
    expect(stats.failedPosts).toBeGreaterThanOrEqual(4);
    expect(proxy.connections).toBeGreaterThan(chairIds.length * 2);
    expect(new Set(proxy.acks)).toEqual(new Set(['AA']));

    const measured = await measuredReadings(startMs);
    const nurse = await server.login('nurse');
    for (const chairId of chairIds) {
      const res = await api(server.url, 'GET', `/api/v1/chairs/${chairId}/readings`, nurse);
      expect(res.status).toBe(200);
      const stored = res.body as Reading[];
      expect(new Set(stored.map((r) => r.id)).size).toBe(stored.length);
      expect(stored.every((r) => r.source === 'device' && r.chairId === chairId)).toBe(true);
      expect(stored.map(fromStored).sort(byTime)).toEqual(measured.get(chairId));
    }
    // Nothing was left unmapped.
    expect((await api(server.url, 'GET', '/api/v1/hl7/unmapped', admin)).body).toEqual([]);
  });

  it('get AE for a bed no chair has: not resent, and the message is kept for an admin', async () => {
    server = await startTestServer({ hl7: {} });
    if (server.hl7Port === null) throw new Error('no HL7 listener');
    const startMs = Date.now() - 5 * 60_000;
    const clock = clockAt(startMs);
    const proxy = await startProxy(server.hl7Port);
    cleanups.push(() => proxy.close());
    const simulation = createSimulation({
      transport: { kind: 'mllp', host: '127.0.0.1', port: proxy.port, bedFor: (id) => `NOWHERE^^${id}` },
      chairIds: ['ghost-1'],
      speed,
      seed,
      clock,
      monitor: quietMonitorBehaviour,
    });
    cleanups.push(() => simulation.stop());
    await run(simulation, clock, startMs, startMs + 30_000);
    const stats = simulation.stats();
    expect(stats.generated).toBeGreaterThan(3);
    expect(stats).toMatchObject({ sent: 0, rejected: stats.generated, pending: 0, failedPosts: 0 });
    expect(new Set(proxy.acks)).toEqual(new Set(['AE']));
    const admin = await server.login('admin');
    const unmapped = (await api(server.url, 'GET', '/api/v1/hl7/unmapped', admin)).body as { bed: string; sendingDevice: string; reason: string }[];
    expect(unmapped.length).toBe(proxy.acks.length);
    expect(unmapped[0]).toMatchObject({ bed: 'NOWHERE^^ghost-1', sendingDevice: 'CHAIRSIDE-SIM^SIM-ghost-1^L' });
  });
});
