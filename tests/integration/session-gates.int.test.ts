import { afterEach, describe, expect, it } from 'vitest';
import { type Alert, initialSessionState, type ReadingInput, type SessionDetail } from '@chairside/shared';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

/*
 * The start and discharge gates of the clinical reference (version 2) and one active session per
 * patient, through the HTTP API of a real server.
 */

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');
const secMs = 1000;

async function setUp(): Promise<{ clock: ManualClock; nurse: string; clinician: string; patientId: string }> {
  const clock = new ManualClock(start);
  server = await startTestServer({ clock });
  const nurse = await server.login('nurse');
  const clinician = await server.login('clinician');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'J. Doe', mrn: 'MRN-0042' });
  expect(patient.status).toBe(201);
  return { clock, nurse, clinician, patientId: patient.body.id };
}

/** Checks in, with the readiness hard stops answered yes and the escort recorded (the record's gate items are tested in session-record). */
async function checkIn(cookie: string, patientId: string, protocolId: 'iv-ketamine' | 'esketamine', chairId = 'chair-1'): Promise<string> {
  const res = await api(server.url, 'POST', '/api/v1/sessions', cookie, { patientId, chairId, protocolId });
  expect(res.status).toBe(201);
  await recordArrival(server.url, res.body.id, cookie, protocolId);
  return res.body.id;
}

/** A device reading on chair-1 measured now (by the test clock); waits until the server has reacted to it. */
async function send(clock: ManualClock, values: Partial<ReadingInput>): Promise<void> {
  const res = await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic: undefined, diastolic: undefined, mean: undefined, ...values }));
  expect(res.status).toBe(201);
  if (values.systolic !== undefined) {
    const atMs = Date.parse(clock.iso());
    await expect.poll(() => server.chairside.sessions.activeSummary('chair-1')?.bpTimesMs.includes(atMs) ?? true).toBe(true);
  }
  await server.chairside.alerts.idle();
}

const event = (sessionId: string, cookie: string, body: unknown) => api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, cookie, body);

/** A check-in as the store takes it, for a test standing in for another server. */
function storedCheckIn(id: string, patientId: string, chairId: string, atMs: number) {
  return {
    id,
    patientId,
    chairId,
    protocolId: 'iv-ketamine',
    protocolVersion: 1,
    phase: 'baseline',
    active: true,
    state: initialSessionState(atMs),
    checkedInAt: atMs,
    checkedInBy: 'nurse',
    endedAt: null,
    revision: 0,
  };
}

function checkInEvent(atMs: number) {
  return { type: 'checked-in', at: atMs, userId: null, username: 'nurse', role: 'nurse', fromPhase: null, toPhase: 'baseline', payload: {} };
}

