/**
 * The HL7 v2 listener end to end: a real server on port 0 with its MLLP listener on an ephemeral
 * port, messages over a real TCP socket, results read back over HTTP and the dashboard socket.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, Reading } from '@chairside/shared';
import { api, ManualClock, nextStored, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

let server: TestServer;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server.close();
});

// --- a small MLLP client -----------------------------------------------------------------------

interface Monitor {
  socket: net.Socket;
  /** Sends raw bytes and resolves with the next ACK (unframed), or rejects when none comes. */
  send(bytes: Buffer | string, timeoutMs?: number): Promise<string>;
  closed: Promise<void>;
}

const frame = (message: string): Buffer => Buffer.concat([Buffer.from([0x0b]), Buffer.from(message, 'utf8'), Buffer.from([0x1c, 0x0d])]);

/** A monitor connected from `localAddress` (another loopback address is another machine to the listener). */
async function monitor(localAddress = '127.0.0.1'): Promise<Monitor> {
  if (server.hl7Port === null) throw new Error('start the server with the hl7 option');
  const socket = net.connect({ port: server.hl7Port, host: '127.0.0.1', localAddress });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const acks: string[] = [];
  const waiting: ((ack: string) => void)[] = [];
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const start = buffer.indexOf(0x0b);
      const end = buffer.indexOf(0x1c);
      if (start === -1 || end === -1 || end < start) break;
      const ack = buffer.subarray(start + 1, end).toString('utf8');
      buffer = buffer.subarray(end + 2);
      const next = waiting.shift();
      if (next) next(ack);
      else acks.push(ack);
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    closed,
    send(bytes, timeoutMs = 5000) {
      socket.write(typeof bytes === 'string' ? frame(bytes) : bytes);
      const ready = acks.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no ACK')), timeoutMs);
        waiting.push((ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
      });
    },
  };
}

/** MSA-1, MSA-2, MSA-3 of an ACK. */
function msa(ack: string): [string, string, string] {
  const line = ack.split('\r').find((l) => l.startsWith('MSA|')) ?? '';
  const [, code = '', controlId = '', text = ''] = line.split('|');
  return [code, controlId, text.replace(/\\S\\/g, '^').replace(/\\F\\/g, '|')];
}

