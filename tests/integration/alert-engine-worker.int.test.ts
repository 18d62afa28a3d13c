import { afterEach, describe, expect, it } from 'vitest';
import type { AlertMessage } from '@chairside/shared';
import { api, type DashboardSocket, ManualClock, openAlerts, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

/**
 * The alert engines evaluate in a worker thread (docs/architecture.md "The alert engine"). A worker
 * that dies loses nothing: the round it was evaluating did not happen, the host starts a new worker,
 * and every engine is loaded again from the store and catches up on the readings it had not saved —
 * as after a failed save — so each alert is raised once, and conditions building up in memory when
 * it died are still found.
 */

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');
const seconds = (n: number) => n / 60;

type EngineHost = NonNullable<TestServer['chairside']['alerts']['engineHost']>;
/** What the thread host (server/src/alerts/engine-host.ts) offers besides the engine calls. */
interface EngineThread extends EngineHost {
  /** Worker threads started so far. */
  readonly starts: number;
  /** Ends the worker as a crash would. */
  crash(): Promise<void>;
}

/** The server's engine host: the engines run in a worker thread by default. */
function engineThread(): EngineThread {
  const host = server.chairside.alerts.engineHost;
  if (host?.mode !== 'thread') throw new Error('the alert engine does not run in a worker thread');
  return host as EngineThread;
}

/** A session in treatment on chair-1 with a baseline of 130/80, every reaction to it evaluated. */
async function sessionInTreatment(clock: ManualClock): Promise<{ nurse: string; sessionId: string }> {
  const nurse = await server.login('nurse');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Worker Test' });
  const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  expect(session.status).toBe(201);
  for (const [systolic, diastolic] of [[128, 78], [132, 82]] as const) {
    await post(clock, { systolic, diastolic, mean: undefined });
    clock.advance(6);
  }
  await recordArrival(server.url, session.body.id, nurse, 'iv-ketamine');
  expect((await api(server.url, 'POST', `/api/v1/sessions/${session.body.id}/events`, nurse, { type: 'treatment-started' })).status).toBe(201);
  await server.chairside.alerts.idle();
  return { nurse, sessionId: session.body.id as string };
}

async function post(clock: ManualClock, values: NonNullable<Parameters<typeof reading>[0]>): Promise<void> {
  const res = await postReadings(server.url, reading({ measuredAt: clock.iso(), heartRate: 80, spo2: 97, ...values }));
  expect(res.status).toBe(201);
  // A BP reaches the session, and the session's new context the engine, before time moves on.
  const atMs = clock.now();
  if (values.systolic !== undefined) {
    await expect.poll(() => server.chairside.sessions.activeSummary('chair-1')?.bpTimesMs.includes(atMs) ?? true).toBe(true);
  }
  await server.chairside.alerts.idle();
}

async function raisedOn(cookie: string): Promise<{ socket: DashboardSocket; raised: AlertMessage[] }> {
  const socket = await server.dashboard(cookie);
  await socket.emitWithAck('readings:sync', { afterSeq: null });
  const raised: AlertMessage[] = [];
  socket.on('alert:raised', (m) => raised.push(m));
  return { socket, raised };
}

describe('the alert engine in a worker thread', () => {
  it('a worker that dies during a round loses nothing: the crisis is raised once, after the reload from the store', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { nurse, sessionId } = await sessionInTreatment(clock);
    const { raised } = await raisedOn(nurse);
    const host = engineThread();
    expect(host.starts).toBe(1);

    // The worker dies as soon as it is handed the round with the crisis BP.
    const evaluate = host.round.bind(host);
    let killed = false;
    host.round = (request) => {
      const answer = evaluate(request);
      const crisis = request.ops.some((op) => op.kind === 'readings' && op.readings.some((r) => (r.systolic ?? 0) >= 200));
      if (crisis && !killed) {
        killed = true;
        void host.crash();
      }
      return answer;
    };
    clock.advance(5);
    const res = await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic: 204, diastolic: 100, mean: undefined, heartRate: 80, spo2: 97 }));
    expect(res.status).toBe(201); // the reading is durable whatever happens to the engine

    await expect.poll(() => raised.filter((m) => m.event.alert.ruleId === 'bp-crisis').length, { timeout: 10_000 }).toBe(1);
    await server.chairside.alerts.idle();
    expect(killed).toBe(true);
    expect(host.starts).toBe(2);
    expect(raised.filter((m) => m.event.alert.ruleId === 'bp-crisis')).toHaveLength(1);
    const stored = (await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/alerts`, nurse)).body as { ruleId: string; status: string }[];
    expect(stored.filter((a) => a.ruleId === 'bp-crisis').map((a) => a.status)).toEqual(['active']);
    expect((await openAlerts(server, nurse)).map((a) => a.ruleId)).toContain('bp-crisis');
  });

  it('a worker that dies between rounds loses the states it kept in memory only: the reload evaluates those readings again', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { nurse, sessionId } = await sessionInTreatment(clock);
    const host = engineThread();

    // SpO₂ below 92 % for 10 s: the low-SpO₂ rule (15 s) is building up, in memory, and tells no one yet.
    clock.advance(5);
    for (let s = 0; s <= 10; s += 5) {
      await post(clock, { systolic: undefined, diastolic: undefined, mean: undefined, spo2: 89 });
      clock.advance(seconds(5));
    }
    expect((await openAlerts(server, nurse)).filter((a) => a.ruleId === 'spo2-low')).toEqual([]);
    await host.crash();
    // The service reloads every engine at once (a catch-up round starts the new worker).
    await expect.poll(() => host.starts, { timeout: 10_000 }).toBe(2);
    await server.chairside.alerts.idle();

    // 16 s after the first low value: raised, because the reload found the 10 s before the crash.
    clock.advance(seconds(1));
    await post(clock, { systolic: undefined, diastolic: undefined, mean: undefined, spo2: 89 });
    const low = (await openAlerts(server, nurse)).filter((a) => a.ruleId === 'spo2-low');
    expect(low.map((a) => a.status)).toEqual(['active']);
    const stored = (await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/alerts`, nurse)).body as { ruleId: string }[];
    expect(stored.filter((a) => a.ruleId === 'spo2-low')).toHaveLength(1);
  });
});
