import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, EscalationStep } from '@chairside/shared';
import type { Clock, ReachChannel, ReachNotice } from '@chairside/server';
import { api, ManualClock, openAlerts, postReadings, reading, startTestServer, testPassword, type TestServer } from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');

/**
 * The manual clock moves readings by minutes; the server's clock adds whole milliseconds on top, so
 * a test stands at 29.999 s exactly.
 */
class ReachClock {
  readonly minutes = new ManualClock(start);
  extraMs = 0;
  readonly server: Clock = { now: () => this.minutes.now() + this.extraMs };
  /** Sets the server's time to `ms` after `fromMs`. */
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

/** A session in treatment on chair-1 with a baseline of 130/80, then a hypertensive crisis: the high alarm. */
async function crisisOnChair1(clock: ReachClock, nurse: string): Promise<Alert> {
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Reach Test' });
  const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  expect(session.status).toBe(201);
  await bp(clock, 128, 78);
  clock.minutes.advance(6);
  await bp(clock, 132, 82);
  clock.minutes.advance(1);
  await recordArrival(server.url, session.body.id, nurse, 'iv-ketamine');
  expect((await api(server.url, 'POST', `/api/v1/sessions/${session.body.id}/events`, nurse, { type: 'treatment-started' })).status).toBe(201);
  clock.minutes.advance(1);
  await bp(clock, 204, 100);
  const crisis = (await openAlerts(server, nurse)).find((a) => a.ruleId === 'bp-crisis');
  expect(crisis).toMatchObject({ priority: 'high', status: 'active' });
  return crisis as Alert;
}

/** The alarm's escalation steps as "step: names, seconds after raising". */
async function stepsOf(alert: Alert): Promise<string[]> {
  const steps = await server.store.deliveries.listEscalations({ alertId: alert.id });
  return steps.map((s) => `${s.step}: ${s.recipients.map((r) => r.displayName).join(', ')} @${(s.atMs - alert.raisedAtMs) / 1000}s`);
}

async function tickAt(clock: ReachClock, alert: Alert, ms: number): Promise<string[]> {
  clock.at(alert.raisedAtMs, ms);
  await server.chairside.reach.tick();
  return stepsOf(alert);
}

async function setUp(): Promise<{ clock: ReachClock; nurse: string; clinician: string }> {
  const clock = new ReachClock();
  server = await startTestServer({ clock: clock.server });
  await server.chairside.auth.createUser({ username: 'nurse2', password: testPassword, role: 'nurse', displayName: 'Nurse Two' });
  await server.chairside.auth.createUser({ username: 'nurse3', password: testPassword, role: 'nurse', displayName: 'Nurse Three' });
  await server.chairside.auth.createUser({ username: 'away', password: testPassword, role: 'nurse', displayName: 'Nurse Away' });
  const nurse = await server.login('nurse');
  const clinician = await server.login('clinician');
  await server.login('admin'); // logged in, but admins watch no chairs
  const nurse3 = await api(server.url, 'POST', '/api/auth/login', '', { username: 'nurse3', password: testPassword });
  expect(nurse3.status).toBe(200);
  return { clock, nurse, clinician };
}

describe('escalation of an alarm nobody acknowledges', () => {
  it('reaches the primary at once, the backup at 30 s, everyone on shift at 60 s; each step stored, broadcast and recorded per person', async () => {
    const { clock, nurse, clinician } = await setUp();
    const screen = await server.dashboard(clinician);
    await screen.emitWithAck('readings:sync', { afterSeq: null });
    const heard: EscalationStep[] = [];
    screen.on('alert:reached', (step) => heard.push(step));
    const assigned = await api(server.url, 'PUT', '/api/v1/assignments', nurse, { chairId: 'chair-1', primaryUserId: await userId('nurse'), backupUserId: await userId('nurse2') });
    expect(assigned.status).toBe(200);

    const crisis = await crisisOnChair1(clock, nurse);
    expect(await stepsOf(crisis)).toEqual(['primary: Test nurse @0s']);
    expect(await tickAt(clock, crisis, 29_999)).toEqual(['primary: Test nurse @0s']);
    expect(await tickAt(clock, crisis, 30_000)).toEqual(['primary: Test nurse @0s', 'backup: Nurse Two @30s']);
    expect(await tickAt(clock, crisis, 59_999)).toHaveLength(2);
    // Everyone on shift: holding a chair (nurse, nurse2) or logged in (clinician, nurse3); not the admin, not a nurse away.
    expect(await tickAt(clock, crisis, 60_000)).toEqual([
      'primary: Test nurse @0s',
      'backup: Nurse Two @30s',
      'all: Nurse Three, Nurse Two, Test clinician, Test nurse @60s',
    ]);
    expect(await tickAt(clock, crisis, 600_000)).toHaveLength(3);
    await expect.poll(() => heard.map((s) => s.step)).toEqual(['primary', 'backup', 'all']);
    expect(heard[1]).toMatchObject({ type: 'escalated-to', alertId: crisis.id, chairId: 'chair-1', priority: 'high', recipients: [{ displayName: 'Nurse Two' }] });

    const deliveries = await server.store.deliveries.listAlertDeliveries(crisis.id);
    expect(deliveries.map((d) => `${d.channel} ${d.step} ${d.detail} ${d.status}`)).toEqual([
      'screen primary Test nurse reached',
      'screen backup Nurse Two reached',
      'screen all Nurse Three reached',
      'screen all Nurse Two reached',
      'screen all Test clinician reached',
      'screen all Test nurse reached',
    ]);
    // Clinicians and nurses read a session's steps (the alarm's history).
    const sessionId = heard[0]?.sessionId ?? '';
    const listed = await api(server.url, 'GET', `/api/v1/escalations?sessionId=${sessionId}`, clinician);
    expect(listed.status).toBe(200);
    expect(listed.body.map((s: EscalationStep) => s.step)).toEqual(['primary', 'backup', 'all']);
    expect((await api(server.url, 'GET', '/api/v1/escalations?sessionId=', clinician)).status).toBe(400);
    // The engine's own event log is unchanged by the steps stored beside it.
    expect((await server.store.alerts.listSessionAlertEvents(sessionId)).every((e) => e.event.type.startsWith('alert-'))).toBe(true);
  });

  it('stops when someone acknowledges (at 29 s: the backup is never reached)', async () => {
    const { clock, nurse, clinician } = await setUp();
    const notices: ReachNotice[] = [];
    const recorder: ReachChannel = { name: 'push', notify: (notice) => void notices.push(notice), close: async () => undefined };
    server.chairside.reach.channels.push(recorder);
    await api(server.url, 'PUT', '/api/v1/assignments', nurse, { chairId: 'chair-1', primaryUserId: await userId('nurse'), backupUserId: await userId('nurse2') });
    const crisis = await crisisOnChair1(clock, nurse);
    clock.at(crisis.raisedAtMs, 29_000);
    expect((await api(server.url, 'POST', `/api/v1/alerts/${crisis.id}/acknowledge`, clinician, {})).status).toBe(200);
    await server.chairside.reach.dispatcher.idle();
    expect(await tickAt(clock, crisis, 30_000)).toEqual(['primary: Test nurse @0s']);
    expect(await tickAt(clock, crisis, 120_000)).toEqual(['primary: Test nurse @0s']);
    // Every channel heard the alarm's moments: raised (to the primary), acknowledged (by whom).
    const crisisNotices = notices.filter((n) => n.alert.id === crisis.id);
    expect(crisisNotices.map((n) => `${n.moment} ${n.step} ${n.recipients.map((r) => r.displayName).join()} ${n.by?.displayName ?? ''}`.trim())).toEqual([
      'raised primary Test nurse',
      'acknowledged null  Test clinician',
    ]);
    expect(crisisNotices[0]).toMatchObject({ chairId: 'chair-1', chairName: 'Chair 1', priority: 'high', hl7Bed: null, atMs: crisis.raisedAtMs });
  });

  it('a chair without an assignment: the alarm reaches everyone on shift at once', async () => {
    const { clock, nurse } = await setUp();
    const crisis = await crisisOnChair1(clock, nurse);
    expect(await stepsOf(crisis)).toEqual(['all: Nurse Three, Test clinician, Test nurse @0s']);
    expect(await tickAt(clock, crisis, 120_000)).toHaveLength(1);
  });
});