const closedWithin = (m: Monitor, ms: number): Promise<boolean> =>
  Promise.race([m.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

// --- messages ----------------------------------------------------------------------------------

/** An HL7 TS in UTC with an explicit offset. */
const hl7Time = (ms: number): string => `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;

interface Vitals {
  systolic?: number;
  diastolic?: number;
  mean?: number;
  heartRate?: number;
  spo2?: number;
}

/** A PCD-01 style ORU^R01 from one monitor. */
function oru(options: { controlId: string; atMs: number; device?: string; bed?: string | null; vitals?: Vitals; time?: string }): string {
  const time = options.time ?? hl7Time(options.atMs);
  const v = options.vitals ?? { systolic: 124, diastolic: 79, mean: 94, heartRate: 71, spo2: 98 };
  const rows: [string, number | undefined, string][] = [
    ['150021^MDC_PRESS_BLD_NONINV_SYS^MDC', v.systolic, '266016^MDC_DIM_MMHG^MDC'],
    ['150022^MDC_PRESS_BLD_NONINV_DIA^MDC', v.diastolic, '266016^MDC_DIM_MMHG^MDC'],
    ['150023^MDC_PRESS_BLD_NONINV_MEAN^MDC', v.mean, 'mm[Hg]^mm[Hg]^UCUM'],
    ['147842^MDC_ECG_HEART_RATE^MDC', v.heartRate, '264864^MDC_DIM_BEAT_PER_MIN^MDC'],
    ['150456^MDC_PULS_OXIM_SAT_O2^MDC', v.spo2, '262688^MDC_DIM_PERCENT^MDC'],
  ];
  const segments = [
    `MSH|^~\\&|${options.device ?? 'KETAMON^0011AABBCCDDEEFF^EUI-64'}|WARD|CHAIRSIDE||${hl7Time(options.atMs)}||ORU^R01^ORU_R01|${options.controlId}|P|2.6|||NE|AL`,
    'PID|||PSEUDO-1',
    ...(options.bed === null ? [] : [`PV1||O|${options.bed ?? 'KETA^102^1'}`]),
    `OBR|1|||528391^MDC_DEV_SPEC_PROFILE_BP^MDC|||${time}`,
    'OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1|||||||X|||||||0011AABBCCDDEEFF^EUI-64',
    ...rows
      .filter(([, value]) => value !== undefined)
      .map(([code, value, unit], i) => `OBX|${i + 2}|NM|${code}|1.0.1.${i + 1}|${value}|${unit}|||||R|||${time}`),
  ];
  return `${segments.join('\r')}\r`;
}

async function chairReadings(chairId: string, cookie: string): Promise<Reading[]> {
  const res = await api(server.url, 'GET', `/api/v1/chairs/${chairId}/readings`, cookie);
  expect(res.status).toBe(200);
  return res.body as Reading[];
}

async function addChair(id: string, hl7Bed: string): Promise<void> {
  const admin = await server.login('admin');
  expect((await api(server.url, 'POST', '/api/v1/chairs', admin, { id, name: id, hl7Bed })).status).toBe(201);
}

// --- tests -------------------------------------------------------------------------------------

describe('HL7 listener: storing monitor readings', () => {
  it('stores a monitor message on the chair mapped from PV1-3, answers AA after commit, and broadcasts it', async () => {
    server = await startTestServer({ hl7: {} });
    await addChair('chair-9', 'KETA^102^1');
    const nurse = await server.login('nurse');
    const dashboard = await server.dashboard(nurse);
    await dashboard.emitWithAck('readings:sync', { afterSeq: null });
    const broadcast = nextStored(dashboard);

    const atMs = Date.now() - 60_000;
    const m = await monitor();
    const ack = await m.send(oru({ controlId: 'MSG-1', atMs }));
    expect(msa(ack)).toEqual(['AA', 'MSG-1', '']);
    expect(ack.startsWith('MSH|^~\\&|CHAIRSIDE||KETAMON^0011AABBCCDDEEFF^EUI-64|WARD|')).toBe(true);

    // Answered after commit: the reading is there the moment the ACK is.
    const stored = await chairReadings('chair-9', nurse);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      chairId: 'chair-9',
      sessionId: null,
      source: 'device',
      measuredAt: new Date(Math.floor(atMs / 1000) * 1000).toISOString(),
      systolic: 124,
      diastolic: 79,
      mean: 94,
      heartRate: 71,
      spo2: 98,
      rejected: [],
      enteredBy: null,
    });
    const [live] = await broadcast;
    expect(live).toEqual(stored[0]);
    expect(await chairReadings('chair-1', nurse)).toEqual([]);
  });

  it('stores a resent message once and answers AA both times', async () => {
    server = await startTestServer({ hl7: {} });
    await addChair('chair-9', 'KETA^102^1');
    const message = oru({ controlId: 'MSG-2', atMs: Date.now() - 30_000 });
    const m = await monitor();
    expect(msa(await m.send(message))[0]).toBe('AA');
    expect(msa(await m.send(message))[0]).toBe('AA');
    // Even on a new connection, as a monitor does after a reconnect.
    const again = await monitor();
    expect(msa(await again.send(message))[0]).toBe('AA');
    expect(await chairReadings('chair-9', await server.login('nurse'))).toHaveLength(1);
  });

  it('keeps "no reading" markers and implausible values as rejected values with their reasons', async () => {
    server = await startTestServer({ hl7: {} });
    await addChair('chair-9', 'KETA^102^1');
    const m = await monitor();
    const ack = await m.send(oru({ controlId: 'MSG-3', atMs: Date.now() - 1000, vitals: { systolic: -999, diastolic: 8388607, heartRate: 400, spo2: 97 } }));
    expect(msa(ack)[0]).toBe('AA');
    const [stored] = await chairReadings('chair-9', await server.login('nurse'));
    expect(stored).toMatchObject({ systolic: null, diastolic: null, heartRate: null, spo2: 97 });
    expect(stored?.rejected.map((r) => [r.field, r.value, r.reason])).toEqual([
      ['systolic', -999, 'no-reading-marker'],
      ['diastolic', 8388607, 'no-reading-marker'],
      ['heartRate', 400, 'out-of-range'],
    ]);
  });

  it('reads times without a UTC offset in the clinic time zone', async () => {
    const clock = new ManualClock(Date.parse('2026-11-22T15:00:00Z'));
    server = await startTestServer({ clock, hl7: { timeZone: 'America/New_York' } });
    await addChair('chair-9', 'KETA^102^1');
    const m = await monitor();
    // 09:58 in New York in November is 14:58 UTC.
    expect(msa(await m.send(oru({ controlId: 'TZ-1', atMs: clock.now(), time: '202611220958' })))[0]).toBe('AA');
    const admin = await server.login('admin');
    const res = await api(server.url, 'GET', '/api/v1/chairs/chair-9/readings?from=2026-11-22T14:00:00Z&to=2026-11-22T16:00:00Z', admin);
    expect((res.body as Reading[]).map((r) => r.measuredAt)).toEqual(['2026-11-22T14:58:00.000Z']);
  });

  it('refuses a reading from a monitor whose clock runs ahead, with the reason', async () => {
    server = await startTestServer({ hl7: {} });
    await addChair('chair-9', 'KETA^102^1');
    const m = await monitor();
    const [code, id, text] = msa(await m.send(oru({ controlId: 'FUT-1', atMs: Date.now() + 3_600_000 })));
    expect([code, id]).toEqual(['AE', 'FUT-1']);
    expect(text).toContain('more than 5 minutes in the future');
  });
});

describe('HL7 listener: alerts', () => {
  it('raises a bp-crisis alert from a hypertensive monitor reading during treatment', async () => {
    const clock = new ManualClock(Date.parse('2026-11-20T09:00:00Z'));
    server = await startTestServer({ clock, hl7: {} });
    const admin = await server.login('admin');
    const nurse = await server.login('nurse');
    expect((await api(server.url, 'POST', '/api/v1/devices', admin, { deviceId: '0011AABBCCDDEEFF', chairId: 'chair-1' })).status).toBe(201);

    const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'HL7 Alert Test' });
    const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    expect(session.status).toBe(201);
    // Baseline 130/80 from the monitor itself, two readings 6 minutes apart.
    const m = await monitor();
    for (const [n, [s, d]] of [[128, 78], [132, 82]].entries()) {
      const ack = await m.send(oru({ controlId: `BASE-${n}`, atMs: clock.now(), bed: null, vitals: { systolic: s, diastolic: d, heartRate: 78 } }));
      expect(msa(ack)[0]).toBe('AA');
      clock.advance(6);
    }
    await recordArrival(server.url, session.body.id, nurse, 'iv-ketamine');
    expect((await api(server.url, 'POST', `/api/v1/sessions/${session.body.id}/events`, nurse, { type: 'treatment-started' })).status).toBe(201);

    clock.advance(5);
    const ack = await m.send(oru({ controlId: 'CRISIS-1', atMs: clock.now(), bed: null, vitals: { systolic: 205, diastolic: 115, mean: 145, heartRate: 96 } }));
    expect(msa(ack)).toEqual(['AA', 'CRISIS-1', '']);
    await expect
      .poll(async () => ((await api(server.url, 'GET', '/api/v1/alerts', nurse)).body as { alert: Alert }[]).map((i) => i.alert.ruleId))
      .toContain('bp-crisis');
    const alerts = (await api(server.url, 'GET', `/api/v1/sessions/${session.body.id}/alerts`, nurse)).body as Alert[];
    expect(alerts.find((a) => a.ruleId === 'bp-crisis')).toMatchObject({ priority: 'high', status: 'active', message: expect.stringContaining('SBP 205') });
    const readings = (await api(server.url, 'GET', `/api/v1/sessions/${session.body.id}`, nurse)).body.readings as Reading[];
    expect(readings.map((r) => [r.systolic, r.source])).toEqual([
      [128, 'device'],
      [132, 'device'],
      [205, 'device'],
    ]);
  });
});

describe('HL7 listener: bad input', () => {
  it('answers garbage AR, bad content AE, skips a truncated frame, and keeps serving the same stream', async () => {
    server = await startTestServer({ hl7: {} });
    await addChair('chair-9', 'KETA^102^1');
    const m = await monitor();
    const now = Date.now() - 10_000;

    expect(msa(await m.send('this is not HL7'))).toEqual(['AR', '', 'the message does not start with an MSH segment']);
    expect(msa(await m.send('MSH|^~\\&|X||||20261122101500||ADT^A01|ADT-1|P|2.5\rPID|||1\r'))).toEqual([
      'AR',
      'ADT-1',
      'message type ADT^A01 is not supported; send ORU^R01',
    ]);
    const badUnit = oru({ controlId: 'BAD-1', atMs: now }).replace('266016^MDC_DIM_MMHG^MDC', 'cm[H2O]^cmH2O^UCUM');
    const [code, id, text] = msa(await m.send(badUnit));
    expect([code, id]).toEqual(['AE', 'BAD-1']);
    expect(text).toContain('NIBP systolic');
    const truncated = oru({ controlId: 'TRUNC-1', atMs: now, vitals: { heartRate: 150 } });
    // A frame cut short by the sender starting over: only the complete one is answered and stored.
    const ack = await m.send(Buffer.concat([Buffer.from([0x0b]), Buffer.from(truncated.slice(0, 120)), frame(oru({ controlId: 'OK-1', atMs: now }))]));
    expect(msa(ack)).toEqual(['AA', 'OK-1', '']);

    const stored = await chairReadings('chair-9', await server.login('nurse'));
    expect(stored.map((r) => [r.systolic, r.heartRate])).toEqual([[124, 71]]);
  });

  it('closes a connection that sends a huge message; the server stays up and serves the next one', async () => {
    server = await startTestServer({ hl7: {} });
    await addChair('chair-9', 'KETA^102^1');
    const m = await monitor();
    const huge = oru({ controlId: 'HUGE-1', atMs: Date.now() }) + `NTE|1||${'x'.repeat(1_200_000)}\r`;
    m.socket.write(frame(huge));
    expect(await closedWithin(m, 5000)).toBe(true);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    const next = await monitor();
    expect(msa(await next.send(oru({ controlId: 'AFTER-1', atMs: Date.now() - 1000 })))[0]).toBe('AA');
    expect(await chairReadings('chair-9', await server.login('nurse'))).toHaveLength(1);
  });

  it('closes a connection that says nothing', async () => {
    server = await startTestServer({ hl7: { limits: { idleTimeoutMs: 200 } } });
    const m = await monitor();
    expect(await closedWithin(m, 3000)).toBe(true);
  });

  it('hundreds of idle connections from one address do not lock a monitor on another out', async () => {
    server = await startTestServer({ hl7: {} });
    await addChair('chair-9', 'KETA^102^1');
    const idle = await Promise.all(Array.from({ length: 300 }, () => monitor().catch(() => null)));
    const closed = await Promise.all(idle.map((m) => (m ? closedWithin(m, 2000) : Promise.resolve(true))));
    // 8 connections per address that have not had a message stored; the rest are closed at once.
    expect(closed.filter((c) => !c)).toHaveLength(8);
    const m = await monitor('127.0.0.2');
    expect(msa(await m.send(oru({ controlId: 'BUSY-1', atMs: Date.now() - 1000 })))[0]).toBe('AA');
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('a full listener makes room for a monitor by closing the oldest connection that has had no message stored', async () => {
    server = await startTestServer({ hl7: { limits: { maxConnections: 20, maxConnectionsPerAddress: 4 } } });
    await addChair('chair-9', 'KETA^102^1');
    const idle: Monitor[] = [];
    for (let host = 10; host < 15; host += 1) for (let i = 0; i < 4; i += 1) idle.push(await monitor(`127.0.0.${host}`));
    const m = await monitor('127.0.0.2');
    expect(msa(await m.send(oru({ controlId: 'FULL-1', atMs: Date.now() - 1000 })))[0]).toBe('AA');
    expect(await closedWithin(idle[0] as Monitor, 2000)).toBe(true);
    expect(idle.slice(1).every((c) => !c.socket.destroyed)).toBe(true);
    // The monitor's connection is now a known one: newcomers replace idle ones, never it.
    for (let i = 0; i < 25; i += 1) await monitor(`127.0.0.${20 + (i % 5)}`).catch(() => null);
    expect(msa(await m.send(oru({ controlId: 'FULL-2', atMs: Date.now() - 500 })))[0]).toBe('AA');
  });

  it('closes connections that send no message within the first-message timeout, which frees their address\'s places', async () => {
    server = await startTestServer({ hl7: { limits: { firstMessageTimeoutMs: 300 } } });
    await addChair('chair-9', 'KETA^102^1');
    const silent = await Promise.all(Array.from({ length: 8 }, () => monitor()));
    const started = Date.now();
    for (const m of silent) expect(await closedWithin(m, 3000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
    const m = await monitor();
    expect(msa(await m.send(oru({ controlId: 'AGAIN-1', atMs: Date.now() - 1000 })))[0]).toBe('AA');
    expect(await closedWithin(m, 600)).toBe(false); // it sent a message: only the 10-min idle timeout applies now
  });
});

describe('HL7 listener: unmapped messages and the device registry', () => {
  it('keeps a message that maps to no chair, answers AE, and shows it to admins only', async () => {
    server = await startTestServer({ hl7: {} });
    const m = await monitor();
    const message = oru({ controlId: 'LOST-1', atMs: Date.now() - 1000, bed: 'ICU^9^3', device: 'NEWMON^99887766^EUI-64' });
    expect(msa(await m.send(message))).toEqual(['AE', 'LOST-1', 'no chair mapped for bed ICU^9^3 / device NEWMON^99887766^EUI-64']);

    const admin = await server.login('admin');
    const res = await api(server.url, 'GET', '/api/v1/hl7/unmapped', admin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        id: expect.any(Number),
        receivedAt: expect.any(String),
        sendingDevice: 'NEWMON^99887766^EUI-64',
        bed: 'ICU^9^3',
        controlId: 'LOST-1',
        reason: 'no chair mapped for bed ICU^9^3 / device NEWMON^99887766^EUI-64',
        raw: message,
        rawTruncated: false,
      },
    ]);
    expect((await api(server.url, 'GET', '/api/v1/hl7/unmapped', await server.login('nurse'))).status).toBe(403);
    expect((await fetch(`${server.url}/api/v1/hl7/unmapped`)).status).toBe(401);
    for (const chairId of ['chair-1', 'chair-2']) expect(await chairReadings(chairId, admin)).toEqual([]);

    // Recent first.
    await m.send(oru({ controlId: 'LOST-2', atMs: Date.now() - 1000, bed: 'ICU^9^4' }));
    const list = (await api(server.url, 'GET', '/api/v1/hl7/unmapped?limit=5', admin)).body as { controlId: string }[];
    expect(list.map((u) => u.controlId)).toEqual(['LOST-2', 'LOST-1']);
  });

  it('registers, lists and removes devices (admin only); a registered device maps its messages to the chair', async () => {
    server = await startTestServer({ hl7: {} });
    const admin = await server.login('admin');
    const nurse = await server.login('nurse');
    const m = await monitor();
    const message = (controlId: string): string => oru({ controlId, atMs: Date.now() - 1000, bed: null, device: 'NEWMON^99887766^EUI-64' });
    expect(msa(await m.send(message('D-1')))[0]).toBe('AE');

    const created = await api(server.url, 'POST', '/api/v1/devices', admin, { deviceId: '99887766', chairId: 'chair-2' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ deviceId: '99887766', chairId: 'chair-2', createdBy: 'admin' });
    expect((await api(server.url, 'POST', '/api/v1/devices', admin, { deviceId: '99887766', chairId: 'chair-1' })).status).toBe(409);
    expect((await api(server.url, 'POST', '/api/v1/devices', admin, { deviceId: 'newmon^99887766^eui-64', chairId: 'chair-1' })).status).toBe(201);
    expect((await api(server.url, 'POST', '/api/v1/devices', admin, { deviceId: 'NEWMON^99887766^EUI-64', chairId: 'chair-1' })).status).toBe(409);
    expect((await api(server.url, 'POST', '/api/v1/devices', admin, { deviceId: 'X1', chairId: 'no-such-chair' })).status).toBe(404);
    const invalid = await api(server.url, 'POST', '/api/v1/devices', admin, { deviceId: '  ', chairId: 'chair-1' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0].path).toEqual(['deviceId']);
    expect((await api(server.url, 'POST', '/api/v1/devices', nurse, { deviceId: 'X2', chairId: 'chair-1' })).status).toBe(403);
    expect((await api(server.url, 'GET', '/api/v1/devices', nurse)).status).toBe(403);
    expect((await api(server.url, 'DELETE', '/api/v1/devices/99887766', nurse)).status).toBe(403);

    // Two registrations of the same monitor on two chairs: conflicting, so nothing is guessed.
    const [code, , text] = msa(await m.send(message('D-2')));
    expect(code).toBe('AE');
    expect(text).toContain('conflicting chairs');
    expect((await api(server.url, 'DELETE', `/api/v1/devices/${encodeURIComponent('NEWMON^99887766^EUI-64')}`, admin)).status).toBe(204);

    const list = await api(server.url, 'GET', '/api/v1/devices', admin);
    expect(list.body.map((d: { deviceId: string; chairId: string }) => [d.deviceId, d.chairId])).toEqual([['99887766', 'chair-2']]);
    expect(msa(await m.send(message('D-3')))).toEqual(['AA', 'D-3', '']);
    expect((await chairReadings('chair-2', admin)).map((r) => r.heartRate)).toEqual([71]);

    expect((await api(server.url, 'DELETE', '/api/v1/devices/99887766', admin)).status).toBe(204);
    expect((await api(server.url, 'DELETE', '/api/v1/devices/99887766', admin)).status).toBe(404);
    expect(msa(await m.send(message('D-4')))[0]).toBe('AE');

    const audit = await api(server.url, 'GET', '/api/v1/audit?action=device-registered', admin);
    expect(audit.body.map((e: { targetId: string }) => e.targetId).sort()).toEqual(['99887766', 'newmon^99887766^eui-64']);
  });

  it('takes HTTP readings and HL7 readings on the same chair side by side', async () => {
    server = await startTestServer({ hl7: {} });
    await addChair('chair-9', 'KETA^102^1');
    expect((await postReadings(server.url, reading({ chairId: 'chair-9', measuredAt: new Date(Date.now() - 5000).toISOString() }))).status).toBe(201);
    const m = await monitor();
    expect(msa(await m.send(oru({ controlId: 'MIX-1', atMs: Date.now() - 1000 })))[0]).toBe('AA');
    expect(await chairReadings('chair-9', await server.login('nurse'))).toHaveLength(2);
  });
});
