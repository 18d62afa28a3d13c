/**
 * Scenario 3 (and the browser half of 5): the built dashboard served by the real server, in real
 * Chromium (Debian's /usr/bin/chromium through Playwright), logged in as a nurse.
 *
 * - Grid: 48 chairs, each with a patient checked in, fed at 1 Hz per chair by the device generator
 *   process. Main-thread busy share = Δ TaskDuration / Δ wall time from the DevTools protocol
 *   (`Performance.getMetrics`); long tasks from a `PerformanceObserver('longtask')` injected before
 *   the app loads (it reports tasks over 50 ms).
 * - Heap: the same grid through an accelerated hour (every chair at `heapHz` Hz until each has an
 *   hour of readings); JSHeapUsedSize after a forced GC (`HeapProfiler.collectGarbage`) before and after.
 * - Chart: a chair with 8 h of 1 Hz readings (28,800, posted through the API); opening it from the
 *   grid, time from the tap (the pointerdown event's own timeStamp, as INP counts an interaction) to
 *   the trend's lines drawn with the data (a MutationObserver on the SVG, then the next animation frame); the same for a cold page load of the chair's URL. Then a new
 *   reading every ~5 s: time from the POST to the chart's path changing.
 */
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { checkInAll, createChairs, ingestToken, openClinic, staffPassword } from '../lib/clinic';
import { readingId, runPrefix, sleep, slope, summarize, type Summary, tempDir } from '../lib/common';
import type { Config } from '../lib/config';
import { Devices } from '../lib/fleet';
import { launchServer, profileFolder } from '../lib/launch';
import { Worker } from '../lib/processes';
import type { Results } from '../lib/report';
import fs from 'node:fs';
import path from 'node:path';

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Installed before the app's own scripts: long tasks and the chart probes report into window.__bench. */
const initScript = `
  window.__bench = { longtasks: [], frames: [], dChanges: [], chartReadyAt: null, chartFrameAt: null, tapAt: null, clickAt: null, pageAt: null, bpAt: null };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__bench.longtaskError = String(e); }
  // Frames over 50 ms with what ran in them (Long Animation Frames): where an open's time went.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__bench.frames.push({
          start: e.startTime, duration: e.duration, renderStart: e.renderStart, styleAndLayoutStart: e.styleAndLayoutStart,
          scripts: (e.scripts || []).map((s) => ({ invoker: s.invoker, start: s.startTime, duration: s.duration, forced: s.forcedStyleAndLayoutDuration })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch (e) { window.__bench.framesError = String(e); }
  /** The BP pane drawn with its data: systolic and diastolic lines of 10+ segments (a cuff BP every 5 min). */
  window.__benchBpDrawn = () => {
    let long = 0;
    for (const p of document.querySelectorAll('.trend__panel--bp path.recharts-line-curve')) {
      const d = p.getAttribute('d') || '';
      let segments = 0;
      for (let i = 0; i < d.length; i++) if (d.charCodeAt(i) === 76) segments++;
      if (segments >= 10) long++;
    }
    return long >= 2;
  };
  /** True once the trend draws at least 3 lines with 100+ segments (heart rate, SpO2, RR over hours). */
  window.__benchChartDrawn = () => {
    let long = 0;
    for (const p of document.querySelectorAll('path.recharts-line-curve')) {
      const d = p.getAttribute('d') || '';
      let segments = 0;
      for (let i = 0; i < d.length; i++) if (d.charCodeAt(i) === 76) segments++;
      if (segments >= 100) long++;
    }
    return long >= 3;
  };
  /** Records when the chart is first drawn with its data (DOM, then the next frame). */
  window.__benchWatchChart = () => {
    window.__bench.chartReadyAt = null;
    window.__bench.chartFrameAt = null;
    window.__bench.tapAt = null;
    window.__bench.clickAt = null;
    window.__bench.pageAt = null;
    window.__bench.bpAt = null;
    // The user's wait starts when the finger lands (the input event's own time, as INP counts it).
    document.addEventListener('pointerdown', (e) => { window.__bench.tapAt = e.timeStamp; }, { capture: true, once: true });
    // Phases on the way (for the breakdown only): the click reaching the page, the chair page in the DOM, the BP pane drawn.
    document.addEventListener('click', () => { window.__bench.clickAt = performance.now(); }, { capture: true, once: true });
    const check = () => {
      if (window.__bench.pageAt === null && document.querySelector('.page.detail') !== null) window.__bench.pageAt = performance.now();
      if (window.__bench.bpAt === null && window.__benchBpDrawn()) window.__bench.bpAt = performance.now();
      if (window.__bench.chartReadyAt !== null || !window.__benchChartDrawn()) return;
      window.__bench.chartReadyAt = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => { window.__bench.chartFrameAt = performance.now(); });
    };
    const observer = new MutationObserver(check);
    observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['d'] });
    check();
  };
  if (location.pathname.startsWith('/chairs/')) {
    document.addEventListener('DOMContentLoaded', () => window.__benchWatchChart());
  }
  /** Epoch ms (high resolution) of every redraw of the trend's lines (recharts replaces the path), for re-render timing. */
  window.__benchWatchLines = () => {
    const isLine = (m) =>
      (m.type === 'childList' && m.target.classList && m.target.classList.contains('recharts-line')) ||
      (m.type === 'attributes' && m.target.classList && m.target.classList.contains('recharts-line-curve'));
    const observer = new MutationObserver((mutations) => {
      const at = performance.timeOrigin + performance.now();
      if (mutations.some(isLine)) window.__bench.dChanges.push(at);
    });
    observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['d'] });
  };
`;

