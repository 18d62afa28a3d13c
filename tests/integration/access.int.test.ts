import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { deviceNamespace, type Role } from '@chairside/shared';
import { deviceToken, startTestServer, type TestServer } from '../helpers/test-server';
import { listRoutes } from '../helpers/routes';

/**
 * Who may call what. Every route the server serves must be listed here: a new route without an
 * entry fails this test, so no route ships without a deliberate access decision.
 */
type Access = 'public' | readonly (Role | 'device')[];
const careTeam = ['nurse', 'clinician'] as const;
const everyone = ['nurse', 'clinician', 'admin'] as const;

const matrix: Record<string, Access> = {
  'GET /api/health': 'public',
  'GET /api/auth/session': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/v1/users': ['admin'],
  'POST /api/v1/users': ['admin'],
  'PATCH /api/v1/users/:id': ['admin'],
  'GET /api/v1/device-tokens': ['admin'],
  'POST /api/v1/device-tokens': ['admin'],
  'DELETE /api/v1/device-tokens/:id': ['admin'],
  'GET /api/v1/devices': ['admin'],
  'POST /api/v1/devices': ['admin'],
  'DELETE /api/v1/devices/:deviceId': ['admin'],
  'GET /api/v1/hl7/unmapped': ['admin'],
  'GET /api/v1/chairs': everyone,
  'POST /api/v1/chairs': ['admin'],
  'GET /api/v1/chairs/:id/readings': everyone,
  'GET /api/v1/chairs/:id/trend': everyone,
  'POST /api/v1/chairs/:id/audio-pause': careTeam,
  'POST /api/v1/readings': ['nurse', 'clinician', 'device'],
  'GET /api/v1/patients': careTeam,
  'POST /api/v1/patients': careTeam,
  'GET /api/v1/patients/:id': careTeam,
  'GET /api/v1/protocols': everyone,
  'POST /api/v1/protocols': ['admin'],
  'POST /api/v1/sessions': careTeam,
  'GET /api/v1/sessions': careTeam,
  'GET /api/v1/sessions/:id': careTeam,
  'GET /api/v1/sessions/:id/gate': careTeam,
  'GET /api/v1/sessions/:id/rems-form': careTeam,
  'GET /api/v1/sessions/:id/rems-form.pdf': careTeam,
  'POST /api/v1/sessions/:id/rems-form': ['clinician'],
  'POST /api/v1/sessions/:id/rems-form/submitted': careTeam,
  'GET /api/v1/rems-forms': careTeam,
  'POST /api/v1/sessions/:id/events': careTeam,
  'POST /api/v1/sessions/:id/readings': careTeam,
  'GET /api/v1/sessions/:id/alerts': careTeam,
  'GET /api/v1/alerts': careTeam,
  'GET /api/v1/audio-pauses': careTeam,
  'GET /api/v1/demo': ['admin'],
  'POST /api/v1/demo/trigger': ['admin'],
  'GET /api/v1/sessions/:id/report': careTeam,
  'POST /api/v1/sessions/:id/sign': ['clinician'],
  'POST /api/v1/sessions/:id/addenda': careTeam,
  'GET /api/v1/sessions/:id/export': careTeam,
  'GET /api/v1/patients/:id/history': careTeam,
  'POST /api/v1/alerts/:id/acknowledge': careTeam,
  'GET /api/v1/audit': ['admin'],
  // Alarm reach: everyone sees who watches which chair; a nurse assigns herself, a clinician anyone (the service
  // decides), an admin no one; escalation steps belong to the care team.
  'GET /api/v1/assignments': everyone,
  'PUT /api/v1/assignments': careTeam,
  'DELETE /api/v1/assignments/:chairId': careTeam,
  'GET /api/v1/escalations': careTeam,
  // A device's Web Push subscription belongs to whoever is logged in, in any role.
  'GET /api/v1/push/public-key': everyone,
  'GET /api/v1/push-subscriptions': everyone,
  'POST /api/v1/push-subscriptions': everyone,
  'DELETE /api/v1/push-subscriptions/:id': everyone,
};

/** Socket events a client may send, and who may. */
const socketMatrix: Record<string, readonly Role[]> = {
  'readings:sync': everyone,
  'alert:acknowledge': careTeam,
  'audio:pause': careTeam,
};

/** Events of the device namespace (`deviceNamespace`, opened with a device token only): devices send readings, nothing else. */
const deviceSocketMatrix: Record<string, readonly 'device'[]> = {
  'readings:ingest': ['device'],
};

