/**
 * Fuzzing the Socket.IO boundary (issue 7): authenticated dashboards emit arbitrary event names and
 * payloads (the known events with arbitrary arguments, no or non-function acks, binary, payloads
 * over maxHttpBufferSize) and raw, malformed Socket.IO packets. The server never crashes: a fresh
 * socket can still sync, health stays 200, and every error ack is `{error:{code,message}}`.
 */
import fs from 'node:fs';
import fc from 'fast-check';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxSocketMessageBytes, type Role } from '@chairside/shared';
import { type DashboardSocket, startTestServer, type TestServer } from '../helpers/test-server';
import { anyValue, expectNoLeak, fuzz, fuzzDataDir, isErrorBody, mutationsOf, nastyString } from '../helpers/fuzz';

let server: TestServer;
const cookies = new Map<Role, string>();
const sockets = new Map<Role, DashboardSocket>();
const counts = { emits: 0, acks: 0, errorAcks: 0, rawPackets: 0, reconnects: 0 };

beforeAll(async () => {
  server = await startTestServer({ dataDir: fuzzDataDir() });
  for (const role of ['nurse', 'clinician', 'admin'] as const) cookies.set(role, await server.login(role));
});

afterAll(async () => {
  console.info(`fuzz-socket: ${counts.emits} emits (${counts.acks} answered, ${counts.errorAcks} with an error), ${counts.rawPackets} raw packets, ${counts.reconnects} sockets the server dropped`);
  await server.close();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
});

/** A connected socket of `role`; a new one when the server dropped the last. */
async function socketOf(role: Role): Promise<DashboardSocket> {
  const existing = sockets.get(role);
  if (existing?.connected) return existing;
  if (existing) counts.reconnects += 1;
  const socket = await server.dashboard(cookies.get(role) ?? '');
  sockets.set(role, socket);
  return socket;
}

/** The server still works: a fresh socket syncs and /api/health answers 200. */
async function expectServerUp(): Promise<void> {
  const fresh = await server.dashboard(cookies.get('nurse') ?? '');
  const answer: unknown = await fresh.timeout(5000).emitWithAck('readings:sync', { afterSeq: 0 });
  expect(answer).toMatchObject({ readings: expect.any(Array), latestSeq: expect.any(Number), hasMore: false });
  fresh.disconnect();
  const health = await fetch(`${server.url}/api/health`);
  expect(health.status).toBe(200);
  await health.arrayBuffer();
}

const knownEvents = ['readings:sync', 'alert:acknowledge', 'audio:pause'] as const;
const validRequests = [{ afterSeq: null }, { afterSeq: 0, limit: 10 }, { afterSeq: 3 }, { alertId: '00000000-0000-4000-8000-000000000000', note: 'seen' }, { chairId: 'chair-1' }, { chairId: 'chair-2' }];