/** When each step of an open happened, in ms from the tap (null: not seen). */
interface OpenPhases {
  /** The click event reached the page (Playwright's click follows its pointer down at once). */
  click: number | null;
  /** The chair page's DOM is in the document (the route change committed). */
  page: number | null;
  /** The trend's answer (asked for on the pointer down) finished arriving. */
  trend: number | null;
  /** The BP pane's lines drawn with their data. */
  bp: number | null;
  /** The vitals' lines drawn with their data (the figure's end, before its frame). */
  drawn: number;
  /** The next animation frame after that: the figure. */
  frame: number;
}

function phaseText(p: OpenPhases): string {
  const ms = (v: number | null): string => (v === null ? '–' : v.toFixed(0));
  return `click ${ms(p.click)}, page in the DOM ${ms(p.page)}, trend answered ${ms(p.trend)}, BP pane drawn ${ms(p.bp)}, all panes drawn ${ms(p.drawn)}, next frame ${ms(p.frame)}`;
}

/** A frame over 50 ms (Long Animation Frames API) and the scripts that ran in it. */
interface LongFrame {
  start: number;
  duration: number;
  renderStart: number;
  styleAndLayoutStart: number;
  scripts: { invoker: string; start: number; duration: number; forced: number }[];
}

function frameText(f: LongFrame): string {
  const scripts = f.scripts.reduce((sum, s) => sum + s.duration, 0);
  const forced = f.scripts.reduce((sum, s) => sum + s.forced, 0);
  const render = f.renderStart > 0 ? f.start + f.duration - f.renderStart : 0;
  const top = [...f.scripts].sort((a, b) => b.duration - a.duration).slice(0, 3).map((s) => `${s.invoker} ${s.duration.toFixed(0)}`).join(', ');
  return `${f.start.toFixed(0)}+${f.duration.toFixed(0)} ms (scripts ${scripts.toFixed(0)}, forced layout ${forced.toFixed(0)}, rendering ${render.toFixed(0)}: ${top})`;
}

interface Metrics {
  [name: string]: number;
}

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await metrics(cdp)).JSHeapUsedSize ?? Number.NaN;
}

interface LongTask {
  start: number;
  duration: number;
}

