import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, AlertMessage } from '@chairside/shared';
import {
  api,
  type DashboardSocket,
  ManualClock,
  postReadings,
  reading,
  startTestServer,
  tempDataDir,
  type TestServer,
  openAlerts,
} from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');

/** A session in treatment on chair-1 with a baseline of 130/80. */
async function sessionInTreatment(clock: ManualClock): Promise<{ nurse: string; clinician: string; sessionId: string }> {
  const nurse = await server.login('nurse');
  const clinician = await server.login('clinician');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Alert Test' });
  const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  expect(session.status).toBe(201);
  await bp(clock, 128, 78);
  clock.advance(6);
  await bp(clock, 132, 82);
  clock.advance(1);
  await recordArrival(server.url, session.body.id, nurse, 'iv-ketamine');
  expect((await api(server.url, 'POST', `/api/v1/sessions/${session.body.id}/events`, nurse, { type: 'treatment-started' })).status).toBe(201);
  return { nurse, clinician, sessionId: session.body.id };
}

async function bp(clock: ManualClock, systolic: number, diastolic: number): Promise<void> {
  const res = await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic, diastolic, mean: undefined, heartRate: 80, spo2: 97 }));
  expect(res.status).toBe(201);
  // Let the server finish reacting to the reading (session summary, then alert evaluation) before the
  // test jumps the clock: that work follows the 201 and takes real milliseconds on PostgreSQL, and an
  // evaluation that ran after a 5-minute jump would find the device silent (no-data).
  const atMs = Date.parse(clock.iso());
  await expect.poll(() => server.chairside.sessions.activeSummary('chair-1')?.bpTimesMs.includes(atMs) ?? true).toBe(true);
  await server.chairside.alerts.idle();
}

async function syncedDashboard(cookie: string): Promise<DashboardSocket> {
  const socket = await server.dashboard(cookie);
  await socket.emitWithAck('readings:sync', { afterSeq: null });
  return socket;
}

function collect(socket: DashboardSocket): AlertMessage[] {
  const got: AlertMessage[] = [];
  for (const name of ['alert:raised', 'alert:escalated', 'alert:cleared', 'alert:acknowledged'] as const) {
    socket.on(name, (m) => got.push(m));
  }
  return got;
}

const openAlertsOf = (cookie: string): Promise<Alert[]> => openAlerts(server, cookie);

