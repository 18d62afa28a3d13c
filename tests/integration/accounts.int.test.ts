/**
 * Accounts, logins and sockets (security review, issue 14 item 9): demo accounts never come back
 * on a clinic's database, common passwords are refused for every role, a disabled account answers
 * like a wrong password, the session cookie slides with activity, sockets per user are capped and
 * refused ones closed, a first start says how to create the first account, and admins see chairs
 * without patient identity.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { SessionSummary } from '@chairside/shared';
import { api, ManualClock, startTestServer, tempDataDir, testPassword, type DashboardSocket, type TestServer } from '../helpers/test-server';
import { type ServerProcess, startServerProcess } from '../helpers/server-process';

let server: TestServer | null = null;
let processes: ServerProcess[] = [];
afterEach(async () => {
  await server?.close();
  server = null;
  for (const p of processes) await p.stop();
  processes = [];
});

const json = { 'content-type': 'application/json' };

async function loginAnswer(url: string, username: string, password: string): Promise<{ status: number; body: unknown; cookie: string | null }> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username, password }) });
  return { status: res.status, body: await res.json(), cookie: res.headers.get('set-cookie') };
}

async function userId(s: TestServer, admin: string, username: string): Promise<string> {
  const users = (await api(s.url, 'GET', '/api/v1/users', admin)).body as { id: string; username: string }[];
  return users.find((u) => u.username === username)?.id ?? '';
}

describe('passwords', () => {
  it('refuses common passwords for every role, on creation and on reset, with a clear 400', async () => {
    server = await startTestServer();
    const admin = await server.login('admin');
    for (const role of ['admin', 'clinician', 'nurse'] as const) {
      for (const password of ['password', 'Password1', 'qwerty123', 'Sunshine2024!', 'iloveyou', 'chairside1', 'Ketamine!', 'letmein123']) {
        const res = await api(server.url, 'POST', '/api/v1/users', admin, { username: `new-${role}`, password, role });
        expect(res.status, `${role} ${password}`).toBe(400);
        expect(res.body.error.code).toBe('invalid_input');
        expect(res.body.error.message).toMatch(/^Choose another password: this password is one of the most commonly used passwords/);
        expect(res.body.error.details).toEqual([{ path: ['password'], message: expect.stringMatching(/commonly used/) }]);
      }
    }
    const sameAsName = await api(server.url, 'POST', '/api/v1/users', admin, { username: 'jsmith77', password: 'JSmith77', role: 'nurse' });
    expect(sameAsName.status).toBe(400);
    expect(sameAsName.body.error.message).toMatch(/must not be the username/);

    const created = await api(server.url, 'POST', '/api/v1/users', admin, { username: 'jsmith', password: 'plum tree at dusk', role: 'admin' });
    expect(created.status).toBe(201);
    const reset = await api(server.url, 'PATCH', `/api/v1/users/${created.body.id}`, admin, { password: 'Welcome123' });
    expect(reset.status).toBe(400);
    expect(reset.body.error.details[0].path).toEqual(['password']);
    expect((await loginAnswer(server.url, 'jsmith', 'plum tree at dusk')).status).toBe(200);
  });
});

describe('a disabled account', () => {
  it('answers the same 401 whatever the password', async () => {
    server = await startTestServer();
    const admin = await server.login('admin');
    expect((await api(server.url, 'PATCH', `/api/v1/users/${await userId(server, admin, 'nurse')}`, admin, { disabled: true })).status).toBe(200);
    const right = await loginAnswer(server.url, 'nurse', testPassword);
    const wrong = await loginAnswer(server.url, 'nurse', 'not the password');
    const unknown = await loginAnswer(server.url, 'nobody-here', 'not the password');
    expect([right.status, wrong.status, unknown.status]).toEqual([401, 401, 401]);
    expect(right.body).toEqual(wrong.body);
    expect(right.body).toEqual(unknown.body);
    expect(right.cookie).toBeNull();
  });
});

describe('demo accounts', () => {
  it('a disabled demo account is enabled only with a new password, which makes it a regular account', async () => {
    server = await startTestServer();
    await server.chairside.auth.createUser({ username: 'demo-nurse', password: 'demo', role: 'nurse', isDemo: true });
    await server.store.accounts.setDemoUsersDisabled(true);
    const admin = await server.login('admin');
    const id = await userId(server, admin, 'demo-nurse');
    const enable = await api(server.url, 'PATCH', `/api/v1/users/${id}`, admin, { disabled: false });
    expect(enable.status).toBe(400);
    expect(enable.body.error.message).toMatch(/demo account.*new password/);
    expect((await loginAnswer(server.url, 'demo-nurse', 'demo')).status).toBe(401);
    expect((await api(server.url, 'PATCH', `/api/v1/users/${id}`, admin, { disabled: false, password: 'blue heron morning' })).status).toBe(200);
    expect((await loginAnswer(server.url, 'demo-nurse', 'demo')).status).toBe(401);
    expect((await loginAnswer(server.url, 'demo-nurse', 'blue heron morning')).status).toBe(200);
    expect((await server.store.accounts.findUserByUsername('demo-nurse'))?.isDemo).toBe(false);
  });

  it('never come back on a database that has real accounts: demo mode started again keeps admin/demo off', async () => {
    const dataDir = tempDataDir();
    const first = await startServerProcess({ DATA_DIR: dataDir, DEMO_CHAIRS: '1' });
    expect((await loginAnswer(first.url, 'admin', 'demo')).status).toBe(200);
    await first.stop();
    // The clinic takes over: ADMIN_PASSWORD turns the demo admin into its real admin.
    const clinic = await startServerProcess({ DATA_DIR: dataDir, DEMO_CHAIRS: '0', ADMIN_PASSWORD: 'real-admin-password' });
    await clinic.stop();
    const demoAgain = await startServerProcess({ DATA_DIR: dataDir, DEMO_CHAIRS: '1' });
    processes.push(demoAgain);
    const status = (await (await fetch(`${demoAgain.url}/api/auth/session`)).json()) as { demoAccounts: unknown };
    expect(status.demoAccounts).toBeNull();
    for (const username of ['admin', 'nurse', 'clinician']) expect((await loginAnswer(demoAgain.url, username, 'demo')).status, username).toBe(401);
    expect((await loginAnswer(demoAgain.url, 'admin', 'real-admin-password')).status).toBe(200);
    await expect.poll(() => demoAgain.output(), { timeout: 10_000 }).toMatch(/database with real accounts: the demo logins .* stay disabled/);
  });
});

describe('first start', () => {
  it('without ADMIN_PASSWORD: the log and the login page say how to create the first account', async () => {
    const dataDir = tempDataDir();
    const fresh = await startServerProcess({ DATA_DIR: dataDir });
    processes.push(fresh);
    await expect.poll(() => fresh.output(), { timeout: 10_000 }).toMatch(/FIRST START: there are no accounts yet.*ADMIN_PASSWORD/);
    expect(await (await fetch(`${fresh.url}/api/auth/session`)).json()).toEqual({ user: null, demoAccounts: null, noUsersYet: true });
    await fresh.stop();
    processes = [];
    const started = await startServerProcess({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'first admin passphrase' });
    processes.push(started);
    await expect.poll(() => started.output(), { timeout: 10_000 }).toMatch(/Open http.* and log in\. The admin account is "admin"\./);
    expect(started.output()).not.toMatch(/FIRST START/);
    expect(await (await fetch(`${started.url}/api/auth/session`)).json()).toEqual({ user: null, demoAccounts: null });
  });

  it('refuses to start with a common ADMIN_PASSWORD, saying why', async () => {
    const failed = await startServerProcess({ DATA_DIR: tempDataDir(), ADMIN_PASSWORD: 'Password123' }).then(
      (p) => {
        processes.push(p);
        return 'started';
      },
      (error: unknown) => String(error),
    );
    expect(failed).toMatch(/server exited with 1/);
    expect(failed).toMatch(/ADMIN_PASSWORD cannot be used: this password is one of the most commonly used passwords/);
  });
});

describe('the session cookie', () => {
  it('is sent again with a full Max-Age as the user stays active (sliding idle timeout), and ends after the idle time', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T08:00:00Z'));
    server = await startTestServer({ clock });
    const login = await loginAnswer(server.url, 'nurse', testPassword);
    const idleSec = 7 * 24 * 60 * 60; // the test server's sessionIdleMs
    expect(login.cookie).toMatch(new RegExp(`Max-Age=${idleSec}`));
    const cookie = login.cookie?.split(';')[0] ?? '';
    const chairs = () => fetch(`${server?.url}/api/v1/chairs`, { headers: { cookie } });

    const soon = await chairs();
    expect(soon.status).toBe(200);
    expect(soon.headers.get('set-cookie')).toBeNull(); // renewed at most once a minute
    for (let day = 1; day <= 3; day += 1) {
      clock.advance(6 * 24 * 60); // 6 days later each time: 18 days after the login in all
      const res = await chairs();
      expect(res.status, `day ${day * 6}`).toBe(200);
      const renewed = res.headers.get('set-cookie') ?? '';
      expect(renewed).toMatch(new RegExp(`^${cookie.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; Max-Age=${idleSec};`));
      expect(renewed).toMatch(/HttpOnly/);
      expect(renewed).toMatch(/SameSite=Strict/);
    }
    clock.advance(7 * 24 * 60 + 1);
    expect((await chairs()).status).toBe(401);
  });
});

describe('sockets', () => {
  /** Resolves 'connected' or the connect_error's message. */
  const open = (url: string, headers: Record<string, string>): Promise<{ socket: DashboardSocket; outcome: string }> => {
    const socket: DashboardSocket = connect(url, { extraHeaders: headers, transports: ['websocket'], reconnection: false, forceNew: true });
    return new Promise((resolve) => {
      socket.once('connect', () => resolve({ socket, outcome: 'connected' }));
      socket.once('connect_error', (error) => resolve({ socket, outcome: error.message }));
    });
  };

  it('one login opens at most 20 dashboard sockets; refused ones are closed at once; other users are not affected', async () => {
    server = await startTestServer();
    const url = server.url;
    const nurse = await server.login('nurse');
    const opened = await Promise.all(Array.from({ length: 25 }, () => open(url, { cookie: nurse })));
    const outcomes = opened.map((o) => o.outcome);
    expect(outcomes.filter((o) => o === 'connected')).toHaveLength(20);
    expect(outcomes.filter((o) => o !== 'connected')).toEqual(Array.from({ length: 5 }, () => expect.stringMatching(/^too many connections: at most 20 dashboards per user/)));
    // The five refused connections are closed by the server, not left open.
    await expect.poll(() => server?.chairside.io.engine.clientsCount, { timeout: 2000 }).toBe(20);
    // Another login of the same user counts too; another user does not.
    const again = await open(url, { cookie: await server.login('nurse') });
    expect(again.outcome).toMatch(/^too many connections/);
    const clinician = await open(url, { cookie: await server.login('clinician') });
    expect(clinician.outcome).toBe('connected');
    // Closing one frees its place.
    const first = opened.find((o) => o.outcome === 'connected')?.socket;
    first?.disconnect();
    await expect.poll(async () => {
      const next = await open(url, { cookie: nurse });
      next.socket.disconnect();
      return next.outcome;
    }, { timeout: 2000 }).toBe('connected');
    for (const o of [...opened, again, clinician]) o.socket.disconnect();
  });

  it('closes a refused connection itself, even when the client keeps it open (raw Engine.IO long-polling)', async () => {
    server = await startTestServer();
    const base = `${server.url}/socket.io/?EIO=4&transport=polling`;
    const connections = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const open = await (await fetch(base, { headers: { cookie: 'chairside_session=forged' } })).text();
        const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
        // Socket.IO CONNECT to the main namespace; the answer is a CONNECT_ERROR ("4…").
        expect(await (await fetch(`${base}&sid=${sid}`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: '40' })).text()).toBe('ok');
        expect(await (await fetch(`${base}&sid=${sid}`)).text()).toBe('44{"message":"unauthorized"}');
        return sid;
      }),
    );
    // A client that never closes: the server closes the connections (before: 45 s later).
    await expect.poll(() => server?.chairside.io.engine.clientsCount, { timeout: 1000 }).toBe(0);
    for (const sid of connections) expect((await fetch(`${base}&sid=${sid}`)).status).toBe(400);
  });
});

