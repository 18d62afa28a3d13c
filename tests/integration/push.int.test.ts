import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import ece from 'http_ece';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Alert, type PushMessage, pushMessageSchema } from '@chairside/shared';
import { loadVapidKeys, PushChannel, silentLogger, systemClock } from '@chairside/server';
import { api as call, ManualClock, openAlerts, postReadings, reading, startTestServer, tempDataDir, testPassword, type TestServer } from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

/**
 * Web Push with a real push service: an HTTPS server on loopback (a self-signed certificate the
 * server's push channel trusts through its test-only TLS agent) that takes RFC 8030 messages and
 * decrypts their RFC 8291 aes128gcm bodies with the subscription's private key and auth secret, as a
 * phone would.
 */
interface Received {
  device: string;
  headers: Record<string, string | string[] | undefined>;
  message: PushMessage;
}

interface Device {
  name: string;
  ecdh: crypto.ECDH;
  auth: Buffer;
  /** What the browser's PushSubscription.toJSON() would give. */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
}

class PushReceiver {
  readonly received: Received[] = [];
  /** Status to answer per device (default 201 Created). */
  readonly answer = new Map<string, number>();
  private readonly devices = new Map<string, Device>();
  private waiters: (() => void)[] = [];
  constructor(
    private readonly server: https.Server,
    readonly origin: string,
  ) {
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const name = decodeURIComponent((req.url ?? '').replace(/^\/push\//, ''));
        const device = this.devices.get(name);
        const status = this.answer.get(name) ?? (device ? 201 : 404);
        if (device && status === 201) {
          const body = ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: device.ecdh, authSecret: device.auth.toString('base64url') });
          this.received.push({ device: name, headers: req.headers, message: pushMessageSchema.parse(JSON.parse(body.toString('utf8'))) });
          for (const wake of this.waiters.splice(0)) wake();
        }
        res.writeHead(status).end();
      });
    });
  }

  device(name: string): Device {
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = crypto.randomBytes(16);
    const device: Device = {
      name,
      ecdh,
      auth,
      subscription: {
        endpoint: `${this.origin}/push/${encodeURIComponent(name)}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      },
    };
    this.devices.set(name, device);
    return device;
  }

  /** Waits until `count` messages have arrived in all. */
  async until(count: number): Promise<Received[]> {
    const deadline = Date.now() + 5_000;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.received.length} of ${count} pushes arrived`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.received;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function startReceiver(dir: string): Promise<{ receiver: PushReceiver; agent: https.Agent }> {
  const keyFile = path.join(dir, 'push-key.pem');
  const certFile = path.join(dir, 'push-cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  const cert = fs.readFileSync(certFile);
  const server = https.createServer({ key: fs.readFileSync(keyFile), cert });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('receiver has no address');
  return { receiver: new PushReceiver(server, `https://127.0.0.1:${address.port}`), agent: new https.Agent({ ca: cert }) };
}

const patientName = 'Marguerite Testpatient';

function alarm(id: string, priority: Alert['priority'] = 'high'): Alert {
  return {
    id,
    ruleId: 'bp-crisis',
    subject: null,
    label: 'Hypertensive crisis',
    category: 'physiological',
    priority,
    status: 'active',
    message: 'SBP 204 ≥ 200',
    facts: { kind: 'baseline-bp', breaches: [{ field: 'systolic', value: 204, comparator: '>=', limit: 200 }] },
    readingSeq: 1,
    raisedAtMs: Date.now(),
    escalatedAtMs: null,
    conditionResolvedAtMs: null,
    clearedAtMs: null,
    clearReason: null,
    acknowledgements: [],
  };
}

describe('Web Push', () => {
  let server: TestServer;
  let receiver: PushReceiver;
  let agent: https.Agent;
  let nurse: string;
  let nurseId: string;
  let channel: PushChannel;

  beforeAll(async () => {
    const dataDir = tempDataDir();
    ({ receiver, agent } = await startReceiver(dataDir));
    server = await startTestServer({ dataDir, push: { agent } });
    nurse = await server.login('nurse');
    const user = await server.store.accounts.findUserByUsername('nurse');
    if (!user) throw new Error('no nurse');
    nurseId = user.id;
    channel = new PushChannel({
      store: server.store,
      clock: systemClock,
      logger: silentLogger,
      vapid: await loadVapidKeys(server.store, systemClock),
      subject: 'mailto:ops@clinic.test',
      agent,
    });
  });
  afterEach(() => {
    receiver.received.length = 0;
    receiver.answer.clear();
  });
  afterAll(async () => {
    await channel?.close();
    await server?.close();
    await receiver?.close();
  });

  const api = (cookie: string, method: string, url: string, body?: unknown) =>
    fetch(`${server.url}/api/v1${url}`, {
      method,
      headers: { cookie, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const notice = (moment: 'raised' | 'escalated-to' | 'acknowledged' | 'cleared', alert: Alert, recipients: string[]) => ({
    moment,
    step: moment === 'raised' ? ('primary' as const) : moment === 'escalated-to' ? ('backup' as const) : null,
    recipients: recipients.map((userId) => ({ userId, displayName: 'Test nurse' })),
    alert,
    priority: alert.priority,
    sessionId: 'session-push-1',
    chairId: 'chair-1',
    chairName: 'Chair 1',
    hl7Bed: null,
    by: null,
    atMs: Date.now(),
  });

  /** An alert's delivery attempts, once there are `count` of them. */
  async function deliveriesOf(alertId: string, count: number) {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const deliveries = await server.store.deliveries.listAlertDeliveries(alertId);
      if (deliveries.length >= count || Date.now() > deadline) return deliveries;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('gives one VAPID public key (65 bytes), the same to every server sharing the store', async () => {
    const res = await api(nurse, 'GET', '/push/public-key');
    expect(res.status).toBe(200);
    const { publicKey } = (await res.json()) as { publicKey: string };
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    // Servers starting together race to make the pair: all end with the first one stored.
    const raced = await Promise.all([0, 1, 2].map(() => loadVapidKeys(server.store, systemClock)));
    expect(new Set(raced.map((k) => k.publicKey))).toEqual(new Set([publicKey]));
    expect((await fetch(`${server.url}/api/v1/push/public-key`)).status).toBe(401);
  });

  it('refuses malformed subscriptions with 400 naming the field, and stores nothing', async () => {
    const good = receiver.device('validation').subscription;
    const cases: [unknown, string][] = [
      [{ ...good, endpoint: 'http://127.0.0.1/push/x' }, 'endpoint'],
      [{ ...good, endpoint: 'not a url' }, 'endpoint'],
      [{ ...good, keys: { ...good.keys, p256dh: Buffer.alloc(64, 1).toString('base64url') } }, 'keys.p256dh'],
      [{ ...good, keys: { ...good.keys, p256dh: 'not*base64' } }, 'keys.p256dh'],
      [{ ...good, keys: { ...good.keys, auth: Buffer.alloc(8, 1).toString('base64url') } }, 'keys.auth'],
      [{ endpoint: good.endpoint }, 'keys'],
      [{ ...good, extra: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await api(nurse, 'POST', '/push-subscriptions', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = (await res.json()) as { error: { details: { path: (string | number)[] }[] } };
      if (field !== '') expect(error.error.details.map((d) => d.path.join('.'))).toContain(field);
    }
    expect(await (await api(nurse, 'GET', '/push-subscriptions')).json()).toEqual([]);
  });

  it('keeps a device per user; the same endpoint subscribed again moves to its new user; only the owner (or an admin) removes it', async () => {
    const phone = receiver.device('shared-phone');
    const created = await api(nurse, 'POST', '/push-subscriptions', { ...phone.subscription, label: 'Ward phone' });
    expect(created.status).toBe(201);
    const device = (await created.json()) as { id: string; label: string; service: string };
    expect(device).toMatchObject({ label: 'Ward phone', service: new URL(receiver.origin).host });
    expect(await (await api(nurse, 'GET', '/push-subscriptions')).json()).toMatchObject([{ id: device.id }]);

    const clinician = await server.login('clinician');
    expect((await api(clinician, 'DELETE', `/push-subscriptions/${device.id}`)).status).toBe(403);
    expect((await api(clinician, 'POST', '/push-subscriptions', phone.subscription)).status).toBe(201);
    expect(await (await api(nurse, 'GET', '/push-subscriptions')).json()).toEqual([]);
    expect(await (await api(clinician, 'GET', '/push-subscriptions')).json()).toMatchObject([{ id: device.id, label: null }]);

    const admin = await server.login('admin');
    expect((await api(admin, 'DELETE', `/push-subscriptions/${device.id}`)).status).toBe(204);
    expect((await api(admin, 'DELETE', `/push-subscriptions/${device.id}`)).status).toBe(404);
    expect(await (await api(clinician, 'GET', '/push-subscriptions')).json()).toEqual([]);
  });

  it('pushes an alarm to every device of its recipients, encrypted, urgent, under the alert’s topic, without the patient', async () => {
    const phone = receiver.device('nurse-phone');
    const tablet = receiver.device('nurse-tablet');
    for (const d of [phone, tablet]) expect((await api(nurse, 'POST', '/push-subscriptions', d.subscription)).status).toBe(201);

    const alert = alarm('s1.bp-crisis.1');
    channel.notify(notice('raised', alert, [nurseId]));
    const received = await receiver.until(2);
    expect(received.map((r) => r.device).sort()).toEqual(['nurse-phone', 'nurse-tablet']);
    for (const { headers, message } of received) {
      expect(message).toMatchObject({
        type: 'alarm',
        alertId: alert.id,
        chairId: 'chair-1',
        title: 'High alarm — Chair 1',
        body: 'Hypertensive crisis: SBP 204 ≥ 200',
        priority: 'high',
        url: '/chairs/chair-1',
      });
      expect(JSON.stringify(message)).not.toContain(patientName.split(' ')[1]);
      expect(headers.urgency).toBe('high');
      expect(headers.topic).toBe('s1bp-crisis1');
      expect(Number(headers.ttl)).toBeGreaterThan(0);
      expect(Number(headers.ttl)).toBeLessThanOrEqual(300);
      expect(headers['content-encoding']).toBe('aes128gcm');
      expect(String(headers.authorization)).toMatch(/^vapid t=.+, k=.+$/);
    }

    // Acknowledged elsewhere: both devices are told to close it, though the moment names no one.
    channel.notify(notice('acknowledged', alert, []));
    const closed = (await receiver.until(4)).slice(2);
    expect(closed.map((r) => r.message)).toEqual([
      { type: 'close', alertId: alert.id, reason: 'acknowledged' },
      { type: 'close', alertId: alert.id, reason: 'acknowledged' },
    ]);

    // Each attempt is recorded when its push service answers, so the two devices' records of the two
    // moments may interleave: the set is checked, not the order.
    const deliveries = await deliveriesOf(alert.id, 4);
    expect(deliveries.map((d) => `${d.channel} ${d.step} ${d.status}`).sort()).toEqual([
      'push acknowledged sent',
      'push acknowledged sent',
      'push primary sent',
      'push primary sent',
    ]);
    const mine = (await (await api(nurse, 'GET', '/push-subscriptions')).json()) as { id: string; lastSuccessAtMs: number | null }[];
    expect(mine.every((d) => d.lastSuccessAtMs !== null)).toBe(true);
    for (const d of mine) expect((await api(nurse, 'DELETE', `/push-subscriptions/${d.id}`)).status).toBe(204);
  });

  it('removes a device the push service no longer knows (404, 410) and counts other failures', async () => {
    const gone = receiver.device('gone-phone');
    const expired = receiver.device('expired-phone');
    const flaky = receiver.device('flaky-phone');
    for (const d of [gone, expired, flaky]) expect((await api(nurse, 'POST', '/push-subscriptions', d.subscription)).status).toBe(201);
    receiver.answer.set('gone-phone', 410);
    receiver.answer.set('expired-phone', 404);
    receiver.answer.set('flaky-phone', 503);

    const alert = alarm('s1.hr-high.2', 'medium');
    channel.notify(notice('escalated-to', alert, [nurseId]));
    const deliveries = await deliveriesOf(alert.id, 3);
    expect(deliveries.map((d) => d.status).sort()).toEqual(['failed', 'pruned', 'pruned']);
    expect(deliveries.every((d) => d.step === 'backup')).toBe(true);
    const left = (await (await api(nurse, 'GET', '/push-subscriptions')).json()) as { endpoint: string; failures: number }[];
    expect(left).toEqual([expect.objectContaining({ endpoint: flaky.subscription.endpoint, failures: 1 })]);
  });
});

describe('Web Push through the reach dispatcher', () => {
  let server: TestServer;
  let receiver: PushReceiver;
  const clock = new ManualClock(Date.parse('2026-11-20T09:00:00Z'));

  beforeAll(async () => {
    const dataDir = tempDataDir();
    const started = await startReceiver(dataDir);
    receiver = started.receiver;
    server = await startTestServer({ dataDir, clock, push: { agent: started.agent } });
    await server.chairside.auth.createUser({ username: 'nurse2', password: testPassword, role: 'nurse', displayName: 'Nurse Two' });
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  async function userId(username: string): Promise<string> {
    const user = await server.store.accounts.findUserByUsername(username);
    if (!user) throw new Error(`no user ${username}`);
    return user.id;
  }

  async function bp(systolic: number, diastolic: number): Promise<void> {
    const res = await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic, diastolic, mean: undefined, heartRate: 80, spo2: 97 }));
    expect(res.status).toBe(201);
    const atMs = Date.parse(clock.iso());
    await expect.poll(() => server.chairside.sessions.activeSummary('chair-1')?.bpTimesMs.includes(atMs) ?? true).toBe(true);
    await server.chairside.alerts.idle();
    await server.chairside.reach.dispatcher.idle();
  }

  it('a high alarm reaches the primary nurse’s phone at once without the patient, the backup’s at 30 s, and acknowledging closes both', async () => {
    const nurse = await server.login('nurse');
    const loggedIn = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nurse2', password: testPassword }),
    });
    const nurse2 = loggedIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const phone = receiver.device('primary-phone');
    const backupPhone = receiver.device('backup-phone');
    expect((await call(server.url, 'POST', '/api/v1/push-subscriptions', nurse, phone.subscription)).status).toBe(201);
    expect((await call(server.url, 'POST', '/api/v1/push-subscriptions', nurse2, backupPhone.subscription)).status).toBe(201);
    const assigned = await call(server.url, 'PUT', '/api/v1/assignments', nurse, { chairId: 'chair-1', primaryUserId: await userId('nurse'), backupUserId: await userId('nurse2') });
    expect(assigned.status).toBeLessThan(300);

    const patient = await call(server.url, 'POST', '/api/v1/patients', nurse, { displayName: patientName });
    const session = await call(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    expect(session.status).toBe(201);
    await bp(128, 78);
    clock.advance(6);
    await bp(132, 82);
    clock.advance(1);
    await recordArrival(server.url, session.body.id, nurse, 'iv-ketamine');
    expect((await call(server.url, 'POST', `/api/v1/sessions/${session.body.id}/events`, nurse, { type: 'treatment-started' })).status).toBe(201);
    clock.advance(1);
    await bp(204, 100);
    const crisis = (await openAlerts(server, nurse)).find((a) => a.ruleId === 'bp-crisis');
    expect(crisis).toMatchObject({ priority: 'high', status: 'active' });

    const [arrived] = await receiver.until(1);
    expect(arrived?.device).toBe('primary-phone');
    expect(arrived?.message).toMatchObject({ type: 'alarm', alertId: crisis?.id, title: 'High alarm — Chair 1', priority: 'high', url: '/chairs/chair-1' });
    expect(arrived?.message.type === 'alarm' && arrived.message.body).toMatch(/SBP 204/);
    expect(JSON.stringify(arrived?.message)).not.toContain('Testpatient');
    expect(arrived?.headers.urgency).toBe('high');

    // Nobody acknowledged for 30 s: the backup's phone, told it is still waiting.
    clock.advance(0.5);
    await server.chairside.reach.tick();
    const [, escalated] = await receiver.until(2);
    expect(escalated?.device).toBe('backup-phone');
    expect(escalated?.message).toMatchObject({ type: 'alarm', alertId: crisis?.id, body: expect.stringMatching(/not yet acknowledged$/) });

    // Acknowledged on the primary's phone: both notifications close.
    const acknowledged = await call(server.url, 'POST', `/api/v1/alerts/${crisis?.id}/acknowledge`, nurse, {});
    expect(acknowledged.status).toBe(200);
    await server.chairside.reach.dispatcher.idle();
    const closed = (await receiver.until(4)).slice(2);
    expect(closed.map((r) => r.device).sort()).toEqual(['backup-phone', 'primary-phone']);
    for (const r of closed) expect(r.message).toEqual({ type: 'close', alertId: crisis?.id, reason: 'acknowledged' });
    const pushed = async () => (await server.store.deliveries.listAlertDeliveries(crisis?.id ?? '')).filter((d) => d.channel === 'push').map((d) => `${d.step} ${d.status}`);
    await expect.poll(pushed).toEqual(['primary sent', 'backup sent', 'acknowledged sent', 'acknowledged sent']);
  });
});
