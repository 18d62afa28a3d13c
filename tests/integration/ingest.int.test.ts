import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { type ChairTrend, type Reading, addToTrend } from '@chairside/shared';
import { nextStored, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

async function chairReadings(chairId = 'chair-1'): Promise<Reading[]> {
  const cookie = await server.login('nurse');
  const res = await fetch(`${server.url}/api/v1/chairs/${chairId}/readings`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as Reading[];
}

describe('POST /api/v1/readings', () => {
  it('stores a device reading, answers 201 with its sequence number, and broadcasts it to every dashboard', async () => {
    const cookie = await server.login('nurse');
    const a = await server.dashboard(cookie);
    const b = await server.dashboard(await server.login('clinician'));
    await a.emitWithAck('readings:sync', { afterSeq: null });
    await b.emitWithAck('readings:sync', { afterSeq: null });
    const onA = nextStored(a);
    const onB = nextStored(b);

    const sent = reading({ systolic: 141, diastolic: 92, mean: 108 });
    const res = await postReadings(server.url, sent);

    expect(res.status).toBe(201);
    const stored = res.body as Reading;
    expect(stored).toMatchObject({ id: sent.id, chairId: 'chair-1', sessionId: null, systolic: 141, source: 'device' });
    expect(stored.seq).toBeGreaterThan(0);
    const [gotA] = await onA;
    const [gotB] = await onB;
    expect(gotA).toEqual(stored);
    expect(gotB).toEqual(stored);
  });

  it('stores a retry with the same id once and answers it 200 with the stored reading', async () => {
    const sent = reading();
    const first = await postReadings(server.url, sent);
    const retry = await postReadings(server.url, sent);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect((await chairReadings()).filter((r) => r.id === sent.id)).toHaveLength(1);
  });

  it('refuses the same id with different values (409) and keeps the first', async () => {
    const sent = reading({ systolic: 120 });
    await postReadings(server.url, sent);
    const clash = await postReadings(server.url, { ...sent, systolic: 190 });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ error: { code: 'conflict', details: { ids: [sent.id] } } });
    const stored = await chairReadings();
    expect(stored.map((r) => r.systolic)).toEqual([120]);
  });

  it('stores an array in one go and answers with the array', async () => {
    const batch = Array.from({ length: 50 }, (_, i) => reading({ heartRate: 60 + i, systolic: undefined, diastolic: undefined, mean: undefined }));
    const res = await postReadings(server.url, batch);
    expect(res.status).toBe(201);
    const stored = res.body as Reading[];
    expect(stored.map((r) => r.id)).toEqual(batch.map((r) => r.id));
    expect(new Set(stored.map((r) => r.seq)).size).toBe(50);
    expect(await chairReadings()).toHaveLength(50);
  });

  it('answers a malformed reading 400 naming the field', async () => {
    const res = await postReadings(server.url, { ...reading(), systolic: 'high' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_input', details: [{ path: ['systolic'] }] } });
  });

  it('answers a batch with one bad item 400 naming its index and field, and stores none of it', async () => {
    const batch = [reading(), { ...reading(), measuredAt: 'yesterday' }, reading()];
    const res = await postReadings(server.url, batch);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { details: [{ path: [1, 'measuredAt'] }] } });
    expect(await chairReadings()).toHaveLength(0);
  });

  it.each([
    ['no chair and no session', { chairId: undefined }, 'chairId'],
    ['no vital at all', { systolic: undefined, diastolic: undefined, mean: undefined, heartRate: undefined, spo2: undefined }, 'systolic'],
    ['a time without offset', { measuredAt: '2026-11-22T10:00:00' }, 'measuredAt'],
    ['an unknown chair', { chairId: 'chair-99' }, 'chairId'],
    ['a time an hour ahead', { measuredAt: new Date(Date.now() + 3_600_000).toISOString() }, 'measuredAt'],
    ['an unknown source', { source: 'guess' }, 'source'],
    ['an id that is not a UUID', { id: '42' }, 'id'],
  ])('answers %s with 400', async (_what, overrides, field) => {
    const res = await postReadings(server.url, { ...reading(), ...overrides });
    expect(res.status).toBe(400);
    const details = (res.body as { error: { details: { path: unknown[] }[] } }).error.details;
    expect(details.map((d) => d.path.at(-1))).toContain(field);
  });

  it('answers a body that is not JSON with 400', async () => {
    const res = await fetch(`${server.url}/api/v1/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-device-token-0123456789' },
      body: '{"id": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_input' } });
  });

  it('answers more than 1000 readings, or a huge body, with 413', async () => {
    const many = Array.from({ length: 1001 }, () => reading());
    expect((await postReadings(server.url, many)).status).toBe(413);
    const huge = { ...reading(), padding: 'x'.repeat(2_000_000) };
    const res = await postReadings(server.url, huge);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers 401 without a token, with a wrong token, or with a wrong cookie', async () => {
    expect((await postReadings(server.url, reading(), {})).status).toBe(401);
    expect((await postReadings(server.url, reading(), { token: 'not-the-token' })).status).toBe(401);
    expect((await postReadings(server.url, reading(), { cookie: 'chairside_session=forged' })).status).toBe(401);
    expect(await chairReadings()).toHaveLength(0);
  });

  it('takes a nurse’s manual entry with her session cookie and records who entered it', async () => {
    const cookie = await server.login('nurse');
    const res = await postReadings(server.url, reading({ source: 'manual' }), { cookie });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ source: 'manual', enteredBy: 'nurse' });
  });

  it('refuses readings a role or a token may not send', async () => {
    const nurse = await server.login('nurse');
    expect((await postReadings(server.url, reading({ source: 'device' }), { cookie: nurse })).status).toBe(400);
    expect((await postReadings(server.url, reading({ source: 'manual' }))).status).toBe(400);
    const admin = await server.login('admin');
    expect((await postReadings(server.url, reading({ source: 'manual' }), { cookie: admin })).status).toBe(403);
  });

  it('keeps implausible values and monitor markers as rejected with their reason, never as vitals', async () => {
    const sent = reading({ systolic: 320, diastolic: 80, mean: undefined, heartRate: -999, spo2: 65 });
    const res = await postReadings(server.url, sent);
    expect(res.status).toBe(201);
    const stored = res.body as Reading;
    expect(stored).toMatchObject({ systolic: null, diastolic: 80, heartRate: null, spo2: 65, flags: ['spo2-low-accuracy'] });
    expect(stored.rejected).toEqual([
      expect.objectContaining({ field: 'systolic', value: 320, reason: 'out-of-range' }),
      expect.objectContaining({ field: 'heartRate', value: -999, reason: 'no-reading-marker' }),
    ]);
    const [kept] = await chairReadings();
    expect(kept?.rejected).toHaveLength(2);
  });

  it('rejects a blood pressure whose diastolic is not below its systolic', async () => {
    const res = await postReadings(server.url, reading({ systolic: 90, diastolic: 95, mean: 92 }));
    const stored = res.body as Reading;
    expect(stored).toMatchObject({ systolic: null, diastolic: null, mean: null });
    expect(stored.rejected.map((r) => r.reason)).toEqual(['inconsistent', 'inconsistent', 'inconsistent']);
  });
});

describe('corrections', () => {
  it('keeps both the original and a nurse’s correction that supersedes it, never editing in place', async () => {
    const original = reading({ systolic: 182, diastolic: 96, mean: undefined });
    await postReadings(server.url, original);
    const cookie = await server.login('nurse');
    const correction = reading({ systolic: 142, diastolic: 86, mean: undefined, source: 'manual', supersedes: original.id });
    const res = await postReadings(server.url, correction, { cookie });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ supersedes: original.id, enteredBy: 'nurse', systolic: 142 });
    const stored = await chairReadings();
    expect(stored.find((r) => r.id === original.id)).toMatchObject({ systolic: 182, supersedes: null });
    expect(stored.find((r) => r.id === correction.id)).toMatchObject({ supersedes: original.id });

    const unknown = await postReadings(server.url, reading({ source: 'manual', supersedes: crypto.randomUUID() }), { cookie });
    expect(unknown.status).toBe(400);
    const byDevice = await postReadings(server.url, reading({ supersedes: original.id }));
    expect(byDevice.status).toBe(400);
    expect(byDevice.body).toMatchObject({ error: { details: [{ path: ['supersedes'] }] } });
  });
});

describe('GET /api/v1/chairs', () => {
  it('lists chairs with their newest vitals', async () => {
    await postReadings(server.url, reading({ systolic: 150, diastolic: 95, mean: 113, measuredAt: new Date(Date.now() - 60_000).toISOString() }));
    await postReadings(server.url, reading({ systolic: undefined, diastolic: undefined, mean: undefined, heartRate: 88, spo2: 97 }));
    const cookie = await server.login('nurse');
    const res = await fetch(`${server.url}/api/v1/chairs`, { headers: { cookie } });
    const chairs = (await res.json()) as { id: string; latest: { bp: { systolic: number } | null; heartRate: { value: number } | null } }[];
    expect(chairs.map((c) => c.id)).toEqual(['chair-1', 'chair-2']);
    expect(chairs[0]?.latest.bp?.systolic).toBe(150);
    expect(chairs[0]?.latest.heartRate?.value).toBe(88);
    expect(chairs[1]?.latest.bp).toBeNull();
  });

  it('returns a chair timeline filtered by time, and 404 for an unknown chair', async () => {
    const t0 = Date.now() - 30 * 60_000;
    for (let i = 0; i < 3; i += 1) {
      await postReadings(server.url, reading({ measuredAt: new Date(t0 + i * 10 * 60_000).toISOString() }));
    }
    const cookie = await server.login('nurse');
    const from = new Date(t0 + 5 * 60_000).toISOString();
    const res = await fetch(`${server.url}/api/v1/chairs/chair-1/readings?from=${encodeURIComponent(from)}`, { headers: { cookie } });
    expect(((await res.json()) as Reading[]).map((r) => Date.parse(r.measuredAt))).toEqual([t0 + 600_000, t0 + 1_200_000]);
    const missing = await fetch(`${server.url}/api/v1/chairs/nope/readings`, { headers: { cookie } });
    expect(missing.status).toBe(404);
    const bad = await fetch(`${server.url}/api/v1/chairs/chair-1/readings?from=tuesday`, { headers: { cookie } });
    expect(bad.status).toBe(400);
  });

  it("gives a chair's trend: the same buckets the dashboard folds from its readings, spikes kept", async () => {
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 60_000;
    const sent = Array.from({ length: 120 }, (_, i) =>
      reading({ measuredAt: new Date(t0 + i * 5000).toISOString(), systolic: i % 12 === 0 ? 130 + i / 12 : undefined, diastolic: i % 12 === 0 ? 80 : undefined, mean: undefined, heartRate: i === 50 ? 171 : 70 + (i % 5), spo2: 97 }),
    );
    expect((await postReadings(server.url, sent)).status).toBe(201);
    const cookie = await server.login('nurse');
    const get = (query: string) => fetch(`${server.url}/api/v1/chairs/chair-1/trend${query}`, { headers: { cookie } });
    const from = new Date(t0 - 60_000).toISOString();
    const res = await get(`?from=${encodeURIComponent(from)}&bucketMs=60000`);
    expect(res.status).toBe(200);
    const trend = (await res.json()) as ChairTrend;
    const timeline = (await (await fetch(`${server.url}/api/v1/chairs/chair-1/readings?from=${encodeURIComponent(from)}`, { headers: { cookie } })).json()) as Reading[];
    const folded = addToTrend([], timeline.map((r) => ({ t: Date.parse(r.measuredAt), reading: r })), { bucketMs: 60_000, windowMs: 24 * 60 * 60_000 });
    expect(trend).toMatchObject({ chairId: 'chair-1', from, bucketMs: 60_000, readings: 120 });
    expect(trend.buckets).toEqual(folded);
    expect(trend.buckets).toHaveLength(10);
    expect(Math.max(...trend.buckets.map((b) => b.range[7] ?? 0))).toBe(171);

    expect((await get('?bucketMs=15000')).status).toBe(200);
    const weekAgo = encodeURIComponent(new Date(Date.now() - 8 * 24 * 60 * 60_000).toISOString());
    for (const bad of [`?from=${weekAgo}&bucketMs=3600000`, '?bucketMs=1000', '?bucketMs=soon', '?bucketMs=500', '?from=tuesday', `?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(from)}`]) {
      const refused = await get(bad);
      expect(refused.status, bad).toBe(400);
      const body = (await refused.json()) as { error: { code: string } };
      expect(body.error.code, bad).toBe('invalid_input');
      expect(JSON.stringify(body), bad).toMatch(/"(bucketMs|from|to)"/);
    }
    expect((await fetch(`${server.url}/api/v1/chairs/nope/trend`, { headers: { cookie } })).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/chairs/chair-1/trend`)).status).toBe(401);
  });

  it('lets an admin add a chair and refuses a duplicate', async () => {
    const admin = await server.login('admin');
    const post = (body: unknown, cookie = admin): Promise<Response> =>
      fetch(`${server.url}/api/v1/chairs`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = await post({ name: 'Recliner 3', hl7Bed: 'ICU^3^1' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'chair-3', name: 'Recliner 3', hl7Bed: 'ICU^3^1' });
    expect((await post({ name: 'Again', hl7Bed: 'ICU^3^1' })).status).toBe(409);
    expect((await post({ name: 'By a nurse' }, await server.login('nurse'))).status).toBe(403);
    expect((await post({ name: '' })).status).toBe(400);
  });
});

describe('unknown ids', () => {
  it('stores nothing for a reading naming only an unknown session', async () => {
    const res = await postReadings(server.url, { ...reading({ chairId: undefined }), sessionId: randomUUID() });
    expect(res.status).toBe(400);
  });
});
