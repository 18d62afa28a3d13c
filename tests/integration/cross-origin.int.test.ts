/**
 * Pages of another origin on the same site (another port of the clinic server's host: the
 * SameSite=Strict cookie is still sent to them) cannot act as the logged-in user (security review,
 * issue 14 item 5): the Socket.IO handshake must come from the server's own origin or
 * ALLOWED_ORIGINS, and every request that changes something must be `Content-Type: application/json`
 * (which a plain form cannot send, and a script of another origin cannot without a CORS grant).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { deviceNamespace } from '@chairside/shared';
import { api, deviceToken, reading, startTestServer, type TestServer } from '../helpers/test-server';
import { listRoutes } from '../helpers/routes';

let server: TestServer;
let nurse: string;
beforeAll(async () => {
  server = await startTestServer({ allowedOrigins: ['https://dashboard.clinic.example'] });
  nurse = await server.login('nurse');
});
afterAll(async () => {
  await server.close();
});

/** Opens a socket with these handshake headers; answers 'connected' or the connect_error's message. */
async function handshake(headers: Record<string, string>, transport: 'websocket' | 'polling', namespace = ''): Promise<string> {
  const socket = connect(`${server.url}${namespace}`, {
    extraHeaders: headers,
    transports: [transport],
    reconnection: false,
    forceNew: true,
    ...(namespace === deviceNamespace ? { auth: { token: deviceToken } } : {}),
  });
  try {
    return await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error) => resolve(`refused: ${error.message}`));
    });
  } finally {
    socket.disconnect();
  }
}

describe('Socket.IO handshake Origin', () => {
  const sameOrigin = (): string => server.url;
  const sameOriginByName = (): string => server.url.replace('127.0.0.1', 'localhost');

  it.each(['websocket', 'polling'] as const)('refuses a page of another origin over %s, even with the session cookie; allows the same origin, a listed one and none', async (transport) => {
    const port = Number(new URL(server.url).port);
    for (const foreign of [`http://127.0.0.1:${port + 1}`, 'https://evil.example', 'null', 'http://dashboard.clinic.example']) {
      expect(await handshake({ cookie: nurse, origin: foreign }, transport), foreign).toMatch(/^refused/);
    }
    expect(await handshake({ cookie: nurse, origin: sameOrigin() }, transport)).toBe('connected');
    expect(await handshake({ cookie: nurse, origin: 'https://dashboard.clinic.example' }, transport)).toBe('connected');
    expect(await handshake({ cookie: nurse }, transport)).toBe('connected');
    // Served under another name (the Host header it came with): that name is its own origin then
    // (Node's XMLHttpRequest of the polling transport may not set Host; WebSocket may).
    if (transport === 'websocket') {
      expect(await handshake({ cookie: nurse, origin: sameOriginByName(), host: new URL(sameOriginByName()).host }, transport)).toBe('connected');
      expect(await handshake({ cookie: nurse, origin: sameOrigin(), host: new URL(sameOriginByName()).host }, transport)).toMatch(/^refused/);
    }
  });

  it('holds for the device namespace too: a device (no Origin) connects, a foreign page does not', async () => {
    expect(await handshake({}, 'websocket', deviceNamespace)).toBe('connected');
    expect(await handshake({ origin: 'https://evil.example' }, 'websocket', deviceNamespace)).toMatch(/^refused/);
  });

  it('a refused handshake never reaches Socket.IO: no connection is left open', async () => {
    expect(await handshake({ cookie: nurse, origin: 'https://evil.example' }, 'websocket')).toMatch(/^refused/);
    await expect.poll(() => server.chairside.io.engine.clientsCount, { timeout: 2000 }).toBe(0);
  });
});

describe('requests that change something must be JSON', () => {
  const post = (path: string, headers: Record<string, string>, body?: string) => fetch(`${server.url}${path}`, { method: 'POST', headers: { cookie: nurse, ...headers }, ...(body === undefined ? {} : { body }) });

  it('answers what a plain HTML form can send with 415 and the standard error body, and changes nothing', async () => {
    for (const [type, body] of [
      ['text/plain', '{"note":"from a form"}'],
      ['application/x-www-form-urlencoded', 'note=x'],
      ['multipart/form-data; boundary=x', '--x--'],
    ] as const) {
      const res = await post('/api/v1/chairs/chair-1/audio-pause', { 'content-type': type }, body);
      expect(res.status, type).toBe(415);
      expect(await res.json()).toEqual({ error: { code: 'unsupported_media_type', message: 'POST requests must send "Content-Type: application/json" (also without a body).' } });
    }
    const none = await post('/api/v1/chairs/chair-1/audio-pause', {});
    expect(none.status).toBe(415);
    expect((await api(server.url, 'GET', '/api/v1/audio-pauses', nurse)).body).toEqual([]);
  });

  it('refuses every state-changing route without JSON, for users and devices alike', async () => {
    const admin = await server.login('admin');
    const clinician = await server.login('clinician');
    const changing = listRoutes(server.chairside.app).filter((r) => r.path.startsWith('/api/') && r.method !== 'GET');
    expect(changing.length).toBeGreaterThan(15);
    for (const route of changing) {
      const path = route.path.replace(/:\w+/g, 'chair-1');
      for (const [who, headers] of [
        ['nurse', { cookie: nurse }],
        ['clinician', { cookie: clinician }],
        ['admin', { cookie: admin }],
        ['device', { authorization: `Bearer ${deviceToken}` }],
        ['anonymous', {}],
      ] as const) {
        const res = await fetch(`${server.url}${path}`, { method: route.method, headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' }, body: '{}' });
        expect(res.status, `${route.method} ${route.path} as ${who}`).toBe(415);
        expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
      }
    }
  });

  it('lets JSON through, with a body or without, charset or not; device ingest needs JSON too', async () => {
    const empty = await fetch(`${server.url}/api/v1/chairs/chair-1/audio-pause`, { method: 'POST', headers: { cookie: nurse, 'content-type': 'application/json' } });
    expect(empty.status).toBe(200);
    const charset = await fetch(`${server.url}/api/v1/chairs/chair-2/audio-pause`, { method: 'POST', headers: { cookie: nurse, 'content-type': 'Application/JSON; charset=utf-8' }, body: '{}' });
    expect(charset.status).toBe(200);
    const device = (type: string) =>
      fetch(`${server.url}/api/v1/readings`, { method: 'POST', headers: { authorization: `Bearer ${deviceToken}`, 'content-type': type }, body: JSON.stringify(reading()) });
    expect((await device('text/plain')).status).toBe(415);
    expect((await device('application/json')).status).toBe(201);
    // Reading and exporting stay GETs, free of the rule.
    expect((await fetch(`${server.url}/api/v1/chairs`, { headers: { cookie: nurse } })).status).toBe(200);
    // Logging out is a change too.
    const other = await server.login('nurse');
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: other } })).status).toBe(415);
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: other, 'content-type': 'application/json' } })).status).toBe(204);
  });
});
