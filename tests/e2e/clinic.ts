import { randomUUID } from 'node:crypto';
import { expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { storeKind, tempDataDir, testDatabaseUrl } from '../helpers/test-server';

export const adminPassword = 'e2e-admin-password';
export const staffPassword = 'e2e-staff-password';
export const deviceToken = 'e2e-device-token-0123456789abcdef';

export interface Clinic {
  server: ServerProcess;
  url: string;
  /** Where the server keeps its SQLite file, and its PostgreSQL database when the tests run on one (for `lockFromOutside`). */
  dataDir: string;
  databaseUrl: string | null;
  /** A JSON call as the given user. */
  api(user: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  postReading(values: Record<string, number>, chairId?: string, at?: Date): Promise<void>;
  /** A new page in a new context (`options` sets viewport, touch…) logged in as `username`, on the chair grid. */
  logIn(browser: Browser, username: string, options?: BrowserContextOptions): Promise<Page>;
  stop(): Promise<void>;
}

/** A real server (no demo chairs) with staff accounts and chairs made through the public API. */
export async function openClinic(options: { chairs?: string[]; users?: [string, string][] } = {}): Promise<Clinic> {
  const dataDir = tempDataDir();
  const server = await startServerProcess({ DATA_DIR: dataDir, ADMIN_PASSWORD: adminPassword, INGEST_TOKEN: deviceToken, CLINIC_TIMEZONE: 'UTC' });
  const databaseUrl = storeKind === 'postgres' ? await testDatabaseUrl(dataDir) : null;
  const url = server.url;
  const cookies = new Map<string, string>();
  const login = async (username: string, password: string): Promise<string> => {
    const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')?.split(';')[0] ?? '';
  };
  cookies.set('admin', await login('admin', adminPassword));
  const api: Clinic['api'] = async (user, method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { cookie: cookies.get(user) ?? '', ...(body === undefined && method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  for (const [username, role] of options.users ?? [['nurse', 'nurse'], ['clinician', 'clinician']]) {
    expect((await api('admin', 'POST', '/api/v1/users', { username, password: staffPassword, role, displayName: `E2E ${username}` })).status).toBe(201);
    cookies.set(username, await login(username, staffPassword));
  }
  for (const name of options.chairs ?? ['Chair 1']) {
    expect((await api('admin', 'POST', '/api/v1/chairs', { name })).status).toBe(201);
  }
  return {
    server,
    url,
    dataDir,
    databaseUrl,
    api,
    async postReading(values, chairId = 'chair-1', at = new Date()) {
      const res = await fetch(`${url}/api/v1/readings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${deviceToken}` },
        body: JSON.stringify({ id: randomUUID(), chairId, measuredAt: at.toISOString(), source: 'device', ...values }),
      });
      expect(res.status).toBe(201);
    },
    async logIn(browser, username, options) {
      // A context of its own, not browser.newPage(): @axe-core/playwright opens pages beside it.
      const page = await (await browser.newContext(options)).newPage();
      await page.goto(url);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(staffPassword);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
      return page;
    },
    stop: async () => {
      await server.stop();
    },
  };
}
