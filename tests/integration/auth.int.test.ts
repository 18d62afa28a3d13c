import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { startTestServer, storeKind, testPassword, type TestServer } from '../helpers/test-server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const json = { 'content-type': 'application/json' };

describe('authentication', () => {
  it('lets health and the login page through unauthenticated, and nothing else', async () => {
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', store: storeKind });
    const session = await fetch(`${server.url}/api/auth/session`);
    expect(await session.json()).toEqual({ user: null, demoAccounts: null });

    for (const path of ['/api/v1/chairs', '/api/v1/chairs/chair-1/readings', '/api/v1/users']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('logs in with an httpOnly, SameSite=Strict cookie, and logs out', async () => {
    const bad = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'nurse', password: 'wrong' }),
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();

    const good = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'Nurse', password: testPassword }),
    });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ user: { username: 'nurse', role: 'nurse' } });
    const setCookie = good.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = setCookie.split(';')[0] ?? '';

    const me = await fetch(`${server.url}/api/auth/session`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ user: { username: 'nurse' } });
    expect((await fetch(`${server.url}/api/v1/chairs`, { headers: { cookie } })).status).toBe(200);

    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { ...json, cookie } })).status).toBe(204);
    expect((await fetch(`${server.url}/api/v1/chairs`, { headers: { cookie } })).status).toBe(401);
  });

  it('answers a login without fields with 400 per field', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: '{}' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { path: string[] }[] } };
    expect(body.error.details.map((d) => d.path[0]).sort()).toEqual(['password', 'username']);
  });

  it('refuses a socket without a valid session', async () => {
    for (const headers of [{}, { cookie: 'chairside_session=forged' }] as Record<string, string>[]) {
      const socket = connect(server.url, { extraHeaders: headers, transports: ['websocket'], reconnection: false });
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toBe('unauthorized');
      socket.disconnect();
    }
  });

  it('lets only admins list and create users', async () => {
    const nurse = await server.login('nurse');
    expect((await fetch(`${server.url}/api/v1/users`, { headers: { cookie: nurse } })).status).toBe(403);
    const admin = await server.login('admin');
    const created = await fetch(`${server.url}/api/v1/users`, {
      method: 'POST',
      headers: { ...json, cookie: admin },
      body: JSON.stringify({ username: 'jdoe', password: 'a-long-password', role: 'clinician' }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ username: 'jdoe', role: 'clinician' });
    const again = await fetch(`${server.url}/api/v1/users`, {
      method: 'POST',
      headers: { ...json, cookie: admin },
      body: JSON.stringify({ username: 'jdoe', password: 'a-long-password', role: 'nurse' }),
    });
    expect(again.status).toBe(409);
    const weak = await fetch(`${server.url}/api/v1/users`, {
      method: 'POST',
      headers: { ...json, cookie: admin },
      body: JSON.stringify({ username: 'x y', password: 'short', role: 'surgeon' }),
    });
    expect(weak.status).toBe(400);
    const list = (await (await fetch(`${server.url}/api/v1/users`, { headers: { cookie: admin } })).json()) as { username: string; passwordHash?: string }[];
    expect(list.map((u) => u.username)).toContain('jdoe');
    expect(list.every((u) => u.passwordHash === undefined)).toBe(true);
  });

  it('locks an account after repeated failed logins, with a clear message, until an admin resets it', async () => {
    const attempt = (password: string) =>
      fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'nurse', password }) });
    for (let i = 0; i < 4; i += 1) expect((await attempt('guess')).status).toBe(401);
    const fifth = await attempt('guess');
    expect(fifth.status).toBe(401);
    expect(((await fifth.json()) as { error: { message: string } }).error.message).toMatch(/locked/);
    const locked = await attempt(testPassword);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await locked.json()) as { error: { message: string } }).error.message).toMatch(/locked for \d+ more minutes?/);

    const admin = await server.login('admin');
    const users = (await (await fetch(`${server.url}/api/v1/users`, { headers: { cookie: admin } })).json()) as { id: string; username: string }[];
    const nurseId = users.find((u) => u.username === 'nurse')?.id;
    const reset = await fetch(`${server.url}/api/v1/users/${nurseId}`, {
      method: 'PATCH',
      headers: { ...json, cookie: admin },
      body: JSON.stringify({ password: 'a-brand-new-password' }),
    });
    expect(reset.status).toBe(200);
    expect((await attempt('a-brand-new-password')).status).toBe(200);
  });

  it('disabling a user ends their sessions and disconnects their dashboards at once', async () => {
    const nurse = await server.login('nurse');
    const socket = await server.dashboard(nurse);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    const admin = await server.login('admin');
    const users = (await (await fetch(`${server.url}/api/v1/users`, { headers: { cookie: admin } })).json()) as { id: string; username: string }[];
    const nurseId = users.find((u) => u.username === 'nurse')?.id;
    const res = await fetch(`${server.url}/api/v1/users/${nurseId}`, { method: 'PATCH', headers: { ...json, cookie: admin }, body: JSON.stringify({ disabled: true }) });
    expect(await res.json()).toMatchObject({ username: 'nurse', disabled: true });
    expect(await disconnected).toBe('io server disconnect');
    expect((await fetch(`${server.url}/api/v1/chairs`, { headers: { cookie: nurse } })).status).toBe(401);
    // A disabled account answers like a wrong password (issue 14): nothing tells a guesser the password was right.
    const again = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'nurse', password: testPassword }) });
    expect(again.status).toBe(401);
    const self = users.find((u) => u.username === 'admin')?.id;
    const selfDisable = await fetch(`${server.url}/api/v1/users/${self}`, { method: 'PATCH', headers: { ...json, cookie: admin }, body: JSON.stringify({ disabled: true }) });
    expect(selfDisable.status).toBe(403);
  });

  it('device tokens: created once-visible, listed without the secret, usable for ingest, revocable', async () => {
    const admin = await server.login('admin');
    const created = await fetch(`${server.url}/api/v1/device-tokens`, { method: 'POST', headers: { ...json, cookie: admin }, body: JSON.stringify({ label: 'Bay 3 monitor' }) });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    expect(token).toMatch(/^cs_/);
    const list = await (await fetch(`${server.url}/api/v1/device-tokens`, { headers: { cookie: admin } })).text();
    expect(list).toContain('Bay 3 monitor');
    expect(list).not.toContain(token);
    const post = (t: string) =>
      fetch(`${server.url}/api/v1/readings`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${t}` },
        body: JSON.stringify({ id: crypto.randomUUID(), chairId: 'chair-1', measuredAt: new Date().toISOString(), heartRate: 70, source: 'device' }),
      });
    expect((await post(token)).status).toBe(201);
    expect((await fetch(`${server.url}/api/v1/device-tokens/${id}`, { method: 'DELETE', headers: { ...json, cookie: admin } })).status).toBe(204);
    expect((await post(token)).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/device-tokens/${id}`, { method: 'DELETE', headers: { ...json, cookie: admin } })).status).toBe(404);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const cookie = await server.login('nurse');
    const res = await fetch(`${server.url}/api/v1/nothing-here`, { headers: { cookie } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('sends security headers and no CORS grant', async () => {
    const res = await fetch(`${server.url}/api/health`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
