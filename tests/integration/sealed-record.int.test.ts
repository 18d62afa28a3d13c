import { afterEach, describe, expect, it } from 'vitest';
import type { Reading } from '@chairside/shared';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';

/**
 * A signed session is sealed: no reading, attachment or correction reaches it (only addenda), and
 * no stamp can reach far into the past.
 */

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');
const day = 24 * 60 * 60 * 1000;

/** A session on chair-1 with one BP, cancelled: `during` is a moment inside it. */
async function finishedSession(clock: ManualClock): Promise<{ nurse: string; clinician: string; sessionId: string; during: string; bp: Reading }> {
  const nurse = await server.login('nurse');
  const clinician = await server.login('clinician');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Sealed' });
  const checkIn = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  const sessionId = checkIn.body.id as string;
  clock.advance(1);
  const during = clock.iso();
  const bp = await postReadings(server.url, reading({ measuredAt: during, systolic: 128, diastolic: 80 }));
  expect(bp.status).toBe(201);
  clock.advance(5);
  expect((await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, nurse, { type: 'cancelled', reason: 'patient declined' })).status).toBe(201);
  clock.advance(1);
  return { nurse, clinician, sessionId, during, bp: bp.body as Reading };
}

describe('a signed session is sealed', () => {
  it('refuses readings naming it, by device or nurse, whatever their stamp, and keeps its report', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { nurse, clinician, sessionId, during } = await finishedSession(clock);
    expect((await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/sign`, clinician)).status).toBe(201);
    const before = await api(server.url, 'GET', `/api/v1/sessions/${sessionId}`, clinician);

    const byDevice = await postReadings(server.url, reading({ chairId: undefined, sessionId, measuredAt: during, systolic: 250, diastolic: 100 }));
    expect(byDevice.status).toBe(409);
    expect(JSON.stringify(byDevice.body)).toContain('signed');
    const byNurse = await postReadings(server.url, reading({ chairId: undefined, sessionId, measuredAt: during, systolic: 170, diastolic: 100, source: 'manual' }), { cookie: nurse });
    expect(byNurse.status).toBe(409);

    const after = await api(server.url, 'GET', `/api/v1/sessions/${sessionId}`, clinician);
    expect(after.body.readings).toEqual(before.body.readings);
    expect(after.body.baseline).toEqual(before.body.baseline);
  });

  it('refuses attaching a chair reading to it, and correcting one of its readings, naming the chair or the session', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { nurse, clinician, sessionId, bp } = await finishedSession(clock);
    const loose = await postReadings(server.url, reading({ measuredAt: clock.iso() }));
    expect((loose.body as Reading).sessionId).toBeNull();
    expect((await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/sign`, clinician)).status).toBe(201);

    const attach = await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/readings`, nurse, { readingIds: [(loose.body as Reading).id] });
    expect(attach.status).toBe(409);
    for (const where of [{ chairId: 'chair-1' }, { chairId: undefined, sessionId }]) {
      const correction = reading({ ...where, measuredAt: bp.measuredAt, systolic: 120, diastolic: 70, source: 'manual', supersedes: bp.id });
      expect((await postReadings(server.url, correction, { cookie: nurse })).status).toBe(409);
    }
  });
});

describe('where and when a reading may land', () => {
  it('a correction naming a session cannot supersede another chair’s reading', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const nurse = await server.login('nurse');
    const other = await postReadings(server.url, reading({ chairId: 'chair-2', measuredAt: clock.iso() }));
    const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Chair One' });
    const checkIn = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    clock.advance(1);
    const correction = reading({ chairId: undefined, sessionId: checkIn.body.id, measuredAt: clock.iso(), source: 'manual', supersedes: (other.body as Reading).id });
    const res = await postReadings(server.url, correction, { cookie: nurse });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('names a reading of another chair');
  });

  it('a reading naming a finished session but measured after its end is refused', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { sessionId } = await finishedSession(clock);
    const res = await postReadings(server.url, reading({ chairId: undefined, sessionId, measuredAt: clock.iso() }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('measured after this session ended');
  });

  it.each([
    { name: 'year 0001', measuredAt: '0001-01-01T00:00:00Z', status: 400 },
    { name: '30 days and 1 minute ago', measuredAt: new Date(start - 30 * day - 60_000).toISOString(), status: 400 },
    { name: '29 days ago', measuredAt: new Date(start - 29 * day).toISOString(), status: 201 },
  ])('a reading measured $name → $status', async ({ measuredAt, status }) => {
    server = await startTestServer({ clock: new ManualClock(start) });
    const res = await postReadings(server.url, reading({ measuredAt }));
    expect(res.status).toBe(status);
  });
});
