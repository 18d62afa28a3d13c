import { afterEach, describe, expect, it } from 'vitest';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer, openAlerts } from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

/**
 * "Discharge criteria not met" (not-ready) is judged on the discharge gate as it stands at the moment the minimum
 * observation ends (docs/clinical-defaults.md), never on a copy evaluated before that moment.
 */

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');

/** An IV session whose infusion ended, with BPs at the protocol's cadence: `end` is the infusion's end. */
async function observedSession(clock: ManualClock, { checklistTicked }: { checklistTicked: boolean }): Promise<{ nurse: string; sessionId: string }> {
  const nurse = await server.login('nurse');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Not Ready' });
  const checkIn = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  const sessionId = checkIn.body.id as string;
  const bp = async () => expect((await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic: 128, diastolic: 80, mean: undefined }))).status).toBe(201);
  const event = async (type: string, fields: Record<string, unknown> = {}) =>
    expect((await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, nurse, { type, ...fields })).status).toBe(201);
  // The nurse looks at the patient when she takes a BP, and records it: eyes-on checks are due from the start.
  const eyesOn = () => event('rounding-check', { status: 'comfortable' });
  await bp();
  clock.advance(5);
  await bp();
  await recordArrival(server.url, sessionId, nurse, 'iv-ketamine');
  await event('treatment-started');
  for (let m = 0; m < 40; m += 5) {
    clock.advance(5);
    await bp();
    await eyesOn();
  }
  await event('treatment-ended');
  // Observation: a BP and an eyes-on check every 15 min; the last BP 1 min before the minimum ends (SpO₂ fresh).
  for (const step of [15, 15, 15, 14]) {
    clock.advance(step);
    await bp();
    await eyesOn();
  }
  if (checklistTicked) await tickChecklist(nurse, sessionId);
  clock.advance(1);
  await server.chairside.alerts.idle();
  return { nurse, sessionId };
}

async function alertRules(cookie: string): Promise<string[]> {
  return (await openAlerts(server, cookie)).map((alert) => alert.ruleId);
}

async function tickChecklist(nurse: string, sessionId: string): Promise<void> {
  const items = { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true };
  expect((await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, nurse, { type: 'checklist-updated', items })).status).toBe(201);
}

describe('the not-ready advisory, at the end of the minimum observation', () => {
  it('is not raised when the gate holds at that moment, even if the alert engine looks before the gate is evaluated again', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { nurse, sessionId } = await observedSession(clock, { checklistTicked: true });
    // The minimum has just ended; the engine's turn comes before the sessions' tick saw it.
    await server.chairside.alerts.tick();
    await server.chairside.sessions.tick();
    await server.chairside.alerts.tick();
    await server.chairside.alerts.idle();
    const session = await api(server.url, 'GET', `/api/v1/sessions/${sessionId}`, nurse);
    expect(session.body.state.gateFirstHeldAtMs).toBe(clock.now());
    expect(await alertRules(nurse)).not.toContain('not-ready');
  });

  it('is raised when the gate fails at that moment (checklist not ticked), and goes when it holds', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { nurse, sessionId } = await observedSession(clock, { checklistTicked: false });
    await server.chairside.sessions.tick();
    await server.chairside.alerts.tick();
    await expect.poll(() => alertRules(nurse)).toContain('not-ready');
    await tickChecklist(nurse, sessionId);
    clock.advance(0.5);
    await server.chairside.sessions.tick();
    await server.chairside.alerts.tick();
    await expect.poll(() => alertRules(nurse)).not.toContain('not-ready');
  });
});
