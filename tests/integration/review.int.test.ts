import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Reading } from '@chairside/shared';
import { PostgresStore, SqliteStore, type Store } from '@chairside/server';
import { createR4Validator } from '@chairside/server/testing/fhir-validator';
import { withClient } from '../helpers/postgres';
import { api, ManualClock, postReadings, reading, startTestServer, storeKind, tempDataDir, type TestServer } from '../helpers/test-server';
import { recordArrival } from '../helpers/session-record';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');

/** A finished IV session on chair-1 with a BP crisis acknowledged by the nurse. */
async function finishedSession(clock: ManualClock) {
  const nurse = await server.login('nurse');
  const clinician = await server.login('clinician');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Review Patient', mrn: 'MRN-7' });
  const s = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  const id: string = s.body.id;
  const event = (cookie: string, body: unknown) => api(server.url, 'POST', `/api/v1/sessions/${id}/events`, cookie, body);
  // Each BP is taken in before the test moves on: the session and then the alert engine react to it
  // after the 201 (real milliseconds on PostgreSQL). Discharging before then would judge the gate on
  // alarms the last BP resolves (a 'BP overdue' the server's tick may raise during the 60-min jump).
  const bp = async (sys: number, dia: number) => {
    const atMs = clock.now();
    expect((await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic: sys, diastolic: dia, mean: undefined, heartRate: 80, spo2: 97 }))).status).toBe(201);
    await expect.poll(() => server.chairside.sessions.activeSummary('chair-1')?.bpTimesMs.includes(atMs) ?? true).toBe(true);
    await server.chairside.alerts.idle();
  };
  await bp(128, 80);
  clock.advance(6);
  await bp(132, 84);
  clock.advance(1);
  await recordArrival(server.url, id, nurse, 'iv-ketamine');
  await event(nurse, { type: 'treatment-started' });
  // The nurse's eyes-on check every 15 min from the start, as the protocol asks (none overdue, so no alarm for it).
  const eyesOn = async () => expect((await event(nurse, { type: 'rounding-check', status: 'comfortable' })).status).toBe(201);
  for (const [i, [sys, dia]] of ([[140, 88], [150, 92], [205, 118], [176, 100], [160, 95], [150, 90], [140, 86], [136, 84]] as const).entries()) {
    clock.advance(5);
    await bp(sys, dia);
    if (i % 3 === 2) await eyesOn();
  }
  await expect.poll(async () => (await api(server.url, 'GET', '/api/v1/alerts', nurse)).body.length).toBeGreaterThan(0);
  const crisis = (await api(server.url, 'GET', '/api/v1/alerts', nurse)).body.find((a: { alert: { ruleId: string } }) => a.alert.ruleId === 'bp-crisis');
  clock.advance(1);
  expect((await api(server.url, 'POST', `/api/v1/alerts/${crisis.alert.id}/acknowledge`, nurse, { note: 'Called Dr. Lee' })).status).toBe(200);
  await event(nurse, { type: 'treatment-ended' });
  await eyesOn();
  for (let quarter = 0; quarter < 4; quarter += 1) {
    clock.advance(15);
    await eyesOn();
  }
  await bp(134, 84);
  await event(nurse, { type: 'checklist-updated', items: { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } });
  expect((await event(nurse, { type: 'discharged' })).status).toBe(201);
  return { id, nurse, clinician, patientId: patient.body.id as string };
}

async function pdfText(bytes: ArrayBuffer): Promise<{ text: string; pages: number }> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    text += content.items.map((i) => ('str' in i ? `${i.str} ` : '')).join('');
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { text, pages };
}

