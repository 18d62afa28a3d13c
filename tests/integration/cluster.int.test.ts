/**
 * Two server processes on one PostgreSQL database, as behind a load balancer: a device sends one
 * chair's readings to either node, dashboards watch from both, and the node running the alert engine
 * is killed mid-stream. Nothing acknowledged is lost, nothing is stored or announced twice, and the
 * alert condition fires exactly once across the nodes.
 *
 * PostgreSQL only: several servers need the shared PostgreSQL store (SQLite serves one process).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { AlertMessage, Reading, ReadingInput } from '@chairside/shared';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { api, type DashboardSocket, storeKind, tempDataDir, testDatabaseUrl } from '../helpers/test-server';

const adminPassword = 'cluster-admin-password';
const ingestToken = 'cluster-device-token-0123456789';
const nursePassword = 'cluster nurse password';

const nodes: ServerProcess[] = [];
const sockets: DashboardSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

/** A dashboard's view: every reading and alert message it received, in order. */
interface Watcher {
  socket: DashboardSocket;
  readings: Reading[];
  alerts: AlertMessage[];
}

async function watch(url: string, cookie: string, afterSeq: number | null, into?: Watcher): Promise<Watcher> {
  const socket: DashboardSocket = connect(url, { extraHeaders: { cookie }, transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  const watcher: Watcher = into ? { ...into, socket } : { socket, readings: [], alerts: [] };
  socket.on('readings:stored', (readings) => watcher.readings.push(...readings));
  for (const name of ['alert:raised', 'alert:escalated', 'alert:cleared', 'alert:acknowledged'] as const) {
    socket.on(name, (m) => watcher.alerts.push(m));
  }
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  // What a dashboard does on (re)connecting: sync from the last sequence number it saw.
  let cursor = afterSeq;
  for (;;) {
    const page = (await socket.emitWithAck('readings:sync', { afterSeq: cursor })) as { readings: Reading[]; latestSeq: number; hasMore: boolean };
    watcher.readings.push(...page.readings);
    cursor = page.latestSeq;
    if (!page.hasMore) break;
  }
  return watcher;
}

/** Posts readings to the first node that takes them, retrying the same readings elsewhere (idempotent by id). */
async function send(urls: readonly string[], readings: ReadingInput[]): Promise<Reading[]> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const url = urls[attempt % urls.length] ?? '';
    try {
      const res = await fetch(`${url}/api/v1/readings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestToken}` },
        body: JSON.stringify(readings),
      });
      if (res.status === 201 || res.status === 200) return (await res.json()) as Reading[];
    } catch {
      // the node is gone: try the other one
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no node stored the readings');
}

const bySeq = (readings: readonly Reading[]): number[] => [...new Set(readings.map((r) => r.seq))].sort((a, b) => a - b);

