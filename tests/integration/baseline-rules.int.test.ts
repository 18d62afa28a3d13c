import { afterEach, describe, expect, it } from 'vitest';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer, openAlerts } from '../helpers/test-server';

/** Rules about the baseline wait for a complete baseline: a provisional one raises nothing (docs/clinical-defaults.md). */

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');

async function alertRules(cookie: string): Promise<string[]> {
  return (await openAlerts(server, cookie)).map((alert) => alert.ruleId);
}

describe('baseline rules', () => {
  it('118/72 then 160/85 two minutes later, during the baseline phase, raises no rise: the baseline is not complete', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const nurse = await server.login('nurse');
    const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Baseline' });
    const checkIn = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    const bp = async (systolic: number, diastolic: number) =>
      expect((await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic, diastolic, mean: undefined, heartRate: 80 }))).status).toBe(201);
    await bp(118, 72);
    clock.advance(2);
    await bp(160, 85);
    await server.chairside.alerts.idle();
    const session = await api(server.url, 'GET', `/api/v1/sessions/${checkIn.body.id}`, nurse);
    expect(session.body.baseline.complete).toBe(false);
    expect(await alertRules(nurse)).not.toContain('bp-rise');

    // Once the baseline is complete (a BP 5 min after the last), a rise over it is judged.
    clock.advance(5);
    await bp(150, 82);
    await expect.poll(async () => (await api(server.url, 'GET', `/api/v1/sessions/${checkIn.body.id}`, nurse)).body.baseline.complete).toBe(true);
    clock.advance(5);
    await bp(196, 100);
    await expect.poll(() => alertRules(nurse)).toContain('bp-rise');
  });
});
