import { afterEach, describe, expect, it } from 'vitest';
import type { Reading, SessionDetail, SessionSummary } from '@chairside/shared';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');

async function setUp(): Promise<{ clock: ManualClock; nurse: string; clinician: string; patientId: string }> {
  const clock = new ManualClock(start);
  server = await startTestServer({ clock });
  const nurse = await server.login('nurse');
  const clinician = await server.login('clinician');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, {
    displayName: 'J. Doe',
    mrn: 'MRN-0042',
    riskFlags: ['hypertension'],
  });
  expect(patient.status).toBe(201);
  return { clock, nurse, clinician, patientId: patient.body.id };
}

/**
 * Moves the clock on in steps of at most 15 min with the nurse's eyes-on check after each, as the protocol asks from
 * the start of treatment (an overdue check is an alarm, which would hold discharge).
 */
async function advanceWithEyesOn(clock: ManualClock, minutes: number, sessionId: string, nurse: string): Promise<void> {
  for (let left = minutes; left > 0; left -= 15) {
    clock.advance(Math.min(15, left));
    expect((await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, nurse, { type: 'rounding-check', status: 'comfortable' })).status).toBe(201);
  }
}

/**
 * A BP on chair-1, taken in before the test moves on: the session and then the alert engine react to it after the
 * 201 (real milliseconds on PostgreSQL), and a gate judged before then would see alarms this BP resolves.
 */
async function bp(clock: ManualClock, systolic: number, diastolic: number, extra: Record<string, number> = {}): Promise<void> {
  const atMs = clock.now();
  const res = await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic, diastolic, mean: undefined, heartRate: 80, spo2: 97, ...extra }));
  expect(res.status).toBe(201);
  await expect.poll(() => server.chairside.sessions.activeSummary('chair-1')?.bpTimesMs.includes(atMs) ?? true).toBe(true);
  await server.chairside.alerts.idle();
}

