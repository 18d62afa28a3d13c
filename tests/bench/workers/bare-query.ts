/**
 * Baseline for the review API: the same reads straight from the database with no server around
 * them (better-sqlite3 on the server's own file, read-only, or node-pg), rows serialized to JSON as
 * an API answer would be: a page of the session list with its total, and a session's readings and
 * events. The floor of "review API time" on this machine.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { nowMs, summarize } from '../lib/common';
import { type Message, reply, serveMessages } from '../lib/processes';

const listFrom = `FROM sessions s JOIN patients p ON p.id = s.patient_id
  LEFT JOIN session_signatures sig ON sig.session_id = s.id WHERE s.checked_in_at >= ? AND s.checked_in_at < ?`;
const listPage = `SELECT s.*, p.display_name AS patient_name, sig.signed_at AS signed_at,
    (SELECT COUNT(*) FROM alerts a WHERE a.session_id = s.id) AS alert_count,
    (SELECT COUNT(*) FROM alerts a WHERE a.session_id = s.id AND a.priority = 'high') AS high_alert_count
  ${listFrom} ORDER BY s.checked_in_at DESC LIMIT ? OFFSET ?`;
const listCount = `SELECT COUNT(*) AS n ${listFrom}`;
const readings = 'SELECT * FROM readings WHERE session_id = ? ORDER BY measured_at, seq';
const events = 'SELECT * FROM session_events WHERE session_id = ? ORDER BY seq';
const session = 'SELECT * FROM sessions WHERE id = ?';

const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

interface Job extends Message {
  store: 'sqlite' | 'postgres';
  dataDir: string;
  databaseUrl: string | null;
  sessionId: string;
  sessions: number;
  requests: number;
}

async function run(job: Job): Promise<Message> {
  const offsets = Array.from({ length: job.requests }, (_, i) => (i * 7919) % Math.max(1, job.sessions - 50));
  const list: number[] = [];
  const report: number[] = [];
  let reportBytes = 0;
  if (job.store === 'sqlite') {
    const db = new Database(path.join(job.dataDir, 'chairside.db'), { readonly: true });
    const page = db.prepare(listPage);
    const count = db.prepare(listCount);
    const r = db.prepare(readings);
    const e = db.prepare(events);
    const s = db.prepare(session);
    for (const offset of offsets) {
      const t = nowMs();
      JSON.stringify({ total: count.get(0, Number.MAX_SAFE_INTEGER), items: page.all(0, Number.MAX_SAFE_INTEGER, 50, offset) });
      list.push(nowMs() - t);
    }
    for (let i = 0; i < job.requests; i += 1) {
      const t = nowMs();
      const body = JSON.stringify({ session: s.get(job.sessionId), events: e.all(job.sessionId), readings: r.all(job.sessionId) });
      report.push(nowMs() - t);
      reportBytes = body.length;
    }
    db.close();
  } else {
    const client = new pg.Client({ connectionString: job.databaseUrl ?? '' });
    await client.connect();
    for (const offset of offsets) {
      const t = nowMs();
      const [c, p] = await Promise.all([
        client.query(numbered(listCount), [0, Number.MAX_SAFE_INTEGER]),
        client.query(numbered(listPage), [0, Number.MAX_SAFE_INTEGER, 50, offset]),
      ]);
      JSON.stringify({ total: c.rows[0], items: p.rows });
      list.push(nowMs() - t);
    }
    for (let i = 0; i < job.requests; i += 1) {
      const t = nowMs();
      const [s, e, r] = await Promise.all([
        client.query(numbered(session), [job.sessionId]),
        client.query(numbered(events), [job.sessionId]),
        client.query(numbered(readings), [job.sessionId]),
      ]);
      const body = JSON.stringify({ session: s.rows[0], events: e.rows, readings: r.rows });
      report.push(nowMs() - t);
      reportBytes = body.length;
    }
    await client.end();
  }
  return { type: 'done', list: summarize(list), report: summarize(report), reportBytes };
}

/** The plainest downsampling SQL can do: per 15 s slice, each column's MIN and MAX (GROUP BY). */
const bareTrend = `SELECT measured_at / 15000 AS slice, MIN(measured_at) AS first, MAX(measured_at) AS last,
    MIN(systolic), MAX(systolic), MIN(diastolic), MAX(diastolic), MIN(mean), MAX(mean),
    MIN(heart_rate), MAX(heart_rate), MIN(spo2), MAX(spo2), MIN(resp_rate), MAX(resp_rate)
  FROM readings WHERE chair_id = ? AND measured_at >= ? AND measured_at < ? GROUP BY slice ORDER BY slice`;

/**
 * A chair's timeline as `GET /api/v1/chairs/:id/readings` reads it, and its trend as a bare GROUP BY
 * (SQLite), each serialized to JSON as an API answer would be.
 */
function chairTimeline(job: Message): Message {
  const db = new Database(path.join(String(job.dataDir), 'chairside.db'), { readonly: true });
  const query = db.prepare('SELECT * FROM readings WHERE chair_id = ? AND measured_at >= ? AND measured_at < ? ORDER BY measured_at, seq LIMIT 50000');
  const grouped = db.prepare(bareTrend);
  const times: number[] = [];
  const trendTimes: number[] = [];
  let bytes = 0;
  for (let i = 0; i < Number(job.requests); i += 1) {
    const t = nowMs();
    bytes = JSON.stringify(query.all(String(job.chairId), Number(job.fromMs), Number.MAX_SAFE_INTEGER)).length;
    times.push(nowMs() - t);
    const t1 = nowMs();
    JSON.stringify(grouped.all(String(job.chairId), Number(job.fromMs), Number.MAX_SAFE_INTEGER));
    trendTimes.push(nowMs() - t1);
  }
  db.close();
  return { type: 'done', timeline: summarize(times), trend: summarize(trendTimes), bytes };
}

serveMessages(async (message) => {
  if (message.type === 'run') reply(await run(message as Job));
  if (message.type === 'chair') reply(chairTimeline(message));
});
reply({ type: 'up' });