describe.runIf(storeKind === 'postgres')('two server nodes on one PostgreSQL', () => {
  it('fans readings and alerts out to both, loses and duplicates nothing when a node is killed, and fires each alert once', async () => {
    const dataDir = tempDataDir();
    const databaseUrl = await testDatabaseUrl(dataDir);
    const env = { DATABASE_URL: databaseUrl, ADMIN_PASSWORD: adminPassword, INGEST_TOKEN: ingestToken };
    const a = await startServerProcess({ ...env, DATA_DIR: tempDataDir() });
    nodes.push(a);
    const b = await startServerProcess({ ...env, DATA_DIR: tempDataDir() });
    nodes.push(b);
    // The first node took the alert engine; the second waits for it.
    expect(a.output()).toContain('this server runs the alert engine');
    expect(b.output()).not.toContain('this server runs the alert engine');

    // Set-up through node A, used at once through node B (its caches follow).
    const admin = await login(a.url, 'admin', adminPassword);
    expect((await api(a.url, 'POST', '/api/v1/users', admin, { username: 'nurse', password: nursePassword, role: 'nurse' })).status).toBe(201);
    expect((await api(a.url, 'POST', '/api/v1/chairs', admin, { id: 'chair-1', name: 'Chair 1' })).status).toBe(201);
    const nurseA = await login(a.url, 'nurse', nursePassword);
    const nurseB = await login(b.url, 'nurse', nursePassword);
    const patient = await api(a.url, 'POST', '/api/v1/patients', nurseA, { displayName: 'Cluster Test' });
    const session = await api(a.url, 'POST', '/api/v1/sessions', nurseA, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    expect(session.status).toBe(201);
    const sessionId = session.body.id as string;
    await expect.poll(async () => (await api(b.url, 'GET', '/api/v1/chairs', nurseB)).body[0]?.session?.id).toBe(sessionId);

    const onA = await watch(a.url, nurseA, null);
    const onB = await watch(b.url, nurseB, null);

    let n = 0;
    const next = (values: Partial<ReadingInput> = {}): ReadingInput => {
      n += 1;
      return { id: randomUUID(), chairId: 'chair-1', measuredAt: new Date().toISOString(), heartRate: 70 + (n % 10), spo2: 97, respRate: 14, source: 'device', ...values };
    };
    const acked: Reading[] = [];
    // 1. Readings of one chair to either node, alternately; the crisis reading arrives at node B.
    for (let i = 0; i < 20; i += 1) acked.push(...(await send(i % 2 === 0 ? [a.url, b.url] : [b.url, a.url], [next(), next()])));
    acked.push(...(await send([b.url], [next({ systolic: 206, diastolic: 104, mean: 138 })])));
    const raised = (w: Watcher) => w.alerts.filter((m) => m.event.type === 'alert-raised' && m.event.alert.ruleId === 'bp-crisis');
    await expect.poll(() => raised(onA).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => raised(onB).length, { timeout: 10_000 }).toBe(1);
    const crisisId = raised(onB)[0]?.event.alert.id ?? '';
    expect(raised(onB)[0]?.sessionId).toBe(sessionId);

    // 2. Acknowledged through node B, which does not run the engine: forwarded, seen on both.
    const ack = await api(b.url, 'POST', `/api/v1/alerts/${crisisId}/acknowledge`, nurseB, { note: 'Recheck ordered' });
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe('acknowledged');
    const acknowledged = (w: Watcher) => w.alerts.filter((m) => m.event.type === 'alert-acknowledged' && m.event.alert.id === crisisId);
    await expect.poll(() => acknowledged(onA).length).toBe(1);
    await expect.poll(() => acknowledged(onB).length).toBe(1);

    // A patient checked in through node B, whose first reading (a crisis) reaches node B at once:
    // the engine on node A evaluates it even if the reading outruns the news of the check-in.
    expect((await api(a.url, 'POST', '/api/v1/chairs', admin, { id: 'chair-2', name: 'Chair 2' })).status).toBe(201);
    // The first patient is on chair 1 (checked in through node A): node B refuses a second chair.
    const twice = await api(b.url, 'POST', '/api/v1/sessions', nurseB, { patientId: patient.body.id, chairId: 'chair-2', protocolId: 'iv-ketamine' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toBe('Cluster Test is already checked into Chair 1; discharge or cancel that session first.');
    const other = await api(b.url, 'POST', '/api/v1/patients', nurseB, { displayName: 'Cluster Test 2' });
    const second = await api(b.url, 'POST', '/api/v1/sessions', nurseB, { patientId: other.body.id, chairId: 'chair-2', protocolId: 'iv-ketamine' });
    expect(second.status).toBe(201);
    const early = await send([b.url], [{ ...next({ systolic: 210, diastolic: 108, mean: 142 }), chairId: 'chair-2' }]);
    expect(early[0]?.sessionId).toBe(second.body.id);
    acked.push(...early);
    const raisedFor = (w: Watcher, id: string) => raised(w).filter((m) => m.sessionId === id);
    await expect.poll(() => raisedFor(onA, second.body.id).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => raisedFor(onB, second.body.id).length, { timeout: 10_000 }).toBe(1);

    // 3. Node A (alert engine, dashboards, half the device's requests) is killed while readings flow.
    const stream = (async () => {
      for (let i = 0; i < 40; i += 1) {
        acked.push(...(await send(i % 2 === 0 ? [a.url, b.url] : [b.url, a.url], [next(), next()])));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await a.kill();
    nodes.splice(nodes.indexOf(a), 1);
    await stream;
    // The dashboard that was on A reconnects (the load balancer sends it to B) and syncs from its last seq.
    const lastSeenOnA = Math.max(0, ...onA.readings.map((r) => r.seq));
    onA.socket.disconnect();
    const onAAgain = await watch(b.url, nurseB, lastSeenOnA, onA);

    // 4. Node B takes the engine over; the crisis persists (acknowledged): it does not fire again.
    await expect.poll(() => b.output().includes('this server runs the alert engine'), { timeout: 15_000 }).toBe(true);
    acked.push(...(await send([b.url], [next({ systolic: 208, diastolic: 106, mean: 140 })])));
    for (let i = 0; i < 5; i += 1) acked.push(...(await send([b.url], [next()])));

    // Nothing lost, nothing stored twice: the store has each acknowledged reading once.
    const stored = [
      ...((await api(b.url, 'GET', '/api/v1/chairs/chair-1/readings?limit=100000', nurseB)).body as Reading[]),
      ...((await api(b.url, 'GET', '/api/v1/chairs/chair-2/readings?limit=100000', nurseB)).body as Reading[]),
    ];
    const ackedIds = [...new Set(acked.map((r) => r.id))];
    expect(ackedIds).toHaveLength(n);
    expect(stored.map((r) => r.id).sort()).toEqual([...ackedIds].sort());
    // Every dashboard saw every stored reading; the one that stayed connected saw each exactly once.
    const storedSeqs = bySeq(stored);
    await expect.poll(() => bySeq(onB.readings), { timeout: 10_000 }).toEqual(storedSeqs);
    await expect.poll(() => bySeq(onAAgain.readings), { timeout: 10_000 }).toEqual(storedSeqs);
    expect(onB.readings.map((r) => r.seq).sort((x, y) => x - y)).toEqual(storedSeqs);

    // The alert fired once across the nodes, on every screen, and is still the one open crisis.
    const alerts = (await api(b.url, 'GET', `/api/v1/sessions/${sessionId}/alerts`, nurseB)).body as { ruleId: string; status: string; id: string }[];
    expect(alerts.filter((x) => x.ruleId === 'bp-crisis').map((x) => [x.id, x.status])).toEqual([[crisisId, 'acknowledged']]);
    expect(raisedFor(onB, sessionId)).toHaveLength(1);
    expect(raisedFor(onAAgain, sessionId)).toHaveLength(1);
    expect(raised(onB)).toHaveLength(2); // and the second chair's, once
    const open = (await api(b.url, 'GET', '/api/v1/alerts', nurseB)).body as { alert: { id: string } }[];
    expect(open.map((x) => x.alert.id)).toContain(crisisId);
  }, 120_000);
});
