/**
 * Seeds a store for the review scenario before the server starts, with the server's own classes
 * (`createApp` around `SqliteStore` / `PostgresStore`, a hand-moved clock): seeding 10,000 sessions
 * through the public API would take far longer than the measurement, since every event is its own
 * durable transaction.
 *
 * - `sessions` finished sessions spread over the past two years on 12 chairs and 2,000 patients:
 *   check-in → treatment started → ended → discharged by a clinician's override (1 in 10 cancelled
 *   at baseline instead); every other one signed.
 * - One `reportHours`-hour session on its own chair with a reading every second (heart rate, SpO₂,
 *   respiratory rate; a cuff BP every 5 min), ingested through the real ingest path, with its
 *   phase events, discharged at the end.
 *
 * SQLite: the seeding connection runs with synchronous=OFF inside large transactions (the server
 * reopens the file with its own settings). PostgreSQL: synchronous_commit is off for the seeding.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { type Clock, createApp, PostgresStore, silentLogger, SqliteStore, type Store } from '@chairside/server';
import { defaultRecordSettings, type ReadingInput } from '@chairside/shared';
import { type Message, reply, serveMessages } from '../lib/processes';

/** Turns PostgreSQL's synchronous_commit off for the seeding database (new connections), or back on. */
async function setSynchronousCommit(databaseUrl: string, on: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const name = (await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0]?.name ?? '';
  await client.query(on ? `ALTER DATABASE "${name}" RESET synchronous_commit` : `ALTER DATABASE "${name}" SET synchronous_commit = off`);
  await client.end();
}

class HandClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
}

const minute = 60_000;
const nurse = { id: null, username: 'nurse', role: 'nurse' as const };
const clinician = { id: null, username: 'clinician', role: 'clinician' as const };

interface SeedJob extends Message {
  store: 'sqlite' | 'postgres';
  dataDir: string;
  databaseUrl: string | null;
  sessions: number;
  reportHours: number;
}

