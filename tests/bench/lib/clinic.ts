/**
 * Sets a clinic up through the public API, as an admin and a nurse would: staff accounts, chairs,
 * patients and check-ins.
 */
import { pool } from './common';

export const adminPassword = 'bench-admin-password';
export const staffPassword = 'bench-staff-password';
export const ingestToken = 'bench-device-token-0123456789abcdef';

export interface ApiAnswer {
  status: number;
  // Setup reads answers loosely; the schemas are checked by the server's own tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function call(url: string, cookie: string, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { cookie, ...(body === undefined && method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function expectStatus(answer: Promise<ApiAnswer>, statuses: number[], what: string): Promise<ApiAnswer> {
  const a = await answer;
  if (!statuses.includes(a.status)) throw new Error(`${what}: HTTP ${a.status} ${JSON.stringify(a.body)}`);
  return a;
}

export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${username}: HTTP ${res.status}`);
  await res.text();
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

export interface Clinic {
  url: string;
  admin: string;
  nurse: string;
  clinician: string;
  call(cookie: string, method: string, path: string, body?: unknown): Promise<ApiAnswer>;
}

/** Logs the admin in (ADMIN_PASSWORD) and creates a nurse and a clinician. */
export async function openClinic(url: string): Promise<Clinic> {
  const admin = await login(url, 'admin', adminPassword);
  for (const role of ['nurse', 'clinician'] as const) {
    await expectStatus(
      call(url, admin, 'POST', '/api/v1/users', { username: role, password: staffPassword, role, displayName: `Bench ${role}` }),
      [201],
      `create ${role}`,
    );
  }
  return {
    url,
    admin,
    nurse: await login(url, 'nurse', staffPassword),
    clinician: await login(url, 'clinician', staffPassword),
    call: (cookie, method, path, body) => call(url, cookie, method, path, body),
  };
}

/**
 * Dashboard sockets one login may hold open at once: the server's `maxSocketsPerUser`
 * (server/src/realtime/socket-server.ts), which the bench must respect, not raise.
 */
export const dashboardsPerLogin = 20;

/**
 * One session cookie per dashboard for `count` dashboards, at most `dashboardsPerLogin` on one login:
 * the clinic's nurse first, then further nurses (`bench-nurse-2`, …) created as the admin would.
 */
export async function dashboardLogins(clinic: Clinic, count: number): Promise<string[]> {
  const logins = [clinic.nurse];
  for (let n = 2; (n - 1) * dashboardsPerLogin < count; n += 1) {
    const username = `bench-nurse-${n}`;
    await expectStatus(
      call(clinic.url, clinic.admin, 'POST', '/api/v1/users', { username, password: staffPassword, role: 'nurse', displayName: `Bench nurse ${n}` }),
      [201],
      `create ${username}`,
    );
    logins.push(await login(clinic.url, username, staffPassword));
  }
  return Array.from({ length: count }, (_, i) => logins[Math.floor(i / dashboardsPerLogin)] as string);
}

/** Creates chairs `<prefix>1`…`<prefix>N` (position = number); returns their ids. */
export async function createChairs(clinic: Clinic, count: number, prefix = 'chair-', first = 1): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${first + i}`);
  await pool(ids.length, 8, async (i) => {
    await expectStatus(
      clinic.call(clinic.admin, 'POST', '/api/v1/chairs', { id: ids[i], name: `Chair ${first + i}`, position: first + i }),
      [201],
      `create chair ${ids[i]}`,
    );
  });
  return ids;
}

/** A new patient checked in on each chair (protocol iv-ketamine); returns the session ids. */
export async function checkInAll(clinic: Clinic, chairIds: readonly string[]): Promise<string[]> {
  const sessions: string[] = new Array<string>(chairIds.length);
  await pool(chairIds.length, 8, async (i) => {
    const patient = await expectStatus(
      clinic.call(clinic.nurse, 'POST', '/api/v1/patients', { displayName: `Patient ${i + 1}` }),
      [201],
      'create patient',
    );
    const session = await expectStatus(
      clinic.call(clinic.nurse, 'POST', '/api/v1/sessions', { patientId: patient.body.id, chairId: chairIds[i], protocolId: 'iv-ketamine', identityConfirmed: true }),
      [201],
      `check in on ${chairIds[i]}`,
    );
    sessions[i] = String(session.body.id);
  });
  return sessions;
}
