import pg from 'pg';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AlertEvent, alertEventSchema } from '@chairside/shared';
import { PostgresStore, SqliteStore, type Store } from '@chairside/server';
import { createTestDatabase, testDatabaseBaseUrl, withClient } from '../helpers/postgres';
import { storeKind, tempDataDir } from '../helpers/test-server';

type NewReading = Parameters<Store['insertReadingBatches']>[0][number][number];
type NewSessionEvent = Parameters<Store['createSession']>[1];

const t0 = Date.parse('2026-11-20T09:00:00Z');
const min = 60_000;

/** Deterministic UUIDs (v4 layout), so both stores get the very same ids. */
const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function newReading(n: number, overrides: Partial<NewReading> = {}): NewReading {
  return {
    id: uuid(n),
    chairId: 'chair-1',
    sessionId: null,
    measuredAt: new Date(t0 + n * min).toISOString(),
    receivedAt: t0 + n * min + 250,
    source: 'device',
    systolic: 120 + n,
    diastolic: 80,
    mean: 93.5,
    heartRate: 70,
    spo2: 98,
    respRate: null,
    rejected: [],
    flags: [],
    enteredBy: null,
    payloadHash: `hash-${n}`,
    ...overrides,
  };
}

function event(type: string, at: number, fromPhase: string | null, toPhase: string | null): NewSessionEvent {
  return { type, at, userId: 'u-nurse', username: 'nurse', role: 'nurse', fromPhase, toPhase, payload: { note: 'ü ✓ "quoted"' } };
}

function alertEvent(type: 'alert-raised' | 'alert-cleared', id: string, atMs: number, clearedAtMs: number | null): AlertEvent {
  return alertEventSchema.parse({
    type,
    atMs,
    alert: {
      id,
      ruleId: 'no-data',
      subject: null,
      label: 'No data',
      category: 'technical',
      priority: 'medium',
      status: clearedAtMs === null ? 'active' : 'cleared',
      message: 'No data from the device for 1 min',
      facts: { kind: 'no-data', silentSec: 60 },
      readingSeq: null,
      raisedAtMs: t0 + 10 * min,
      escalatedAtMs: null,
      conditionResolvedAtMs: null,
      clearedAtMs,
      clearReason: clearedAtMs === null ? null : 'resolved',
      acknowledgements: [],
    },
  });
}

/** Readings' seq without the gaps PostgreSQL may leave (its sequences are not rolled back). */
const withoutSeq = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'seq' ? undefined : v)));

/**
 * One script of store calls, recording every answer. Run on both stores, the records must be equal:
 * the PostgreSQL store behaves like the SQLite one, call by call, including ordering, case rules,
 * retries and conflicts.
 */