let server: TestServer;
const cookies = new Map<Role, string>();
beforeAll(async () => {
  server = await startTestServer();
  for (const role of everyone) cookies.set(role, await server.login(role));
});
afterAll(async () => {
  await server.close();
});

async function call(method: string, path: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${server.url}${path.replace(/:id/g, 'chair-1')}`, {
    method,
    headers: { ...headers, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    body: method === 'GET' ? undefined : '{}',
  });
  await res.arrayBuffer();
  return res.status;
}

describe('access control', () => {
  it('has a deliberate access decision for every route the server serves', () => {
    const served = listRoutes(server.chairside.app)
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(20);
    expect(served.filter((r) => !(r in matrix))).toEqual([]);
    expect(Object.keys(matrix).filter((r) => !served.includes(r))).toEqual([]);
  });

  it.each(Object.entries(matrix))('%s: refuses whoever may not call it, lets the others through', async (route, access) => {
    const [method = 'GET', path = '/'] = route.split(' ');
    if (access === 'public') {
      expect(await call(method, path, {})).not.toBe(401);
      return;
    }
    expect(await call(method, path, {}), 'anonymous').toBe(401);
    for (const role of everyone) {
      const status = await call(method, path, { cookie: cookies.get(role) ?? '' });
      if (access.includes(role)) expect([401, 403], `${role} should pass`).not.toContain(status);
      else expect(status, `${role} should be refused`).toBe(403);
      expect(status, `${role} must never cause a server error`).toBeLessThan(500);
    }
    const device = await call(method, path, { authorization: `Bearer ${deviceToken}` });
    if (access.includes('device')) expect([401, 403]).not.toContain(device);
    else expect([401, 403], 'a device token opens nothing but ingest').toContain(device);
  });

  it('checks the role of every socket event, and lists them all', async () => {
    const socket = await server.dashboard(cookies.get('admin') ?? '');
    await socket.emitWithAck('readings:sync', { afterSeq: null });
    const serverSocket = [...server.chairside.io.sockets.sockets.values()][0];
    const reserved = new Set(['connect', 'disconnect', 'disconnecting', 'error']);
    const handled = (serverSocket?.eventNames() ?? []).map(String).filter((e) => !reserved.has(e));
    expect(handled.sort()).toEqual(Object.keys(socketMatrix).sort());
    for (const role of everyone) {
      const s = await server.dashboard(cookies.get(role) ?? '');
      for (const [event, roles] of Object.entries(socketMatrix)) {
        if (event === 'readings:sync') continue;
        const answer: unknown = await s.timeout(5000).emitWithAck(event as 'audio:pause', { chairId: 'chair-1' } as never);
        const refused = typeof answer === 'object' && answer !== null && 'error' in answer && (answer as { error: { code: string } }).error.code === 'forbidden';
        expect(refused, `${role} ${event}`).toBe(!roles.includes(role));
      }
    }
  });

  it('refuses a socket without login, and a device token cannot open one', async () => {
    for (const options of [{ extraHeaders: { authorization: `Bearer ${deviceToken}` } }, { auth: { token: deviceToken } }]) {
      const socket = connect(server.url, { ...options, transports: ['websocket'], reconnection: false, forceNew: true });
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toBe('unauthorized');
      socket.disconnect();
    }
  });

  it('lists every device socket event, and opens the device namespace to a device token only', async () => {
    const open = (options: Parameters<typeof connect>[1]) => {
      const socket = connect(`${server.url}${deviceNamespace}`, { ...options, transports: ['websocket'], reconnection: false, forceNew: true });
      return new Promise<{ socket: typeof socket; outcome: string }>((resolve) => {
        socket.once('connect', () => resolve({ socket, outcome: 'connected' }));
        socket.once('connect_error', (error) => resolve({ socket, outcome: error.message }));
      });
    };
    for (const role of everyone) {
      const { socket, outcome } = await open({ extraHeaders: { cookie: cookies.get(role) ?? '' } });
      expect(outcome, `${role} on the device namespace`).toBe('unauthorized');
      socket.disconnect();
    }
    const { socket, outcome } = await open({ auth: { token: deviceToken } });
    expect(outcome).toBe('connected');
    const serverSocket = [...server.chairside.io.of(deviceNamespace).sockets.values()][0];
    const reserved = new Set(['connect', 'disconnect', 'disconnecting', 'error']);
    const handled = (serverSocket?.eventNames() ?? []).map(String).filter((e) => !reserved.has(e));
    expect(handled.sort()).toEqual(Object.keys(deviceSocketMatrix).sort());
    socket.disconnect();
  });
});
