import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import {
  type DeviceClientToServerEvents,
  deviceNamespace,
  type DeviceServerToClientEvents,
  type ErrorBody,
  isErrorBody,
  type Reading,
  type ReadingsIngestAnswer,
  readingsIngestAnswerSchema,
} from '@chairside/shared';
import { deviceToken, lockFromOutside, nextStored, reading, startTestServer, storeKind, type TestServer } from '../helpers/test-server';

type DeviceSocket = Socket<DeviceServerToClientEvents, DeviceClientToServerEvents>;

let server: TestServer;
const opened: Socket[] = [];
beforeEach(async () => {
  // Short lock waits, so a test can make a commit fail by locking the database from outside.
  server = await startTestServer(storeKind === 'sqlite' ? { store: { busyTimeoutMs: 100 } } : { postgres: { lockTimeoutMs: 100 } });
});
afterEach(async () => {
  for (const socket of opened.splice(0)) socket.disconnect();
  await server.close();
});

/** Opens a socket on `path` of the test server with these handshake options; resolves once connected. */
async function open(path: string, options: { auth?: Record<string, unknown>; cookie?: string }): Promise<Socket> {
  const socket = connect(`${server.url}${path}`, {
    auth: options.auth ?? {},
    extraHeaders: options.cookie ? { cookie: options.cookie } : {},
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  opened.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}


const device = async (token = deviceToken): Promise<DeviceSocket> => (await open(deviceNamespace, { auth: { token } })) as DeviceSocket;

/** Why a connection was refused (the error message of `connect_error`). */
async function refusal(path: string, options: { auth?: Record<string, unknown>; cookie?: string }): Promise<string> {
  return open(path, options).then(
    () => 'connected',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

const ingest = (socket: DeviceSocket, request: unknown): Promise<ReadingsIngestAnswer | ErrorBody> =>
  socket.timeout(10_000).emitWithAck('readings:ingest', request as never);

async function chairReadings(chairId = 'chair-1'): Promise<Reading[]> {
  const cookie = await server.login('nurse');
  const res = await fetch(`${server.url}/api/v1/chairs/${chairId}/readings`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as Reading[];
}

describe('readings over a device socket', () => {
  it('acknowledges after the commit with the stored readings, which every dashboard then receives in order', async () => {
    const dashboard = await server.dashboard(await server.login('nurse'));
    await dashboard.emitWithAck('readings:sync', { afterSeq: null });
    const live = nextStored(dashboard, 3);
    const socket = await device();
    const sent = [reading({ heartRate: 61 }), reading({ heartRate: 62, chairId: 'chair-2' }), reading({ heartRate: 63 })];

    const answer = await ingest(socket, sent);

    const { readings, createdCount } = readingsIngestAnswerSchema.parse(answer);
    expect(createdCount).toBe(3);
    expect(readings.map((r) => [r.id, r.heartRate, r.source])).toEqual(sent.map((r) => [r.id, r.heartRate, 'device']));
    // Acknowledged means stored: every reading is in the store by the time the answer arrives.
    for (const r of readings) expect(await server.store.readings.findReading(r.id)).toEqual(r);
    const received = await live;
    expect(received).toEqual([...readings].sort((a, b) => a.seq - b.seq));
  });

  it('answers only once the commit has succeeded: while the database cannot commit, "unavailable" and nothing stored', async () => {
    const socket = await device();
    const sent = [reading({ heartRate: 80 }), reading({ heartRate: 81 })];
    const release = await lockFromOutside(server);
    let locked: Awaited<ReturnType<typeof ingest>>;
    try {
      locked = await ingest(socket, sent);
    } finally {
      await release();
    }
    expect(locked).toMatchObject({ error: { code: 'unavailable', message: expect.stringMatching(/Nothing was stored/) } });
    expect(await server.store.readings.findReading(sent[0]?.id ?? '')).toBeNull();
    // The device keeps the readings and sends them again: now they are stored, once.
    expect(readingsIngestAnswerSchema.parse(await ingest(socket, sent)).createdCount).toBe(2);
  });

  it('takes one reading as well, answering it in an array', async () => {
    const socket = await device();
    const sent = reading({ systolic: 131, diastolic: 84, mean: 99 });
    const answer = readingsIngestAnswerSchema.parse(await ingest(socket, sent));
    expect(answer.createdCount).toBe(1);
    expect(answer.readings).toEqual([expect.objectContaining({ id: sent.id, chairId: 'chair-1', sessionId: null, systolic: 131 })]);
  });

  it('answers a reading exactly as it is read back later: rejected values, flags and fractions included', async () => {
    const socket = await device();
    const sent = reading({ systolic: 320, diastolic: 80.5, mean: undefined, heartRate: -999, spo2: 65, respRate: 12.25 });
    const answer = readingsIngestAnswerSchema.parse(await ingest(socket, sent));
    const [stored] = answer.readings;
    expect(stored).toMatchObject({ systolic: null, diastolic: 80.5, heartRate: null, spo2: 65, respRate: 12.25, flags: ['spo2-low-accuracy'] });
    expect(stored?.rejected.map((r) => r.field)).toEqual(['systolic', 'heartRate']);
    expect(await chairReadings()).toEqual([stored]);
    expect(await server.store.readings.readingsAfter(0, 10)).toEqual([stored]);
  });

  it('stores a retry once and answers it with the stored readings; other content under a taken id is refused whole', async () => {
    const socket = await device();
    const sent = [reading({ heartRate: 70 }), reading({ heartRate: 71 })];
    const first = readingsIngestAnswerSchema.parse(await ingest(socket, sent));
    const retry = readingsIngestAnswerSchema.parse(await ingest(socket, sent));
    expect(retry).toEqual({ readings: first.readings, createdCount: 0 });

    const fresh = reading({ heartRate: 90 });
    const clash = await ingest(socket, [fresh, { ...sent[1], heartRate: 150 }]);
    expect(clash).toMatchObject({ error: { code: 'conflict', details: { ids: [sent[1]?.id] } } });
    const stored = await chairReadings();
    expect(stored.map((r) => r.heartRate).sort()).toEqual([70, 71]);
  });

  it('answers invalid input with the error body HTTP uses, naming the field, and stores nothing', async () => {
    const socket = await device();
    expect(await ingest(socket, { ...reading(), systolic: 'high' })).toMatchObject({
      error: { code: 'invalid_input', details: [{ path: ['systolic'] }] },
    });
    expect(await ingest(socket, [reading(), { ...reading(), measuredAt: 'yesterday' }, reading()])).toMatchObject({
      error: { code: 'invalid_input', details: [{ path: [1, 'measuredAt'] }] },
    });
    expect(await ingest(socket, reading({ chairId: 'chair-99' }))).toMatchObject({ error: { code: 'invalid_input', details: [{ path: ['chairId'] }] } });
    expect(await ingest(socket, reading({ source: 'manual' }))).toMatchObject({ error: { code: 'invalid_input', details: [{ path: ['source'] }] } });
    expect(await ingest(socket, [])).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await ingest(socket, 'not a reading')).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await ingest(socket, Array.from({ length: 1001 }, () => reading()))).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await chairReadings()).toEqual([]);
    // The socket stays usable after refusals.
    expect(readingsIngestAnswerSchema.parse(await ingest(socket, reading())).createdCount).toBe(1);
  });

  it('takes a full batch of 1000 readings in one message', async () => {
    const socket = await device();
    const sent = Array.from({ length: 1000 }, (_, i) => reading({ heartRate: 60 + (i % 40), systolic: undefined, diastolic: undefined, mean: undefined }));
    const answer = readingsIngestAnswerSchema.parse(await ingest(socket, sent));
    expect(answer.createdCount).toBe(1000);
    expect(answer.readings.map((r) => r.id)).toEqual(sent.map((r) => r.id));
  });

  it('opens only with a valid device token in the handshake', async () => {
    expect(await refusal(deviceNamespace, {})).toBe('unauthorized');
    expect(await refusal(deviceNamespace, { auth: { token: 'not-the-token' } })).toBe('unauthorized');
    expect(await refusal(deviceNamespace, { auth: { token: 42 } })).toBe('unauthorized');
    // A dashboard's login opens no device socket, and a device token opens no dashboard socket.
    expect(await refusal(deviceNamespace, { cookie: await server.login('nurse') })).toBe('unauthorized');
    expect(await refusal('/', { auth: { token: deviceToken } })).toBe('unauthorized');
    expect(await refusal(deviceNamespace, { auth: { token: deviceToken } })).toBe('connected');
  });

  it('cuts the socket of a revoked token at once, and a message sent meanwhile stores nothing', async () => {
    const admin = await server.login('admin');
    const made = async (): Promise<{ id: string; token: string }> => {
      const res = await fetch(`${server.url}/api/v1/device-tokens`, {
        method: 'POST',
        headers: { cookie: admin, 'content-type': 'application/json' },
        body: JSON.stringify({ label: `Bay ${randomUUID().slice(0, 4)}` }),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; token: string };
    };

    // Revoked by an admin through the API: the socket is disconnected by the server.
    const first = await made();
    const socket = await device(first.token);
    expect(readingsIngestAnswerSchema.parse(await ingest(socket, reading())).createdCount).toBe(1);
    const cut = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const revoked = await fetch(`${server.url}/api/v1/device-tokens/${first.id}`, { method: 'DELETE', headers: { cookie: admin, 'content-type': 'application/json' } });
    expect(revoked.status).toBe(204);
    expect(await cut).toBe('io server disconnect');
    expect(await refusal(deviceNamespace, { auth: { token: first.token } })).toBe('unauthorized');

    // Revoked where no socket was told (another server of the clinic, say): the next message is refused and cuts it.
    const second = await made();
    const other = await device(second.token);
    await server.chairside.auth.revokeDeviceToken(second.id);
    const cutToo = new Promise<string>((resolve) => other.once('disconnect', resolve));
    const late = reading();
    expect(await ingest(other, late)).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await cutToo).toBe('io server disconnect');
    expect(await server.store.readings.findReading(late.id)).toBeNull();
  });

  it('is no dashboard: no live readings, no sync, no acknowledging or pausing alarms', async () => {
    const socket = (await device()) as unknown as Socket;
    const heard: string[] = [];
    socket.onAny((event: string) => heard.push(event));
    for (const [event, request] of [
      ['readings:sync', { afterSeq: null }],
      ['alert:acknowledge', { alertId: 'a-1' }],
      ['audio:pause', { chairId: 'chair-1' }],
    ] as const) {
      const answered = await socket.timeout(300).emitWithAck(event, request).then(
        () => 'answered',
        () => 'ignored',
      );
      expect(answered, event).toBe('ignored');
    }
    // Readings stored meanwhile (by itself and over HTTP) reach dashboards, never the device socket.
    const dashboard = await server.dashboard(await server.login('nurse'));
    await dashboard.emitWithAck('readings:sync', { afterSeq: null });
    const live = nextStored(dashboard, 1);
    const answer = await socket.timeout(10_000).emitWithAck('readings:ingest', reading());
    expect(isErrorBody(answer)).toBe(false);
    await live;
    expect(heard).toEqual([]);
    const dashboards = server.chairside.io.sockets.adapter.rooms.get('dashboards') ?? new Set<string>();
    expect(dashboards.size).toBe(1);
    expect(dashboards.has(socket.id ?? '')).toBe(false);
  });
});
