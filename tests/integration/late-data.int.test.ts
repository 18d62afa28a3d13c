import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, ChairSummary, Reading } from '@chairside/shared';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer, openAlerts } from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

/**
 * Late data through the public API (docs/clinical-defaults.md, "Late data"): a reading is judged where
 * it was measured, whatever order it arrives in, and no stamp can stop another reading from being
 * judged or shown.
 */

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');
const minutes = (n: number) => n * 60_000;

async function session(clock: ManualClock): Promise<{ nurse: string; sessionId: string }> {
  const nurse = await server.login('nurse');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Late Data' });
  const checkIn = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  expect(checkIn.status).toBe(201);
  const sessionId = checkIn.body.id as string;
  for (const [systolic, diastolic] of [[128, 78], [132, 82]] as const) {
    expect((await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic, diastolic, mean: undefined }))).status).toBe(201);
    clock.advance(5);
  }
  await recordArrival(server.url, sessionId, nurse, 'iv-ketamine');
  expect((await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, nurse, { type: 'treatment-started' })).status).toBe(201);
  await settle();
  return { nurse, sessionId };
}

/** Waits until the server has reacted to what it stored (session summaries, then alert evaluations). */
async function settle(): Promise<void> {
  await server.chairside.alerts.idle();
}

const openAlertsOf = (cookie: string): Promise<Alert[]> => openAlerts(server, cookie);

describe('late data through the public API', () => {
  it('a crisis BP entered 3 minutes late, after a newer normal BP, raises a high alarm that says so', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { nurse } = await session(clock);
    clock.advance(10);
    expect((await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic: 126, diastolic: 80 }))).status).toBe(201);
    clock.advance(1);
    const late = await postReadings(
      server.url,
      reading({ measuredAt: new Date(clock.now() - minutes(3)).toISOString(), systolic: 212, diastolic: 118, mean: undefined, heartRate: undefined, spo2: undefined, source: 'manual' }),
      { cookie: nurse },
    );
    expect(late.status).toBe(201);
    await expect.poll(async () => (await openAlertsOf(nurse)).filter((a) => a.ruleId === 'bp-crisis')).toHaveLength(1);
    const [crisis] = (await openAlertsOf(nurse)).filter((a) => a.ruleId === 'bp-crisis');
    expect(crisis).toMatchObject({ priority: 'high', late: true, status: 'active' });
    expect(crisis?.message).toBe('SBP 212 ≥ 200 — arrived late, measured 3 min before');
    // The tile keeps the newest BP by measurement: the late entry does not replace it.
    const chairs = await api(server.url, 'GET', '/api/v1/chairs', nurse);
    const chair = (chairs.body as ChairSummary[]).find((c) => c.id === 'chair-1');
    expect(chair?.latest.bp).toMatchObject({ systolic: 126, diastolic: 80 });
  });

  it('a reading stamped 4 min 50 s ahead is kept, flagged, and hides neither the crisis after it nor the tile', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { nurse } = await session(clock);
    clock.advance(1);
    const ahead = await postReadings(
      server.url,
      reading({ measuredAt: new Date(clock.now() + minutes(4) + 50_000).toISOString(), systolic: 120, diastolic: 80, heartRate: 70, spo2: 98 }),
    );
    expect(ahead.status).toBe(201);
    expect((ahead.body as Reading).flags).toContain('device-clock-ahead');
    for (let i = 0; i < 20; i += 1) {
      clock.advance(1 / 60);
      const res = await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic: 240, diastolic: 135, mean: undefined, heartRate: 165, spo2: 78 }));
      expect(res.status).toBe(201);
    }
    await settle();
    await expect.poll(async () => (await openAlertsOf(nurse)).map((a) => a.ruleId)).toEqual(
      expect.arrayContaining(['bp-crisis', 'hr-extreme', 'spo2-very-low']),
    );
    const chairs = await api(server.url, 'GET', '/api/v1/chairs', nurse);
    const chair = (chairs.body as ChairSummary[]).find((c) => c.id === 'chair-1');
    expect(chair?.latest.bp).toMatchObject({ systolic: 240, diastolic: 135 });
    expect(chair?.latest.heartRate?.value).toBe(165);
  });

  it('a reading stamped more than 5 min ahead is still refused', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const res = await postReadings(server.url, reading({ measuredAt: new Date(start + minutes(5) + 1_000).toISOString() }));
    expect(res.status).toBe(400);
  });

  it('a reading of the chair attached to the session later is evaluated in its place', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const nurse = await server.login('nurse');
    // A hypotensive BP on the chair's timeline before anyone checked the patient in.
    const early = await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic: 84, diastolic: 52, mean: undefined }));
    expect((early.body as Reading).sessionId).toBeNull();
    clock.advance(2);
    const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Attached' });
    const checkIn = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic: 128, diastolic: 80 }));
    await settle();
    expect((await openAlertsOf(nurse)).map((a) => a.ruleId)).not.toContain('bp-low');
    const attach = await api(server.url, 'POST', `/api/v1/sessions/${checkIn.body.id}/readings`, nurse, { readingIds: [(early.body as Reading).id] });
    expect(attach.status).toBe(200);
    await expect.poll(async () => (await openAlertsOf(nurse)).filter((a) => a.ruleId === 'bp-low').map((a) => a.late)).toEqual([true]);
  });
});
