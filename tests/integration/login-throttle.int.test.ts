/**
 * Login throttling under parallel attempts, and password checks that cannot starve the server
 * (security review, issue 14 items 2 and 6). Client addresses are told apart by X-Forwarded-For:
 * the test server trusts its loopback proxy, as TRUST_PROXY's default does.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceToken, reading, startTestServer, tempDataDir, testPassword, type TestServer, storeKind } from '../helpers/test-server';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

interface Answer {
  status: number;
  message: string;
  retryAfter: string | null;
}

async function login(url: string, username: string, password: string, address?: string): Promise<Answer> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(address ? { 'x-forwarded-for': address } : {}) },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { error?: { message: string } };
  return { status: res.status, message: body.error?.message ?? '', retryAfter: res.headers.get('retry-after') };
}

/** How many answers had each status, e.g. `{ 401: 5, 429: 35 }`. */
function tally(answers: Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

/** A login's password was checked: it was answered 200 or 401 (429 and 503 are answered before any check). */
const checked = (answers: Answer[]): number => answers.filter((a) => a.status === 200 || a.status === 401).length;

describe('login throttling under parallel attempts', () => {
  it('39 wrong passwords and then the right one, sent together from one address: at most 5 are checked and the right one is refused', async () => {
    server = await startTestServer();
    const url = server.url;
    const attempts = [...Array.from({ length: 39 }, (_, i) => () => login(url, 'nurse', `wrong guess ${i}`)), () => login(url, 'nurse', testPassword)];
    const answers = await Promise.all(attempts.map((attempt) => attempt()));
    const right = answers.at(-1);
    console.info(`39 wrong + 1 right in parallel: ${JSON.stringify(tally(answers))}, right password ${right?.status}`);
    expect(checked(answers)).toBeLessThanOrEqual(5);
    expect(right?.status).toBe(429);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(35);
    for (const a of answers.filter((x) => x.status === 429)) expect(Number(a.retryAfter)).toBeGreaterThan(0);
    // The five that were checked failed, so the account is locked for this address now.
    const after = await login(url, 'nurse', testPassword);
    expect(after.status).toBe(429);
    expect(after.message).toMatch(/locked for 1[45] more minutes on this device/);
  });

  it('150 logins in parallel from one address: at most 20 password checks (the per-address limit), the rest refused without one', async () => {
    server = await startTestServer();
    const url = server.url;
    const answers = await Promise.all(Array.from({ length: 150 }, (_, i) => login(url, `someone-${i}`, 'not the password')));
    console.info(`150 parallel logins from one address: ${JSON.stringify(tally(answers))}`);
    expect(checked(answers)).toBeLessThanOrEqual(20);
    expect(checked(answers)).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(130);
    expect(answers.every((a) => [401, 429].includes(a.status))).toBe(true);
    // The limit holds afterwards too, for any account, the right password included.
    expect((await login(url, 'nurse', testPassword)).status).toBe(429);
  });
});

describe('account lockout is per account and address', () => {
  it('guessing the admin password from one address locks it there only: the admin still logs in from elsewhere', async () => {
    server = await startTestServer();
    const url = server.url;
    const attacker = '203.0.113.66';
    for (let i = 0; i < 4; i += 1) expect((await login(url, 'admin', `guess ${i}`, attacker)).status).toBe(401);
    const fifth = await login(url, 'admin', 'guess 5', attacker);
    expect(fifth.status).toBe(401);
    expect(fifth.message).toMatch(/locked here for 15 minutes/);
    const lockedThere = await login(url, 'admin', testPassword, attacker);
    expect(lockedThere.status).toBe(429);
    expect(lockedThere.message).toMatch(/for this account from this device/);

    // The admin's own workstation, and the server's loopback: not locked.
    expect((await login(url, 'admin', testPassword, '198.51.100.7')).status).toBe(200);
    expect((await login(url, 'admin', testPassword)).status).toBe(200);
    // Other accounts from the attacker's address are limited by the address limit only.
    expect((await login(url, 'nurse', testPassword, attacker)).status).toBe(200);
  });

  it('an admin resetting the password unlocks the account for every address', async () => {
    server = await startTestServer();
    const url = server.url;
    for (const address of ['203.0.113.1', '203.0.113.2']) {
      for (let i = 0; i < 5; i += 1) await login(url, 'nurse', `guess ${i}`, address);
      expect((await login(url, 'nurse', testPassword, address)).status).toBe(429);
    }
    const admin = await server.login('admin');
    const users = (await (await fetch(`${url}/api/v1/users`, { headers: { cookie: admin } })).json()) as { id: string; username: string }[];
    const nurseId = users.find((u) => u.username === 'nurse')?.id ?? '';
    const reset = await fetch(`${url}/api/v1/users/${nurseId}`, { method: 'PATCH', headers: { cookie: admin, 'content-type': 'application/json' }, body: JSON.stringify({ password: 'a brand new passphrase' }) });
    expect(reset.status).toBe(200);
    for (const address of ['203.0.113.1', '203.0.113.2']) expect((await login(url, 'nurse', 'a brand new passphrase', address)).status).toBe(200);
  });
});

/**
 * A client of its own (one keep-alive connection, node:http): the probes must measure the server,
 * not wait behind the flood's requests in the test process's shared fetch connection pool.
 */
function prober(url: string): (method: string, path: string, headers?: Record<string, string>, body?: string) => Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return (method, path, headers = {}, body) =>
    new Promise((resolve, reject) => {
      const req = http.request(`${url}${path}`, { method, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
}

/** Milliseconds each request took, sampled every `everyMs` until `until` settles. */
async function sampleLatency(request: () => Promise<number>, until: Promise<unknown>, everyMs: number): Promise<number[]> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const times: number[] = [];
  while (!done) {
    const started = performance.now();
    const status = await request();
    expect(status).toBeLessThan(300);
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return times;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

// Measures this server's event loop; the store's part is covered on both stores elsewhere, so it runs on SQLite only (the suite's time is bounded).
describe.runIf(storeKind === 'sqlite')('password checks cannot starve the server', () => {
  it('during a flood of 200 parallel logins from 200 addresses, static files, health and ingest answer within 1 s', async () => {
    const clientDir = tempDataDir();
    fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Chairside</title>');
    fs.writeFileSync(path.join(clientDir, 'app.js'), `// ${'x'.repeat(50_000)}\n`);
    server = await startTestServer({ clientDir });
    const url = server.url;
    await login(url, 'nobody', 'warm up the dummy hash'); // the dummy hash is made once, on first use

    const [staticProbe, healthProbe, ingestProbe] = [prober(url), prober(url), prober(url)];
    const getStatic = () => staticProbe('GET', '/app.js');
    const getHealth = () => healthProbe('GET', '/api/health');
    const ingest = () => ingestProbe('POST', '/api/v1/readings', { 'content-type': 'application/json', authorization: `Bearer ${deviceToken}` }, JSON.stringify(reading()));
    const quiet = new Promise((resolve) => setTimeout(resolve, 2000));
    const [quietStatic, quietHealth, quietIngest] = await Promise.all([sampleLatency(getStatic, quiet, 50), sampleLatency(getHealth, quiet, 50), sampleLatency(ingest, quiet, 50)]);

    const started = performance.now();
    const flood = Promise.all(Array.from({ length: 200 }, (_, i) => login(url, i % 2 === 0 ? 'admin' : `user-${i}`, `flood ${i}`, `198.18.${Math.floor(i / 250)}.${i % 250}`)));
    const [answers, staticMs, healthMs, ingestMs] = await Promise.all([
      flood,
      sampleLatency(getStatic, flood, 50),
      sampleLatency(getHealth, flood, 50),
      sampleLatency(ingest, flood, 50),
    ]);
    const floodMs = performance.now() - started;
    const summary = (name: string, ms: number[]) => `${name} n=${ms.length} p50 ${percentile(ms, 50).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`;
    console.info(`without a flood: ${summary('static file', quietStatic)}; ${summary('health', quietHealth)}; ${summary('ingest', quietIngest)}`);
    console.info(`200-login flood answered in ${floodMs.toFixed(0)} ms: ${JSON.stringify(tally(answers))}; ${summary('static file', staticMs)}; ${summary('health', healthMs)}; ${summary('ingest', ingestMs)}`);

    expect(staticMs.length).toBeGreaterThan(0);
    expect(Math.max(...staticMs)).toBeLessThan(1000);
    expect(Math.max(...healthMs)).toBeLessThan(1000);
    expect(Math.max(...ingestMs)).toBeLessThan(1000);
    // Every login was answered: checked (401), or refused quickly because the checks were full (503).
    expect(answers.every((a) => a.status === 401 || a.status === 503)).toBe(true);
    for (const a of answers.filter((x) => x.status === 503)) {
      expect(a.message).toMatch(/busy/);
      expect(a.retryAfter).toMatch(/^\d+$/);
    }
    // A login after the flood is checked as usual.
    expect((await login(url, 'nurse', testPassword, '192.0.2.10')).status).toBe(200);
  });
});
