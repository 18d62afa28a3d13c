import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { withClient } from '../helpers/postgres';
import { api, ManualClock, openAlerts, postReadings, reading, startTestServer, storeKind, testPassword, type TestServer } from '../helpers/test-server';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

describe('audit trail', () => {
  it('answers "who saw this session’s record", and records logins, failures and changes', async () => {
    server = await startTestServer();
    const nurse = await server.login('nurse');
    const clinician = await server.login('clinician');
    await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nurse', password: 'not-it' }),
    });
    const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Audit Subject' });
    const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    await api(server.url, 'GET', `/api/v1/sessions/${session.body.id}`, clinician);
    await api(server.url, 'GET', `/api/v1/sessions/${session.body.id}`, nurse);

    const admin = await server.login('admin');
    const viewers = await api(server.url, 'GET', `/api/v1/audit?sessionId=${session.body.id}&action=session-viewed`, admin);
    expect(viewers.status).toBe(200);
    expect(viewers.body.map((e: { username: string }) => e.username).sort()).toEqual(['clinician', 'nurse']);

    const all = await api(server.url, 'GET', '/api/v1/audit', admin);
    const actions = all.body.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['login', 'login-failed', 'patient-created', 'session-checked-in', 'session-viewed']));
    const failed = all.body.find((e: { action: string }) => e.action === 'login-failed');
    expect(failed).toMatchObject({ username: 'nurse', role: 'anonymous' });
    expect(JSON.stringify(failed)).not.toContain('not-it');
    expect(JSON.stringify(all.body)).not.toContain(testPassword);

    const csv = await fetch(`${server.url}/api/v1/audit?format=csv`, { headers: { cookie: admin } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split('\r\n')[0]).toBe('seq,at,username,role,action,target_type,target_id,session_id,details,ip');
    expect((await api(server.url, 'GET', '/api/v1/audit?from=yesterday', admin)).status).toBe(400);
  });

  it('names what its ids stand for, for sentences: who, which alarm by its dashboard title, which chair and session; never the patient', async () => {
    const clock = new ManualClock(Date.parse('2026-11-20T09:00:00Z'));
    server = await startTestServer({ clock });
    const nurse = await server.login('nurse');
    const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Private Person', mrn: 'MRN-SECRET' });
    const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    const bp = async (systolic: number, diastolic: number) => {
      expect((await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic, diastolic, mean: undefined, heartRate: 80, spo2: 97 }))).status).toBe(201);
      // The session and the alert engine take the reading in after the 201: wait for both before the clock moves.
      const atMs = Date.parse(clock.iso());
      await expect.poll(() => server.chairside.sessions.activeSummary('chair-1')?.bpTimesMs.includes(atMs) ?? true).toBe(true);
      await server.chairside.alerts.idle();
    };
    await bp(128, 78);
    clock.advance(6);
    await bp(132, 82);
    clock.advance(1);
    // A clinician's override: this test is about the audit trail, not what the start waits for.
    const clinician = await server.login('clinician');
    const started = await api(server.url, 'POST', `/api/v1/sessions/${session.body.id}/events`, clinician, { type: 'treatment-started', override: { reason: 'audit test' } });
    expect(started.status).toBe(201);
    clock.advance(5);
    await bp(186, 100);
    // The first severe reading asks for a recheck (low priority): titled by its values, not "Severe hypertension".
    await expect.poll(async () => (await openAlerts(server, nurse)).map((a) => a.ruleId)).toContain('bp-severe');
    const prompt = (await openAlerts(server, nurse)).find((a) => a.ruleId === 'bp-severe');
    expect((await api(server.url, 'POST', `/api/v1/alerts/${prompt?.id}/acknowledge`, nurse, { note: 'cuff refitted' })).status).toBe(200);

    const admin = await server.login('admin');
    const answer = await api(server.url, 'GET', '/api/v1/audit?action=alert-acknowledged', admin);
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(1);
    expect(answer.body[0]).toMatchObject({
      username: 'nurse',
      targetId: prompt?.id,
      details: { note: 'cuff refitted' },
      names: {
        actor: 'Test nurse',
        chair: expect.any(String),
        session: { checkedInAt: '2026-11-20T09:00:00.000Z', protocol: 'IV ketamine' },
        alert: { title: 'Recheck BP now: 186/100', priority: 'low' },
        user: null,
      },
    });
    const chairs = await api(server.url, 'GET', '/api/v1/chairs', admin);
    expect(answer.body[0].names.chair).toBe(chairs.body.find((c: { id: string }) => c.id === 'chair-1')?.name);

    // Every entry is named; admins do not see patients' identities, and the trail does not show them either.
    const all = await api(server.url, 'GET', '/api/v1/audit', admin);
    expect(all.body.every((e: { names?: unknown }) => typeof e.names === 'object')).toBe(true);
    const checkIn = all.body.find((e: { action: string }) => e.action === 'session-checked-in');
    expect(checkIn.names).toMatchObject({ actor: 'Test nurse', session: { protocol: 'IV ketamine' } });
    expect(JSON.stringify(all.body)).not.toContain('Private Person');
    expect(JSON.stringify(all.body)).not.toContain('MRN-SECRET');
    // The CSV stays the record as stored.
    const csv = await (await fetch(`${server.url}/api/v1/audit?format=csv`, { headers: { cookie: admin } })).text();
    expect(csv.split('\r\n')[0]).toBe('seq,at,username,role,action,target_type,target_id,session_id,details,ip');
  });

  // Opens the SQLite file directly; the PostgreSQL twin below goes through a plain pg client.
  it.runIf(storeKind === 'sqlite')('cannot be changed or deleted, even from inside the database', async () => {
    server = await startTestServer();
    await server.login('nurse');
    const db = new Database(path.join(server.dataDir, 'chairside.db'));
    try {
      expect(() => db.prepare("UPDATE audit_log SET username = 'someone-else'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it.runIf(storeKind === 'postgres')('cannot be changed, deleted or truncated, even from inside the PostgreSQL database', async () => {
    server = await startTestServer();
    await server.login('nurse');
    await withClient(server.databaseUrl ?? '', async (db) => {
      await expect(db.query("UPDATE audit_log SET username = 'someone-else'")).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      const { rows } = await db.query("SELECT username FROM audit_log WHERE action = 'login'");
      expect(rows).toEqual([{ username: 'nurse' }]);
    });
  });
});
