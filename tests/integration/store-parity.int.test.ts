import pg from 'pg';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AlertEvent, alertEventSchema } from '@chairside/shared';
import { PostgresStore, SqliteStore, type Store } from '@chairside/server';
import { createTestDatabase, testDatabaseBaseUrl, withClient } from '../helpers/postgres';
import { storeKind, tempDataDir } from '../helpers/test-server';

type NewReading = Parameters<Store['readings']['insertReadingBatches']>[0][number][number];
type NewSessionEvent = Parameters<Store['sessions']['createSession']>[1];

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

  out.usersAtStart = await store.accounts.countUsers();
  for (const [id, username, isDemo] of [
    ['u-bob', 'bob', false],
    ['u-alice', 'Alice', true],
    ['u-emile', 'émile', false],
    ['u-alice2', 'alice', false],
    ['u-nurse', 'nurse', true],
  ] as const) {
    await store.accounts.createUser({ id, username, displayName: `${username} D.`, role: 'nurse', passwordHash: `ph-${id}`, disabled: false, isDemo, createdAt: t0 });
  }
  out.users = await store.accounts.listUsers();
  out.byName = [await store.accounts.findUserByUsername('Alice'), await store.accounts.findUserByUsername('ALICE')];
  await store.accounts.setDemoUsersDisabled(true);
  out.updated = await store.accounts.updateUser('u-bob', { role: 'clinician', displayName: 'Robert', disabled: true });
  out.updatedDemo = await store.accounts.updateUser('u-alice', { isDemo: false, disabled: false, passwordHash: 'ph-new' });
  out.updatedNothing = await store.accounts.updateUser('u-emile', {});
  out.updatedMissing = await store.accounts.updateUser('nobody', { role: 'admin' });
  out.usersAfter = [await store.accounts.countUsers(), await store.accounts.listUsers()];

  await store.accounts.createAuthSession({ tokenHash: 'tok-1', userId: 'u-bob', createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 60 * min });
  await store.accounts.touchAuthSession('tok-1', t0 + min, t0 + 61 * min);
  out.authSession = await store.accounts.findAuthSession('tok-1');
  await store.accounts.deleteAuthSessionsOfUser('u-bob');
  out.authSessionGone = await store.accounts.findAuthSession('tok-1');

  for (const n of [1, 2]) {
    await store.accounts.createDeviceToken({ id: `dt-${n}`, label: `Monitor ${n}`, tokenHash: `dth-${n}`, createdAt: t0 + n, createdBy: 'admin', revokedAt: null, lastUsedAt: null });
  }
  out.revoke = [await store.accounts.revokeDeviceToken('dt-1', t0 + 5), await store.accounts.revokeDeviceToken('dt-1', t0 + 6), await store.accounts.revokeDeviceToken('dt-9', t0)];
  await store.accounts.touchDeviceToken('dt-2', t0 + 7);
  out.tokens = [await store.accounts.listDeviceTokens(), await store.accounts.findDeviceTokenByHash('dth-2'), await store.accounts.findDeviceTokenByHash('nope')];

  out.chairs = [
    await store.catalog.createChair({ id: 'chair-1', name: 'Chair 1', hl7Bed: null, position: 2 }, t0),
    await store.catalog.createChair({ id: 'chair-2', name: 'chair 2', hl7Bed: 'BED-2', position: 1 }, t0),
    await store.catalog.createChair({ id: 'chair-3', name: 'Chair 3', hl7Bed: null, position: 1 }, t0),
    await store.catalog.createChair({ id: 'chair-1', name: 'Again', hl7Bed: null, position: 0 }, t0),
    await store.catalog.createChair({ id: 'chair-4', name: 'Same bed', hl7Bed: 'BED-2', position: 0 }, t0),
  ];
  out.chairList = [await store.catalog.listChairs(), await store.catalog.findChair('chair-2'), await store.catalog.findChair('chair-9')];

  out.hl7Devices = [
    await store.hl7.createHl7Device({ deviceId: 'Mon-A', chairId: 'chair-1', createdAt: t0, createdBy: 'admin' }),
    await store.hl7.createHl7Device({ deviceId: 'mon-a', chairId: 'chair-2', createdAt: t0, createdBy: 'admin' }),
    await store.hl7.createHl7Device({ deviceId: 'MÖN-B', chairId: 'chair-2', createdAt: t0, createdBy: null }),
    await store.hl7.createHl7Device({ deviceId: 'mön-b', chairId: 'chair-2', createdAt: t0, createdBy: null }),
    await store.hl7.createHl7Device({ deviceId: 'b-mon', chairId: 'chair-1', createdAt: t0, createdBy: null }),
  ];
  out.hl7DeviceList = await store.hl7.listHl7Devices();
  out.hl7Deleted = [await store.hl7.deleteHl7Device('MON-a'), await store.hl7.deleteHl7Device('MON-a'), await store.hl7.deleteHl7Device('mÖn-b')];
  out.hl7DeviceListAfter = await store.hl7.listHl7Devices();

  for (let n = 1; n <= 5; n += 1) {
    await store.hl7.saveHl7Unmapped({ receivedAt: t0 + n, sendingDevice: n % 2 ? 'MON' : null, bed: null, controlId: `c${n}`, reason: 'no chair', raw: `MSH|^~\\&|${n}\r`, rawTruncated: n === 5 }, 3);
  }
  out.unmapped = await store.hl7.listHl7Unmapped(10);

  const patient = (id: string, displayName: string, mrn: string | null, at: number) => ({ id, displayName, mrn, riskFlags: ['hypertension' as const], createdAt: new Date(at).toISOString() });
  out.patients = [
    await store.catalog.createPatient(patient('p-1', 'Ann Lee', 'MRN-1', t0)),
    await store.catalog.createPatient(patient('p-2', 'ANNA', null, t0 + 1)),
    await store.catalog.createPatient(patient('p-3', 'Bo_b 100%', 'mrn/ann', t0 + 2)),
    await store.catalog.createPatient(patient('p-4', 'Ännchen', null, t0 + 3)),
    await store.catalog.createPatient(patient('p-5', 'Dup', 'MRN-1', t0 + 4)),
  ];
  out.patientSearch = await Promise.all(['ann', 'ÄNN', '%', '_', '', 'zzz'].map((q) => store.catalog.listPatients(q, 10)));
  out.patient = [await store.catalog.findPatient('p-3'), await store.catalog.findPatient('p-9')];

  const definition = { name: 'IV ketamine', phases: ['baseline', 'treatment'], bpIntervalMin: 15, nested: { b: 1, a: [1.5, null, 'x'] } };
  out.protocols = [
    await store.catalog.saveProtocol({ id: 'iv', version: 1, definition, createdAt: t0, createdBy: null }),
    await store.catalog.saveProtocol({ id: 'iv', version: 2, definition: { ...definition, bpIntervalMin: 10 }, createdAt: t0 + 1, createdBy: 'admin' }),
    await store.catalog.saveProtocol({ id: 'iv', version: 1, definition: {}, createdAt: t0 + 2, createdBy: 'admin' }),
    await store.catalog.saveProtocol({ id: 'esk', version: 1, definition: { name: 'Esketamine' }, createdAt: t0, createdBy: 'admin' }),
  ];
  out.protocolList = [await store.catalog.listProtocols(), await store.catalog.findProtocol('iv'), await store.catalog.findProtocol('iv', 1), await store.catalog.findProtocol('iv', 9)];

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
    await store.sessions.createSession(session('s-1', 'chair-1', 'p-1', t0 + 5 * min), event('checked-in', t0 + 5 * min, null, 'baseline')),
    await store.sessions.createSession(session('s-2', 'chair-1', 'p-2', t0 + 6 * min), event('checked-in', t0 + 6 * min, null, 'baseline')),
    await store.sessions.createSession(session('s-3', 'chair-2', 'p-2', t0 + 7 * min, false), event('checked-in', t0 + 7 * min, null, 'baseline')),
    await store.sessions.createSession(session('s-4', 'chair-2', 'p-3', t0 + 8 * min), event('checked-in', t0 + 8 * min, null, 'baseline')),
  ];
  const update = { phase: 'treatment', active: true, state: { phase: 'treatment' }, endedAt: null };
  out.sessionUpdates = [
    await store.sessions.updateSession('s-1', 0, update, event('treatment-started', t0 + 9 * min, 'baseline', 'treatment')),
    await store.sessions.updateSession('s-1', 0, update, event('treatment-started', t0 + 9 * min, 'baseline', 'treatment')),
    await store.sessions.updateSession('s-4', 0, { phase: 'discharged', active: false, state: { phase: 'discharged' }, endedAt: t0 + 30 * min, overrideUsed: true }, null),
    await store.sessions.updateSession('s-9', 0, update, null),
  ];
  out.sessionReads = [await store.sessions.findSession('s-1'), await store.sessions.findSession('s-9'), await store.sessions.listActiveSessions(), await store.sessions.listSessionEvents('s-1')];

  // Readings: plain batches first (sequence numbers compared as they are) ...
  out.firstBatches = await store.readings.insertReadingBatches([
    [newReading(1), newReading(2, { sessionId: 's-1', rejected: [{ field: 'spo2', value: 12, reason: 'out-of-range', message: 'SpO₂ 12 % is not plausible' }], flags: ['spo2-low-accuracy'] })],
    [newReading(3, { chairId: 'chair-2', systolic: null, diastolic: null, mean: null, respRate: 14, source: 'manual', enteredBy: 'nurse' })],
    [newReading(4, { measuredAt: new Date(t0 + 30 * min).toISOString(), heartRate: null, spo2: null })],
  ]);
  out.readingsAfter = [await store.readings.readingsAfter(0, 100), await store.readings.readingsAfter(2, 1), await store.readings.latestSeq()];
  out.attached = await store.sessions.attachReadings('s-1', 'chair-1', [uuid(4), uuid(3), uuid(1), uuid(2), uuid(4), uuid(99)], event('readings-attached', t0 + 31 * min, 'treatment', 'treatment'));
  out.attachedNone = await store.sessions.attachReadings('s-1', 'chair-1', [uuid(3)], event('readings-attached', t0 + 32 * min, 'treatment', 'treatment'));
  out.readingLists = [
    await store.readings.listSessionReadings('s-1'),
    await store.readings.listChairReadings('chair-1', t0, t0 + 30 * min, 100),
    await store.readings.listChairReadings('chair-1', t0, t0 + 31 * min, 1),
    await store.readings.newestReadingsPerVital('chair-1'),
    await store.readings.newestReadingsPerVital('chair-2'),
    await store.readings.newestReadingsPerVital('chair-3'),
    await store.sessions.listSessionEvents('s-1'),
  ];

  // ... then retries and conflicts, after which PostgreSQL's sequence may have gaps.
  out.retriesAndConflicts = withoutSeq(
    await store.readings.insertReadingBatches([
      [newReading(1), newReading(5), newReading(5)],
      [newReading(6), newReading(2, { payloadHash: 'other' }), newReading(7), newReading(6, { payloadHash: 'other' })],
      [newReading(8), newReading(8, { payloadHash: 'other' })],
      [newReading(9)],
      [],
    ]),
  );
  // A group with no conflict, where a later request resends a reading an earlier one stored.
  out.retryAcrossRequests = withoutSeq(await store.readings.insertReadingBatches([[newReading(20), newReading(21)], [newReading(21), newReading(22)], [newReading(20)]]));
  // A request larger than one multi-row INSERT, with an id repeated across the parts.
  const big = Array.from({ length: 2100 }, (_, i) => newReading(10_000 + i, { measuredAt: new Date(t0 + 60 * min + i * 1000).toISOString() }));
  big[1500] = newReading(10_005, { measuredAt: new Date(t0 + 60 * min + 5 * 1000).toISOString() });
  out.bigBatch = withoutSeq(await store.readings.insertReadingBatches([big]));
  out.readingsAfterConflicts = withoutSeq([await store.readings.readingsAfter(0, 5000), await store.readings.newestReadingsPerVital('chair-1'), await store.readings.latestSeq() > 0]);

  const lease = await store.alerts.tryAcquireLease('alert-engine');
  if (!lease) throw new Error('a fresh store has no lease holder');
  out.secondLease = (await store.alerts.tryAcquireLease('alert-engine')) === null;
  await store.alerts.saveAlertEvaluations([{ sessionId: 's-1', chairId: 'chair-1', state: { engine: 1 }, events: [alertEvent('alert-raised', 's-1.no-data.1', t0 + 10 * min, null)] }], t0 + 10 * min, lease);
  // One group commit: two evaluations of one session (the newer state wins) and one of another;
  // an alert raised and cleared within it is stored once, with both events.
  await store.alerts.saveAlertEvaluations(
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
  out.afterRelease = await store.alerts
    .saveAlertEvaluations([{ sessionId: 's-4', chairId: 'chair-2', state: { engine: 'z' }, events: [] }], t0 + 14 * min, lease)
    .then(() => 'saved', (error: unknown) => (error instanceof Error ? error.name : 'other'));
  out.leaseAgain = (await store.alerts.tryAcquireLease('alert-engine')) !== null;
  out.alerts = [
    await store.alerts.loadAlertEngine('s-1'),
    await store.alerts.loadAlertEngine('s-4'),
    await store.alerts.loadAlertEngine('s-2'),
    await store.alerts.listOpenAlerts(),
    await store.alerts.listSessionAlerts('s-1'),
    await store.alerts.listSessionAlertEvents('s-1'),
    await store.alerts.listSessionAlerts('s-4'),
    await store.alerts.listSessionAlertEvents('s-4'),
  ];

  out.signatures = [
    await store.sessions.signSession({ sessionId: 's-4', signedBy: 'u-bob', signedByName: 'Robert', signedAt: t0 + 40 * min, statement: 'Reviewed.' }),
    await store.sessions.signSession({ sessionId: 's-4', signedBy: 'u-bob', signedByName: 'Robert', signedAt: t0 + 41 * min, statement: 'Again.' }),
    await store.sessions.findSignature('s-4'),
    await store.sessions.findSignature('s-1'),
  ];
  out.addenda = [
    await store.sessions.addAddendum({ sessionId: 's-4', text: 'Late note', username: 'bob', displayName: 'Robert', at: t0 + 50 * min }),
    await store.sessions.addAddendum({ sessionId: 's-4', text: 'Second', username: 'bob', displayName: 'Robert', at: t0 + 51 * min }),
    await store.sessions.listAddenda('s-4'),
  ];
  await expect(store.sessions.addAddendum({ sessionId: 's-1', text: 'Not signed', username: 'bob', displayName: 'Robert', at: t0 })).rejects.toThrow();

  const filter = { fromMs: t0, toMs: t0 + 24 * 60 * min, limit: 10, offset: 0 };
  out.sessionLists = await Promise.all([
    store.sessions.listSessions(filter),
    store.sessions.listSessions({ ...filter, chairId: 'chair-2' }),
    store.sessions.listSessions({ ...filter, patientId: 'p-2' }),
    store.sessions.listSessions({ ...filter, protocolId: 'iv', hadAlerts: true }),
    store.sessions.listSessions({ ...filter, hadAlerts: false, sort: 'chair', order: 'asc' }),
    store.sessions.listSessions({ ...filter, overrideUsed: true }),
    store.sessions.listSessions({ ...filter, overrideUsed: false, signed: false }),
    store.sessions.listSessions({ ...filter, signed: true }),
    store.sessions.listSessions({ ...filter, sort: 'protocol', order: 'asc', limit: 1, offset: 1 }),
    store.sessions.listSessions({ ...filter, fromMs: t0 + 6 * min, toMs: t0 + 8 * min }),
  ]);

  for (const [n, action, sessionId] of [
    [1, 'login', null],
    [2, 'session-viewed', 's-1'],
    [3, 'session-viewed', 's-4'],
    [4, 'login-failed', null],
  ] as const) {
    await store.audit.appendAudit({
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
    store.audit.listAudit({ ...audit, toMs: t0 + 5 }),
    store.audit.listAudit(audit),
    store.audit.listAudit({ ...audit, action: 'session-viewed' }),
    store.audit.listAudit({ ...audit, sessionId: 's-4', username: 'bob' }),
    store.audit.listAudit({ ...audit, username: 'BOB' }),
    store.audit.listAudit({ ...audit, limit: 1, offset: 1 }),
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
    const lease = await a.alerts.tryAcquireLease('alert-engine');
    expect(lease).not.toBeNull();
    expect(await b.alerts.tryAcquireLease('alert-engine')).toBeNull();
    // The holder's connection is killed (as when its process dies): the lease is lost and free.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'chairside alert-engine' AND datname = current_database() AND pid <> pg_backend_pid()");
    await admin.end();
    await lease?.lost;
    expect(lease?.isLost()).toBe(true);
    await expect(b.alerts.tryAcquireLease('alert-engine')).resolves.not.toBeNull();
    if (!lease) return;
    await expect(a.alerts.saveAlertEvaluations([], 0, lease)).rejects.toThrow(/no longer holds/);
  });

  it('keeps text with a NUL character, which PostgreSQL text cannot hold, with U+FFFD in its place instead of failing', async () => {
    const store = await PostgresStore.open({ connectionString: await createTestDatabase(testDatabaseBaseUrl()) });
    opened.push(store);
    expect(await store.accounts.findUserByUsername('nurse\u0000')).toBeNull();
    await store.audit.appendAudit({
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
    const [entry] = await store.audit.listAudit({ fromMs: t0, toMs: t0 + 1, limit: 10, offset: 0 });
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
    await a.catalog.createChair({ id: 'chair-1', name: 'Chair 1', hl7Bed: null, position: 1 }, t0);
    let next = 1000;
    const writer = async (store: Store): Promise<string[]> => {
      const written: string[] = [];
      for (let i = 0; i < 60; i += 1) {
        const batch = Array.from({ length: 1 + (i % 5) }, () => newReading((next += 1)));
        const [result] = await store.readings.insertReadingBatches([batch]);
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
        for (const r of await a.readings.readingsAfter(cursor, 1000)) {
          seen.add(r.id);
          cursor = Math.max(cursor, r.seq);
        }
      }
    })();
    const written = (await Promise.all([writer(a), writer(b)])).flat();
    writing = false;
    await reader;
    for (const r of await a.readings.readingsAfter(cursor, 100_000)) seen.add(r.id);
    expect(written.filter((id) => !seen.has(id))).toEqual([]);
    expect(seen.size).toBe(written.length);
  });
});