describe('the start gate', () => {
  it('refuses to start an IV infusion until 2 baseline BPs ≥4 min 30 s apart, naming what is missing', async () => {
    const { clock, nurse, patientId } = await setUp();
    const sessionId = await checkIn(nurse, patientId, 'iv-ketamine');

    const none = await event(sessionId, nurse, { type: 'treatment-started' });
    expect(none.status).toBe(409);
    expect(none.body.error.message).toBe('Start waits for: 2 baseline BPs at least 5 min apart');
    expect(none.body.error.details.failingItems.map((i: { id: string }) => i.id)).toEqual(['baseline-bp']);

    clock.advance(1);
    await send(clock, { systolic: 134, diastolic: 84, heartRate: 78 });
    clock.advance(269 / 60); // 4 min 29 s: too soon to count
    await send(clock, { systolic: 130, diastolic: 82, heartRate: 76 });
    const tooSoon = await event(sessionId, nurse, { type: 'treatment-started' });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.error.message).toBe('Start waits for: 1 more baseline BP at least 5 min after the last one');
    const tile = (await api(server.url, 'GET', '/api/v1/chairs', nurse)).body.find((c: { id: string }) => c.id === 'chair-1');
    expect(tile.session.startGate).toMatchObject({
      holds: false,
      items: [
        { id: 'baseline-bp', ok: false, dueAtMs: clock.now() + 5 * 60 * secMs },
        { id: 'bp-below-hold', ok: true },
        { id: 'readiness', ok: true },
      ],
    });

    clock.advance(270 / 60); // 4 min 30 s after the last one: counts
    await send(clock, { systolic: 126, diastolic: 80, heartRate: 74 });
    clock.advance(0.5);
    const started = await event(sessionId, nurse, { type: 'treatment-started' });
    expect(started.status).toBe(201);
    expect(started.body.state).toMatchObject({ phase: 'treatment', startOverride: null });
    expect(started.body.baseline).toMatchObject({ systolic: 128, diastolic: 81, complete: true });
    expect(started.body.startGate).toBeNull();
    const detail = (await api(server.url, 'GET', `/api/v1/sessions/${sessionId}`, nurse)).body as SessionDetail;
    expect(detail.events.at(-1)).toMatchObject({ type: 'treatment-started', username: 'nurse', payload: { start: { gateHeld: true, failingItems: [], overrideReason: null } } });
  });

  it('holds an esketamine start at a pre-dose BP ≥180/110 until a lower one', async () => {
    const { clock, nurse, patientId } = await setUp();
    const sessionId = await checkIn(nurse, patientId, 'esketamine');
    clock.advance(2);
    await send(clock, { systolic: 182, diastolic: 100 });
    const held = await event(sessionId, nurse, { type: 'treatment-started' });
    expect(held.status).toBe(409);
    expect(held.body.error.message).toBe('Start waits for: a BP below 180/110 (last 182/100)');
    expect(held.body.error.details.failingItems).toEqual([
      { id: 'bp-below-hold', ok: false, label: 'BP below the start limit', detail: 'a BP below 180/110 (last 182/100)', dueAtMs: null },
    ]);
    clock.advance(5);
    await send(clock, { systolic: 179, diastolic: 109 });
    clock.advance(1);
    expect((await event(sessionId, nurse, { type: 'treatment-started' })).status).toBe(201);
  });

  it('takes a clinician’s override with a reason, logged with what was not met; refuses a nurse’s (403) and one without a reason (400)', async () => {
    const { clock, nurse, clinician, patientId } = await setUp();
    const sessionId = await checkIn(nurse, patientId, 'iv-ketamine');
    clock.advance(1);
    await send(clock, { systolic: 150, diastolic: 92 });
    const reason = 'Second baseline BP not possible: cuff intolerance; reviewed in person';

    const byNurse = await event(sessionId, nurse, { type: 'treatment-started', override: { reason } });
    expect(byNurse.status).toBe(403);
    expect(byNurse.body.error.message).toBe('Only a clinician can override the start gate');
    const noReason = await event(sessionId, clinician, { type: 'treatment-started', override: { reason: '  ' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0]).toMatchObject({ path: ['override', 'reason'], message: 'give a reason for overriding the start gate' });

    const overridden = await event(sessionId, clinician, { type: 'treatment-started', override: { reason } });
    expect(overridden.status).toBe(201);
    expect(overridden.body.state).toMatchObject({ phase: 'treatment', startOverride: { reason, failingItems: ['baseline-bp'] } });
    const detail = (await api(server.url, 'GET', `/api/v1/sessions/${sessionId}`, clinician)).body as SessionDetail;
    expect(detail.events.at(-1)).toMatchObject({
      type: 'treatment-started',
      username: 'clinician',
      role: 'clinician',
      payload: { override: { reason }, start: { gateHeld: false, failingItems: ['baseline-bp'], overrideReason: reason } },
    });
    const admin = await server.login('admin');
    const audit = await api(server.url, 'GET', `/api/v1/audit?action=start-override&sessionId=${sessionId}`, admin);
    expect(audit.status).toBe(200);
    expect(audit.body.items ?? audit.body).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'start-override', username: 'clinician' })]));
  });
});