async function exercise(store: Store): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};

  out.usersAtStart = await store.countUsers();
  for (const [id, username, isDemo] of [
    ['u-bob', 'bob', false],
    ['u-alice', 'Alice', true],
    ['u-emile', 'émile', false],
    ['u-alice2', 'alice', false],
    ['u-nurse', 'nurse', true],
  ] as const) {
    await store.createUser({ id, username, displayName: `${username} D.`, role: 'nurse', passwordHash: `ph-${id}`, disabled: false, isDemo, createdAt: t0 });
  }
  out.users = await store.listUsers();
  out.byName = [await store.findUserByUsername('Alice'), await store.findUserByUsername('ALICE')];
  await store.setDemoUsersDisabled(true);
  out.updated = await store.updateUser('u-bob', { role: 'clinician', displayName: 'Robert', disabled: true });
  out.updatedDemo = await store.updateUser('u-alice', { isDemo: false, disabled: false, passwordHash: 'ph-new' });
  out.updatedNothing = await store.updateUser('u-emile', {});
  out.updatedMissing = await store.updateUser('nobody', { role: 'admin' });
  out.usersAfter = [await store.countUsers(), await store.listUsers()];

  await store.createAuthSession({ tokenHash: 'tok-1', userId: 'u-bob', createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 60 * min });
  await store.touchAuthSession('tok-1', t0 + min, t0 + 61 * min);
  out.authSession = await store.findAuthSession('tok-1');
  await store.deleteAuthSessionsOfUser('u-bob');
  out.authSessionGone = await store.findAuthSession('tok-1');

  for (const n of [1, 2]) {
    await store.createDeviceToken({ id: `dt-${n}`, label: `Monitor ${n}`, tokenHash: `dth-${n}`, createdAt: t0 + n, createdBy: 'admin', revokedAt: null, lastUsedAt: null });
  }
  out.revoke = [await store.revokeDeviceToken('dt-1', t0 + 5), await store.revokeDeviceToken('dt-1', t0 + 6), await store.revokeDeviceToken('dt-9', t0)];
  await store.touchDeviceToken('dt-2', t0 + 7);
  out.tokens = [await store.listDeviceTokens(), await store.findDeviceTokenByHash('dth-2'), await store.findDeviceTokenByHash('nope')];

  out.chairs = [
    await store.createChair({ id: 'chair-1', name: 'Chair 1', hl7Bed: null, position: 2 }, t0),
    await store.createChair({ id: 'chair-2', name: 'chair 2', hl7Bed: 'BED-2', position: 1 }, t0),
    await store.createChair({ id: 'chair-3', name: 'Chair 3', hl7Bed: null, position: 1 }, t0),
    await store.createChair({ id: 'chair-1', name: 'Again', hl7Bed: null, position: 0 }, t0),
    await store.createChair({ id: 'chair-4', name: 'Same bed', hl7Bed: 'BED-2', position: 0 }, t0),
  ];
  out.chairList = [await store.listChairs(), await store.findChair('chair-2'), await store.findChair('chair-9')];

  out.hl7Devices = [
    await store.createHl7Device({ deviceId: 'Mon-A', chairId: 'chair-1', createdAt: t0, createdBy: 'admin' }),
    await store.createHl7Device({ deviceId: 'mon-a', chairId: 'chair-2', createdAt: t0, createdBy: 'admin' }),
    await store.createHl7Device({ deviceId: 'MÖN-B', chairId: 'chair-2', createdAt: t0, createdBy: null }),
    await store.createHl7Device({ deviceId: 'mön-b', chairId: 'chair-2', createdAt: t0, createdBy: null }),
    await store.createHl7Device({ deviceId: 'b-mon', chairId: 'chair-1', createdAt: t0, createdBy: null }),
  ];
  out.hl7DeviceList = await store.listHl7Devices();
  out.hl7Deleted = [await store.deleteHl7Device('MON-a'), await store.deleteHl7Device('MON-a'), await store.deleteHl7Device('mÖn-b')];
  out.hl7DeviceListAfter = await store.listHl7Devices();

  for (let n = 1; n <= 5; n += 1) {
    await store.saveHl7Unmapped({ receivedAt: t0 + n, sendingDevice: n % 2 ? 'MON' : null, bed: null, controlId: `c${n}`, reason: 'no chair', raw: `MSH|^~\\&|${n}\r`, rawTruncated: n === 5 }, 3);
  }
  out.unmapped = await store.listHl7Unmapped(10);

  const patient = (id: string, displayName: string, mrn: string | null, at: number) => ({ id, displayName, mrn, riskFlags: ['hypertension' as const], createdAt: new Date(at).toISOString() });
  out.patients = [
    await store.createPatient(patient('p-1', 'Ann Lee', 'MRN-1', t0)),
    await store.createPatient(patient('p-2', 'ANNA', null, t0 + 1)),
    await store.createPatient(patient('p-3', 'Bo_b 100%', 'mrn/ann', t0 + 2)),
    await store.createPatient(patient('p-4', 'Ännchen', null, t0 + 3)),
    await store.createPatient(patient('p-5', 'Dup', 'MRN-1', t0 + 4)),
  ];
  out.patientSearch = await Promise.all(['ann', 'ÄNN', '%', '_', '', 'zzz'].map((q) => store.listPatients(q, 10)));
  out.patient = [await store.findPatient('p-3'), await store.findPatient('p-9')];

  const definition = { name: 'IV ketamine', phases: ['baseline', 'treatment'], bpIntervalMin: 15, nested: { b: 1, a: [1.5, null, 'x'] } };
  out.protocols = [
    await store.saveProtocol({ id: 'iv', version: 1, definition, createdAt: t0, createdBy: null }),
    await store.saveProtocol({ id: 'iv', version: 2, definition: { ...definition, bpIntervalMin: 10 }, createdAt: t0 + 1, createdBy: 'admin' }),
    await store.saveProtocol({ id: 'iv', version: 1, definition: {}, createdAt: t0 + 2, createdBy: 'admin' }),
    await store.saveProtocol({ id: 'esk', version: 1, definition: { name: 'Esketamine' }, createdAt: t0, createdBy: 'admin' }),
  ];
  out.protocolList = [await store.listProtocols(), await store.findProtocol('iv'), await store.findProtocol('iv', 1), await store.findProtocol('iv', 9)];

  const session = (id: string, chairId: string, patientId: string, at: number, active = true) => ({
    id,
    patientId,
    chairId,
    protocolId: 'iv',
    protocolVersion: 2,
    phase: 'baseline',
    active,
    state: { phase: 'baseline', baselineReadingIds: [], limits: { 'bp-crisis': { systolicMmHg: 200 } } },
    checkedInAt: at,
    checkedInBy: 'nurse',
    endedAt: null,
    revision: 0,
  });
  out.sessions = [
    await store.createSession(session('s-1', 'chair-1', 'p-1', t0 + 5 * min), event('checked-in', t0 + 5 * min, null, 'baseline')),
    await store.createSession(session('s-2', 'chair-1', 'p-2', t0 + 6 * min), event('checked-in', t0 + 6 * min, null, 'baseline')),
    await store.createSession(session('s-3', 'chair-2', 'p-2', t0 + 7 * min, false), event('checked-in', t0 + 7 * min, null, 'baseline')),
    await store.createSession(session('s-4', 'chair-2', 'p-3', t0 + 8 * min), event('checked-in', t0 + 8 * min, null, 'baseline')),
  ];
  const update = { phase: 'treatment', active: true, state: { phase: 'treatment' }, endedAt: null };
  out.sessionUpdates = [
    await store.updateSession('s-1', 0, update, event('treatment-started', t0 + 9 * min, 'baseline', 'treatment')),
    await store.updateSession('s-1', 0, update, event('treatment-started', t0 + 9 * min, 'baseline', 'treatment')),
    await store.updateSession('s-4', 0, { phase: 'discharged', active: false, state: { phase: 'discharged' }, endedAt: t0 + 30 * min, overrideUsed: true }, null),
    await store.updateSession('s-9', 0, update, null),
  ];
  out.sessionReads = [await store.findSession('s-1'), await store.findSession('s-9'), await store.listActiveSessions(), await store.listSessionEvents('s-1')];

  // Readings: plain batches first (sequence numbers compared as they are) ...
  out.firstBatches = await store.insertReadingBatches([
    [newReading(1), newReading(2, { sessionId: 's-1', rejected: [{ field: 'spo2', value: 12, reason: 'out-of-range', message: 'SpO₂ 12 % is not plausible' }], flags: ['spo2-low-accuracy'] })],
    [newReading(3, { chairId: 'chair-2', systolic: null, diastolic: null, mean: null, respRate: 14, source: 'manual', enteredBy: 'nurse' })],
    [newReading(4, { measuredAt: new Date(t0 + 30 * min).toISOString(), heartRate: null, spo2: null })],
  ]);
  out.readingsAfter = [await store.readingsAfter(0, 100), await store.readingsAfter(2, 1), await store.latestSeq()];
  out.attached = await store.attachReadings('s-1', 'chair-1', [uuid(4), uuid(3), uuid(1), uuid(2), uuid(4), uuid(99)], event('readings-attached', t0 + 31 * min, 'treatment', 'treatment'));
  out.attachedNone = await store.attachReadings('s-1', 'chair-1', [uuid(3)], event('readings-attached', t0 + 32 * min, 'treatment', 'treatment'));
  out.readingLists = [
    await store.listSessionReadings('s-1'),
    await store.listChairReadings('chair-1', t0, t0 + 30 * min, 100),
    await store.listChairReadings('chair-1', t0, t0 + 31 * min, 1),
    await store.newestReadingsPerVital('chair-1'),
    await store.newestReadingsPerVital('chair-2'),
    await store.newestReadingsPerVital('chair-3'),
    await store.listSessionEvents('s-1'),
  ];

  // ... then retries and conflicts, after which PostgreSQL's sequence may have gaps.
  out.retriesAndConflicts = withoutSeq(
    await store.insertReadingBatches([
      [newReading(1), newReading(5), newReading(5)],
      [newReading(6), newReading(2, { payloadHash: 'other' }), newReading(7), newReading(6, { payloadHash: 'other' })],
      [newReading(8), newReading(8, { payloadHash: 'other' })],
      [newReading(9)],
      [],
    ]),
  );
  // A group with no conflict, where a later request resends a reading an earlier one stored.
  out.retryAcrossRequests = withoutSeq(await store.insertReadingBatches([[newReading(20), newReading(21)], [newReading(21), newReading(22)], [newReading(20)]]));
  // A request larger than one multi-row INSERT, with an id repeated across the parts.
  const big = Array.from({ length: 2100 }, (_, i) => newReading(10_000 + i, { measuredAt: new Date(t0 + 60 * min + i * 1000).toISOString() }));
  big[1500] = newReading(10_005, { measuredAt: new Date(t0 + 60 * min + 5 * 1000).toISOString() });
  out.bigBatch = withoutSeq(await store.insertReadingBatches([big]));
  out.readingsAfterConflicts = withoutSeq([await store.readingsAfter(0, 5000), await store.newestReadingsPerVital('chair-1'), await store.latestSeq() > 0]);

  const lease = await store.tryAcquireLease('alert-engine');
  if (!lease) throw new Error('a fresh store has no lease holder');
  out.secondLease = (await store.tryAcquireLease('alert-engine')) === null;
  await store.saveAlertEvaluations([{ sessionId: 's-1', chairId: 'chair-1', state: { engine: 1 }, events: [alertEvent('alert-raised', 's-1.no-data.1', t0 + 10 * min, null)] }], t0 + 10 * min, lease);
  // One group commit: two evaluations of one session (the newer state wins) and one of another;
  // an alert raised and cleared within it is stored once, with both events.
  await store.saveAlertEvaluations(
    [
      { sessionId: 's-1', chairId: 'chair-1', state: { engine: 2 }, events: [alertEvent('alert-raised', 's-1.no-data.2', t0 + 11 * min, null)] },
      { sessionId: 's-1', chairId: 'chair-1', state: { engine: 3 }, events: [alertEvent('alert-cleared', 's-1.no-data.1', t0 + 12 * min, t0 + 12 * min)] },
      { sessionId: 's-4', chairId: 'chair-2', state: { engine: 'x' }, events: [] },
      {
        sessionId: 's-4',
        chairId: 'chair-2',
        state: { engine: 'y' },
        events: [alertEvent('alert-raised', 's-4.no-data.1', t0 + 13 * min, null), alertEvent('alert-cleared', 's-4.no-data.1', t0 + 13 * min, t0 + 13 * min)],
      },
    ],
    t0 + 13 * min,
    lease,
  );
  await lease.release();
  out.afterRelease = await store
    .saveAlertEvaluations([{ sessionId: 's-4', chairId: 'chair-2', state: { engine: 'z' }, events: [] }], t0 + 14 * min, lease)
    .then(() => 'saved', (error: unknown) => (error instanceof Error ? error.name : 'other'));
  out.leaseAgain = (await store.tryAcquireLease('alert-engine')) !== null;
  out.alerts = [
    await store.loadAlertEngine('s-1'),
    await store.loadAlertEngine('s-4'),
    await store.loadAlertEngine('s-2'),
    await store.listOpenAlerts(),
    await store.listSessionAlerts('s-1'),
    await store.listSessionAlertEvents('s-1'),
    await store.listSessionAlerts('s-4'),
    await store.listSessionAlertEvents('s-4'),
  ];

  out.signatures = [
    await store.signSession({ sessionId: 's-4', signedBy: 'u-bob', signedByName: 'Robert', signedAt: t0 + 40 * min, statement: 'Reviewed.' }),
    await store.signSession({ sessionId: 's-4', signedBy: 'u-bob', signedByName: 'Robert', signedAt: t0 + 41 * min, statement: 'Again.' }),
    await store.findSignature('s-4'),
    await store.findSignature('s-1'),
  ];
  out.addenda = [
    await store.addAddendum({ sessionId: 's-4', text: 'Late note', username: 'bob', displayName: 'Robert', at: t0 + 50 * min }),
    await store.addAddendum({ sessionId: 's-4', text: 'Second', username: 'bob', displayName: 'Robert', at: t0 + 51 * min }),
    await store.listAddenda('s-4'),
  ];
  await expect(store.addAddendum({ sessionId: 's-1', text: 'Not signed', username: 'bob', displayName: 'Robert', at: t0 })).rejects.toThrow();

  const filter = { fromMs: t0, toMs: t0 + 24 * 60 * min, limit: 10, offset: 0 };
  out.sessionLists = await Promise.all([
    store.listSessions(filter),
    store.listSessions({ ...filter, chairId: 'chair-2' }),
    store.listSessions({ ...filter, patientId: 'p-2' }),
    store.listSessions({ ...filter, protocolId: 'iv', hadAlerts: true }),
    store.listSessions({ ...filter, hadAlerts: false, sort: 'chair', order: 'asc' }),
    store.listSessions({ ...filter, overrideUsed: true }),
    store.listSessions({ ...filter, overrideUsed: false, signed: false }),
    store.listSessions({ ...filter, signed: true }),
    store.listSessions({ ...filter, sort: 'protocol', order: 'asc', limit: 1, offset: 1 }),
    store.listSessions({ ...filter, fromMs: t0 + 6 * min, toMs: t0 + 8 * min }),
  ]);

  for (const [n, action, sessionId] of [
    [1, 'login', null],
    [2, 'session-viewed', 's-1'],
    [3, 'session-viewed', 's-4'],
    [4, 'login-failed', null],
  ] as const) {
    await store.appendAudit({
      at: t0 + n,
      userId: n === 4 ? null : 'u-bob',
      username: 'bob',
      role: n === 4 ? 'anonymous' : 'clinician',
      action,
      targetType: sessionId ? 'session' : null,
      targetId: sessionId,
      sessionId,
      details: { n, why: 'ü' },
      ip: n === 4 ? null : '127.0.0.1',
    });
  }
  const audit = { fromMs: t0, toMs: t0 + 4, limit: 10, offset: 0 };
  out.audit = await Promise.all([
    store.listAudit({ ...audit, toMs: t0 + 5 }),
    store.listAudit(audit),
    store.listAudit({ ...audit, action: 'session-viewed' }),
    store.listAudit({ ...audit, sessionId: 's-4', username: 'bob' }),
    store.listAudit({ ...audit, username: 'BOB' }),
    store.listAudit({ ...audit, limit: 1, offset: 1 }),
  ]);

  await store.ping();
  return out;
}