describe('clinician review', () => {
  it('finds the session, reads its report, signs it, and refuses changes afterwards except addenda', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { id, nurse, clinician } = await finishedSession(clock);

    const list = await api(server.url, 'GET', '/api/v1/sessions?hadAlerts=true&fromDate=2026-11-20&toDate=2026-11-20', clinician);
    expect(list.body).toMatchObject({ total: 1, items: [{ id, patientName: 'Review Patient', alertCount: expect.any(Number), signedAt: null }] });
    expect((await api(server.url, 'GET', '/api/v1/sessions?overrideUsed=true', clinician)).body.total).toBe(0);
    expect((await api(server.url, 'GET', '/api/v1/sessions?fromDate=2026-11-21', clinician)).body.total).toBe(0);
    expect((await api(server.url, 'GET', '/api/v1/sessions?fromDate=20-11-2026', clinician)).status).toBe(400);

    const report = await api(server.url, 'GET', `/api/v1/sessions/${id}/report`, clinician);
    expect(report.status).toBe(200);
    expect(report.body.stats.peaks.systolic).toMatchObject({ value: 205, deltaFromBaseline: 75 });
    expect(report.body.input.alerts.find((a: { ruleId: string }) => a.ruleId === 'bp-crisis').acknowledgements[0].by.username).toBe('nurse');

    expect((await api(server.url, 'POST', `/api/v1/sessions/${id}/sign`, nurse, {})).status).toBe(403);
    const signed = await api(server.url, 'POST', `/api/v1/sessions/${id}/sign`, clinician, {});
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({ sessionId: id, signedBy: 'clinician' });
    expect((await api(server.url, 'POST', `/api/v1/sessions/${id}/sign`, clinician, {})).status).toBe(409);

    const note = await api(server.url, 'POST', `/api/v1/sessions/${id}/events`, clinician, { type: 'note', text: 'late note' });
    expect(note.status).toBe(409);
    expect(note.body.error.message).toMatch(/signed and locked/);
    const addendum = await api(server.url, 'POST', `/api/v1/sessions/${id}/addenda`, clinician, { text: 'Peak BP reading was taken with a large cuff.' });
    expect(addendum.status).toBe(201);
    const after = await api(server.url, 'GET', `/api/v1/sessions/${id}/report`, clinician);
    expect(after.body.addenda).toEqual([expect.objectContaining({ text: 'Peak BP reading was taken with a large cuff.', username: 'clinician' })]);
    expect(after.body.signature).toMatchObject({ signedBy: 'clinician' });
  });

  it('exports CSV, FHIR and PDF that carry the same numbers, and records every export in the audit trail', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { id, clinician } = await finishedSession(clock);
    const detail = await api(server.url, 'GET', `/api/v1/sessions/${id}`, clinician);
    const readingCount: number = detail.body.readings.length;

    const csv = await fetch(`${server.url}/api/v1/sessions/${id}/export?format=csv`, { headers: { cookie: clinician } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="?chairside-session-2026-11-20-/);
    const allRows = (await csv.text()).trim().split('\r\n');
    // the record entries (readiness, escort) share the table, their own columns filled: the readings are the rest
    const rows = allRows.filter((r, i) => i === 0 || r.endsWith(',,,,,,'));
    expect(rows).toHaveLength(readingCount + 1);
    expect(rows[0]).toMatch(/systolic_mmHg/);
    expect(rows.some((r) => r.includes(',205,118,'))).toBe(true);
    expect(rows[1]).toMatch(/2026-11-20T09:00:00(\+00:00|Z)/);

    const fhir = await fetch(`${server.url}/api/v1/sessions/${id}/export?format=fhir`, { headers: { cookie: clinician } });
    expect(fhir.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    const bundle = (await fhir.json()) as { resourceType: string; entry: { resource: { resourceType: string; code?: { coding: { code: string }[] }; component?: { valueQuantity?: { value: number } }[] } }[] };
    expect(bundle.resourceType).toBe('Bundle');
    expect(createR4Validator().validate(bundle)).toEqual([]);
    const panels = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Observation' && r.code?.coding.some((c) => c.code === '85354-9'));
    expect(panels).toHaveLength(detail.body.readings.filter((r: { systolic: number | null }) => r.systolic !== null).length);
    expect(panels.some((p) => p.component?.[0]?.valueQuantity?.value === 205)).toBe(true);

    for (const paper of ['a4', 'letter']) {
      const pdf = await fetch(`${server.url}/api/v1/sessions/${id}/export?format=pdf&paper=${paper}`, { headers: { cookie: clinician } });
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const { text } = await pdfText(await pdf.arrayBuffer());
      expect(text).toMatch(/Review Patient/);
      expect(text).toMatch(/205/);
      expect(text).toMatch(/secondary notification aid/i);
    }

    expect((await api(server.url, 'GET', `/api/v1/sessions/${id}/export?format=docx`, clinician)).status).toBe(400);
    expect((await api(server.url, 'GET', '/api/v1/sessions/nope/export?format=csv', clinician)).status).toBe(404);
    const admin = await server.login('admin');
    expect((await api(server.url, 'GET', `/api/v1/sessions/${id}/export?format=csv`, admin)).status).toBe(403);
    const exports = await api(server.url, 'GET', `/api/v1/audit?sessionId=${id}&action=session-exported`, admin);
    expect(exports.body.map((e: { details: { format: string } }) => e.details.format).sort()).toEqual(['csv', 'fhir', 'pdf', 'pdf']);
  });

  it('shows a patient’s sessions side by side on treatment-relative time', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { patientId, clinician } = await finishedSession(clock);
    const history = await api(server.url, 'GET', `/api/v1/patients/${patientId}/history`, clinician);
    expect(history.status).toBe(200);
    expect(history.body).toHaveLength(1);
    expect(history.body[0].bpCurve[0].minutes).toBeLessThan(0);
    expect(history.body[0].bpCurve.some((p: { minutes: number; systolic: number }) => p.minutes === 15 && p.systolic === 205)).toBe(true);
  });
});