describe('an IV ketamine session through the HTTP API', () => {
  it('runs check-in, baseline, infusion, observation and discharge, logging who did what when', async () => {
    const { clock, nurse, clinician, patientId } = await setUp();
    const event = (cookie: string, body: unknown) => api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, cookie, body);

    const checkIn = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    expect(checkIn.status).toBe(201);
    const sessionId: string = checkIn.body.id;
    expect(checkIn.body).toMatchObject({ chairId: 'chair-1', state: { phase: 'baseline' }, protocol: { id: 'iv-ketamine', version: 1 } });

    // A second patient on the same chair is refused.
    const other = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'A. Other' });
    const occupied = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: other.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    expect(occupied.status).toBe(409);

    // Baseline: two BPs five minutes apart.
    clock.advance(1);
    await bp(clock, 128, 82);
    clock.advance(6);
    await bp(clock, 132, 84);
    const chairs = await api(server.url, 'GET', '/api/v1/chairs', nurse);
    const tile = chairs.body.find((c: { id: string }) => c.id === 'chair-1');
    expect(tile.session).toMatchObject({ id: sessionId, patient: { displayName: 'J. Doe', riskFlags: ['hypertension'] } });
    expect(tile.session.baseline).toMatchObject({ systolic: 130, diastolic: 83, complete: true });

    // Ending treatment before it started is refused and changes nothing.
    const early = await event(nurse, { type: 'treatment-ended' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/not started|has not/i);

    // The readiness hard stops are answered yes and the escort recorded before the start (session-record tests the rest).
    await recordArrival(server.url, sessionId, nurse, 'iv-ketamine');
    expect((await event(nurse, { type: 'treatment-started' })).status).toBe(201);
    for (let minute = 5; minute <= 40; minute += 5) {
      clock.advance(5);
      await bp(clock, 130 + minute / 2, 84 + minute / 4);
      if (minute % 15 === 0) expect((await event(nurse, { type: 'rounding-check', status: 'comfortable' })).status).toBe(201);
    }
    expect((await event(nurse, { type: 'treatment-ended', note: 'bag empty' })).status).toBe(201);

    // Discharge now: observation has not run its 60 minutes: 409 naming the unmet items.
    await advanceWithEyesOn(clock, 15, sessionId, nurse);
    await bp(clock, 138, 86);
    const tooEarly = await event(nurse, { type: 'discharged' });
    expect(tooEarly.status).toBe(409);
    const failing = tooEarly.body.error.details.failingItems.map((i: { id: string }) => i.id);
    expect(failing).toContain('observation-time');
    expect(failing).toContain('checklist');

    // A nurse may not override; a clinician may, with a reason.
    expect((await event(nurse, { type: 'discharged', override: { reason: 'ride waiting' } })).status).toBe(403);

    // After the observation minimum, a BP near baseline and the checklist, the gate holds.
    await advanceWithEyesOn(clock, 50, sessionId, nurse);
    await bp(clock, 134, 85);
    const ticked = await event(nurse, { type: 'checklist-updated', items: { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } });
    expect(ticked.status).toBe(201);
    expect(ticked.body.state.gateFirstHeldAtMs).toBe(clock.now());
    const gate = await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/gate`, nurse);
    expect(gate.body.holds).toBe(true);
    const discharged = await event(nurse, { type: 'discharged' });
    expect(discharged.status).toBe(201);
    expect((discharged.body as SessionSummary).state.phase).toBe('discharged');

    // The chair is free again, and the timeline has every step with who and when.
    const after = await api(server.url, 'GET', '/api/v1/chairs', nurse);
    expect(after.body.find((c: { id: string }) => c.id === 'chair-1').session).toBeNull();
    const detail = (await api(server.url, 'GET', `/api/v1/sessions/${sessionId}`, clinician)).body as SessionDetail;
    // The nurse's eyes-on checks (every 15 min from the start) are in the record too; the steps around them:
    expect(detail.events.filter((e) => e.type === 'rounding-check')).toHaveLength(7);
    expect(detail.events.filter((e) => e.type !== 'rounding-check').map((e) => [e.type, e.username, e.fromPhase, e.toPhase])).toEqual([
      ['checked-in', 'nurse', null, 'baseline'],
      ['readiness-answered', 'nurse', 'baseline', 'baseline'],
      ['escort-recorded', 'nurse', 'baseline', 'baseline'],
      ['treatment-started', 'nurse', 'baseline', 'treatment'],
      ['treatment-ended', 'nurse', 'treatment', 'observation'],
      ['checklist-updated', 'nurse', 'observation', 'observation'],
      ['discharged', 'nurse', 'observation', 'discharged'],
    ]);
    expect(detail.readings).toHaveLength(12);
    expect(detail.readings.every((r) => r.sessionId === sessionId)).toBe(true);
  });

  it('lets a clinician override a failing gate with a written reason, which is logged', async () => {
    const { clock, nurse, clinician, patientId } = await setUp();
    const s = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId, chairId: 'chair-2', protocolId: 'iv-ketamine' });
    const path = `/api/v1/sessions/${s.body.id}/events`;
    // Its baseline, on chair-2.
    for (const systolic of [120, 122]) {
      expect((await postReadings(server.url, reading({ chairId: 'chair-2', measuredAt: clock.iso(), systolic, diastolic: 80, mean: undefined }))).status).toBe(201);
      clock.advance(5);
    }
    await recordArrival(server.url, s.body.id, nurse, 'iv-ketamine');
    expect((await api(server.url, 'POST', path, nurse, { type: 'treatment-started' })).status).toBe(201);
    clock.advance(40);
    await api(server.url, 'POST', path, nurse, { type: 'treatment-ended' });
    clock.advance(10);
    const noReason = await api(server.url, 'POST', path, clinician, { type: 'discharged', override: { reason: ' ' } });
    expect(noReason.status).toBe(400);
    const overridden = await api(server.url, 'POST', path, clinician, { type: 'discharged', override: { reason: 'Patient insisted; escort present, vitals stable' } });
    expect(overridden.status).toBe(201);
    expect(overridden.body.state.dischargeOverride.reason).toMatch(/insisted/);
    const detail = await api(server.url, 'GET', `/api/v1/sessions/${s.body.id}`, clinician);
    const last = detail.body.events.at(-1);
    expect(last).toMatchObject({ type: 'discharged', username: 'clinician', role: 'clinician' });
    expect(last.payload.discharge).toMatchObject({ gateHeld: false, overrideReason: 'Patient insisted; escort present, vitals stable' });
  });
});

describe('an esketamine session', () => {
  it('tracks the 40-minute BP checkpoint and the 2-hour observation from dosing', async () => {
    const { clock, nurse, patientId } = await setUp();
    const s = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId, chairId: 'chair-1', protocolId: 'esketamine' });
    expect(s.status).toBe(201);
    const path = `/api/v1/sessions/${s.body.id}/events`;
    await bp(clock, 124, 78);
    clock.advance(2);
    await recordArrival(server.url, s.body.id, nurse, 'esketamine');
    expect((await api(server.url, 'POST', path, nurse, { type: 'treatment-started' })).status).toBe(201);
    await advanceWithEyesOn(clock, 10, s.body.id, nurse);
    expect((await api(server.url, 'POST', path, nurse, { type: 'treatment-ended' })).status).toBe(201);
    await advanceWithEyesOn(clock, 30, s.body.id, nurse); // 40 min after the first spray
    await bp(clock, 150, 92);
    const detail = await api(server.url, 'GET', `/api/v1/sessions/${s.body.id}`, nurse);
    expect(detail.body.bpTimesMs).toContain(clock.now());

    await advanceWithEyesOn(clock, 70, s.body.id, nurse); // 110 min from dosing: still 10 min to go
    await bp(clock, 128, 80);
    // A "BP overdue" the server's tick may have raised during the 70-min jump is resolved by this BP;
    // it clears after its 5 s on screen (until then, unacknowledged, it would hold discharge too).
    clock.advance(0.1);
    await server.chairside.alerts.tick();
    await server.chairside.alerts.idle();
    await api(server.url, 'POST', path, nurse, { type: 'checklist-updated', items: Object.fromEntries(detail.body.protocol.dischargeGate.checklist.map((i: { id: string }) => [i.id, true])) });
    const early = await api(server.url, 'POST', path, nurse, { type: 'discharged' });
    expect(early.status).toBe(409);
    expect(early.body.error.details.failingItems.map((i: { id: string }) => i.id)).toEqual(['observation-time']);
    await advanceWithEyesOn(clock, 10, s.body.id, nurse);
    // The SpO₂ with the 110-min BP is 10 min old: esketamine needs one from the last 5 min.
    const stale = await api(server.url, 'POST', path, nurse, { type: 'discharged' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.failingItems.map((i: { id: string }) => i.id)).toEqual(['spo2']);
    await bp(clock, 126, 80);
    expect((await api(server.url, 'POST', path, nurse, { type: 'discharged' })).status).toBe(201);
  });
});

describe('bad session input', () => {
  it('answers unknown protocols, patients, chairs and event types with clear 4xx and changes nothing', async () => {
    const { nurse, patientId } = await setUp();
    const unknownProtocol = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId, chairId: 'chair-1', protocolId: 'laughing-gas' });
    expect(unknownProtocol.status).toBe(400);
    expect(unknownProtocol.body.error.details[0].path).toEqual(['protocolId']);
    expect((await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: 'nobody', chairId: 'chair-1', protocolId: 'iv-ketamine' })).status).toBe(404);
    expect((await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId, chairId: 'chair-9', protocolId: 'iv-ketamine' })).status).toBe(404);
    const admin = await server.login('admin');
    expect((await api(server.url, 'POST', '/api/v1/sessions', admin, { patientId, chairId: 'chair-1', protocolId: 'iv-ketamine' })).status).toBe(403);

    const s = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    const path = `/api/v1/sessions/${s.body.id}/events`;
    expect((await api(server.url, 'POST', path, nurse, { type: 'teleported' })).status).toBe(400);
    expect((await api(server.url, 'POST', path, nurse, { type: 'cancelled' })).status).toBe(400);
    expect((await api(server.url, 'POST', path, nurse, { type: 'checklist-updated', items: { 'juggling': true } })).status).toBe(400);
    expect((await api(server.url, 'POST', path, nurse, { type: 'treatment-resumed' })).status).toBe(409);
    const detail = await api(server.url, 'GET', `/api/v1/sessions/${s.body.id}`, nurse);
    expect(detail.body.events).toHaveLength(1);
    expect(detail.body.state.phase).toBe('baseline');
    expect((await api(server.url, 'POST', path, nurse, { type: 'cancelled', reason: 'BP too high at baseline' })).status).toBe(201);
    expect((await api(server.url, 'GET', '/api/v1/sessions/not-a-session', nurse)).status).toBe(404);
  });

  it('keeps readings of an empty chair off any session until a nurse attaches them', async () => {
    const { clock, nurse, patientId } = await setUp();
    const loose = (await postReadings(server.url, reading({ measuredAt: clock.iso() }))) as { status: number; body: Reading };
    expect(loose.body.sessionId).toBeNull();
    clock.advance(1);
    const s = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    const attach = await api(server.url, 'POST', `/api/v1/sessions/${s.body.id}/readings`, nurse, { readingIds: [loose.body.id] });
    expect(attach.status).toBe(200);
    expect(attach.body[0]).toMatchObject({ id: loose.body.id, sessionId: s.body.id });
    const again = await api(server.url, 'POST', `/api/v1/sessions/${s.body.id}/readings`, nurse, { readingIds: [loose.body.id] });
    expect(again.status).toBe(409);
    const detail = await api(server.url, 'GET', `/api/v1/sessions/${s.body.id}`, nurse);
    expect(detail.body.events.at(-1)).toMatchObject({ type: 'readings-attached', username: 'nurse' });
  });
});