// Compares the two implementations directly, so it needs both: it runs with the PostgreSQL suite.
describe.runIf(storeKind === 'postgres')('the PostgreSQL store behaves like the SQLite store', () => {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('answers a script of every store call exactly as SQLite does', async () => {
    const sqlite = new SqliteStore({ file: path.join(tempDataDir(), 'chairside.db') });
    const postgres = await PostgresStore.open({ connectionString: await createTestDatabase(testDatabaseBaseUrl()) });
    opened.push(sqlite, postgres);
    const expected = await exercise(sqlite);
    const actual = await exercise(postgres);
    for (const key of Object.keys(expected)) expect(actual[key], key).toEqual(expected[key]);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    // The alert-engine lease: one holder, and nothing saved under a released lease.
    expect([expected.secondLease, expected.afterRelease, expected.leaseAgain]).toEqual([true, 'LeaseLostError', true]);
  });

  it('frees the alert-engine lease when its holder dies, and refuses saves under a lost lease', async () => {
    const url = await createTestDatabase(testDatabaseBaseUrl());
    const [a, b] = [await PostgresStore.open({ connectionString: url }), await PostgresStore.open({ connectionString: url })];
    opened.push(a, b);
    const lease = await a.tryAcquireLease('alert-engine');
    expect(lease).not.toBeNull();
    expect(await b.tryAcquireLease('alert-engine')).toBeNull();
    // The holder's connection is killed (as when its process dies): the lease is lost and free.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'chairside alert-engine' AND datname = current_database() AND pid <> pg_backend_pid()");
    await admin.end();
    await lease?.lost;
    expect(lease?.isLost()).toBe(true);
    await expect(b.tryAcquireLease('alert-engine')).resolves.not.toBeNull();
    if (!lease) return;
    await expect(a.saveAlertEvaluations([], 0, lease)).rejects.toThrow(/no longer holds/);
  });

  it('keeps text with a NUL character, which PostgreSQL text cannot hold, with U+FFFD in its place instead of failing', async () => {
    const store = await PostgresStore.open({ connectionString: await createTestDatabase(testDatabaseBaseUrl()) });
    opened.push(store);
    expect(await store.findUserByUsername('nurse\u0000')).toBeNull();
    await store.appendAudit({
      at: t0,
      userId: null,
      username: 'nurse\u0000',
      role: 'anonymous',
      action: 'login-failed',
      targetType: null,
      targetId: null,
      sessionId: null,
      details: { typed: 'nurse\u0000' },
      ip: null,
    });
    const [entry] = await store.listAudit({ fromMs: t0, toMs: t0 + 1, limit: 10, offset: 0 });
    expect(entry?.username).toBe('nurse\uFFFD');
    expect(entry?.details).toEqual({ typed: 'nurse\u0000' }); // JSON text keeps it exactly, as an escape
  });

  it('migrates a database once when several servers open it at the same moment', async () => {
    const url = await createTestDatabase(testDatabaseBaseUrl());
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open({ connectionString: url, poolSize: 2 })));
    opened.push(...stores);
    const versions = await withClient(url, async (db) => (await db.query('SELECT version FROM schema_migrations ORDER BY version')).rows);
    expect(versions.map((r: { version: string }) => Number(r.version))).toEqual([...Array(versions.length).keys()].map((i) => i + 1));
    expect(versions.length).toBeGreaterThanOrEqual(7);
    await withClient(url, async (db) => {
      const { rows } = await db.query("SELECT to_regclass('socket_io_attachments') AS t");
      expect(rows[0].t).toBe('socket_io_attachments');
    });
  });

  it('lets a reader following `seq > n` miss nothing while two servers write at once', async () => {
    const url = await createTestDatabase(testDatabaseBaseUrl());
    const a = await PostgresStore.open({ connectionString: url });
    const b = await PostgresStore.open({ connectionString: url });
    opened.push(a, b);
    await a.createChair({ id: 'chair-1', name: 'Chair 1', hl7Bed: null, position: 1 }, t0);
    let next = 1000;
    const writer = async (store: Store): Promise<string[]> => {
      const written: string[] = [];
      for (let i = 0; i < 60; i += 1) {
        const batch = Array.from({ length: 1 + (i % 5) }, () => newReading((next += 1)));
        const [result] = await store.insertReadingBatches([batch]);
        expect(result?.ok).toBe(true);
        written.push(...batch.map((r) => r.id));
      }
      return written;
    };
    // The reader moves its cursor to the highest seq it has seen, as a dashboard does.
    const seen = new Set<string>();
    let cursor = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        for (const r of await a.readingsAfter(cursor, 1000)) {
          seen.add(r.id);
          cursor = Math.max(cursor, r.seq);
        }
      }
    })();
    const written = (await Promise.all([writer(a), writer(b)])).flat();
    writing = false;
    await reader;
    for (const r of await a.readingsAfter(cursor, 100_000)) seen.add(r.id);
    expect(written.filter((id) => !seen.has(id))).toEqual([]);
    expect(seen.size).toBe(written.length);
  });
});