describe('the report of a finished session, kept in memory between views', () => {
  /** The report as the server sends it. */
  const reportText = async (cookie: string, id: string): Promise<string> => {
    const res = await fetch(`${server.url}/api/v1/sessions/${id}/report`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    return res.text();
  };

  /** Another process on the same database (a second server, an admin tool): nothing it does passes through `server`. */
  const openOtherStore = async (): Promise<Store> =>
    server.databaseUrl === null
      ? new SqliteStore({ file: path.join(server.dataDir, 'chairside.db') })
      : PostgresStore.open({ connectionString: server.databaseUrl });

  it('is exactly what a server reading it afresh sends, after every change, whichever process made it', async () => {
    const clock = new ManualClock(start);
    const dataDir = tempDataDir();
    server = await startTestServer({ clock, dataDir });
    const { id } = await finishedSession(clock);
    const viewed: string[] = [];
    /** What the server sends now (the session in memory since the last view) is what a restarted server sends. */
    const report = async (): Promise<{ input: { session: { revision: number; events: { type: string }[]; readings: Reading[] } }; addenda: { text: string }[] }> => {
      const served = await reportText(await server.login('clinician'), id);
      await server.close();
      server = await startTestServer({ clock, dataDir });
      const clinician = await server.login('clinician');
      const fresh = await reportText(clinician, id);
      expect(JSON.parse(fresh)).toEqual(JSON.parse(served)); // a readable difference first
      expect(fresh).toBe(served);
      await reportText(clinician, id); // in memory again before the next change
      viewed.push(served);
      return JSON.parse(served);
    };

    const first = await report();
    expect(await reportText(await server.login('clinician'), id)).toBe(viewed[0]); // nothing changed: the same text

    // Changes through this server's API.
    const nurse = await server.login('nurse');
    expect((await api(server.url, 'POST', `/api/v1/sessions/${id}/events`, nurse, { type: 'note', text: 'Phoned: home safely.' })).status).toBe(201);
    expect((await report()).input.session.events.at(-1)).toMatchObject({ type: 'note' });

    const loose = (await postReadings(server.url, reading({ measuredAt: clock.iso(), heartRate: 64 }))).body as Reading;
    expect(loose.sessionId).toBeNull();
    expect((await api(server.url, 'POST', `/api/v1/sessions/${id}/readings`, nurse, { readingIds: [loose.id] })).status).toBe(200);
    const attached = await report();
    expect(attached.input.session.readings.map((r) => r.id)).toContain(loose.id);
    expect(attached.input.session.events.at(-1)).toMatchObject({ type: 'readings-attached' });

    const peak = first.input.session.readings.find((r) => r.systolic === 205);
    const correction = reading({ sessionId: id, chairId: undefined, measuredAt: peak?.measuredAt, systolic: 185, diastolic: 110, mean: undefined, source: 'manual', supersedes: peak?.id });
    expect((await postReadings(server.url, correction, { cookie: nurse })).status).toBe(201);
    expect((await report()).input.session.readings.find((r) => r.id === correction.id)).toMatchObject({ supersedes: peak?.id, systolic: 185 });

    // Changes by another process on the same database.
    const other = await openOtherStore();
    try {
      const record = await other.sessions.findSession(id);
      if (!record) throw new Error('no session');
      const noted = await other.sessions.updateSession(id, record.revision, { phase: record.phase, active: record.active, state: record.state, endedAt: record.endedAt }, {
        type: 'note', at: clock.now(), userId: null, username: 'nurse', role: 'nurse', fromPhase: record.phase, toPhase: record.phase, payload: { type: 'note', text: 'From the other server' },
      });
      expect(noted).toBe(true);
      const afterNote = await report();
      expect(afterNote.input.session.revision).toBe(record.revision + 1);
      expect(afterNote.input.session.events.at(-1)).toMatchObject({ type: 'note', payload: { text: 'From the other server' } });

      const [stored] = await other.readings.insertReadingBatches([
        [{ id: randomUUID(), chairId: 'chair-1', sessionId: null, measuredAt: clock.iso(), receivedAt: clock.now(), source: 'device', systolic: 131, diastolic: 79, mean: null, heartRate: 66, spo2: 97, respRate: null, rejected: [], flags: [], enteredBy: null, payloadHash: 'other' }],
      ]);
      const otherReading = stored?.ok ? stored.results[0]?.reading : undefined;
      if (!otherReading) throw new Error('not stored');
      const event = { type: 'readings-attached', at: clock.now(), userId: null, username: 'nurse', role: 'nurse', fromPhase: record.phase, toPhase: record.phase, payload: {} };
      expect(await other.sessions.attachReadings(id, 'chair-1', [otherReading.id], event)).toHaveLength(1);
      expect((await report()).input.session.readings.map((r) => r.id)).toContain(otherReading.id);

      await other.sessions.signSession({ sessionId: id, signedBy: 'clinician', signedByName: 'Other Server', signedAt: clock.now(), statement: 'Signed elsewhere.' });
      await other.sessions.addAddendum({ sessionId: id, text: 'Added elsewhere.', username: 'clinician', displayName: 'Other Server', at: clock.now() });
      expect((await report()).addenda).toEqual([expect.objectContaining({ text: 'Added elsewhere.' })]);
    } finally {
      await other.close();
    }
    expect(new Set(viewed).size).toBe(viewed.length); // every change showed
  });

  /** Runs SQL inside the database itself, bypassing the server. */
  const sql = async (statement: string): Promise<void> => {
    if (storeKind === 'sqlite') {
      const db = new Database(path.join(server.dataDir, 'chairside.db'));
      try {
        db.exec(statement);
      } finally {
        db.close();
      }
    } else {
      await withClient(server.databaseUrl ?? '', async (db) => db.query(statement));
    }
  };

  it('rests on readings and session events that cannot change, even from inside the database', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { id, clinician } = await finishedSession(clock);
    const before = await reportText(clinician, id);
    const refused: [string, RegExp][] = [
      [`UPDATE readings SET systolic = 120 WHERE session_id = '${id}'`, /never changed, only attached/],
      [`UPDATE readings SET session_id = NULL WHERE session_id = '${id}'`, /never changed, only attached/],
      [`UPDATE readings SET session_id = 'another-session' WHERE session_id = '${id}'`, /never changed, only attached/],
      [`DELETE FROM readings WHERE session_id = '${id}'`, /never deleted/],
      [`UPDATE session_events SET username = 'someone-else' WHERE session_id = '${id}'`, /append-only/],
      [`DELETE FROM session_events WHERE session_id = '${id}'`, /append-only/],
      [`UPDATE sessions SET phase = 'observation' WHERE id = '${id}'`, /bumps its revision/],
      ...(storeKind === 'postgres' ? ([['TRUNCATE readings', /never deleted/], ['TRUNCATE session_events', /append-only/]] as [string, RegExp][]) : []),
    ];
    for (const [statement, error] of refused) await expect(sql(statement), statement).rejects.toThrow(error);
    expect(await reportText(clinician, id)).toBe(before);
    await sql(`UPDATE sessions SET revision = revision + 1 WHERE id = '${id}'`); // an update that bumps the revision is fine
  });
});