describe('admins see chairs without patient identity', () => {
  it('strips the patient’s name and MRN from the chair list and the socket sessions admins receive', async () => {
    server = await startTestServer();
    const nurse = await server.login('nurse');
    const admin = await server.login('admin');
    const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Alex Identifiable', mrn: 'MRN-4711' });
    const adminSocket = await server.dashboard(admin);
    const nurseSocket = await server.dashboard(nurse);
    for (const s of [adminSocket, nurseSocket]) await s.emitWithAck('readings:sync', { afterSeq: null });
    const received = (s: DashboardSocket) => new Promise<SessionSummary>((resolve) => s.once('session:updated', resolve));
    const [toAdmin, toNurse] = [received(adminSocket), received(nurseSocket)];
    const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    expect(session.status).toBe(201);

    expect((await toNurse).patient).toMatchObject({ displayName: 'Alex Identifiable', mrn: 'MRN-4711' });
    const adminView = await toAdmin;
    expect(adminView.patient).toMatchObject({ displayName: '', mrn: null });
    expect(JSON.stringify(adminView)).not.toMatch(/Alex|MRN-4711/);

    const adminChairs = await api(server.url, 'GET', '/api/v1/chairs', admin);
    expect(adminChairs.body.find((c: { id: string }) => c.id === 'chair-1').session.patient).toMatchObject({ displayName: '', mrn: null });
    expect(JSON.stringify(adminChairs.body)).not.toMatch(/Alex|MRN-4711/);
    const nurseChairs = await api(server.url, 'GET', '/api/v1/chairs', nurse);
    expect(nurseChairs.body.find((c: { id: string }) => c.id === 'chair-1').session.patient).toMatchObject({ displayName: 'Alex Identifiable', mrn: 'MRN-4711' });
    expect((await api(server.url, 'GET', `/api/v1/patients/${patient.body.id}`, admin)).status).toBe(403);
  });
});
