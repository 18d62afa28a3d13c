import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, StationAlarm } from '@chairside/shared';
import type { AppOptions, ReachNotice } from '@chairside/server';
import { io as connect } from 'socket.io-client';
import { api, type DashboardSocket, ManualClock, openAlerts, postReadings, reading, startTestServer, storeKind, tempDataDir, type TestServer } from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

/**
 * HL7 alerts out (docs/hl7-alerts.md) against a real MLLP receiver in the test: a TCP server that
 * frames messages itself, reads the fields it needs by splitting, and answers as the test says.
 */

type Answer = 'AA' | 'AE' | 'AR' | 'none';

interface Received {
  text: string;
  controlId: string;
  alertId: string;
  phase: string;
  segments: string[][];
}

class MllpReceiver {
  readonly received: Received[] = [];
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  port = 0;
  /** Connections accepted so far. */
  connections = 0;

  constructor(public answer: (message: Received, index: number) => Answer = () => 'AA') {}

  async listen(port = 0): Promise<this> {
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get target(): NonNullable<AppOptions['hl7AlertsOut']>['target'] {
    return { host: '127.0.0.1', port: this.port };
  }

  private accept(socket: net.Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const start = buffer.indexOf(0x0b);
        const end = buffer.indexOf(0x1c, start + 1);
        if (start === -1 || end === -1) return;
        const text = buffer.subarray(start + 1, end).toString('utf8');
        buffer = buffer.subarray(end + 2);
        const segments = text.split('\r').filter((l) => l !== '').map((l) => l.split('|'));
        const field = (id: string, n: number): string => segments.find((s) => s[0] === id)?.[n] ?? '';
        const phase = segments.find((s) => s[3]?.startsWith('68481^'))?.[5] ?? '';
        const message: Received = {
          text,
          // MSH-1 is the separator itself: MSH-10 is the tenth item after the split's first.
          controlId: field('MSH', 9),
          alertId: field('OBR', 3).split('^')[0] ?? '',
          phase,
          segments,
        };
        const index = this.received.length;
        this.received.push(message);
        const answer = this.answer(message, index);
        if (answer === 'none') continue;
        const ack = [`MSH|^~\\&|GATEWAY||CHAIRSIDE||20261207104300+0000||ACK^R40^ACK|A${index}|P|2.6`, `MSA|${answer}|${message.controlId}${answer === 'AA' ? '' : '|not now'}`];
        socket.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(`${ack.join('\r')}\r`), Buffer.from([0x1c, 0x0d])]));
      }
    });
  }
}

/** A port nobody listens on (taken, then freed). */
async function freePort(): Promise<number> {
  const probe = await new MllpReceiver().listen();
  const port = probe.port;
  await probe.close();
  return port;
}

const fast = { ackTimeoutMs: 400, connectTimeoutMs: 400, minBackoffMs: 30, maxBackoffMs: 200, pollMs: 100, checkMs: 30 };
const t0 = Date.parse('2026-12-07T10:42:05Z');

function crisis(n: number, sessionId = 'sess-1'): Alert {
  return {
    id: `${sessionId}.bp-crisis.${n}`,
    ruleId: 'bp-crisis',
    subject: null,
    label: 'Hypertensive crisis',
    category: 'physiological',
    priority: 'high',
    status: 'active',
    message: 'BP 186/104 — SBP ≥180',
    facts: { kind: 'bp-threshold', breaches: [{ field: 'systolic', value: 186, comparator: '>=', limit: 180 }], readings: 1, requiredReadings: 1, prompt: null, measuredAt: new Date(t0).toISOString() },
    readingSeq: 1,
    raisedAtMs: t0,
    escalatedAtMs: null,
    conditionResolvedAtMs: null,
    clearedAtMs: null,
    clearReason: null,
    acknowledgements: [],
  };
}

function notice(moment: ReachNotice['moment'], alert: Alert, atMs = t0): ReachNotice {
  return {
    moment,
    step: moment === 'raised' ? 'primary' : null,
    recipients: [],
    alert: moment === 'acknowledged' ? { ...alert, status: 'acknowledged' } : moment === 'cleared' ? { ...alert, status: 'cleared', clearedAtMs: atMs } : alert,
    priority: alert.priority,
    sessionId: 'sess-1',
    chairId: 'chair-1',
    chairName: 'Chair 1',
    hl7Bed: 'INFUSION^^BED1',
    by: moment === 'acknowledged' ? { userId: 'u1', displayName: 'Test nurse' } : null,
    atMs,
  };
}

