import { describe, expect, it, vi } from 'vitest';
import { makeChair, makeReading } from '../test-utils';
import { createApiClient } from './api-client';
import { ApiError } from './api-error';

const json = (body: unknown, status = 200) => Promise.resolve(new Response(JSON.stringify(body), { status }));

describe('api client', () => {
  it('validates answers and rejects an unexpected shape', async () => {
    const api = createApiClient({ fetch: () => json([{ id: 'chair-1' }]) });
    await expect(api.listChairs()).rejects.toMatchObject({ code: 'unexpected' });
  });

  it('returns validated chairs', async () => {
    const chair = makeChair({ id: 'chair-1', name: 'Chair 1' });
    const api = createApiClient({ fetch: () => json([chair]) });
    await expect(api.listChairs()).resolves.toEqual([chair]);
  });

  it('turns an error body into an ApiError with its message and field details', async () => {
    const body = { error: { code: 'invalid_input', message: 'bad', details: [{ path: [0, 'systolic'], message: 'too high' }] } };
    const api = createApiClient({ fetch: () => json(body, 400) });
    const error: unknown = await api.postReading({ id: crypto.randomUUID(), chairId: 'c', measuredAt: '2026-01-01T00:00:00Z', source: 'manual' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, message: 'bad', details: [{ path: [0, 'systolic'], message: 'too high' }] });
  });

  it('reports a 401 on a logged-in call as the end of the session, but not a failed login', async () => {
    const onUnauthorized = vi.fn();
    const api = createApiClient({ fetch: () => json({ error: { code: 'unauthorized', message: 'Wrong username or password' } }, 401), onUnauthorized });
    await expect(api.login({ username: 'a', password: 'b' })).rejects.toThrow('Wrong username or password');
    expect(onUnauthorized).not.toHaveBeenCalled();
    await expect(api.listChairs()).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('says when the server cannot be reached', async () => {
    const api = createApiClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(api.getSession()).rejects.toMatchObject({ code: 'network', message: 'Cannot reach the Chairside server' });
  });

  it('asks for a chair’s timeline from an instant', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() => json([]));
    await createApiClient({ fetch }).chairReadings('chair 1', { from: '2026-11-22T00:00:00.000Z' });
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/chairs/chair%201/readings?from=2026-11-22T00%3A00%3A00.000Z');
  });

  it('asks for a slice of a chair’s timeline and checks every reading of a long answer', async () => {
    const good = (seq: number) => makeReading({ seq, heartRate: 70 });
    const readings = Array.from({ length: 6000 }, (_, i) => good(i + 1));
    const fetch = vi.fn<typeof globalThis.fetch>(() => json(readings));
    const api = createApiClient({ fetch });
    await expect(api.chairReadings('chair-1', { from: '2026-11-22T00:00:00.000Z', to: '2026-11-22T01:00:00.000Z' })).resolves.toHaveLength(6000);
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/chairs/chair-1/readings?from=2026-11-22T00%3A00%3A00.000Z&to=2026-11-22T01%3A00%3A00.000Z');

    const broken = [...readings.slice(0, 5000), { ...good(5001), heartRate: 'fast' }];
    const refused = createApiClient({ fetch: () => json(broken) }).chairReadings('chair-1', { from: '2026-11-22T00:00:00.000Z' });
    await expect(refused).rejects.toMatchObject({ code: 'unexpected' });
  });

  it('asks for a chair’s trend at a resolution and refuses a bucket of the wrong shape', async () => {
    const trend = { chairId: 'chair-1', from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', bucketMs: 15_000, readings: 1, buckets: [{ startMs: 0, firstOffsetMs: 0, lastOffsetMs: 0, range: [null, null, null, null, null, null, 70, 70, null, null, null, null], highFirst: 0 }] };
    const fetch = vi.fn<typeof globalThis.fetch>(() => json(trend));
    await expect(createApiClient({ fetch }).chairTrend('chair 1', { from: '2026-11-22T00:00:00.000Z', bucketMs: 15_000 })).resolves.toEqual(trend);
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/chairs/chair%201/trend?from=2026-11-22T00%3A00%3A00.000Z&bucketMs=15000');
    const short = { ...trend, buckets: [{ ...trend.buckets[0], range: [70, 70] }] };
    await expect(createApiClient({ fetch: () => json(short) }).chairTrend('chair-1', { from: trend.from, bucketMs: 15_000 })).rejects.toMatchObject({ code: 'unexpected' });
  });

  it('says Content-Type: application/json on every request that changes something, with a body or without', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(new Response(null, { status: 204 })));
    const api = createApiClient({ fetch });
    await api.logout();
    await api.revokeDeviceToken('t1');
    await api.removeDevice('m1');
    await api.listChairs().catch(() => undefined);
    const headers = fetch.mock.calls.map(([, init]) => new Headers(init?.headers).get('content-type'));
    expect(headers).toEqual(['application/json', 'application/json', 'application/json', null]);
    expect(fetch.mock.calls.map(([, init]) => init?.body)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