async function seed(job: SeedJob): Promise<Message> {
  const started = Date.now();
  let store: Store;
  let sqlite: Database.Database | null = null;
  if (job.store === 'sqlite') {
    const s = new SqliteStore({ file: path.join(job.dataDir, 'chairside.db') });
    // Seeding shortcut (see the header): the store's own connection, without a sync per commit.
    sqlite = (s as unknown as { db: Database.Database }).db;
    sqlite.pragma('synchronous = OFF');
    store = s;
  } else {
    await setSynchronousCommit(job.databaseUrl ?? '', false);
    store = await PostgresStore.open({ connectionString: job.databaseUrl ?? '' });
  }
  const now = Date.now();
  const clock = new HandClock(now - 2 * 365 * 24 * 60 * minute);
  const app = await createApp({ store, clock, logger: silentLogger, deviceTokens: [], sessionIdleMs: 12 * 60 * minute });
  const begin = (): void => {
    sqlite?.exec('BEGIN');
  };
  const commit = (): void => {
    sqlite?.exec('COMMIT');
  };

  const chairIds = Array.from({ length: 12 }, (_, i) => `review-${i + 1}`);
  for (const [i, id] of chairIds.entries()) await app.chairs.ensure({ id, name: `Review chair ${i + 1}`, hl7Bed: null, position: 100 + i });
  begin();
  const patientIds: string[] = [];
  for (let i = 0; i < 2000; i += 1) {
    patientIds.push((await app.patients.create({ displayName: `Review patient ${i + 1}`, mrn: `MRN-${100000 + i}`, riskFlags: i % 7 === 0 ? ['hypertension'] : [] })).id);
  }
  commit();

  // Finished sessions, oldest first, ~14 a day over two years.
  const span = 2 * 365 * 24 * 60 * minute - 8 * 60 * minute;
  const step = span / job.sessions;
  begin();
  for (let i = 0; i < job.sessions; i += 1) {
    const at = now - 2 * 365 * 24 * 60 * minute + i * step;
    clock.ms = at;
    const chairId = chairIds[i % chairIds.length] ?? 'review-1';
    const session = await app.sessions.checkIn({ patientId: patientIds[i % patientIds.length] ?? '', chairId, protocolId: i % 5 === 0 ? 'esketamine' : 'iv-ketamine' }, nurse);
    if (i % 10 === 9) {
      clock.ms = at + 10 * minute;
      await app.sessions.applyEvent(session.id, { type: 'cancelled', reason: 'Patient unwell before treatment' }, nurse);
    } else {
      clock.ms = at + 15 * minute;
      // Seeded history has no baseline readings: the clinician starts with an override.
      await app.sessions.applyEvent(session.id, { type: 'treatment-started', override: { reason: 'Seeded history: started by the clinician' } }, clinician);
      clock.ms = at + 55 * minute;
      await app.sessions.applyEvent(session.id, { type: 'treatment-ended' }, nurse);
      clock.ms = at + 100 * minute;
      await app.sessions.applyEvent(session.id, { type: 'discharged', override: { reason: 'Seeded history: discharged by the clinician' } }, clinician);
      if (i % 2 === 0) {
        await store.sessions.signSession({ sessionId: session.id, signedBy: 'clinician', signedByName: 'Bench clinician', signedAt: clock.ms + minute, statement: 'Seeded signature.' });
      }
    }
    if (i % 500 === 499) {
      commit();
      begin();
    }
  }
  commit();

  // The long session: readings every second, through the real ingest path.
  const reportChair = 'report-chair';
  await app.chairs.ensure({ id: reportChair, name: 'Report chair', hl7Bed: null, position: 200 });
  const t0 = now - (job.reportHours + 0.5) * 60 * minute;
  clock.ms = t0;
  const patient = await app.patients.create({ displayName: 'Report patient', mrn: 'MRN-REPORT', riskFlags: [] });
  const session = await app.sessions.checkIn({ patientId: patient.id, chairId: reportChair, protocolId: 'iv-ketamine' }, nurse);
  // At check-in the nurse answers the readiness hard stops (they hold the start) and records the escort.
  const readiness = Object.fromEntries(defaultRecordSettings['iv-infusion'].readiness.filter((item) => item.hardStop === true).map((item) => [item.id, true]));
  await app.sessions.applyRecordEvent(session.id, { type: 'readiness-answered', answers: readiness }, nurse);
  await app.sessions.applyRecordEvent(session.id, { type: 'escort-recorded', name: 'Sam Lee', phone: '555 0100' }, nurse);
  const seconds = Math.round(job.reportHours * 3600);
  const treatmentAt = 20 * 60;
  const treatmentEndAt = 60 * 60;
  const device = { kind: 'device' as const, deviceLabel: 'bench-seed' };
  let readings = 0;
  for (let s = 0; s < seconds; s += 60) {
    const inputs: ReadingInput[] = [];
    for (let k = s; k < Math.min(seconds, s + 60); k += 1) {
      const wave = (k * 7919) % 13;
      const bp = k % 300 === 0;
      inputs.push({
        id: randomUUID(),
        chairId: reportChair,
        measuredAt: new Date(t0 + k * 1000 + 500).toISOString(),
        heartRate: 72 + wave,
        spo2: 96 + (wave % 4),
        respRate: 13 + (wave % 5),
        ...(bp ? { systolic: 124 + (wave % 7), diastolic: 78 + (wave % 5), mean: 93 + (wave % 5) } : {}),
        source: 'device',
      });
    }
    clock.ms = t0 + (s + 60) * 1000;
    await app.ingest.ingest(inputs, device);
    readings += inputs.length;
    if (s + 60 === treatmentAt) await app.sessions.applyEvent(session.id, { type: 'treatment-started' }, nurse);
    if (s + 60 === treatmentEndAt) await app.sessions.applyEvent(session.id, { type: 'treatment-ended' }, nurse);
  }
  clock.ms = t0 + seconds * 1000 + minute;
  const protocol = await app.protocols.get('iv-ketamine');
  await app.sessions.applyEvent(session.id, { type: 'checklist-updated', items: Object.fromEntries(protocol.dischargeGate.checklist.map((c) => [c.id, true])) }, nurse);
  try {
    await app.sessions.applyEvent(session.id, { type: 'discharged' }, nurse);
  } catch {
    await app.sessions.applyEvent(session.id, { type: 'discharged', override: { reason: 'Seeded: discharged by the clinician' } }, clinician);
  }
  await app.close();
  if (sqlite) sqlite.pragma('synchronous = FULL');
  await store.close();
  if (job.store === 'postgres') await setSynchronousCommit(job.databaseUrl ?? '', true);
  return { type: 'seeded', sessions: job.sessions + 1, reportSessionId: session.id, reportReadings: readings, chairIds, seconds: (Date.now() - started) / 1000 };
}

serveMessages(async (message) => {
  if (message.type === 'seed') reply(await seed(message as SeedJob));
});
reply({ type: 'up' });
