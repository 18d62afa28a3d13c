/**
 * Fuzzing every HTTP route the server serves (issue 7): malformed bodies, query strings and path
 * parameters, sent as a role the route lets through so they reach the validation behind the access
 * check. Whatever arrives: never a 5xx, errors as `{error:{code,message}}` without stack traces or
 * file paths, and the server keeps answering. Replay a failure with FUZZ_SEED (see helpers/fuzz.ts).
 */
import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@chairside/shared';
import { api, postReadings, reading, startTestServer, testPassword, type TestServer } from '../helpers/test-server';
import { listRoutes, type RouteInfo } from '../helpers/routes';
import { encode, expectCleanAnswer, type FuzzBody, fuzz, fuzzBody, fuzzDataDir, mutationsOf, pathParam, queryString } from '../helpers/fuzz';

let server: TestServer;
const cookies = new Map<Role, string>();
/** Real ids per path parameter, so the fuzz also reaches handlers past "not found". */
const validIds: Record<string, string[]> = {};
let routes: (RouteInfo & { as: Role | null })[] = [];
const validBodies: Record<string, unknown[]> = {};
const counts = { requests: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  server = await startTestServer({ dataDir: fuzzDataDir() });
  for (const role of ['nurse', 'clinician', 'admin'] as const) cookies.set(role, await server.login(role));
  const admin = cookies.get('admin') ?? '';
  const nurse = cookies.get('nurse') ?? '';
  // A user the fuzz may change at will (PATCH /users/:id), so the test's own logins stay intact.
  const victim = await api(server.url, 'POST', '/api/v1/users', admin, { username: 'victim', password: testPassword, role: 'nurse' });
  const token = await api(server.url, 'POST', '/api/v1/device-tokens', admin, { label: 'fuzz' });
  expect((await api(server.url, 'POST', '/api/v1/devices', admin, { deviceId: 'MON-1', chairId: 'chair-1' })).status).toBe(201);
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'F. Uzz' });
  const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-2', protocolId: 'iv-ketamine' });
  expect(session.status).toBe(201);
  const stored = await postReadings(server.url, [reading(), reading({ chairId: 'chair-2' })]);
  expect(stored.status).toBe(201);
  validIds.users = [victim.body.id];
  validIds['device-tokens'] = [token.body.id];
  validIds.devices = ['MON-1', 'mon-1'];
  validIds.chairs = ['chair-1', 'chair-2'];
  validIds.patients = [patient.body.id];
  validIds.sessions = [session.body.id];
  validIds.alerts = ['00000000-0000-4000-8000-000000000000'];

  // A valid body per route, for mutations that get past the first checks.
  const protocols = await api(server.url, 'GET', '/api/v1/protocols', admin);
  const sessionDetail = await api(server.url, 'GET', `/api/v1/sessions/${session.body.id}`, nurse);
  const checklist = Object.fromEntries(((sessionDetail.body.protocol?.dischargeGate?.checklist ?? []) as { id: string }[]).map((item) => [item.id, true]));
  validBodies['POST /api/auth/login'] = [{ username: 'nobody', password: 'not the password' }];
  validBodies['POST /api/v1/users'] = [{ username: 'fuzzed', password: testPassword, role: 'nurse', displayName: 'Fuzzed' }];
  validBodies['PATCH /api/v1/users/:id'] = [{ displayName: 'Victim', role: 'clinician', disabled: false }, { password: testPassword }];
  validBodies['POST /api/v1/device-tokens'] = [{ label: 'monitor 7' }];
  validBodies['POST /api/v1/devices'] = [{ deviceId: '0011AABBCCDDEEFF', chairId: 'chair-1' }];
  validBodies['POST /api/v1/chairs'] = [{ name: 'Recliner 9', hl7Bed: 'KETA^9^1', position: 9 }, { name: 'Recliner 10', id: 'chair-10' }];
  validBodies['POST /api/v1/readings'] = [reading(), [reading(), reading({ chairId: 'chair-2', source: 'manual' })]].map((r) => JSON.parse(JSON.stringify(r)) as unknown);
  validBodies['POST /api/v1/patients'] = [{ displayName: 'A. Patient', mrn: 'MRN-1', riskFlags: ['hypertension'] }];
  validBodies['POST /api/v1/protocols'] = [{ ...protocols.body[0], id: 'fuzz-protocol' }];
  validBodies['POST /api/v1/sessions'] = [{ patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine', identityConfirmed: true }];
  validBodies['POST /api/v1/sessions/:id/events'] = [
    { type: 'note', text: 'fine' },
    { type: 'treatment-paused', reason: 'nausea', note: 'n' },
    { type: 'limits-changed', limits: { 'bp-crisis': { systolicMmHg: 190 }, 'hr-low': { heartRatePerMin: 45 } }, reason: 'known hypertensive' },
    { type: 'checklist-updated', items: checklist },
    { type: 'discharged', override: { reason: 'escorted home' } },
    { type: 'cancelled', reason: 'declined' },
  ];
  validBodies['POST /api/v1/sessions/:id/readings'] = [{ readingIds: [stored.body instanceof Array ? (stored.body[0] as { id: string }).id : ''] }];
  validBodies['POST /api/v1/sessions/:id/addenda'] = [{ text: 'late entry' }];
  validBodies['POST /api/v1/alerts/:id/acknowledge'] = [{ note: 'seen' }, {}];
  validBodies['POST /api/v1/chairs/:id/audio-pause'] = [{}];
  validBodies['POST /api/v1/demo/trigger'] = [{ chairId: 'chair-1', kind: 'surge' }];

  // Each route is fuzzed as the first role it lets through (anonymous for the public ones).
  const all = listRoutes(server.chairside.app).filter((r) => r.path.startsWith('/api/'));
  for (const route of all) {
    if (route.path.startsWith('/api/auth/') || route.path === '/api/health') {
      routes.push({ ...route, as: null });
      continue;
    }
    let as: Role | null = null;
    for (const role of ['clinician', 'nurse', 'admin'] as const) {
      const res = await fetch(`${server.url}${fill(route.path, () => 'chair-1')}`, {
        method: route.method,
        headers: { cookie: cookies.get(role) ?? '', ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
        body: route.method === 'GET' ? undefined : '{}',
      });
      await res.arrayBuffer();
      if (res.status !== 401 && res.status !== 403) {
        as = role;
        break;
      }
    }
    if (as === null) throw new Error(`no role may call ${route.method} ${route.path}`);
    routes.push({ ...route, as });
  }
  routes = routes.sort((a, b) => `${a.method} ${a.path}`.localeCompare(`${b.method} ${b.path}`));
});

afterAll(async () => {
  const statuses = [...counts.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
  console.info(`fuzz-http: ${counts.requests} requests over ${routes.length} routes (${statuses})`);
  await server.close();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
});

/** The path with each `:param` replaced. */
function fill(path: string, value: (param: string, resource: string) => string): string {
  const parts = path.split('/');
  return parts.map((part, i) => (part.startsWith(':') ? value(part.slice(1), parts[i - 1] ?? '') : part)).join('/');
}

async function send(method: string, path: string, body: FuzzBody, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const h: Record<string, string> = { ...headers };
  if (body.contentType !== null) h['content-type'] = body.contentType;
  if (body.contentEncoding) h['content-encoding'] = body.contentEncoding;
  const hasBody = method !== 'GET' && method !== 'HEAD' && body.body !== null;
  const res = await fetch(`${server.url}${path}`, { method, headers: h, body: hasBody ? (body.body as BodyInit) : undefined });
  const text = await res.text();
  counts.requests += 1;
  counts.byStatus.set(res.status, (counts.byStatus.get(res.status) ?? 0) + 1);
  return { status: res.status, text };
}

async function expectHealthy(): Promise<void> {
  const res = await fetch(`${server.url}/api/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'ok' });
}

describe('fuzzing every HTTP route', () => {
  it('serves the routes of the access matrix, each fuzzed below', () => {
    expect(routes.length).toBeGreaterThan(30);
  });

  // One property per route: arbitrary path parameters, query strings and bodies.
  it('answers arbitrary bodies, query strings and path parameters on every route with a clean 4xx or a success, never a 5xx', async () => {
    for (const route of routes) {
      const paramArbs = fill(route.path, (param, resource) => `${param}@${resource}`)
        .split('/')
        .filter((p) => p.includes('@'))
        .map((p) => pathParam(validIds[p.split('@')[1] ?? ''] ?? ['x']));
      const headers: Record<string, string> = route.as ? { cookie: cookies.get(route.as) ?? '' } : {};
      const bases = validBodies[`${route.method} ${route.path}`] ?? [];
      const body: fc.Arbitrary<FuzzBody> =
        bases.length === 0
          ? fuzzBody
          : fc.oneof(
              { weight: 2, arbitrary: fuzzBody },
              { weight: 3, arbitrary: fc.constantFrom(...bases).chain((base) => mutationsOf(base)).map((text) => ({ contentType: 'application/json', body: text, what: 'mutated valid body' })) },
            );
      await fuzz(`${route.method} ${route.path}`, fc.tuple(fc.tuple(...paramArbs), queryString, body), bases.length === 0 ? 35 : 70, async ([params, query, body]) => {
        let i = 0;
        const path = fill(route.path, () => params[i++] ?? '') + query;
        const where = `${route.method} ${path.slice(0, 200)} as ${route.as ?? 'anonymous'} with ${body.what}`;
        const res = await send(route.method, path, body, headers);
        expectCleanAnswer(res.status, res.text, where);
      });
    }
    await expectHealthy();
  });

  it('answers arbitrary methods and paths under /api with a clean 4xx', async () => {
    const segment = fc.oneof(
      fc.constantFrom('v1', 'v2', 'api', 'chairs', 'sessions', 'readings', 'users', 'audit', 'hl7', '..', '.', '%2e%2e', '%ZZ', '%00', 'chair-1', '', '*'),
      fc.string({ maxLength: 10 }).map(encode),
    );
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD');
    const cookie = fc.constantFrom<Role | null>('nurse', 'clinician', 'admin', null);
    const arb = fc.tuple(method, fc.array(segment, { minLength: 1, maxLength: 6 }), queryString, cookie, fuzzBody);
    await fuzz('random paths', arb, 300, async ([m, segments, query, role, body]) => {
      const path = `/api/${segments.join('/')}${query}`;
      const res = await send(m, path, body, role ? { cookie: cookies.get(role) ?? '' } : {});
      if (m === 'HEAD') expect(res.status, `${m} ${path}`).toBeLessThan(500);
      else expectCleanAnswer(res.status, res.text, `${m} ${path} as ${role ?? 'anonymous'} with ${body.what}`);
    });
    await expectHealthy();
  });

  it('refuses a path parameter too long for a request line before it reaches a handler, and stays up', async () => {
    const res = await fetch(`${server.url}/api/v1/sessions/${'a'.repeat(100_000)}`, { headers: { cookie: cookies.get('nurse') ?? '' } });
    expect([400, 414, 431]).toContain(res.status);
    await res.arrayBuffer();
    await expectHealthy();
  });

  it('answers a path parameter that is not valid percent-encoding with 400 invalid_input (regression: was 500)', async () => {
    for (const path of ['/api/v1/sessions/%ZZ', '/api/v1/chairs/%E0%A4%A/readings', '/api/v1/patients/%', '/api/v1/users/%C0']) {
      const role = path.includes('users') ? 'admin' : 'nurse';
      const res = await send(path.includes('users') ? 'PATCH' : 'GET', path, { contentType: 'application/json', body: '{}', what: '' }, { cookie: cookies.get(role) ?? '' });
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.text), path).toMatchObject({ error: { code: 'invalid_input' } });
    }
  });

  it('answers a compressed body that does not inflate with 400 invalid_input (regression: was 500)', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await send('POST', '/api/v1/readings', { contentType: 'application/json', contentEncoding: encoding, body: new Uint8Array([1, 2, 3, 4]), what: '' }, { cookie: cookies.get('nurse') ?? '' });
      expect(res.status, encoding).toBe(400);
      expect(JSON.parse(res.text), encoding).toMatchObject({ error: { code: 'invalid_input' } });
    }
  });
});
