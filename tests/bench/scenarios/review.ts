/**
 * Scenario 4: clinician review. 10,000 stored sessions (seeded before the server starts, with the
 * server's own classes — see workers/seed-review.ts) and a 3-hour session with a reading every
 * second; then, one request at a time as a clinician browsing: pages of `GET /api/v1/sessions`
 * (random offsets, a date range, a chair, unsigned only) and `GET /api/v1/sessions/:id/report`.
 * The server keeps a finished session's report in memory while nothing in it changes
 * (server/src/review/report-cache.ts), so the report is also timed right after a change (a nurse's
 * note), when it is read afresh.
 * Baseline: the same reads straight from the database (workers/bare-query.ts).
 */
import { openClinic } from '../lib/clinic';
import { nowMs, summarize, type Summary } from '../lib/common';
import { type Config, freshPostgresDatabase, type StoreKind } from '../lib/config';
import { launchServer } from '../lib/launch';
import { Worker } from '../lib/processes';
import { RawConnection } from '../lib/raw-http';
import type { Results } from '../lib/report';
import { tempDir } from '../lib/common';

async function timeRequests(conn: RawConnection, cookie: string, paths: string[]): Promise<{ summary: Summary; statuses: Record<number, number> }> {
  const times: number[] = [];
  const statuses: Record<number, number> = {};
  for (const path of paths) {
    const t = nowMs();
    const status = await conn.request('GET', path, `Cookie: ${cookie}\r\n`, '');
    times.push(nowMs() - t);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return { summary: summarize(times), statuses };
}

export async function runReview(cfg: Config, results: Results, store: StoreKind): Promise<void> {
  const label = store === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  console.log(`\n[review ${label}] seeding ${cfg.reviewSessions.toLocaleString('en-US')} sessions and a ${cfg.reportHours}-hour session at 1 Hz`);
  const dataDir = tempDir('review');
  const databaseUrl = store === 'postgres' ? await freshPostgresDatabase(cfg.databaseUrl ?? '') : null;
  const seeder = Worker.spawn('seed-review');
  await seeder.next('up');
  const seeded = await seeder.ask<{ type: string; reportSessionId: string; reportReadings: number; chairIds: string[]; seconds: number }>(
    { type: 'seed', store, dataDir, databaseUrl, sessions: cfg.reviewSessions, reportHours: cfg.reportHours },
    'seeded',
    30 * 60_000,
  );
  await seeder.stop();
  console.log(`  seeded in ${seeded.seconds.toFixed(0)} s (${seeded.reportReadings} readings in the long session)`);

  const server = await launchServer(cfg, store, 'review', { dataDir, databaseUrl });
  try {
    const clinic = await openClinic(server.url);
    const first = await clinic.call(clinic.clinician, 'GET', '/api/v1/sessions?limit=50');
    if (first.status !== 200 || first.body.total < cfg.reviewSessions) throw new Error(`the session list answered ${first.status} with ${first.body?.total} sessions`);
    const today = new Date().toISOString().slice(0, 10);
    const monthAgo = new Date(Date.now() - 30 * 24 * 3600_000).toISOString().slice(0, 10);
    const n = cfg.reviewRequests;
    const listPaths = Array.from({ length: n }, (_, i) => {
      const offset = (i * 7919) % Math.max(1, cfg.reviewSessions - 50);
      switch (i % 5) {
        case 0:
          return `/api/v1/sessions?limit=50&offset=${offset}`;
        case 1:
          return '/api/v1/sessions?limit=50';
        case 2:
          return `/api/v1/sessions?fromDate=${monthAgo}&toDate=${today}&limit=50`;
        case 3:
          return `/api/v1/sessions?chairId=${seeded.chairIds[i % seeded.chairIds.length]}&limit=50&offset=${offset % 500}`;
        default:
          return '/api/v1/sessions?signed=false&limit=50';
      }
    });
    const reportCount = Math.max(20, Math.round(n / 4));
    const reportPaths = Array.from({ length: reportCount }, () => `/api/v1/sessions/${seeded.reportSessionId}/report`);
    const conn = new RawConnection(new URL(server.url).hostname, Number(new URL(server.url).port));
    await conn.connect();
    await timeRequests(conn, clinic.clinician, listPaths.slice(0, 10)); // warm-up
    await timeRequests(conn, clinic.clinician, reportPaths.slice(0, 3));
    console.log(`  ${n} list requests, ${reportCount} report requests, one at a time`);
    const list = await timeRequests(conn, clinic.clinician, listPaths);
    const report = await timeRequests(conn, clinic.clinician, reportPaths);
    conn.close();
    const reportSize = await fetch(`${server.url}/api/v1/sessions/${seeded.reportSessionId}/report`, { headers: { cookie: clinic.clinician } }).then(async (r) => (await r.arrayBuffer()).byteLength);

    const bare = Worker.spawn('bare-query');
    await bare.next('up');
    const floor = await bare.ask<{ type: string; list: Summary; report: Summary; reportBytes: number }>(
      { type: 'run', store, dataDir, databaseUrl, sessionId: seeded.reportSessionId, sessions: cfg.reviewSessions, requests: Math.max(20, Math.round(n / 4)) },
      'done',
      10 * 60_000,
    );
    await bare.stop();

    // After the baseline, which reads the same events as the views above: each note adds one.
    const changedCount = Math.max(10, Math.round(reportCount / 2));
    const changedTimes: number[] = [];
    const changedStatuses: Record<number, number> = {};
    const conn2 = new RawConnection(new URL(server.url).hostname, Number(new URL(server.url).port));
    await conn2.connect();
    for (let i = 0; i < changedCount; i += 1) {
      const note = await clinic.call(clinic.nurse, 'POST', `/api/v1/sessions/${seeded.reportSessionId}/events`, { type: 'note', text: `Bench note ${i + 1}` });
      if (note.status !== 201) throw new Error(`a note answered ${note.status}`);
      const one = await timeRequests(conn2, clinic.clinician, reportPaths.slice(0, 1));
      changedTimes.push(one.summary.p50);
      for (const [status, count] of Object.entries(one.statuses)) changedStatuses[Number(status)] = (changedStatuses[Number(status)] ?? 0) + count;
    }
    conn2.close();
    const changed = { summary: summarize(changedTimes), statuses: changedStatuses };
    results.detail(`review.${store}`, { seeded, list, report, changed, reportBytes: reportSize, bare: floor });
    console.log(
      `  list p50 ${list.summary.p50.toFixed(1)} ms p95 ${list.summary.p95.toFixed(1)} ms ${JSON.stringify(list.statuses)}; report p50 ${report.summary.p50.toFixed(0)} ms p95 ${report.summary.p95.toFixed(0)} ms (${(reportSize / 1e6).toFixed(1)} MB) ${JSON.stringify(report.statuses)}; ` +
        `after a change p50 ${changed.summary.p50.toFixed(0)} ms p95 ${changed.summary.p95.toFixed(0)} ms ${JSON.stringify(changed.statuses)}`,
    );
    const scenario = `4 review (${label})`;
    const okList = list.statuses[200] === n;
    const okReport = report.statuses[200] === reportCount;
    results.add({ scenario, figure: `session list over ${cfg.reviewSessions.toLocaleString('en-US')} sessions, p50`, unit: 'ms', ours: list.summary.p50, baseline: floor.list.p50, target: null, met: null });
    results.add({ scenario, figure: 'session list, p95', unit: 'ms', ours: list.summary.p95, baseline: floor.list.p95, target: '≤ 100 ms', met: okList && list.summary.p95 <= 100 });
    results.add({
      scenario,
      figure: `${cfg.reportHours}-hour session report (${seeded.reportReadings.toLocaleString('en-US')} readings, ${(reportSize / 1e6).toFixed(1)} MB), p50`,
      unit: 'ms',
      ours: report.summary.p50,
      baseline: floor.report.p50,
      target: null,
      met: null,
    });
    results.add({ scenario, figure: 'session report, p95', unit: 'ms', ours: report.summary.p95, baseline: floor.report.p95, target: '≤ 100 ms', met: okReport && report.summary.p95 <= 100 });
    const okChanged = changed.statuses[200] === changedCount;
    results.add({ scenario, figure: 'session report right after a change (read afresh), p50', unit: 'ms', ours: okChanged ? changed.summary.p50 : null, baseline: floor.report.p50, target: null, met: null });
    results.add({ scenario, figure: 'session report right after a change, p95', unit: 'ms', ours: okChanged ? changed.summary.p95 : null, baseline: floor.report.p95, target: null, met: null });
  } finally {
    await server.stop();
  }
}