async function takeLongTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => {
    const bench = (window as unknown as { __bench: { longtasks: LongTask[] } }).__bench;
    return bench.longtasks.splice(0);
  });
}

/** Main-thread busy share and long tasks over `ms` of wall time. */
async function busyOver(page: Page, cdp: CDPSession, ms: number): Promise<{ busy: number; longTasks: LongTask[]; scriptShare: number; layoutShare: number }> {
  await takeLongTasks(page);
  const m0 = await metrics(cdp);
  await sleep(ms);
  const m1 = await metrics(cdp);
  const wall = (m1.Timestamp ?? 0) - (m0.Timestamp ?? 0);
  const delta = (k: string): number => ((m1[k] ?? 0) - (m0[k] ?? 0)) / wall;
  return { busy: delta('TaskDuration'), scriptShare: delta('ScriptDuration'), layoutShare: delta('LayoutDuration') + delta('RecalcStyleDuration'), longTasks: await takeLongTasks(page) };
}

export async function runBrowser(cfg: Config, results: Results): Promise<void> {
  console.log(`\n[browser] ${cfg.gridChairs}-chair grid in Chromium (${cfg.chromiumPath})`);
  const server = await launchServer(cfg, 'sqlite', 'browser');
  const devices = await Devices.start();
  const browser = await chromium.launch({ executablePath: cfg.chromiumPath, headless: true, args: chromiumArgs });
  try {
    const clinic = await openClinic(server.url);
    const chairIds = await createChairs(clinic, cfg.gridChairs);
    await checkInAll(clinic, chairIds);
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await context.addInitScript(initScript);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Username').fill('nurse');
    await page.getByLabel('Password').fill(staffPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('article').nth(cfg.gridChairs - 1).waitFor({ timeout: 30_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.enable');

    // The grid's own cost with no readings arriving (clocks, timers, alarm animations): the baseline.
    const scenario = '3 browser';
    await sleep(3000);
    const idleSec = cfg.quick ? 5 : 20;
    const idle = await busyOver(page, cdp, idleSec * 1000);
    console.log(`  grid idle (no readings) for ${idleSec} s: main thread busy ${(idle.busy * 100).toFixed(1)} % (script ${(idle.scriptShare * 100).toFixed(1)} %, style+layout ${(idle.layoutShare * 100).toFixed(1)} %)`);
    const openAlerts = await clinic.call(clinic.nurse, 'GET', '/api/v1/alerts');
    const alertRules: Record<string, number> = {};
    for (const item of (openAlerts.body ?? []) as { alert: { ruleId: string } }[]) alertRules[item.alert.ruleId] = (alertRules[item.alert.ruleId] ?? 0) + 1;
    console.log(`  open alerts on the grid: ${JSON.stringify(alertRules)}`);

    // Grid at 1 Hz per chair.
    const warmupMs = cfg.warmupSec * 1000;
    const gridFeed = devices.rate({
      url: server.url,
      token: ingestToken,
      chairIds,
      prefix: runPrefix(),
      ratePerSec: cfg.gridChairs,
      count: Math.round((cfg.gridChairs * warmupMs) / 2000) + cfg.gridChairs * (cfg.gridSec + 2),
      sendTimesFile: path.join(tempDir('browser'), 'grid.bin'),
      rampMs: warmupMs,
    });
    await sleep(warmupMs + 1000);
    const hrBefore = await page.getByTestId('vital-heartRate').first().textContent();
    console.log(`  grid: ${cfg.gridChairs} chairs at 1 Hz for ${cfg.gridSec} s`);
    const grid = await busyOver(page, cdp, cfg.gridSec * 1000);
    const hrAfter = await page.getByTestId('vital-heartRate').first().textContent();
    const gridSent = await gridFeed;
    const longest = Math.max(0, ...grid.longTasks.map((t) => t.duration));
    console.log(
      `    main thread busy ${(grid.busy * 100).toFixed(1)} % (script ${(grid.scriptShare * 100).toFixed(1)} %, style+layout ${(grid.layoutShare * 100).toFixed(1)} %, paint and the rest ${((grid.busy - grid.scriptShare - grid.layoutShare) * 100).toFixed(1)} %); long tasks ${grid.longTasks.length}, longest ${longest.toFixed(0)} ms; tile HR ${hrBefore} → ${hrAfter}; readings acked ${gridSent.acked}/${gridSent.sent}`,
    );
    const openAfter = await clinic.call(clinic.nurse, 'GET', '/api/v1/alerts');
    const rulesAfter: Record<string, number> = {};
    for (const item of (openAfter.body ?? []) as { alert: { ruleId: string } }[]) rulesAfter[item.alert.ruleId] = (rulesAfter[item.alert.ruleId] ?? 0) + 1;
    results.detail('browser.grid', { ...grid, idle, openAlertsBefore: alertRules, openAlertsAfter: rulesAfter, hrBefore, hrAfter, feed: { acked: gridSent.acked, sent: gridSent.sent, ack: gridSent.ack } });
    results.add({
      scenario,
      figure: `${cfg.gridChairs}-chair grid at 1 Hz/chair: main-thread busy share (${cfg.gridSec} s; baseline: the same grid with no readings)`,
      unit: '%',
      ours: grid.busy * 100,
      baseline: idle.busy * 100,
      target: '≤ 20 %',
      met: grid.busy <= 0.2,
    });
    results.add({
      scenario,
      figure: `grid: longest main-thread task (${grid.longTasks.length} over 50 ms)`,
      unit: 'ms',
      ours: longest,
      baseline: null,
      target: 'none > 50 ms',
      met: grid.longTasks.length === 0,
      note: grid.longTasks.length === 0 ? 'no long task reported (all under 50 ms)' : undefined,
    });

    // Heap through an accelerated hour of the same grid.
    const heapReadingsPerChair = cfg.heapHz * cfg.heapSec;
    const clinicMinutes = heapReadingsPerChair / 60;
    console.log(`  heap: ${cfg.gridChairs} chairs at ${cfg.heapHz} Hz for ${cfg.heapSec} s = ${clinicMinutes.toFixed(0)} min of readings per chair (${cfg.heapHz}× accelerated)`);
    const heapStart = await heapAfterGc(cdp);
    const heapFeed = devices.rate({
      url: server.url,
      token: ingestToken,
      chairIds,
      prefix: runPrefix(),
      ratePerSec: cfg.gridChairs * cfg.heapHz,
      count: cfg.gridChairs * heapReadingsPerChair,
      sendTimesFile: path.join(tempDir('browser'), 'heap.bin'),
      rampMs: 2000,
    });
    const heapSamples: { minutes: number; heapMiB: number; busy: number }[] = [];
    const sampleEvery = Math.max(5, Math.round(cfg.heapSec / 10));
    let done = false;
    void heapFeed.then(() => (done = true));
    const t0 = Date.now();
    while (!done) {
      const over = await busyOver(page, cdp, sampleEvery * 1000);
      const m = await metrics(cdp);
      const minutes = (((Date.now() - t0) / 1000) * cfg.heapHz) / 60;
      heapSamples.push({ minutes, heapMiB: (m.JSHeapUsedSize ?? 0) / 2 ** 20, busy: over.busy });
    }
    const heapSent = await heapFeed;
    await sleep(2000);
    const heapEnd = await heapAfterGc(cdp);
    const growthPerHour = ((heapEnd - heapStart) / 2 ** 20) * (60 / clinicMinutes);
    const heapSlope = slope(heapSamples.map((s) => ({ x: s.minutes / 60, y: s.heapMiB })));
    console.log(
      `    JS heap after GC ${(heapStart / 2 ** 20).toFixed(1)} → ${(heapEnd / 2 ** 20).toFixed(1)} MiB (+${growthPerHour.toFixed(1)} MiB per hour of readings); acked ${heapSent.acked}/${heapSent.sent}; busy during the ${cfg.heapHz}× feed ${(summarize(heapSamples.map((s) => s.busy)).p50 * 100).toFixed(0)} %`,
    );
    results.detail('browser.heap', { heapStartMiB: heapStart / 2 ** 20, heapEndMiB: heapEnd / 2 ** 20, growthMiBPerHour: growthPerHour, slopeMiBPerHourSampled: heapSlope, samples: heapSamples, feed: { acked: heapSent.acked, sent: heapSent.sent } });
    results.add({
      scenario: '5 memory (browser)',
      figure: `grid JS heap after ${clinicMinutes >= 60 ? `${(clinicMinutes / 60).toFixed(clinicMinutes % 60 === 0 ? 0 : 1)} h` : `${clinicMinutes.toFixed(0)} min`} of ${cfg.gridChairs} chairs at 1 Hz (${cfg.heapHz}× accelerated, after GC)`,
      unit: 'MiB',
      ours: heapEnd / 2 ** 20,
      baseline: null,
      target: null,
      met: null,
      note: `at start ${(heapStart / 2 ** 20).toFixed(1)} MiB`,
    });
    results.add({
      scenario: '5 memory (browser)',
      figure: 'grid JS heap growth per hour of readings',
      unit: 'MiB',
      ours: growthPerHour,
      baseline: null,
      target: 'flat (≤ 5 MiB/h)',
      met: growthPerHour <= 5,
    });
    await page.close();

    // The chart of a chair with 8 hours of readings.
    const chartChair = 'trend-chair';
    const made = await clinic.call(clinic.admin, 'POST', '/api/v1/chairs', { id: chartChair, name: 'Trend chair', position: 999 });
    if (made.status !== 201) throw new Error(`creating the chart chair: HTTP ${made.status}`);
    const seconds = cfg.chartHours * 3600;
    const end = Date.now() - 10_000;
    const prefix = runPrefix();
    console.log(`  chart: seeding ${seconds.toLocaleString('en-US')} readings (${cfg.chartHours} h at 1 Hz) on ${chartChair}`);
    for (let first = 0; first < seconds; first += 1000) {
      const batch = [];
      for (let i = first; i < Math.min(seconds, first + 1000); i += 1) {
        const wave = (i * 7919) % 13;
        const bp = i % 300 === 0 ? { systolic: 120 + wave, diastolic: 78 + (wave % 5), mean: 92 + (wave % 5) } : {};
        batch.push({ id: readingId(prefix, i), chairId: chartChair, measuredAt: new Date(end - (seconds - i) * 1000).toISOString(), heartRate: 70 + wave, spo2: 95 + (wave % 5), respRate: 12 + (wave % 6), ...bp, source: 'device' });
      }
      const res = await fetch(`${server.url}/api/v1/readings`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestToken}` }, body: JSON.stringify(batch) });
      if (res.status !== 201) throw new Error(`seeding the chart chair: HTTP ${res.status}`);
      await res.arrayBuffer();
    }
    // The history the chart loads (the last 12 h), through the API and straight from the file.
    const historyFrom = Date.now() - 12 * 3600_000;
    const historyTimes: number[] = [];
    let historyBytes = 0;
    for (let k = 0; k < 5; k += 1) {
      const historyStart = performance.now();
      const history = await fetch(`${server.url}/api/v1/chairs/${chartChair}/readings?from=${new Date(historyFrom).toISOString()}`, { headers: { cookie: clinic.nurse } });
      historyBytes = (await history.arrayBuffer()).byteLength;
      historyTimes.push(performance.now() - historyStart);
    }
    const historyMs = summarize(historyTimes).p50;
    // The trend the chart draws first: the same 12 h at display resolution.
    const trendTimes: number[] = [];
    let trendBytes = 0;
    for (let k = 0; k < 5; k += 1) {
      const trendStart = performance.now();
      const trend = await fetch(`${server.url}/api/v1/chairs/${chartChair}/trend?from=${new Date(historyFrom).toISOString()}&bucketMs=15000`, { headers: { cookie: clinic.nurse } });
      if (trend.status !== 200) throw new Error(`chart trend: HTTP ${trend.status}`);
      trendBytes = (await trend.arrayBuffer()).byteLength;
      trendTimes.push(performance.now() - trendStart);
    }
    const trendMs = summarize(trendTimes).p50;
    const bare = Worker.spawn('bare-query');
    await bare.next('up');
    const bareHistory = await bare.ask<{ type: string; timeline: Summary; trend: Summary; bytes: number }>({ type: 'chair', dataDir: server.dataDir, chairId: chartChair, fromMs: historyFrom, requests: 5 }, 'done');
    await bare.stop();
    results.add({
      scenario,
      figure: `chart: the ${cfg.chartHours} h trend it draws, GET /api/v1/chairs/:id/trend (${(trendBytes / 1e3).toFixed(0)} kB; baseline: SQL GROUP BY min/max), median of 5`,
      unit: 'ms',
      ours: trendMs,
      baseline: bareHistory.trend.p50,
      target: null,
      met: null,
    });
    results.add({
      scenario,
      figure: `chart: the ${cfg.chartHours} h history it loads, GET /api/v1/chairs/:id/readings (${(historyBytes / 1e6).toFixed(1)} MB), median of 5`,
      unit: 'ms',
      ours: historyMs,
      baseline: bareHistory.timeline.p50,
      target: null,
      met: null,
    });

    const opens: { dom: number; frame: number; phases: OpenPhases; requests: { name: string; start: number; end: number }[]; frames: LongFrame[] }[] = [];
    const coldLoads: { dom: number; frame: number }[] = [];
    const rounds = cfg.quick ? 1 : 3;
    for (let round = 0; round < rounds; round += 1) {
      // From the grid: a click on the chair's "Open" button.
      const grid = await context.newPage();
      await grid.goto(server.url);
      const open = grid.getByRole('button', { name: 'Open Trend chair', exact: true });
      await open.waitFor();
      await sleep(500);
      await grid.evaluate(() => (window as unknown as { __benchWatchChart: () => void }).__benchWatchChart());
      // --profile: the page's CPU profile of the first open, from the click to the chart drawn.
      const profiler = cfg.profile && round === 0 ? await context.newCDPSession(grid) : null;
      if (profiler !== null) {
        await profiler.send('Profiler.enable');
        await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
        await profiler.send('Profiler.start');
      }
      await open.click();
      await grid.waitForFunction(() => (window as unknown as { __bench: { chartFrameAt: number | null } }).__bench.chartFrameAt !== null, null, { timeout: 60_000 });
      if (profiler !== null) {
        const { profile } = await profiler.send('Profiler.stop');
        const file = path.join(profileFolder(cfg, 'browser-client'), 'chart-open.cpuprofile');
        fs.writeFileSync(file, JSON.stringify(profile));
        console.log(`    CPU profile of the open: ${file}`);
      }
      const at = await grid.evaluate(() => {
        const bench = (window as unknown as { __bench: { chartReadyAt: number; chartFrameAt: number; tapAt: number | null; clickAt: number | null; pageAt: number | null; bpAt: number | null; frames: LongFrame[] } }).__bench;
        return { ...bench, frames: bench.frames.splice(0) };
      });
      if (at.tapAt === null) throw new Error('the click on the chair reached no pointerdown listener');
      const tapAt = at.tapAt;
      const since = (t: number | null): number | null => (t === null ? null : t - tapAt);
      // Where the time went: each request the page made after the click, relative to it.
      const requests = await grid.evaluate(
        (since) =>
          performance
            .getEntriesByType('resource')
            .filter((e) => e.startTime >= since)
            .map((e) => ({ name: e.name.replace(location.origin, '').replace(/\?.*$/, ''), start: e.startTime - since, end: (e as PerformanceResourceTiming).responseEnd - since })),
        tapAt,
      );
      const trendAnswered = requests.find((r) => r.name.endsWith('/trend'))?.end ?? null;
      const phases: OpenPhases = { click: since(at.clickAt), page: since(at.pageAt), trend: trendAnswered, bp: since(at.bpAt), drawn: at.chartReadyAt - tapAt, frame: at.chartFrameAt - tapAt };
      // Only the frames of the open (a long frame's end after the tap, its start before the chart's frame).
      const frames = at.frames
        .filter((f) => f.start + f.duration >= tapAt && f.start <= at.chartFrameAt)
        .map((f) => ({ ...f, start: f.start - tapAt, renderStart: f.renderStart - tapAt, styleAndLayoutStart: f.styleAndLayoutStart - tapAt, scripts: f.scripts.map((x) => ({ ...x, start: x.start - tapAt })) }));
      console.log(`    open ${round + 1}: ${phaseText(phases)}; frames over 50 ms: ${frames.map(frameText).join(' | ') || 'none'}`);
      opens.push({ dom: at.chartReadyAt - tapAt, frame: at.chartFrameAt - tapAt, phases, requests, frames });
      await grid.close();

      // A cold load of the chair's own URL (app start, login check, chair list, history, chart).
      const cold = await context.newPage();
      await cold.goto(`${server.url}/chairs/${chartChair}`);
      await cold.waitForFunction(() => (window as unknown as { __bench: { chartFrameAt: number | null } }).__bench.chartFrameAt !== null, null, { timeout: 60_000 });
      const coldAt = await cold.evaluate(() => (window as unknown as { __bench: { chartReadyAt: number; chartFrameAt: number } }).__bench);
      coldLoads.push({ dom: coldAt.chartReadyAt, frame: coldAt.chartFrameAt });
      if (round < rounds - 1) await cold.close();
      else {
        // Re-render on a new reading: right after the axis moved (every 5 s), post one reading
        // (measured 6 s ago, so it falls inside the axis) and time the POST → the line changing.
        const chartPage = cold;
        const chartCdp = await context.newCDPSession(chartPage);
        await chartCdp.send('Performance.enable');
        await chartPage.evaluate(() => (window as unknown as { __benchWatchLines: () => void }).__benchWatchLines());
        const changes = async (): Promise<number[]> => chartPage.evaluate(() => (window as unknown as { __bench: { dChanges: number[] } }).__bench.dChanges.slice());
        const rerenders: number[] = [];
        // The page's epoch clock against ours (both performance.timeOrigin + now()), ± half a round trip.
        const offsets: { offset: number; rtt: number }[] = [];
        for (let k = 0; k < 5; k += 1) {
          const before = performance.timeOrigin + performance.now();
          const pageNow = await chartPage.evaluate(() => performance.timeOrigin + performance.now());
          const after = performance.timeOrigin + performance.now();
          offsets.push({ offset: pageNow - (before + after) / 2, rtt: after - before });
        }
        const clockOffset = [...offsets].sort((a, b) => a.rtt - b.rtt)[0]?.offset ?? 0;
        const m0 = await metrics(chartCdp);
        await takeLongTasks(chartPage);
        for (let k = 0; k < (cfg.quick ? 3 : 8); k += 1) {
          // Wait for the axis to move, then give the page a moment.
          const seen = (await changes()).length;
          const waitStart = Date.now();
          while ((await changes()).length === seen && Date.now() - waitStart < 7000) await sleep(20);
          await sleep(300);
          const before = (await changes()).length;
          const postedAt = performance.timeOrigin + performance.now();
          const res = await fetch(`${server.url}/api/v1/readings`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestToken}` },
            body: JSON.stringify({ id: readingId(prefix, seconds + k), chairId: chartChair, measuredAt: new Date(Date.now() - 6000).toISOString(), heartRate: 90 + k, spo2: 97, respRate: 15, source: 'device' }),
          });
          if (res.status !== 201) throw new Error(`chart reading: HTTP ${res.status}`);
          const pollStart = Date.now();
          let after: number[] = [];
          while (Date.now() - pollStart < 3000) {
            after = (await changes()).slice(before);
            if (after.length > 0) break;
            await sleep(5);
          }
          const first = after[0];
          if (first !== undefined) rerenders.push(first - clockOffset - postedAt);
        }
        const m1 = await metrics(chartCdp);
        const chartLong = await takeLongTasks(chartPage);
        const chartBusy = ((m1.TaskDuration ?? 0) - (m0.TaskDuration ?? 0)) / ((m1.Timestamp ?? 0) - (m0.Timestamp ?? 0));
        const rr = summarize(rerenders);
        console.log(
          `    new reading → chart redrawn: p50 ${rr.p50.toFixed(0)} ms, max ${rr.max.toFixed(0)} ms (${rr.count} of ${cfg.quick ? 4 : 8}); chart page busy ${(chartBusy * 100).toFixed(1)} %, long tasks ${chartLong.length} (longest ${Math.max(0, ...chartLong.map((t) => t.duration)).toFixed(0)} ms)`,
        );
        results.detail('browser.chartRerender', { rerenders, clockOffsetMs: clockOffset, offsets, chartBusy, longTasks: chartLong });
        results.add({ scenario, figure: `chart (${cfg.chartHours} h at 1 Hz): new reading POST → line redrawn, p50`, unit: 'ms', ours: rr.p50, baseline: null, target: null, met: null, note: `max ${rr.max.toFixed(0)} ms` });
        results.add({
          scenario,
          figure: 'chart page: longest task while readings arrive',
          unit: 'ms',
          ours: Math.max(0, ...chartLong.map((t) => t.duration)),
          baseline: null,
          target: 'none > 50 ms',
          met: chartLong.length === 0,
        });
        await cold.close();
      }
    }
    const open = summarize(opens.map((o) => o.frame));
    const coldLoad = summarize(coldLoads.map((o) => o.frame));
    console.log(
      `    open from the grid → chart drawn: ${opens.map((o) => o.frame.toFixed(0)).join(', ')} ms; cold load of the chair URL → chart drawn: ${coldLoads.map((o) => o.frame.toFixed(0)).join(', ')} ms; trend API ${trendMs.toFixed(0)} ms for ${(trendBytes / 1e3).toFixed(0)} kB`,
    );
    const phaseMedian = (key: keyof OpenPhases): number | null => {
      const values = opens.map((o) => o.phases[key]).filter((v): v is number => v !== null);
      return values.length === 0 ? null : summarize(values).p50;
    };
    const medianPhases: OpenPhases = { click: phaseMedian('click'), page: phaseMedian('page'), trend: phaseMedian('trend'), bp: phaseMedian('bp'), drawn: phaseMedian('drawn') ?? 0, frame: phaseMedian('frame') ?? 0 };
    console.log(`    open phases, median of ${opens.length} (ms from the tap): ${phaseText(medianPhases)}`);
    const last = opens.at(-1);
    if (last !== undefined) console.log(`    the last open's requests after the click: ${last.requests.map((r) => `${r.name} ${r.start.toFixed(0)}→${r.end.toFixed(0)} ms`).join('; ') || 'none'}`);
    results.detail('browser.chart', { opens, coldLoads, historyMs, historyBytes, trendMs, trendBytes, readings: seconds });
    results.add({ scenario, figure: `chart with ${cfg.chartHours} h at 1 Hz: open from the grid → first render (median of ${rounds})`, unit: 'ms', ours: open.p50, baseline: null, target: '≤ 200 ms', met: open.p50 <= 200, note: `trend API alone ${trendMs.toFixed(0)} ms, ${(trendBytes / 1e3).toFixed(0)} kB` });
    results.add({ scenario, figure: 'chart: cold load of the chair URL → first render (median)', unit: 'ms', ours: coldLoad.p50, baseline: null, target: null, met: null });
    await context.close();
  } finally {
    await browser.close();
    await devices.stop();
    await server.stop();
  }
}
