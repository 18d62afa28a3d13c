import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, EscalationStep } from '@chairside/shared';
import type { Clock } from '@chairside/server';
import { api, ManualClock, openAlerts, postReadings, reading, startTestServer, testPassword, type TestServer } from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

/*
 * The session report holds whom each unacknowledged alarm reached (the escalation steps, alert events `escalated-to`),
 * read on every view beside the alerts: a step taken after a view shows in the next one, and a finished session's
 * report kept in the report cache still shows them.
 */

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');

/** Minutes for readings, plus whole milliseconds on top for the escalation delays. */
class ReachClock {
  readonly minutes = new ManualClock(start);
  extraMs = 0;
  readonly server: Clock = { now: () => this.minutes.now() + this.extraMs };
  at(fromMs: number, ms: number): void {
    this.extraMs = fromMs + ms - this.minutes.now();
  }
}

async function userId(username: string): Promise<string> {
  const user = await server.store.accounts.findUserByUsername(username);
  if (!user) throw new Error(`no user ${username}`);
  return user.id;
}

async function bp(clock: ReachClock, systolic: number, diastolic: number): Promise<void> {
  const res = await postReadings(server.url, reading({ measuredAt: clock.minutes.iso(), systolic, diastolic, mean: undefined, heartRate: 80, spo2: 97 }));
  expect(res.status).toBe(201);
  const atMs = Date.parse(clock.minutes.iso());
  await expect.poll(() => server.chairside.sessions.activeSummary('chair-1')?.bpTimesMs.includes(atMs) ?? true).toBe(true);
  await server.chairside.alerts.idle();
  await server.chairside.reach.dispatcher.idle();
}

interface ReportJson {
  input: { alerts: Alert[]; escalations?: EscalationStep[] };
}

describe('escalation steps in the session report', () => {
  it('lists whom an unacknowledged high alarm reached, step by step, in the report JSON', async () => {
    const clock = new ReachClock();
    server = await startTestServer({ clock: clock.server });
    await server.chairside.auth.createUser({ username: 'dana', password: testPassword, role: 'nurse', displayName: 'Dana' });
    await server.chairside.auth.createUser({ username: 'sam', password: testPassword, role: 'nurse', displayName: 'Sam' });
    const nurse = await server.login('nurse');
    const clinician = await server.login('clinician');
    expect((await api(server.url, 'PUT', '/api/v1/assignments', clinician, { chairId: 'chair-1', primaryUserId: await userId('dana'), backupUserId: await userId('sam') })).status).toBe(200);

    const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Reach Report' });
    const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    const sessionId: string = session.body.id;
    await bp(clock, 128, 78);
    clock.minutes.advance(6);
    await bp(clock, 132, 82);
    clock.minutes.advance(1);
    await recordArrival(server.url, sessionId, nurse, 'iv-ketamine');
    expect((await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, nurse, { type: 'treatment-started' })).status).toBe(201);
    clock.minutes.advance(1);
    await bp(clock, 204, 100);
    const crisis = (await openAlerts(server, nurse)).find((a) => a.ruleId === 'bp-crisis');
    if (crisis === undefined) throw new Error('no crisis alarm');
    expect(crisis).toMatchObject({ priority: 'high', status: 'active' });

    const report = async (): Promise<ReportJson> => {
      const res = await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/report`, clinician);
      expect(res.status).toBe(200);
      return res.body as ReportJson;
    };
    const steps = (r: ReportJson) => (r.input.escalations ?? []).map((s) => `${s.alertId === crisis.id ? 'crisis' : s.alertId} ${s.step}: ${s.recipients.map((p) => p.displayName).join(', ')} @${(s.atMs - crisis.raisedAtMs) / 1000}s`);

    expect(steps(await report())).toEqual(['crisis primary: Dana @0s']);
    // The backup is reached at 30 s: the next view shows it.
    clock.at(crisis.raisedAtMs, 30_000);
    await server.chairside.reach.tick();
    expect(steps(await report())).toEqual(['crisis primary: Dana @0s', 'crisis backup: Sam @30s']);

    // The session ends with the alarm never acknowledged (a clinician discharges over the gate): its report is kept in
    // the cache, and still holds the steps.
    const event = (cookie: string, body: unknown) => api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, cookie, body);
    expect((await event(nurse, { type: 'treatment-ended' })).status).toBe(201);
    expect((await event(clinician, { type: 'discharged', override: { reason: 'transferred to the emergency department' } })).status).toBe(201);
    const first = await report();
    expect(steps(first)).toEqual(['crisis primary: Dana @0s', 'crisis backup: Sam @30s']);
    // Escalation stops with the session; a step stored after the kept view (by another server sharing the database,
    // which had escalated it at 60 s) shows in the next view all the same.
    clock.at(crisis.raisedAtMs, 60_000);
    await server.chairside.reach.tick();
    const stored = await server.store.deliveries.listEscalations({ sessionId });
    const backup = stored[1];
    expect(stored).toHaveLength(2);
    if (backup === undefined) throw new Error('no backup step');
    await server.store.deliveries.appendEscalation({ ...backup, step: 'all', recipients: [{ userId: 'x', displayName: 'Everyone' }], atMs: crisis.raisedAtMs + 60_000 });
    const second = await report();
    expect(steps(second)).toEqual(['crisis primary: Dana @0s', 'crisis backup: Sam @30s', 'crisis all: Everyone @60s']);
    expect(second.input.alerts.find((a) => a.id === crisis.id)?.acknowledgements).toEqual([]);
  });
});
