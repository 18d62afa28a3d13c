import { afterEach, describe, expect, it } from 'vitest';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';

/*
 * Eyes-on checks are due from the start of treatment (docs/clinical-defaults.md "Eyes-on checks from the start"): a
 * session that has started and has no check recorded raises "Eyes-on check overdue" as one that had a check would;
 * before the start nothing is due; a check clears it.
 */

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');

describe('the eyes-on alarm watches a session from the start of treatment', () => {
  it('no check recorded: 15 + 5 min after the start low, + 10 min medium; nothing in baseline; a check clears it', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const nurse = await server.login('nurse');
    const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'J. Doe' });
    const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'esketamine' });
    expect(session.status).toBe(201);
    const event = (body: unknown) => api(server.url, 'POST', `/api/v1/sessions/${session.body.id}/events`, nurse, body);
    const bp = async () => {
      // A BP every 5 min keeps "BP overdue" out of the way.
      expect((await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic: 128, diastolic: 80, mean: undefined, heartRate: 78, spo2: 98 }))).status).toBe(201);
    };
    const rounding = async () => {
      await server.chairside.alerts.tick();
      await server.chairside.alerts.idle();
      const res = await api(server.url, 'GET', '/api/v1/alerts', nurse);
      return (res.body as { alert: { ruleId: string; priority: string; message: string } }[]).map((i) => i.alert).filter((a) => a.ruleId === 'rounding-overdue');
    };

    await bp();
    expect((await event({ type: 'readiness-answered', answers: { 'rems-enrolled': true, 'transport-arranged': true } })).status).toBe(201);
    // 30 min in baseline without a check: nothing is due before the start.
    for (let m = 0; m < 6; m++) {
      clock.advance(5);
      await bp();
    }
    expect(await rounding()).toEqual([]);

    expect((await event({ type: 'treatment-started' })).status).toBe(201);
    for (let m = 0; m < 3; m++) {
      clock.advance(5);
      await bp();
    }
    clock.advance(5 - 1 / 60); // 19:59 after the start: 4:59 overdue
    expect(await rounding()).toEqual([]);
    clock.advance(1 / 60);
    expect(await rounding()).toMatchObject([{ priority: 'low', message: 'No eyes-on check recorded: 5 min overdue' }]);
    await bp();
    clock.advance(5);
    await bp();
    expect(await rounding()).toMatchObject([{ priority: 'medium', message: 'No eyes-on check recorded: 10 min overdue' }]);

    expect((await event({ type: 'rounding-check', status: 'comfortable' })).status).toBe(201);
    clock.advance(0.1); // past the 5 s every alarm stays on screen
    expect(await rounding()).toEqual([]);
  });
});