/** Arguments: JSON of every shape, the known fields with odd values, binary. */
const argument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...validRequests) },
  { weight: 4, arbitrary: fc.constantFrom(...validRequests).chain((r) => mutationsOf(r, { large: false })).map((text) => JSON.parse(text) as unknown) },
  { weight: 4, arbitrary: anyValue },
  {
    weight: 4,
    arbitrary: fc.record(
      { afterSeq: fc.oneof(anyValue, fc.integer({ min: -5, max: 1e6 })), limit: anyValue, alertId: fc.oneof(nastyString, fc.uuid()), note: anyValue, chairId: fc.oneof(nastyString, fc.constantFrom('chair-1', 'chair-2')) },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.record({ afterSeq: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 200 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown) },
);

describe('fuzzing the Socket.IO events', () => {
  it('answers the known events with arbitrary arguments with a result or an error ack, and ignores the rest', async () => {
    const event = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...knownEvents) },
      { weight: 1, arbitrary: fc.constantFrom('readings:stored', 'session:updated', 'alert:raised', 'server:status', 'disconnecting', 'error', 'newListener', '__proto__', 'constructor', 'toString') },
      { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
    );
    const ackMode = fc.constantFrom<'ack' | 'none' | 'non-function'>('ack', 'ack', 'none', 'non-function');
    const arb = fc.tuple(fc.constantFrom<Role>('nurse', 'clinician', 'admin'), event, fc.array(argument, { maxLength: 3 }), ackMode);
    await fuzz('socket events', arb, 500, async ([role, name, args, mode]) => {
      const socket = await socketOf(role);
      const where = `${role} emits ${name} ${JSON.stringify(args).slice(0, 300)} (${mode})`;
      counts.emits += 1;
      const clientEmit = socket.emit.bind(socket) as unknown as (event: string, ...rest: unknown[]) => void;
      const emit = (event: string, ...rest: unknown[]): void => {
        try {
          clientEmit(event, ...rest);
        } catch (error) {
          // socket.io-client itself refuses to send its reserved names; raw packets below send them anyway.
          if (!(error instanceof Error && /reserved event name/.test(error.message))) throw error;
        }
      };
      if (mode === 'ack' && (knownEvents as readonly string[]).includes(name)) {
        // The handlers read (request, ack): extra arguments go before the ack and are ignored.
        const answer = await new Promise<unknown>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${where}: no answer within 5 s`)), 5000);
          emit(name, ...(args.length === 0 ? [undefined] : args.slice(0, 1)), (value: unknown) => {
            clearTimeout(timer);
            resolve(value);
          });
        });
        counts.acks += 1;
        expectNoLeak(JSON.stringify(answer) ?? '', where);
        if (isErrorBody(answer)) {
          counts.errorAcks += 1;
          expect(answer.error.code, where).not.toBe('internal');
          if (role === 'admin' && name !== 'readings:sync') expect(answer.error.code, where).toBe('forbidden');
        } else if (name === 'readings:sync') {
          expect(answer, where).toMatchObject({ readings: expect.any(Array), latestSeq: expect.any(Number), hasMore: expect.any(Boolean) });
        } else if (name === 'audio:pause') {
          expect(role, where).not.toBe('admin');
          expect(answer, where).toMatchObject({ chairId: expect.any(String), pause: expect.any(Object), by: role });
        } else {
          throw new Error(`${where}: acknowledged an alert that does not exist: ${JSON.stringify(answer)}`);
        }
      } else if (mode === 'non-function') {
        emit(name, ...args, 'not a function');
      } else {
        emit(name, ...args);
      }
      // The socket still works (or the server dropped only this one, for a malformed packet).
      if (socket.connected) {
        const sync: unknown = await socket.timeout(5000).emitWithAck('readings:sync', { afterSeq: null });
        expect(sync, where).toMatchObject({ readings: [], latestSeq: expect.any(Number) });
      }
    });
    await expectServerUp();
  });

  it('drops a socket that sends more than maxHttpBufferSize, and keeps serving the others', async () => {
    // Described, and built in the check, so a failure report stays short.
    const payloads = fc.record({ kind: fc.constantFrom('string', 'buffer', 'array'), size: fc.integer({ min: maxSocketMessageBytes + 1, max: 2 * maxSocketMessageBytes }) });
    const build = ({ kind, size }: { kind: string; size: number }): unknown =>
      kind === 'string' ? { afterSeq: 0, padding: 'x'.repeat(size) } : kind === 'buffer' ? Buffer.alloc(size, 7) : Array.from({ length: Math.ceil(size / 2) }, (_, i) => i % 1000);
    await fuzz('huge socket payloads', fc.tuple(fc.constantFrom(...knownEvents), payloads), 12, async ([name, described]) => {
      const payload = build(described);
      const socket = await server.dashboard(cookies.get('nurse') ?? '');
      const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
      const emit = socket.emit.bind(socket) as unknown as (event: string, ...rest: unknown[]) => void;
      emit(name, payload, () => undefined);
      counts.emits += 1;
      const reason = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still connected'), 5000))]);
      expect(reason).toMatch(/transport close|transport error|server/);
      socket.disconnect();
      const other = await socketOf('clinician');
      expect(await other.timeout(5000).emitWithAck('readings:sync', { afterSeq: null })).toMatchObject({ hasMore: false });
    });
    await expectServerUp();
  });

  it('survives raw, malformed Socket.IO packets', async () => {
    const json = fc.oneof(anyValue.map((v) => JSON.stringify(v) ?? 'null'), fc.string({ maxLength: 60 }), fc.constantFrom('["readings:sync"', '[', '{', '["audio:pause",{"_placeholder":true,"num":0}]', '[{"_placeholder":true,"num":99}]', '["__proto__",{}]'));
    const packet = fc.oneof(
      // Engine.IO types 0–6 and Socket.IO types 0–6 with namespaces, ack ids and attachments.
      fc.tuple(fc.constantFrom('4', '40', '41', '42', '43', '44', '45', '46', '47', '4/x,', '42/admin,', '0', '1', '2', '3', '5', '6', '7', 'b'), fc.oneof(fc.constant(''), fc.nat({ max: 1e6 }).map(String), fc.constantFrom('1-', '99999999999999999999-', '-1-', '0-')), json).map(([prefix, n, body]) => `${prefix}${n}${body}`),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.integer({ min: 1, max: 5000 }).map((depth) => `42["readings:sync",${'['.repeat(depth)}${']'.repeat(depth)}]`),
      fc.integer({ min: 1, max: 3000 }).map((depth) => `451-["audio:pause",${'{"a":'.repeat(depth)}{"_placeholder":true,"num":0}${'}'.repeat(depth)}]`),
    );
    await fuzz('raw socket packets', fc.array(packet, { minLength: 1, maxLength: 4 }), 150, async (packets) => {
      const socket = await server.dashboard(cookies.get('nurse') ?? '');
      // The Engine.IO socket underneath: writes a message packet as given, past the client's encoder.
      const engine = socket.io.engine as unknown as { write(data: string | Buffer): void };
      for (const p of packets) engine.write(p);
      counts.rawPackets += packets.length;
      // Whatever the server made of it, this socket or a fresh one still syncs.
      await new Promise((r) => setTimeout(r, 5));
      if (socket.connected) {
        const sync: unknown = await socket
          .timeout(3000)
          .emitWithAck('readings:sync', { afterSeq: null })
          .catch(() => 'dropped');
        if (sync !== 'dropped') expect(sync).toMatchObject({ readings: [], latestSeq: expect.any(Number) });
      }
      socket.disconnect();
    });
    await expectServerUp();
  });

  it('refuses handshakes with arbitrary cookies, tokens and auth payloads', async () => {
    const cookie = fc.oneof(
      nastyString.map((s) => `chairside_session=${s}`),
      fc.string({ maxLength: 80 }),
      fc.constantFrom('chairside_session=', 'chairside_session=%ZZ', 'chairside_session="', '=;=;=', `chairside_session=${'a'.repeat(4000)}`),
    );
    await fuzz('socket handshakes', fc.tuple(cookie, fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 })), 40, async ([c, auth]) => {
      const socket = connect(server.url, { extraHeaders: { cookie: c.replace(/[^\t\x20-\x7e\x80-\xff]/g, '') }, auth, transports: ['websocket'], reconnection: false, timeout: 5000 });
      const outcome = await new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (error) => resolve(error.message));
      });
      socket.disconnect();
      expect(outcome).toBe('unauthorized');
    });
    await expectServerUp();
  });
});
