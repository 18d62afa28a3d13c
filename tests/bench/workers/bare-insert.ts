/**
 * Baseline: bare inserts of the same rows into a table shaped like the server's `readings`, with
 * group commit, and nothing else: better-sqlite3 (WAL, synchronous=FULL, `perTx` rows per
 * transaction, one prepared INSERT) or node-pg (one multi-row `VALUES` of `perTx` rows per
 * autocommitted statement). The floor of "durable readings per second" on this machine. Then the
 * latency of one small durable commit (one row per transaction, 500 times): the floor of any
 * "acknowledged after commit" latency.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { nowMs, readingId, summarize, tempDir } from '../lib/common';
import { type Message, reply, serveMessages } from '../lib/processes';

const columns = [
  'id',
  'chair_id',
  'session_id',
  'measured_at',
  'received_at',
  'source',
  'systolic',
  'diastolic',
  'mean',
  'heart_rate',
  'spo2',
  'resp_rate',
  'rejected',
  'flags',
  'entered_by',
  'payload_hash',
] as const;

type Row = (string | number | null)[];

function makeRows(count: number): Row[] {
  const prefix = crypto.randomBytes(4).toString('hex');
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const wave = (i * 7919) % 13;
    const bp = i % 300 === 0;
    return [
      readingId(prefix, i),
      `chair-${(i % 1000) + 1}`,
      null,
      now + i,
      now + i,
      'device',
      bp ? 118 + wave : null,
      bp ? 76 + (wave >> 1) : null,
      bp ? 90 + (wave >> 1) : null,
      72 + wave,
      96 + (wave % 4),
      13 + (wave % 5),
      '[]',
      '[]',
      null,
      crypto.createHash('sha256').update(String(i)).digest('hex'),
    ];
  });
}

function sqlite(rows: Row[], perTx: number): Message {
  const dir = tempDir('bare-sqlite');
  const db = new Database(path.join(dir, 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE readings (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, chair_id TEXT NOT NULL, session_id TEXT,
      measured_at INTEGER NOT NULL, received_at INTEGER NOT NULL, source TEXT NOT NULL,
      systolic REAL, diastolic REAL, mean REAL, heart_rate REAL, spo2 REAL, resp_rate REAL,
      rejected TEXT NOT NULL DEFAULT '[]', flags TEXT NOT NULL DEFAULT '[]', entered_by TEXT, payload_hash TEXT NOT NULL,
      supersedes TEXT);
    CREATE INDEX readings_chair_time ON readings (chair_id, measured_at);
    CREATE INDEX readings_session ON readings (session_id, measured_at);
    CREATE INDEX readings_supersedes ON readings (supersedes) WHERE supersedes IS NOT NULL;`);
  const insert = db.prepare(`INSERT INTO readings (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const commit = db.transaction((part: Row[]) => {
    for (const row of part) insert.run(...row);
  });
  const start = nowMs();
  for (let i = 0; i < rows.length; i += perTx) commit(rows.slice(i, i + perTx));
  const elapsedMs = nowMs() - start;
  const single = makeRows(500);
  const commitMs = single.map((row) => {
    const t = nowMs();
    commit([row]);
    return nowMs() - t;
  });
  db.close();
  return { type: 'done', store: 'sqlite', rows: rows.length, perTx, elapsedMs, rowsPerSec: (rows.length / elapsedMs) * 1000, commit: summarize(commitMs) };
}

async function postgres(rows: Row[], perTx: number, databaseUrl: string): Promise<Message> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const table = `bare_readings_${crypto.randomBytes(3).toString('hex')}`;
  await client.query(`
    CREATE TABLE ${table} (
      seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id TEXT COLLATE "C" NOT NULL UNIQUE, chair_id TEXT COLLATE "C" NOT NULL,
      session_id TEXT COLLATE "C", measured_at BIGINT NOT NULL, received_at BIGINT NOT NULL, source TEXT COLLATE "C" NOT NULL,
      systolic DOUBLE PRECISION, diastolic DOUBLE PRECISION, mean DOUBLE PRECISION, heart_rate DOUBLE PRECISION,
      spo2 DOUBLE PRECISION, resp_rate DOUBLE PRECISION, rejected TEXT COLLATE "C" NOT NULL DEFAULT '[]',
      flags TEXT COLLATE "C" NOT NULL DEFAULT '[]', entered_by TEXT COLLATE "C", payload_hash TEXT COLLATE "C" NOT NULL,
      supersedes TEXT COLLATE "C");
    CREATE INDEX ${table}_chair_time ON ${table} (chair_id, measured_at);
    CREATE INDEX ${table}_session ON ${table} (session_id, measured_at);`);
  const n = columns.length;
  const start = nowMs();
  for (let i = 0; i < rows.length; i += perTx) {
    const part = rows.slice(i, i + perTx);
    const values = part.map((_, r) => `(${columns.map((__, c) => `$${r * n + c + 1}`).join(', ')})`).join(', ');
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, part.flat());
  }
  const elapsedMs = nowMs() - start;
  const commitMs: number[] = [];
  for (const row of makeRows(500)) {
    const t = nowMs();
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, c) => `$${c + 1}`).join(', ')})`, row);
    commitMs.push(nowMs() - t);
  }
  await client.query(`DROP TABLE ${table}`);
  await client.end();
  return { type: 'done', store: 'postgres', rows: rows.length, perTx, elapsedMs, rowsPerSec: (rows.length / elapsedMs) * 1000, commit: summarize(commitMs) };
}

serveMessages(async (message) => {
  if (message.type !== 'run') return;
  const rows = makeRows(Number(message.rows));
  const perTx = Number(message.perTx);
  reply(message.store === 'postgres' ? await postgres(rows, Math.min(perTx, 1000), String(message.databaseUrl)) : sqlite(rows, perTx));
});
reply({ type: 'up' });
