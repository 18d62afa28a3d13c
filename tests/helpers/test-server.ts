import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import type { Alert, ClientToServerEvents, Reading, ReadingInput, Role, ServerToClientEvents } from '@chairside/shared';
import {
  type AppOptions,
  type Chairside,
  type Clock,
  createApp,
  Hl7Handler,
  type Hl7Listener,
  type Hl7ListenerLimits,
  PostgresStore,
  type PostgresStoreOptions,
  silentLogger,
  startHl7Listener,
  SqliteStore,
  type SqliteStoreOptions,
  type Store,
  systemClock,
} from '@chairside/server';
import { createTestDatabase, testDatabaseBaseUrl } from './postgres';

export type DashboardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const testPassword = 'correct horse battery';
export const deviceToken = 'test-device-token-0123456789';

export interface TestServer {
  url: string;
  dataDir: string;
  store: Store;
  /** The server's own PostgreSQL database when the tests run on PostgreSQL; null on SQLite. */
  databaseUrl: string | null;
  chairside: Chairside;
  /** The HL7 (MLLP) listener's port, when started with the `hl7` option. */
  hl7Port: number | null;
  /** Logs in and returns the session cookie (`chairside_session=…`). */
  login(username: Role): Promise<string>;
  /** A connected, authenticated dashboard socket. */
  dashboard(cookie: string): Promise<DashboardSocket>;
  close(): Promise<void>;
}

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(minutes: number): number {
    this.ms += minutes * 60_000;
    return this.ms;
  }
  iso(offsetMinutes = 0): string {
    return new Date(this.ms + offsetMinutes * 60_000).toISOString();
  }
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'chairside-test-'));
}

/**
 * The store the integration tests run on: PostgreSQL with CHAIRSIDE_TEST_STORE=postgres (the
 * `integration-pg` project, which starts a private server), SQLite otherwise.
 */
export const storeKind: Store['kind'] = process.env.CHAIRSIDE_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * On PostgreSQL, the database that belongs to `dataDir`: made fresh the first time and remembered in
 * the folder, so a server restarted on the same dataDir finds its data again, as with SQLite's file.
 */
export async function testDatabaseUrl(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'postgres-url');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const url = await createTestDatabase(testDatabaseBaseUrl());
  fs.writeFileSync(file, url);
  return url;
}

/**
 * The scrypt hash of `testPassword`, made by the first test account of a test file (through the
 * server's own account creation) and stored for the other test accounts: a hash costs about 0.1 s
 * of CPU, and every test server has three accounts. Logins still check the password against it.
 */
let testPasswordHash: string | null = null;

/**
 * A real server on port 0 with a real store (an SQLite file in `dataDir`, or a fresh PostgreSQL
 * database, see `storeKind`): chairs chair-1/chair-2 and a user per role.
 */