/** expect.poll with room for a busy machine. */
const poll = <T>(fn: () => T | Promise<T>, options: { timeout?: number } = {}) => expect.poll(fn, { timeout: 10_000, ...options });

let server: TestServer | null = null;
const receivers: MllpReceiver[] = [];
afterEach(async () => {
  await server?.close();
  server = null;
  for (const r of receivers.splice(0)) await r.close();
});

async function receiver(answer?: (message: Received, index: number) => Answer, port = 0): Promise<MllpReceiver> {
  const r = await new MllpReceiver(answer).listen(port);
  receivers.push(r);
  return r;
}

function hl7Of(s: TestServer) {
  const out = s.chairside.hl7AlertsOut;
  if (!out) throw new Error('HL7 alerts out is not configured');
  return out;
}

async function pendingRows(s: TestServer) {
  return s.store.hl7Outbox.listPendingHl7Alerts(0, 100);
}

describe('HL7 alerts out', () => {
  it('sends each moment of an alert as ORU^R40 in order, and records every attempt', async () => {
    const gateway = await receiver();
    server = await startTestServer({ hl7AlertsOut: { target: gateway.target, timings: fast } });
    const out = hl7Of(server);
    const alert = crisis(1);
    out.channel.notify(notice('raised', alert));
    out.channel.notify(notice('escalated-to', alert, t0 + 30_000));
    out.channel.notify(notice('acknowledged', alert, t0 + 40_000));
    out.channel.notify(notice('cleared', alert, t0 + 50_000));

    await poll(() => gateway.received.length).toBe(4);
    expect(gateway.received.map((m) => m.phase)).toEqual(['start', 'continue', 'continue', 'end']);
    expect(gateway.received.every((m) => m.alertId === alert.id)).toBe(true);
    expect(new Set(gateway.received.map((m) => m.controlId)).size).toBe(4);
    const [first] = gateway.received;
    expect(first?.segments[0]?.[8]).toBe('ORU^R40^ORU_R40');
    expect(first?.segments.find((s) => s[0] === 'PV1')?.[3]).toBe('INFUSION^^BED1');
    expect(gateway.received[2]?.segments.find((s) => s[3]?.startsWith('68483^'))?.[5]).toBe('alert-acknowledged');

    await poll(async () => (await pendingRows(server as TestServer)).length).toBe(0);
    const deliveries = await server.store.deliveries.listAlertDeliveries(alert.id);
    expect(deliveries.filter((d) => d.channel === 'hl7').map((d) => `${d.step} ${d.status}`)).toEqual([
      'raised queued',
      'escalated-to queued',
      'acknowledged queued',
      'cleared queued',
      'raised acked',
      'escalated-to acked',
      'acknowledged acked',
      'cleared acked',
    ]);
    expect(deliveries.every((d) => d.target === `127.0.0.1:${gateway.port}` && d.sessionId === 'sess-1')).toBe(true);

    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health.hl7AlertsOut).toMatchObject({ target: `127.0.0.1:${gateway.port}`, sending: true, connected: true, pending: 0, oldestPendingAgeSec: null, unreachableSince: null });
  });

  it('resends the same message (same MSH-10) after AE until the gateway answers AA', async () => {
    const gateway = await receiver((_m, index) => (index === 0 ? 'AE' : index === 1 ? 'AR' : 'AA'));
    server = await startTestServer({ hl7AlertsOut: { target: gateway.target, timings: fast } });
    const alert = crisis(1);
    hl7Of(server).channel.notify(notice('raised', alert));
    hl7Of(server).channel.notify(notice('cleared', alert, t0 + 10_000));

    await poll(() => gateway.received.length).toBe(4);
    const [a, b, c, d] = gateway.received;
    expect([a?.controlId, b?.controlId]).toEqual([c?.controlId, c?.controlId]);
    expect(d?.controlId).not.toBe(c?.controlId);
    expect(gateway.received.map((m) => m.phase)).toEqual(['start', 'start', 'start', 'end']);
    await poll(async () => (await pendingRows(server as TestServer)).length).toBe(0);
    const deliveries = (await server.store.deliveries.listAlertDeliveries(alert.id)).filter((x) => x.status !== 'queued');
    expect(deliveries.map((x) => `${x.step} ${x.status}`)).toEqual(['raised failed', 'raised failed', 'raised acked', 'cleared acked']);
    expect(deliveries[0]?.detail).toMatch(/answered AE: not now/);
    expect(deliveries[1]?.detail).toMatch(/answered AR/);
    expect(deliveries[2]?.detail).toMatch(/after 3 attempts/);
  });

  it('keeps messages while the gateway is down and delivers them all, in order, once it is up', async () => {
    const port = await freePort();
    server = await startTestServer({ hl7AlertsOut: { target: { host: '127.0.0.1', port }, timings: fast } });
    const out = hl7Of(server);
    for (let n = 1; n <= 3; n += 1) out.channel.notify(notice('raised', crisis(n)));
    await poll(async () => (await (server as TestServer).store.deliveries.listAlertDeliveries(crisis(1).id)).some((d) => d.status === 'failed'), { timeout: 5000 }).toBe(true);
    const failed = (await server.store.deliveries.listAlertDeliveries(crisis(1).id)).find((d) => d.status === 'failed');
    expect(failed?.detail).toMatch(/cannot connect to 127\.0\.0\.1:\d+: connection refused/);
    expect((await pendingRows(server)).map((r) => r.alertId)).toEqual([crisis(1).id, crisis(2).id, crisis(3).id]);
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health.hl7AlertsOut).toMatchObject({ connected: false, pending: 3, lastError: expect.stringMatching(/connection refused/) });

    const gateway = await receiver(undefined, port);
    out.channel.notify(notice('raised', crisis(4)));
    await poll(() => gateway.received.length, { timeout: 5000 }).toBe(4);
    expect(gateway.received.map((m) => m.alertId)).toEqual([1, 2, 3, 4].map((n) => crisis(n).id));
    await poll(async () => (await pendingRows(server as TestServer)).length).toBe(0);
  });

  it('a gateway that never answers is a technical alarm at the station after 60 s, and readings flow meanwhile', async () => {
    let answering = false;
    const gateway = await receiver(() => (answering ? 'AA' : 'none'));
    const clock = new ManualClock(t0);
    // ACK timeout of a minute: the message hangs unanswered while the clock moves.
    server = await startTestServer({ clock, hl7AlertsOut: { target: gateway.target, timings: { ...fast, ackTimeoutMs: 60_000 } } });
    const socket = await server.dashboard(await server.login('nurse'));
    await socket.emitWithAck('readings:sync', { afterSeq: null });
    /** Each alarm with the server's time when this screen got it. */
    const alarms: (StationAlarm & { heardAtMs: number })[] = [];
    socket.on('station:alarm', (a) => alarms.push({ ...a, heardAtMs: clock.now() }));

    hl7Of(server).channel.notify(notice('raised', crisis(1)));
    await poll(() => gateway.received.length).toBe(1);

    // Readings are taken and answered while the gateway holds the message (its ACK wait is a minute).
    const s = server;
    const post = async (): Promise<void> => {
      const startedAt = performance.now();
      const res = await postReadings(s.url, reading({ measuredAt: clock.iso() }));
      expect(res.status).toBe(201);
      expect(performance.now() - startedAt).toBeLessThan(5_000);
    };
    for (let i = 0; i < 10; i += 1) await post();
    clock.advance(0.5);
    for (let i = 0; i < 10; i += 1) await post();
    clock.advance(0.5);
    await poll(() => alarms.at(-1)?.active).toBe(true);
    // Not at 30 s (the boundary itself is gateway-alarm.test.ts's): the first word came at 60 s.
    expect(alarms[0]?.heardAtMs).toBe(t0 + 60_000);
    expect(alarms.at(-1)).toMatchObject({ id: 'hl7-gateway-unreachable', category: 'technical', priority: 'medium', sinceMs: t0 });
    expect(alarms.at(-1)?.problem).toBe('Paging gateway unreachable since 10:42 — alarms are not reaching phones/pagers');
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health.hl7AlertsOut).toMatchObject({ pending: 1, unreachableSince: new Date(t0).toISOString() });

    // A dashboard that connects now is told at once.
    const late: DashboardSocket = connect(server.url, { extraHeaders: { cookie: await server.login('clinician') }, transports: ['websocket'], reconnection: false, autoConnect: false });
    const told = new Promise<StationAlarm>((resolve) => late.once('station:alarm', resolve));
    late.connect();
    expect((await told).active).toBe(true);
    late.disconnect();

    // The gateway answers again: the alarm ends on every screen.
    answering = true;
    await server.close();
    server = await startTestServer({ clock, dataDir: server.dataDir, hl7AlertsOut: { target: gateway.target, timings: fast } });
    await poll(async () => (await pendingRows(server as TestServer)).length, { timeout: 5000 }).toBe(0);
  });

  it('ends the alarm once the gateway answers again', async () => {
    let answering = false;
    const gateway = await receiver(() => (answering ? 'AA' : 'none'));
    const clock = new ManualClock(t0);
    server = await startTestServer({ clock, hl7AlertsOut: { target: gateway.target, timings: fast } });
    const socket = await server.dashboard(await server.login('nurse'));
    await socket.emitWithAck('readings:sync', { afterSeq: null });
    const alarms: StationAlarm[] = [];
    socket.on('station:alarm', (a) => alarms.push(a));
    hl7Of(server).channel.notify(notice('raised', crisis(1)));
    await poll(() => gateway.received.length).toBeGreaterThan(1); // timed out and resent
    clock.advance(1);
    await poll(() => alarms.at(-1)?.active).toBe(true);
    answering = true;
    await poll(() => alarms.at(-1)?.active, { timeout: 5000 }).toBe(false);
    expect(new Set(gateway.received.map((m) => m.controlId)).size).toBe(1);
    expect((await server.store.deliveries.listAlertDeliveries(crisis(1).id)).filter((d) => d.status === 'failed')[0]?.detail).toMatch(/no ACK within/);
  });

  it('resends what was pending when the server stopped, after a restart, with the same control ids', async () => {
    const port = await freePort();
    const dataDir = tempDataDir();
    server = await startTestServer({ dataDir, hl7AlertsOut: { target: { host: '127.0.0.1', port }, timings: fast } });
    hl7Of(server).channel.notify(notice('raised', crisis(1)));
    hl7Of(server).channel.notify(notice('acknowledged', crisis(1), t0 + 5000));
    await poll(async () => (await pendingRows(server as TestServer)).length).toBe(2);
    const stored = (await pendingRows(server)).map((r) => r.message);
    await server.close();
    server = null;

    const gateway = await receiver(undefined, port);
    server = await startTestServer({ dataDir, hl7AlertsOut: { target: gateway.target, timings: fast } });
    await poll(() => gateway.received.length, { timeout: 5000 }).toBe(2);
    expect(gateway.received.map((m) => m.text)).toEqual(stored);
    expect(gateway.received.map((m) => m.phase)).toEqual(['start', 'continue']);
    await poll(async () => (await pendingRows(server as TestServer)).length).toBe(0);
  });

  it('end to end: a reading that raises a high alarm reaches the gateway as start, and acknowledging it as alert-acknowledged', async () => {
    const gateway = await receiver();
    const clock = new ManualClock(Date.parse('2026-12-07T09:00:00Z'));
    server = await startTestServer({ clock, hl7AlertsOut: { target: gateway.target, timings: fast } });
    const s = server;
    const nurse = await s.login('nurse');
    const bp = async (systolic: number, diastolic: number): Promise<void> => {
      const res = await postReadings(s.url, reading({ measuredAt: clock.iso(), systolic, diastolic, mean: undefined, heartRate: 80, spo2: 97 }));
      expect(res.status).toBe(201);
      const atMs = Date.parse(clock.iso());
      await poll(() => s.chairside.sessions.activeSummary('chair-1')?.bpTimesMs.includes(atMs) ?? true).toBe(true);
      await s.chairside.alerts.idle();
      await s.chairside.reach.dispatcher.idle();
    };
    const patient = await api(s.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Gateway Test' });
    const session = await api(s.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    expect(session.status).toBe(201);
    await bp(128, 78);
    clock.advance(6);
    await bp(132, 82);
    clock.advance(1);
    await recordArrival(s.url, session.body.id, nurse, 'iv-ketamine');
    expect((await api(s.url, 'POST', `/api/v1/sessions/${session.body.id}/events`, nurse, { type: 'treatment-started' })).status).toBe(201);
    clock.advance(1);
    await bp(204, 100);
    const crisisAlert = (await openAlerts(s, nurse)).find((a) => a.ruleId === 'bp-crisis');
    expect(crisisAlert).toMatchObject({ priority: 'high', status: 'active' });
    const id = crisisAlert?.id ?? '';

    await poll(() => gateway.received.filter((m) => m.alertId === id).map((m) => m.phase)).toContain('start');
    const start = gateway.received.find((m) => m.alertId === id && m.phase === 'start');
    const obx = (n: number) => start?.segments.filter((seg) => seg[0] === 'OBX')[n - 1];
    expect(obx(1)?.[5]?.split('^').slice(0, 2)).toEqual(['196648', 'MDC_EVT_HI']);
    expect(obx(1)?.[8]).toBe('H~PH~SP');
    expect(obx(2)?.slice(3, 8)).toEqual(['150021^MDC_PRESS_BLD_NONINV_SYS^MDC', '1.0.0.0.2', '204', '266016^MDC_DIM_MMHG^MDC', expect.stringMatching(/^<\d+$/)]);
    expect(start?.segments.find((seg) => seg[0] === 'PID')?.[3]).toBe(`${session.body.id}^^^CHAIRSIDE^VN`);
    expect(start?.segments.find((seg) => seg[0] === 'PV1')?.[3]).toBe('Chair 1'); // no HL7 bed: the chair's name
    expect(start?.text).not.toContain('Gateway Test');

    expect((await api(s.url, 'POST', `/api/v1/alerts/${id}/acknowledge`, nurse, {})).status).toBe(200);
    await s.chairside.reach.dispatcher.idle();
    await poll(() => gateway.received.filter((m) => m.alertId === id).some((m) => m.segments.some((seg) => seg[3]?.startsWith('68483^') && seg[5] === 'alert-acknowledged'))).toBe(true);
    const acked = gateway.received.filter((m) => m.alertId === id).at(-1);
    expect(acked?.phase).toBe('continue');
    expect(acked?.segments.find((seg) => seg[3]?.startsWith('68546^'))?.[5]).toMatch(/\(acknowledged by Test nurse\)$/);
    await poll(async () => (await s.store.deliveries.listAlertDeliveries(id)).filter((d) => d.channel === 'hl7' && d.status === 'acked').length).toBeGreaterThanOrEqual(2);
  });

  // Several servers share only PostgreSQL (SQLite serves one process).
  it.runIf(storeKind === 'postgres')('with two servers on one database, only the one running the alert engine sends; the other takes over when it stops', async () => {
    const gateway = await receiver();
    const dataDir = tempDataDir();
    server = await startTestServer({ dataDir, hl7AlertsOut: { target: gateway.target, timings: fast } });
    const first = server;
    const second = await startTestServer({ dataDir, hl7AlertsOut: { target: gateway.target, timings: fast } });
    try {
      expect(first.chairside.alerts.leading).toBe(true);
      expect(second.chairside.alerts.leading).toBe(false);
      hl7Of(first).channel.notify(notice('raised', crisis(1)));
      await poll(() => gateway.received.length).toBe(1);
      // A message queued on the other server lands in the shared outbox, and the engine's server sends it.
      hl7Of(second).channel.notify(notice('raised', crisis(2)));
      await poll(() => gateway.received.length).toBe(2);
      expect(gateway.connections).toBe(1);
      await poll(async () => (await (await fetch(`${second.url}/api/health`)).json()).hl7AlertsOut).toMatchObject({ sending: false, connected: false, pending: 0 });

      await first.close();
      server = second;
      await poll(() => second.chairside.alerts.leading, { timeout: 10_000 }).toBe(true);
      hl7Of(second).channel.notify(notice('raised', crisis(3)));
      await poll(() => gateway.received.length, { timeout: 10_000 }).toBe(3);
      expect(gateway.received.map((m) => m.alertId)).toEqual([crisis(1).id, crisis(2).id, crisis(3).id]);
      expect(gateway.connections).toBe(2);
    } finally {
      if (server !== second) await second.close();
    }
  });
});
