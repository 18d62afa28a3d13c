import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { withClient } from '../helpers/postgres';
import { api, startTestServer, storeKind, testPassword, type TestServer } from '../helpers/test-server';

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