export async function startTestServer(
  options: {
    clock?: Clock;
    dataDir?: string;
    /** SQLite-only store options (a test that passes them runs on SQLite only). */
    store?: Omit<SqliteStoreOptions, 'file'>;
    /** PostgreSQL-only store options, used when the tests run on PostgreSQL. */
    postgres?: Omit<PostgresStoreOptions, 'connectionString'>;
    /** Also start the HL7 listener on an ephemeral port; times without an offset are read in `timeZone` (default UTC). */
    hl7?: { timeZone?: string; limits?: Partial<Hl7ListenerLimits> };
    /** A built dashboard to serve (a folder with an index.html), for tests of static files. */
    clientDir?: string;
    /** Origins besides the server's own that may open a dashboard socket (ALLOWED_ORIGINS). */
    allowedOrigins?: string[];
    /** Web Push settings (a TLS agent that trusts the test's own push service). */
    push?: AppOptions['push'];
    /** Alerts out to a paging gateway (the test's own MLLP receiver). */
    hl7AlertsOut?: AppOptions['hl7AlertsOut'];
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  if (storeKind === 'postgres' && options.store) throw new Error('SQLite store options given to a PostgreSQL test server');
  const databaseUrl = storeKind === 'postgres' ? await testDatabaseUrl(dataDir) : null;
  const store: Store =
    databaseUrl === null
      ? new SqliteStore({ file: path.join(dataDir, 'chairside.db'), ...options.store })
      : await PostgresStore.open({ connectionString: databaseUrl, ...options.postgres });
  const clock = options.clock ?? systemClock;
  const chairside = await createApp({
    store,
    clock,
    logger: silentLogger,
    deviceTokens: [deviceToken],
    sessionIdleMs: 7 * 24 * 60 * 60 * 1000, // tests move a manual clock by hours
    groupCommitWindowMs: 2,
    ...(options.clientDir ? { clientDir: options.clientDir } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    ...(options.push ? { push: options.push } : {}),
    ...(options.hl7AlertsOut ? { hl7AlertsOut: options.hl7AlertsOut } : {}),
  });
  for (const [n, name] of [[1, 'Chair 1'], [2, 'Chair 2']] as const) {
    await chairside.chairs.ensure({ id: `chair-${n}`, name, hl7Bed: null, position: n });
  }
  for (const role of ['nurse', 'clinician', 'admin'] as const) {
    if (await store.accounts.findUserByUsername(role)) continue;
    if (testPasswordHash === null) {
      await chairside.auth.createUser({ username: role, password: testPassword, role, displayName: `Test ${role}` });
      testPasswordHash = (await store.accounts.findUserByUsername(role))?.passwordHash ?? null;
    } else {
      const user = { id: randomUUID(), username: role, displayName: `Test ${role}`, role, passwordHash: testPasswordHash };
      await store.accounts.createUser({ ...user, disabled: false, isDemo: false, createdAt: clock.now() });
    }
  }
  await new Promise<void>((resolve) => chairside.httpServer.listen(0, '127.0.0.1', resolve));
  const address = chairside.httpServer.address();
  if (typeof address !== 'object' || !address) throw new Error('server has no address');
  const url = `http://127.0.0.1:${address.port}`;
  const sockets: DashboardSocket[] = [];
  let hl7: Hl7Listener | null = null;
  if (options.hl7) {
    const handler = new Hl7Handler({
      ingest: chairside.ingest,
      devices: chairside.devices,
      clock,
      logger: silentLogger,
      timeZone: options.hl7.timeZone ?? 'UTC',
    });
    hl7 = await startHl7Listener({ port: 0, host: '127.0.0.1', handler, logger: silentLogger, limits: options.hl7.limits });
  }

  return {
    url,
    dataDir,
    store,
    databaseUrl,
    chairside,
    hl7Port: hl7?.port ?? null,
    async login(username) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: testPassword }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
      const cookie = res.headers.get('set-cookie')?.split(';')[0];
      if (!cookie) throw new Error('no session cookie');
      return cookie;
    },
    async dashboard(cookie) {
      const socket: DashboardSocket = connect(url, {
        extraHeaders: { cookie },
        transports: ['websocket'],
        reconnection: false,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return socket;
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await hl7?.close();
      await chairside.close();
      await store.close();
    },
  };
}

export function reading(overrides: Partial<ReadingInput> = {}): ReadingInput {
  return {
    id: randomUUID(),
    chairId: 'chair-1',
    measuredAt: new Date().toISOString(),
    systolic: 128,
    diastolic: 82,
    mean: 97,
    heartRate: 74,
    spo2: 98,
    source: 'device',
    ...overrides,
  };
}

/**
 * A JSON request with a session cookie; answers status and parsed body. Every request that changes
 * something says `Content-Type: application/json`, with or without a body, as the dashboard does.
 */
export async function api(
  url: string,
  method: string,
  path: string,
  cookie: string,
  body?: unknown,
  // Tests read answers loosely and assert on them; the schemas are checked by the server's own tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { cookie, ...(body === undefined && (method === 'GET' || method === 'HEAD') ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * Another program takes the database (SQLite) or the readings table (PostgreSQL) for itself; returns how to let go.
 * Works on a test server or on a server process (e2e), whichever owns `dataDir` / `databaseUrl`.
 */
export async function lockFromOutside(s: Pick<TestServer, 'dataDir' | 'databaseUrl'>): Promise<() => Promise<void>> {
  if (s.databaseUrl === null) {
    const other = new Database(path.join(s.dataDir, 'chairside.db'));
    other.exec('BEGIN EXCLUSIVE');
    return async () => {
      other.exec('COMMIT');
      other.close();
    };
  }
  const other = new pg.Client({ connectionString: s.databaseUrl });
  await other.connect();
  await other.query('BEGIN');
  await other.query('LOCK TABLE readings IN ACCESS EXCLUSIVE MODE');
  return async () => {
    await other.query('COMMIT');
    await other.end();
  };
}

export async function postReadings(
  url: string,
  body: unknown,
  auth: { token?: string; cookie?: string } = { token: deviceToken },
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const res = await fetch(`${url}/api/v1/readings`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** Resolves with the first `count` readings the socket receives live. */
export function nextStored(socket: DashboardSocket, count = 1, timeoutMs = 5000): Promise<Reading[]> {
  return new Promise((resolve, reject) => {
    const got: Reading[] = [];
    const timer = setTimeout(() => {
      socket.off('readings:stored', onStored);
      reject(new Error(`received ${got.length} of ${count} readings`));
    }, timeoutMs);
    const onStored = (readings: Reading[]): void => {
      got.push(...readings);
      if (got.length >= count) {
        clearTimeout(timer);
        socket.off('readings:stored', onStored);
        resolve(got);
      }
    };
    socket.on('readings:stored', onStored);
  });
}

/** The open alerts of every active session, as a user's screen lists them (`GET /api/v1/alerts`). */
export async function openAlerts(s: TestServer, cookie: string): Promise<Alert[]> {
  const res = await api(s.url, 'GET', '/api/v1/alerts', cookie);
  if (res.status !== 200) throw new Error(`GET /api/v1/alerts answered ${res.status}`);
  return (res.body as { alert: Alert }[]).map((item) => item.alert);
}

/** A device reading as the store takes it (`store.insertReadingBatches`), to seed a store directly. */
export function seedRow(
  fields: { measuredAtMs: number } & Partial<Omit<Parameters<Store['readings']['insertReadingBatches']>[0][number][number], 'measuredAt' | 'receivedAt'>>,
): Parameters<Store['readings']['insertReadingBatches']>[0][number][number] {
  const { measuredAtMs, ...rest } = fields;
  const id = rest.id ?? randomUUID();
  return {
    id,
    chairId: 'chair-1',
    sessionId: null,
    measuredAt: new Date(measuredAtMs).toISOString(),
    receivedAt: measuredAtMs,
    source: 'device',
    systolic: null,
    diastolic: null,
    mean: null,
    heartRate: null,
    spo2: null,
    respRate: null,
    rejected: [],
    flags: [],
    enteredBy: null,
    payloadHash: `seed-${id}`,
    ...rest,
  };
}
