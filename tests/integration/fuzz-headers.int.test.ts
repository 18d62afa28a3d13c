/**
 * Security headers and credentials under fuzz (issue 7): every answer carries a strict CSP and
 * nosniff, no origin is ever granted CORS (preflights included, Socket.IO's path too), the session
 * cookie is HttpOnly and SameSite=Strict, and arbitrary Authorization / Cookie headers are a 401,
 * never a 5xx or a way in.
 */
import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testPassword, type TestServer } from '../helpers/test-server';
import { listRoutes } from '../helpers/routes';
import { expectCleanAnswer, fuzz, fuzzDataDir, nastyString } from '../helpers/fuzz';

let server: TestServer;
let paths: string[] = [];
const counts = { requests: 0 };

beforeAll(async () => {
  server = await startTestServer({ dataDir: fuzzDataDir() });
  paths = listRoutes(server.chairside.app)
    .filter((r) => r.path.startsWith('/api/'))
    .map((r) => r.path.replace(/:\w+/g, 'chair-1'));
});

afterAll(async () => {
  console.info(`fuzz-headers: ${counts.requests} requests`);
  await server.close();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
});

/** A header value fetch will send: visible ASCII, tabs and Latin-1 only. */
const headerSafe = (s: string): string => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');

/** The CSP's directives by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name = '', ...values]) => [name.toLowerCase(), values]),
  );
}

function expectStrictHeaders(headers: Headers, where: string): void {
  const csp = headers.get('content-security-policy');
  expect(csp, `${where}: no CSP`).toBeTruthy();
  const d = directives(csp ?? '');
  expect(d.get('default-src'), where).toEqual(["'self'"]);
  const scripts = d.get('script-src') ?? d.get('default-src') ?? [];
  for (const loose of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", '*', 'data:', 'http:', 'https:', 'blob:']) {
    expect(scripts, `${where}: script-src allows ${loose}`).not.toContain(loose);
  }
  expect(d.get('script-src-attr') ?? ["'none'"], where).toEqual(["'none'"]);
  expect(d.get('object-src'), where).toEqual(["'none'"]);
  expect(d.get('frame-ancestors'), where).toEqual(["'none'"]);
  expect(d.get('base-uri'), where).toEqual(["'self'"]);
  expect(d.get('style-src') ?? [], where).not.toContain("'unsafe-inline'");
  expect(d.get('connect-src') ?? d.get('default-src'), where).not.toContain('*');
  expect(headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(headers.get('x-powered-by'), where).toBeNull();
  expect(headers.get('referrer-policy'), where).toBe('no-referrer');
}

function expectNoCors(headers: Headers, where: string): void {
  for (const name of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-expose-headers']) {
    expect(headers.get(name), `${where}: ${name}`).toBeNull();
  }
}

describe('security headers under fuzz', () => {
  it('sends a strict CSP, nosniff and no CORS grant on every answer, to any origin, preflights included', async () => {
    const origin = fc.oneof(
      fc.webUrl().map((u) => new URL(u).origin),
      fc.constantFrom('null', 'https://evil.example', 'http://127.0.0.1', 'http://localhost:3000', 'file://', '*', ''),
      nastyString.map(headerSafe),
    );
    const method = fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS', 'PUT');
    const arb = fc.tuple(fc.constantFrom(...paths, '/', '/index.html', '/api/nope', '/socket.io/?EIO=4&transport=polling'), method, origin, fc.constantFrom('POST', 'PATCH', 'DELETE', 'GET'), fc.constantFrom('content-type', 'authorization', 'x-anything', 'content-type, authorization'), fc.boolean());
    await fuzz('cors', arb, 300, async ([path, m, o, requestMethod, requestHeaders, withCredentials]) => {
      const headers: Record<string, string> = { origin: o };
      if (m === 'OPTIONS') Object.assign(headers, { 'access-control-request-method': requestMethod, 'access-control-request-headers': requestHeaders });
      if (withCredentials) headers.cookie = 'chairside_session=forged';
      const res = await fetch(`${server.url}${path}`, { method: m, headers, body: m === 'GET' || m === 'OPTIONS' ? undefined : '{}' });
      const text = await res.text();
      counts.requests += 1;
      const where = `${m} ${path} from ${o}`;
      expectNoCors(res.headers, where);
      expect(res.status, `${where}: ${text.slice(0, 200)}`).toBeLessThan(500);
      // Engine.IO answers its own path before Express; everything else is Express's, with helmet's headers.
      if (!path.startsWith('/socket.io/')) {
        expectStrictHeaders(res.headers, where);
        if (m !== 'OPTIONS') expectCleanAnswer(res.status, text, where);
      }
    });
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, path-wide, and clears it on logout', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ username: 'nurse', password: testPassword }) });
    expect(res.status).toBe(200);
    expectNoCors(res.headers, 'login');
    const cookie = res.headers.get('set-cookie') ?? '';
    const attributes = cookie.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes[0]).toMatch(/^chairside_session=[\w-]{20,}$/);
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=strict');
    expect(attributes).toContain('path=/');
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    const session = cookie.split(';')[0] ?? '';
    const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: session, 'content-type': 'application/json' } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie') ?? '').toMatch(/chairside_session=;.*Expires=Thu, 01 Jan 1970/i);
    const after = await fetch(`${server.url}/api/v1/chairs`, { headers: { cookie: session } });
    expect(after.status).toBe(401);
  });

  it('answers arbitrary Authorization and Cookie headers on protected routes with a clean 401', async () => {
    const token = fc.oneof(nastyString, fc.string({ maxLength: 200 }), fc.constantFrom('test-device-token-012345678', 'test-device-token-0123456789x', 'TEST-DEVICE-TOKEN-0123456789', 'test-device-token-0123456789é', 'x'.repeat(10_000)));
    const authorization = fc.oneof(
      token.map((t) => `Bearer ${headerSafe(t)}`),
      token.map((t) => `bearer  ${headerSafe(t)}`),
      token.map((t) => `Basic ${Buffer.from(t).toString('base64')}`),
      fc.constantFrom('Bearer', 'Bearer ', 'Token abc', 'Bearer a b', ''),
    );
    const cookie = fc.oneof(
      token.map((t) => `chairside_session=${headerSafe(t)}`),
      token.map((t) => `chairside_session=${encodeURIComponent(t.replace(/[\ud800-\udfff]/g, ''))}; chairside_session=other`),
      fc.constantFrom('chairside_session=%ZZ', 'chairside_session="unterminated', '=;;=;', 'chairside_session', `a=${'b'.repeat(12_000)}`),
      fc.string({ maxLength: 100 }).map(headerSafe),
    );
    const arb = fc.tuple(fc.constantFrom('GET /api/v1/chairs', 'POST /api/v1/readings', 'GET /api/v1/audit', 'GET /api/v1/sessions', 'POST /api/v1/users', 'GET /api/v1/hl7/unmapped'), fc.option(authorization, { nil: undefined }), fc.option(cookie, { nil: undefined }));
    await fuzz('auth headers', arb, 300, async ([route, auth, c]) => {
      const [m = 'GET', path = '/'] = route.split(' ');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (auth !== undefined) headers.authorization = auth;
      if (c !== undefined) headers.cookie = c;
      const res = await fetch(`${server.url}${path}`, { method: m, headers, body: m === 'GET' ? undefined : '{}' });
      const text = await res.text();
      counts.requests += 1;
      const where = `${route} authorization=${JSON.stringify(auth?.slice(0, 80))} cookie=${JSON.stringify(c?.slice(0, 80))}`;
      expectCleanAnswer(res.status, text, where);
      // Header too large for Node is refused before any route (431); everything else is not logged in.
      expect([401, 431], where).toContain(res.status);
    });
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
  });
});