describe('alerts from readings', () => {
  it('raises a hypertensive crisis on every screen; one nurse acknowledges and the other sees who', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { nurse, clinician, sessionId } = await sessionInTreatment(clock);
    const a = await syncedDashboard(nurse);
    const b = await syncedDashboard(clinician);
    const onA = collect(a);
    const onB = collect(b);

    clock.advance(5);
    await bp(clock, 204, 100);
    await expect.poll(() => onB.filter((m) => m.event.type === 'alert-raised').map((m) => m.event.alert.ruleId)).toContain('bp-crisis');
    const crisis = onB.find((m) => m.event.alert.ruleId === 'bp-crisis')?.event.alert;
    expect(crisis).toMatchObject({ priority: 'high', status: 'active', message: expect.stringContaining('SBP 204 ≥ 200') });
    expect(onA.map((m) => m.event.alert.id)).toContain(crisis?.id);

    const acked = (await a.emitWithAck('alert:acknowledge', { alertId: crisis?.id ?? '', note: 'Recheck ordered' })) as Alert;
    expect(acked.status).toBe('acknowledged');
    await expect.poll(() => onB.find((m) => m.event.type === 'alert-acknowledged')?.event.alert.acknowledgements[0]?.by.username).toBe('nurse');
    const seenByB = onB.find((m) => m.event.type === 'alert-acknowledged')?.event;
    expect(seenByB?.type === 'alert-acknowledged' && seenByB.acknowledgement.note).toBe('Recheck ordered');

    // Acknowledging twice, an unknown alert, or as an admin: clear refusals, nothing changed.
    expect((await api(server.url, 'POST', `/api/v1/alerts/${crisis?.id}/acknowledge`, clinician, {})).status).toBe(409);
    expect((await api(server.url, 'POST', '/api/v1/alerts/nope.bp-crisis.1/acknowledge', clinician, {})).status).toBe(404);
    const admin = await server.login('admin');
    expect((await api(server.url, 'POST', `/api/v1/alerts/${crisis?.id}/acknowledge`, admin, {})).status).toBe(403);

    // The socket's acknowledgement is in the audit trail once, as the REST route records one; the refusals are not.
    const acks = await api(server.url, 'GET', '/api/v1/audit?action=alert-acknowledged', admin);
    expect(acks.body).toHaveLength(1);
    expect(acks.body[0]).toMatchObject({ username: 'nurse', role: 'nurse', targetType: 'alert', targetId: crisis?.id, sessionId, details: { note: 'Recheck ordered' }, ip: expect.any(String) });
    // Pausing the audio: once per pause, from the socket and over HTTP alike.
    await a.emitWithAck('audio:pause', { chairId: 'chair-1' });
    expect((await api(server.url, 'POST', '/api/v1/chairs/chair-1/audio-pause', clinician, {})).status).toBe(200);
    const pauses = await api(server.url, 'GET', '/api/v1/audit?action=audio-paused', admin);
    const paused = pauses.body.map((e: { username: string; targetType: string; targetId: string }) => `${e.username} ${e.targetType} ${e.targetId}`);
    expect(paused.sort()).toEqual(['clinician chair chair-1', 'nurse chair chair-1']);
  });

  it('raises exactly the alerts the rule table predicts for a session of readings', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { nurse, sessionId } = await sessionInTreatment(clock);
    // Baseline 130/80. bp-rise needs ΔSBP ≥ 40 or ΔDBP ≥ 25; bp-severe needs two readings ≥ 180/110.
    const sequence: [number, number][] = [
      [150, 90], // +20/+10: nothing
      [171, 92], // ΔSBP +41: bp-rise (medium)
      [184, 100], // ≥180 once: "recheck BP now" (low)
      [186, 104], // ≥180 twice: bp-severe (medium)
    ];
    for (const [s, d] of sequence) {
      clock.advance(5);
      await bp(clock, s, d);
    }
    await expect.poll(async () => (await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/alerts`, nurse)).body.length).toBeGreaterThanOrEqual(3);
    const alerts = (await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/alerts`, nurse)).body as Alert[];
    // No more, no fewer: the rise, and the severe reading that first asked for a recheck (low) and
    // became bp-severe (medium) on the second consecutive reading; and, 20 min into treatment with no
    // eyes-on check recorded, the check 5 min overdue (low; due from the start of treatment).
    expect(alerts.map((a) => [a.ruleId, a.priority, a.message])).toEqual([
      ['bp-rise', 'medium', 'ΔSBP +41 ≥ 40 (SBP 171, baseline 130)'],
      ['bp-severe', 'medium', 'SBP 186 ≥ 180 on 2 consecutive readings'],
      ['rounding-overdue', 'low', 'No eyes-on check recorded: 5 min overdue'],
    ]);
  });

  it('keeps active alerts across a server restart, neither lost nor duplicated', async () => {
    const clock = new ManualClock(start);
    const dataDir = tempDataDir();
    server = await startTestServer({ clock, dataDir });
    const { nurse } = await sessionInTreatment(clock);
    clock.advance(5);
    await bp(clock, 206, 121);
    await expect.poll(async () => (await openAlertsOf(nurse)).map((a) => a.ruleId)).toContain('bp-crisis');
    const before = (await openAlertsOf(nurse)).map((a) => [a.id, a.status]).sort();
    const crisisId = (await openAlertsOf(nurse)).find((a) => a.ruleId === 'bp-crisis')?.id;
    await server.close();

    server = await startTestServer({ clock, dataDir });
    const again = await server.login('nurse');
    const after = (await openAlertsOf(again)).map((a) => [a.id, a.status]).sort();
    expect(after).toEqual(before);
    // The same reading replayed after the restart raises nothing new: the engine took it in (bp() waits
    // for that; the open crisis now carries its values) and it is still the one crisis from before.
    clock.advance(1);
    await bp(clock, 207, 122);
    const crises = (await openAlertsOf(again)).filter((a) => a.ruleId === 'bp-crisis');
    expect(crises.map((a) => [a.id, a.facts.kind === 'bp-threshold' ? a.facts.bp : null])).toEqual([
      [crisisId, { systolic: 207, diastolic: 122 }],
    ]);
  });

  it('refuses impossible limit changes and lets a clinician set new ones with a reason', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { nurse, clinician, sessionId } = await sessionInTreatment(clock);
    const path = `/api/v1/sessions/${sessionId}/events`;
    const bad = await api(server.url, 'POST', path, clinician, { type: 'limits-changed', reason: 'known hypertensive', limits: { 'bp-crisis': { systolicMmHg: -5 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path[0]).toBe('limits');
    const byNurse = await api(server.url, 'POST', path, nurse, { type: 'limits-changed', reason: 'x', limits: { 'bp-crisis': { systolicMmHg: 210 } } });
    expect(byNurse.status).toBe(403);
    const ok = await api(server.url, 'POST', path, clinician, { type: 'limits-changed', reason: 'Known hypertensive, per Dr. Lee', limits: { 'bp-crisis': { systolicMmHg: 210 } } });
    expect(ok.status).toBe(201);
    clock.advance(5);
    await bp(clock, 204, 100);
    // Evaluated under the new limit (bp() waits for the engine): 204 is a rise and a first severe reading
    // ("recheck BP now"), no longer a crisis.
    expect((await openAlertsOf(nurse)).map((a) => [a.ruleId, a.priority]).sort()).toEqual([
      ['bp-rise', 'medium'],
      ['bp-severe', 'low'],
    ]);
  });
});