describe('the discharge gate', () => {
  it('stays shut while an acknowledged alarm’s condition persists, and opens once it resolves', async () => {
    const { clock, nurse, patientId } = await setUp();
    const sessionId = await checkIn(nurse, patientId, 'iv-ketamine');
    // A monitor sends pulse and SpO₂ every 30 s and a cuff BP every 5 min. This patient's own
    // heart rate is 110, so a rate up to 132 is within 20 % of it.
    // From the start of treatment the nurse records an eyes-on check with every BP.
    let minute = 0;
    let treating = false;
    const runUntil = async (untilMinute: number, heartRate: (m: number) => number) => {
      while (minute < untilMinute) {
        clock.advance(0.5);
        minute += 0.5;
        const bp = minute % 5 === 0 ? { systolic: 128, diastolic: 80 } : {};
        await send(clock, { heartRate: heartRate(minute), spo2: 97, ...bp });
        if (treating && minute % 5 === 0) expect((await event(sessionId, nurse, { type: 'rounding-check', status: 'comfortable' })).status).toBe(201);
      }
    };
    await runUntil(10, () => 110);
    expect((await event(sessionId, nurse, { type: 'treatment-started' })).status).toBe(201);
    treating = true;
    await runUntil(50, () => 110);
    expect((await event(sessionId, nurse, { type: 'treatment-ended' })).status).toBe(201);
    await runUntil(104, () => 110);
    // Marked tachycardia (>120 sustained 5 min) from minute 104 to 111.
    await runUntil(111, (m) => 125 + Math.round(m * 2) % 8);
    await expect
      .poll(async () => ((await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/alerts`, nurse)).body as Alert[]).find((a) => a.ruleId === 'hr-very-high'))
      .toMatchObject({ priority: 'medium', status: 'active', conditionResolvedAtMs: null });
    const alert = ((await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/alerts`, nurse)).body as Alert[]).find((a) => a.ruleId === 'hr-very-high');
    if (!alert) throw new Error('no tachycardia alarm');
    expect((await api(server.url, 'POST', `/api/v1/alerts/${alert.id}/acknowledge`, nurse, { note: 'seen, patient anxious' })).status).toBe(200);
    await runUntil(112, () => 128);
    expect((await event(sessionId, nurse, { type: 'checklist-updated', items: { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } })).status).toBe(201);

    // Acknowledged, and still tachycardic: the gate holds discharge, naming the alarm.
    const gate = await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/gate`, nurse);
    expect(gate.body.holds).toBe(false);
    expect(gate.body.items.filter((i: { ok: boolean }) => !i.ok)).toEqual([
      { id: 'no-active-alarm', ok: false, label: 'No high or medium alarm condition', detail: 'Marked tachycardia (acknowledged, condition present)' },
    ]);
    const refused = await event(sessionId, nurse, { type: 'discharged' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.failingItems.map((i: { id: string }) => i.id)).toEqual(['no-active-alarm']);
    // The periodic evaluation keeps the same fresh gate for the alert engine.
    await server.chairside.sessions.tick();
    expect(server.chairside.sessions.lastGate(sessionId)).toMatchObject({ holds: false, atMs: clock.now() });

    // The heart rate settles: the acknowledged alarm's condition resolves, and the gate opens.
    await runUntil(114, () => 96);
    await expect.poll(async () => (await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/gate`, nurse)).body.holds).toBe(true);
    expect((await event(sessionId, nurse, { type: 'discharged' })).status).toBe(201);
  });

  it('needs an esketamine SpO₂ from the last 5 min', async () => {
    const { clock, nurse, patientId } = await setUp();
    const sessionId = await checkIn(nurse, patientId, 'esketamine');
    const manual = (values: Record<string, number>) =>
      api(server.url, 'POST', '/api/v1/readings', nurse, { ...reading({ measuredAt: clock.iso(), source: 'manual', systolic: undefined, diastolic: undefined, mean: undefined, heartRate: undefined, spo2: undefined }), ...values });
    clock.advance(2);
    expect((await manual({ systolic: 130, diastolic: 80, heartRate: 76 })).status).toBe(201);
    clock.advance(1);
    expect((await event(sessionId, nurse, { type: 'treatment-started' })).status).toBe(201);
    clock.advance(10);
    expect((await event(sessionId, nurse, { type: 'treatment-ended' })).status).toBe(201);
    // An eyes-on check at the end of treatment and with every BP after it (due every 15 min from the start).
    const eyesOn = async () => expect((await event(sessionId, nurse, { type: 'rounding-check', status: 'comfortable' })).status).toBe(201);
    await eyesOn();
    for (let m = 15; m <= 120; m += 15) {
      clock.advance(15);
      expect((await manual({ systolic: 132, diastolic: 82, heartRate: 78 })).status).toBe(201);
      await eyesOn();
    }
    const items = Object.fromEntries((await api(server.url, 'GET', '/api/v1/protocols', nurse)).body.find((p: { id: string }) => p.id === 'esketamine').dischargeGate.checklist.map((i: { id: string }) => [i.id, true]));
    expect((await event(sessionId, nurse, { type: 'checklist-updated', items })).status).toBe(201);
    const noSpo2 = await event(sessionId, nurse, { type: 'discharged' });
    expect(noSpo2.status).toBe(409);
    expect(noSpo2.body.error.details.failingItems).toEqual([expect.objectContaining({ id: 'spo2', detail: 'no SpO₂ reading' })]);
    expect((await manual({ spo2: 96 })).status).toBe(201);
    clock.advance(5);
    expect((await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/gate`, nurse)).body.holds).toBe(true);
    clock.advance(1 / 60_000); // 5 min and 1 ms
    expect((await api(server.url, 'GET', `/api/v1/sessions/${sessionId}/gate`, nurse)).body.items.find((i: { id: string }) => i.id === 'spo2')).toMatchObject({ ok: false });
  });
});

describe('one patient, one active session', () => {
  it('refuses to check a patient into a second chair, naming the first', async () => {
    const { nurse, patientId } = await setUp();
    await checkIn(nurse, patientId, 'iv-ketamine', 'chair-1');
    const second = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId, chairId: 'chair-2', protocolId: 'iv-ketamine' });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toBe('J. Doe is already checked into Chair 1; discharge or cancel that session first.');
    const again = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already checked into Chair 1/);
  });

  it('lets only one of two check-ins of a patient racing for two chairs through (the store decides)', async () => {
    const { clock, patientId } = await setUp();
    const record = (id: string, chairId: string) => storedCheckIn(id, patientId, chairId, clock.now());
    const checkedIn = checkInEvent(clock.now());
    for (let round = 0; round < 5; round += 1) {
      const outcomes = await Promise.all([
        server.store.sessions.createSession(record(`race-${round}-a`, 'chair-1'), checkedIn),
        server.store.sessions.createSession(record(`race-${round}-b`, 'chair-2'), checkedIn),
      ]);
      expect(outcomes.filter((o) => o.conflict === null)).toHaveLength(1);
      expect(outcomes.filter((o) => o.conflict === 'patient')).toHaveLength(1);
      const winner = outcomes[0]?.conflict === null ? `race-${round}-a` : `race-${round}-b`;
      const won = await server.store.sessions.findSession(winner);
      if (!won) throw new Error('the winner is stored');
      await server.store.sessions.updateSession(winner, 0, { phase: 'cancelled', active: false, state: won.state, endedAt: clock.now() }, null);
    }
  });

  it('sees a session another server checked in (the shared store), and frees the patient once it ends', async () => {
    const { clock, nurse, patientId } = await setUp();
    // Another server's check-in: in the store, not in this server's memory.
    const created = await server.store.sessions.createSession(storedCheckIn('elsewhere-1', patientId, 'chair-2', clock.now()), checkInEvent(clock.now()));
    expect(created).toEqual({ conflict: null });
    const refused = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('J. Doe is already checked into Chair 2; discharge or cancel that session first.');

    await server.chairside.sessions.reloadFromPeer('elsewhere-1');
    expect((await event('elsewhere-1', nurse, { type: 'cancelled', reason: 'wrong chair' })).status).toBe(201);
    expect((await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId, chairId: 'chair-1', protocolId: 'iv-ketamine' })).status).toBe(201);
  });
});

describe('readings and the session record', () => {
  it('refuses a reading for a session measured before its check-in, at measuredAt; sent for the chair it can be attached, and the log lists it', async () => {
    const { clock, nurse, patientId } = await setUp();
    clock.advance(10);
    const sessionId = await checkIn(nurse, patientId, 'iv-ketamine');
    const early = reading({ sessionId, chairId: undefined, measuredAt: clock.iso(-3) });
    const refused = await postReadings(server.url, early);
    expect(refused.status).toBe(400);
    expect((refused.body as { error: { details: unknown } }).error.details).toEqual([
      {
        path: ['measuredAt'],
        message: `measured before this session's check-in at ${new Date(clock.now()).toISOString()}; send it with chairId to keep it on the chair's timeline, then attach it`,
      },
    ]);
    const onChair = await postReadings(server.url, { ...early, sessionId: undefined, chairId: 'chair-1' });
    expect(onChair.status).toBe(201);
    expect((onChair.body as { sessionId: string | null }).sessionId).toBeNull();
    const attached = await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/readings`, nurse, { readingIds: [early.id] });
    expect(attached.status).toBe(200);
    const detail = (await api(server.url, 'GET', `/api/v1/sessions/${sessionId}`, nurse)).body as SessionDetail;
    expect(detail.events.at(-1)).toMatchObject({ type: 'readings-attached', username: 'nurse', payload: { readingIds: [early.id] } });
    expect(detail.readings.map((r) => r.id)).toContain(early.id);
    // At check-in exactly is not before it.
    expect((await postReadings(server.url, reading({ sessionId, chairId: undefined, measuredAt: clock.iso() }))).status).toBe(201);
  });

  it('records "monitor removed" with who and when, once', async () => {
    const { clock, nurse, patientId } = await setUp();
    const sessionId = await checkIn(nurse, patientId, 'iv-ketamine');
    clock.advance(3);
    const removed = await event(sessionId, nurse, { type: 'monitor-removed', note: 'to the bathroom' });
    expect(removed.status).toBe(201);
    expect(removed.body.state).toMatchObject({ phase: 'baseline', monitorRemovedAtMs: clock.now() });
    expect((await event(sessionId, nurse, { type: 'monitor-removed' })).status).toBe(409);
    const detail = (await api(server.url, 'GET', `/api/v1/sessions/${sessionId}`, nurse)).body as SessionDetail;
    expect(detail.events.at(-1)).toMatchObject({
      type: 'monitor-removed',
      username: 'nurse',
      role: 'nurse',
      at: new Date(clock.now()).toISOString(),
      fromPhase: 'baseline',
      toPhase: 'baseline',
      payload: { note: 'to the bathroom' },
    });
  });
});
