import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/test-server';
import { type ServerProcess, startServerProcess } from '../helpers/server-process';

let server: ServerProcess | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')?.split(';')[0] ?? '';
}

describe('demo mode', () => {
  it('shows demo logins, runs simulated sessions, and lets an admin trigger a scenario on a chair', async () => {
    server = await startServerProcess({ DATA_DIR: tempDataDir(), DEMO_CHAIRS: '3', DEMO_SPEED: '60', SIM_SEED: '7' });
    const status = (await (await fetch(`${server.url}/api/auth/session`)).json()) as { demoAccounts: { username: string }[] };
    expect(status.demoAccounts.map((a) => a.username)).toEqual(['nurse', 'clinician', 'admin']);

    const nurse = await login(server.url, 'nurse', 'demo');
    await expect
      .poll(async () => {
        const chairs = (await (await fetch(`${server?.url}/api/v1/chairs`, { headers: { cookie: nurse } })).json()) as { session: unknown; latest: { lastReadingAt: string | null } }[];
        return chairs.filter((c) => c.session !== null && c.latest.lastReadingAt !== null).length;
      }, { timeout: 20_000 })
      .toBe(3);

    const admin = await login(server.url, 'admin', 'demo');
    const control = (await (await fetch(`${server.url}/api/v1/demo`, { headers: { cookie: admin } })).json()) as { enabled: boolean; kinds: string[] };
    expect(control.enabled).toBe(true);
    expect(control.kinds).toContain('surge');
    const trigger = (body: unknown, cookie = admin) =>
      fetch(`${server?.url}/api/v1/demo/trigger`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await trigger({ chairId: 'chair-2', kind: 'surge' })).status).toBe(201);
    expect((await trigger({ chairId: 'chair-9', kind: 'surge' })).status).toBe(400);
    expect((await trigger({ chairId: 'chair-2', kind: 'explode' })).status).toBe(400);
    expect((await trigger({ chairId: 'chair-2', kind: 'surge' }, nurse)).status).toBe(403);
  });

  it('has no demo logins and no demo control outside demo mode, and disables demo accounts left from one', async () => {
    const dataDir = tempDataDir();
    server = await startServerProcess({ DATA_DIR: dataDir, DEMO_CHAIRS: '1' });
    await server.stop();
    server = await startServerProcess({ DATA_DIR: dataDir, DEMO_CHAIRS: '0', ADMIN_PASSWORD: 'real-admin-password' });
    const status = (await (await fetch(`${server.url}/api/auth/session`)).json()) as { demoAccounts: unknown };
    expect(status.demoAccounts).toBeNull();
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nurse', password: 'demo' }) });
    expect(res.status).toBe(403);
    // ADMIN_PASSWORD turns the demo admin into the clinic's real admin.
    await login(server.url, 'admin', 'real-admin-password');
    const demoAdmin = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo' }) });
    expect(demoAdmin.status).toBe(401);
  });
});
