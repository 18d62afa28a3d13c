import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import type { Hl7Outcome } from './hl7-handler';
import { type Hl7Listener, type Hl7ListenerLimits, startHl7Listener } from './hl7-listener';
import { frameMllp, MllpFramer } from './mllp-framer';

/** A handler that answers each message with "ACK:<message>" after `delayOf(message)` ms. */
function echoHandler(delayOf: (message: string) => number = () => 0, seen: string[] = []) {
  return {
    async handle(payload: Buffer): Promise<Hl7Outcome> {
      const message = payload.toString('utf8');
      seen.push(message);
      const delay = delayOf(message);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      if (message === 'THROW') throw new Error('a bug');
      return { code: 'AA', ack: `ACK:${message}`, controlId: message, created: 0 };
    },
  };
}

interface Client {
  socket: net.Socket;
  acks: string[];
  closed: Promise<void>;
  waitForAcks(n: number, timeoutMs?: number): Promise<string[]>;
}

/** A client connected from `localAddress` (any loopback address works on Linux: 127.0.0.2 is another machine to the listener). */
async function client(port: number, localAddress = '127.0.0.1'): Promise<Client> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const acks: string[] = [];
  const framer = new MllpFramer({ maxMessageBytes: 1 << 20 });
  socket.on('data', (chunk: Buffer) => {
    for (const e of framer.push(chunk)) if (e.type === 'message') acks.push(e.payload.toString('utf8'));
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    acks,
    closed,
    async waitForAcks(n, timeoutMs = 3000) {
      const until = Date.now() + timeoutMs;
      while (acks.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      return acks;
    },
  };
}

const closedWithin = (c: Client, ms: number): Promise<boolean> =>
  Promise.race([c.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

let listener: Hl7Listener | null = null;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.socket.destroy();
  await listener?.close();
  listener = null;
});

async function start(limits: Partial<Hl7ListenerLimits> = {}, handler = echoHandler()): Promise<number> {
  listener = await startHl7Listener({ port: 0, host: '127.0.0.1', handler, logger: silentLogger, limits });
  return listener.port;
}

async function open(port: number, localAddress?: string): Promise<Client> {
  const c = await client(port, localAddress);
  clients.push(c);
  return c;
}

describe('Hl7 listener', () => {
  it('answers merged and split frames, in the order sent, even when an earlier message takes longer', async () => {
    const port = await start({}, echoHandler((m) => (m === 'slow' ? 80 : 0)));
    const c = await open(port);
    const stream = Buffer.concat([frameMllp('slow'), frameMllp('fast'), frameMllp('third')]);
    c.socket.write(stream.subarray(0, 3));
    await new Promise((r) => setTimeout(r, 10));
    c.socket.write(stream.subarray(3, 12));
    c.socket.write(stream.subarray(12));
    expect(await c.waitForAcks(3)).toEqual(['ACK:slow', 'ACK:fast', 'ACK:third']);
  });

  it('answers a client that sends and half-closes, then closes', async () => {
    const port = await start({}, echoHandler(() => 30));
    const c = await open(port);
    c.socket.end(frameMllp('bye'));
    expect(await closedWithin(c, 2000)).toBe(true);
    expect(c.acks).toEqual(['ACK:bye']);
  });

  it('closes a connection that says nothing', async () => {
    const port = await start({ idleTimeoutMs: 100 });
    const c = await open(port);
    expect(await closedWithin(c, 2000)).toBe(true);
  });

  it('closes a connection whose frame does not end in time, even if it trickles bytes', async () => {
    const port = await start({ frameTimeoutMs: 150, idleTimeoutMs: 10_000 });
    const c = await open(port);
    c.socket.write(Buffer.from([0x0b]));
    const trickle = setInterval(() => c.socket.write('x'), 20);
    const closed = await closedWithin(c, 2000);
    clearInterval(trickle);
    expect(closed).toBe(true);
  });

  it('drops an oversize message and closes; the next connection is served', async () => {
    const seen: string[] = [];
    const port = await start({ maxMessageBytes: 1000 }, echoHandler(() => 0, seen));
    const c = await open(port);
    c.socket.write(frameMllp('y'.repeat(5000)));
    expect(await closedWithin(c, 2000)).toBe(true);
    expect(seen).toEqual([]);
    const next = await open(port);
    next.socket.write(frameMllp('ok'));
    expect(await next.waitForAcks(1)).toEqual(['ACK:ok']);
  });

  it('closes a connection that sends too much outside MLLP frames (another protocol)', async () => {
    const port = await start({ maxGarbageBytes: 1000 });
    const c = await open(port);
    c.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    expect(c.socket.destroyed).toBe(false);
    c.socket.write('z'.repeat(2000));
    expect(await closedWithin(c, 2000)).toBe(true);
  });

  it('keeps a busy connection whose chunks always end inside a frame, and tolerates a stray byte after every frame', async () => {
    const port = await start({ frameTimeoutMs: 150, maxGarbageBytes: 20 });
    const c = await open(port);
    const messages = Array.from({ length: 40 }, (_, i) => `busy-${i}`);
    const frames = messages.map((m) => Buffer.concat([frameMllp(m), Buffer.from('\n')]));
    const stream = Buffer.concat(frames);
    // 40 frames over ~400 ms (longer than the frame timeout), each chunk ending 3 bytes into the next frame.
    let at = 0;
    let end = 3;
    for (const f of frames) {
      end += f.length;
      c.socket.write(stream.subarray(at, Math.min(end, stream.length)));
      at = Math.min(end, stream.length);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await c.waitForAcks(40)).toEqual(messages.map((m) => `ACK:${m}`));
    expect(c.socket.destroyed).toBe(false);
  });

  it('skips a little noise and serves the frame after it on the same connection', async () => {
    const port = await start();
    const c = await open(port);
    c.socket.write(Buffer.concat([Buffer.from('\r\n\r\nnoise'), frameMllp('after noise')]));
    expect(await c.waitForAcks(1)).toEqual(['ACK:after noise']);
  });

  it('when full, a newcomer takes the place of the oldest connection with no message stored yet', async () => {
    const port = await start({ maxConnections: 3, maxConnectionsPerAddress: 10 });
    const [oldest, ...others] = [await open(port), await open(port), await open(port)];
    const newcomer = await open(port);
    expect(await closedWithin(oldest as Client, 1000)).toBe(true);
    newcomer.socket.write(frameMllp('in'));
    expect(await newcomer.waitForAcks(1)).toEqual(['ACK:in']);
    for (const c of others) expect(c.socket.destroyed).toBe(false);
    expect(listener?.refusals.replaced).toBe(1);
  });

  it('refuses connections beyond the limit once every connection has had a message stored, and keeps serving them', async () => {
    const port = await start({ maxConnections: 3 });
    const kept = await Promise.all([open(port), open(port), open(port)]);
    for (const [i, c] of kept.entries()) c.socket.write(frameMllp(`m${i}`));
    for (const [i, c] of kept.entries()) expect(await c.waitForAcks(1)).toEqual([`ACK:m${i}`]);
    const extra = await open(port);
    expect(await closedWithin(extra, 1000)).toBe(true);
    for (const [i, c] of kept.entries()) c.socket.write(frameMllp(`n${i}`));
    for (const [i, c] of kept.entries()) expect(await c.waitForAcks(2)).toEqual([`ACK:m${i}`, `ACK:n${i}`]);
    expect(listener?.refusals.full).toBe(1);
  });

  it('holds one address to maxConnectionsPerAddress connections with no message stored; another address is served', async () => {
    const port = await start({ maxConnectionsPerAddress: 2 });
    const idle = [await open(port), await open(port)];
    const third = await open(port);
    expect(await closedWithin(third, 1000)).toBe(true);
    const monitor = await open(port, '127.0.0.2');
    monitor.socket.write(frameMllp('vitals'));
    expect(await monitor.waitForAcks(1)).toEqual(['ACK:vitals']);
    for (const c of idle) expect(c.socket.destroyed).toBe(false);
    expect(listener?.refusals['per-address']).toBe(1);
  });

  it('does not count an address\'s connections whose messages were stored (a gateway for many monitors)', async () => {
    const port = await start({ maxConnectionsPerAddress: 2 });
    const monitors = await Promise.all(Array.from({ length: 5 }, async (_, i) => {
      const c = await open(port);
      c.socket.write(frameMllp(`bed-${i}`));
      expect(await c.waitForAcks(1)).toEqual([`ACK:bed-${i}`]);
      return c;
    }));
    for (const c of monitors) expect(c.socket.destroyed).toBe(false);
    expect(listener?.connectionCount).toBe(5);
  });

  it('closes a connection that sends no complete message in time, and keeps one that did', async () => {
    const port = await start({ firstMessageTimeoutMs: 150 });
    const silent = await open(port);
    const talking = await open(port);
    talking.socket.write(frameMllp('hello'));
    expect(await talking.waitForAcks(1)).toEqual(['ACK:hello']);
    const trickling = await open(port);
    trickling.socket.write(Buffer.from([0x0b, 0x41])); // a frame begun, never ended
    expect(await closedWithin(silent, 2000)).toBe(true);
    expect(await closedWithin(trickling, 2000)).toBe(true);
    expect(await closedWithin(talking, 300)).toBe(false);
    expect(listener?.refusals.silent).toBe(2);
  });

  it('stops reading a connection that floods messages until its queue drains, and answers all of them', async () => {
    const port = await start({ maxQueuedMessages: 4 }, echoHandler(() => 2));
    const c = await open(port);
    const messages = Array.from({ length: 60 }, (_, i) => `m${i}`);
    c.socket.write(Buffer.concat(messages.map(frameMllp)));
    expect(await c.waitForAcks(60, 5000)).toEqual(messages.map((m) => `ACK:${m}`));
  });

  it('closes a connection whose handler fails unexpectedly; the listener keeps serving', async () => {
    const port = await start();
    const c = await open(port);
    c.socket.write(frameMllp('THROW'));
    expect(await closedWithin(c, 2000)).toBe(true);
    const next = await open(port);
    next.socket.write(frameMllp('still here'));
    expect(await next.waitForAcks(1)).toEqual(['ACK:still here']);
  });

  it('on close, finishes and answers the message being stored, then closes every connection', async () => {
    const port = await start({}, echoHandler((m) => (m === 'storing' ? 150 : 0)));
    const busy = await open(port);
    const idle = await open(port);
    busy.socket.write(frameMllp('storing'));
    await new Promise((r) => setTimeout(r, 30));
    const closing = listener?.close();
    await closing;
    listener = null;
    expect(busy.acks).toEqual(['ACK:storing']);
    expect(await closedWithin(busy, 1000)).toBe(true);
    expect(await closedWithin(idle, 1000)).toBe(true);
    await expect(client(port)).rejects.toThrow();
  });
});
