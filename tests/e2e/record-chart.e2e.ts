import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { type Clinic, openClinic, staffPassword } from './clinic';
import { screenshotDir } from './screenshots';

/**
 * The session record on the chair page's chart: an IV session with a rate change, a pause, two PRNs, an adverse
 * event and scores, and an esketamine session with its three devices, each an hour long. The server's clock runs
 * ahead step by step (shifted-clock.mjs), so every entry is stored at its moment as a nurse would post it, and the
 * browser's clock is set to the server's. A PRN posted while the page is open shows at once. Screenshots of both
 * charts at four sizes; axe on the chart.
 */

const sizes = [
  [1024, 768],
  [768, 1024],
  [390, 844],
  [1920, 1080],
] as const;

const clockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chairside-clock-')), 'offset-minutes');
let clinic: Clinic;
/** Real time at minute 0 of the sessions. */
let startMs = 0;
let minute = 0;
const ivSession = { id: '' };
const eskSession = { id: '' };

function setMinute(m: number): void {
  minute = m;
  fs.writeFileSync(clockFile, String(m));
}

/** The server's "now" while its clock is at `minute` (real time elapsed since the start, plus the offset). */
const serverNow = () => Date.now() + minute * 60_000;
/** The time the browser's clock is fixed at (the newest page's). */
let browserNowMs = 0;

async function event(user: string, sessionId: string, body: unknown): Promise<void> {
  // The server reads its offset at most every 50 ms.
  const answer = await clinic.api(user, 'POST', `/api/v1/sessions/${sessionId}/events`, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
}

/** Readings every 3 minutes from `from` to `to` (minutes of the session), with the BP each minute gives. */
async function readings(chairId: string, from: number, to: number, bp: (m: number) => [number, number], hr: (m: number) => number): Promise<void> {
  for (let m = from; m <= to; m += 3) {
    const [systolic, diastolic] = bp(m);
    await clinic.postReading({ systolic, diastolic, heartRate: hr(m), spo2: m % 9 === 0 ? 97 : 98, respRate: 14 + (m % 3) }, chairId, new Date(startMs + m * 60_000));
  }
}

test.beforeAll(async () => {
  setMinute(0);
  const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, SHIFTED_CLOCK_FILE: process.env.SHIFTED_CLOCK_FILE };
  process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ''} --import ${path.join(import.meta.dirname, 'shifted-clock.mjs')}`.trim();
  process.env.SHIFTED_CLOCK_FILE = clockFile;
  try {
    clinic = await openClinic({ chairs: ['Chair 1', 'Chair 2'] });
  } finally {
    // Only this server runs ahead: the variables go back to what they were before it started.
    if (saved.NODE_OPTIONS === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved.NODE_OPTIONS;
    if (saved.SHIFTED_CLOCK_FILE === undefined) delete process.env.SHIFTED_CLOCK_FILE;
    else process.env.SHIFTED_CLOCK_FILE = saved.SHIFTED_CLOCK_FILE;
  }
  startMs = Date.now();
  const wait = () => new Promise((resolve) => setTimeout(resolve, 80));
  const at = async (m: number) => {
    setMinute(m);
    await wait();
  };

  const iv = await clinic.api('nurse', 'POST', '/api/v1/patients', { displayName: 'Ivy Infusion', mrn: 'IV-0001' });
  const ivCheckIn = await clinic.api('nurse', 'POST', '/api/v1/sessions', { patientId: iv.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  expect(ivCheckIn.status).toBe(201);
  ivSession.id = ivCheckIn.body.id as string;
  const esk = await clinic.api('nurse', 'POST', '/api/v1/patients', { displayName: 'Remy Spravato', mrn: 'ES-0001' });
  const eskCheckIn = await clinic.api('nurse', 'POST', '/api/v1/sessions', { patientId: esk.body.id, chairId: 'chair-2', protocolId: 'esketamine' });
  expect(eskCheckIn.status).toBe(201);
  eskSession.id = eskCheckIn.body.id as string;

  await at(1);
  await event('nurse', ivSession.id, { type: 'readiness-answered', answers: { 'weight-today': true, 'consent-on-file': true, 'iv-site-checked': true, fasting: true, 'transport-arranged': true } });
  await event('nurse', ivSession.id, { type: 'infusion-set', drug: 'ketamine', weightKg: 80, doseMgPerKg: 0.5, concentrationMgPerMl: 1, rateMlPerH: 60 });
  await event('nurse', eskSession.id, {
    type: 'readiness-answered',
    answers: {
      'rems-enrolled': true,
      fasting: true,
      'nasal-steroid-decongestant': true,
      'med-benzodiazepines': false,
      'med-sedative-hypnotics': false,
      'med-psychostimulants': false,
      'med-maois': false,
      'med-opioids': false,
      'transport-arranged': true,
    },
  });
  await readings('chair-1', 1, 1, () => [132, 84], () => 74);
  await readings('chair-2', 1, 1, () => [128, 80], () => 70);
  await at(4);
  for (const id of [ivSession.id, eskSession.id]) {
    await event('nurse', id, { type: 'score-recorded', scale: 'moaa-s', value: 5 });
    await event('nurse', id, { type: 'score-recorded', scale: 'cadss-6', items: [0, 0, 0, 0, 0, 0] });
  }

  // Esketamine: devices at 8, 13 and 18 min (5 min apart), lot on each.
  await at(8);
  // Readings are posted once the server's clock has passed them (a reading from the future is refused).
  await readings('chair-1', 4, 7, () => [130, 82], () => 73);
  await readings('chair-2', 4, 7, () => [126, 79], () => 71);
  await event('clinician', eskSession.id, { type: 'treatment-started', override: { reason: 'E2E: baseline reviewed in person' } });
  await event('nurse', eskSession.id, { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', lot: 'ES-24A117', device: 1 });
  await at(10);
  await event('clinician', ivSession.id, { type: 'treatment-started', override: { reason: 'E2E: baseline reviewed in person' } });
  await at(13);
  await event('nurse', eskSession.id, { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', lot: 'ES-24A117', device: 2 });
  await at(18);
  await event('nurse', eskSession.id, { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', lot: 'ES-24A118', device: 3 });

  // IV: a BP surge at ~25–30 min; the rate halved, labetalol given, then reassessed.
  await at(28);
  await readings('chair-1', 10, 25, (m) => [134 + (m - 10) * 2, 84 + (m - 10)], (m) => 76 + (m - 10));
  await readings('chair-2', 10, 25, (m) => [130 + (m - 10), 80 + Math.floor((m - 10) / 2)], () => 74);
  await event('nurse', ivSession.id, { type: 'infusion-rate-changed', rateMlPerH: 30, reason: 'BP surge 176/101' });
  await event('nurse', eskSession.id, { type: 'score-recorded', scale: 'moaa-s', value: 4 });
  await event('nurse', eskSession.id, { type: 'score-recorded', scale: 'cadss-6', items: [2, 1, 1, 1, 0, 0] });
  await at(30);
  await event('clinician', ivSession.id, { type: 'prn-given', drug: 'labetalol', doseMg: 10, route: 'iv', indication: 'SBP 178' });
  const ivPrn = (await clinic.api('nurse', 'GET', `/api/v1/sessions/${ivSession.id}`)).body.record.prns[0].seq as number;
  await event('nurse', ivSession.id, { type: 'score-recorded', scale: 'moaa-s', value: 3 });
  await event('nurse', ivSession.id, { type: 'score-recorded', scale: 'cadss-6', items: [2, 2, 1, 1, 1, 0] });
  await at(36);
  await event('nurse', ivSession.id, { type: 'adverse-event', kind: 'nausea', severity: 'mild', serious: false });
  await at(40);
  await readings('chair-1', 28, 40, (m) => (m <= 31 ? [176, 101] : [176 - (m - 31) * 3, 101 - (m - 31) * 2]), () => 88);
  await readings('chair-2', 28, 40, (m) => [146 + Math.min(m - 28, 6), 88], () => 78);
  await event('nurse', ivSession.id, { type: 'treatment-paused', reason: 'Nausea' });
  await event('nurse', ivSession.id, { type: 'prn-reassessed', prnSeq: ivPrn, response: 'SBP 150, settled' });
  await at(44);
  await event('nurse', ivSession.id, { type: 'treatment-resumed' });
  await at(48);
  await event('nurse', eskSession.id, { type: 'score-recorded', scale: 'moaa-s', value: 4 });
  await event('nurse', eskSession.id, { type: 'score-recorded', scale: 'cadss-6', items: [1, 1, 0, 0, 0, 0] });
  await at(50);
  await event('nurse', ivSession.id, { type: 'score-recorded', scale: 'moaa-s', value: 4 });
  await event('nurse', ivSession.id, { type: 'score-recorded', scale: 'cadss-6', items: [1, 1, 1, 0, 0, 0] });
  await at(58);
  await readings('chair-1', 43, 55, (m) => [146 - (m - 43), 88], () => 80);
  await readings('chair-2', 43, 55, (m) => [150 - (m - 43), 86], () => 76);
});

test.afterAll(async () => {
  await clinic?.stop();
});

/** A page whose clock is the server's (fixed at its "now"), logged in as `username` on the chair grid. */
async function logIn(browser: Browser, username: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await (await browser.newContext({ viewport, deviceScaleFactor: 1 })).newPage();
  browserNowMs = serverNow();
  await page.clock.setFixedTime(new Date(browserNowMs));
  await page.goto(clinic.url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(staffPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  return page;
}

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include('.trend').analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `[${v.impact}] ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe-core on ${what}`).toEqual([]);
}

/** The trend panel at each size, cut from the whole page (the header stays at the top, not over the chart). */
async function screenshots(page: Page, name: string): Promise<void> {
  const panel = page.locator('section.panel', { has: page.locator('#trend-heading') });
  for (const [width, height] of sizes) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect(page.locator('.trend__panel--cadss .recharts-line-curve').first()).toBeVisible();
    // Let recharts measure its new width.
    await expect.poll(async () => Math.round((await page.locator('.trend__panel--cadss svg').first().boundingBox())?.width ?? 0)).toBeGreaterThan(width / 2 - 60);
    const box = await panel.boundingBox();
    if (box === null) throw new Error('no trend panel');
    fs.mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, `${name}-${width}x${height}.png`), fullPage: true, clip: box, animations: 'disabled', caret: 'hide' });
  }
}

test('an IV session’s chart shows the rate band with its change and pause, PRNs, the adverse event and the scores, and a new PRN at once', async ({ browser }) => {
  const page = await logIn(browser, 'nurse', { width: 1024, height: 768 });
  // From the grid to the chair page inside the app (the grid's data cached): the record's panes need no request of
  // their own, so they follow the vitals' panes within moments. The times are noted on the test, not judged.
  await expect(page.getByText('Ivy Infusion')).toBeVisible();
  const opened = await page.evaluate(() => performance.now());
  await page.evaluate(() => {
    window.history.pushState({}, '', '/chairs/chair-1');
    window.dispatchEvent(new PopStateEvent('popstate'));
  });
  await page.locator('.trend__panel--bp .recharts-line-curve').first().waitFor();
  const bpDrawn = await page.evaluate(() => performance.now());
  await page.locator('.trend__panel--cadss .recharts-line-curve').first().waitFor();
  const scoresDrawn = await page.evaluate(() => performance.now());
  test.info().annotations.push({ type: 'chart open', description: `BP pane ${Math.round(bpDrawn - opened)} ms, score panes ${Math.round(scoresDrawn - opened)} ms after the route changed` });
  const dose = page.locator('.trend__panel--dose');
  await expect(dose).toContainText('ketamine 30 mL/h (0.38 mg/kg/h) now');
  await expect(dose.locator('.record-marker--prn')).toHaveCount(1);
  await expect(dose.locator('.record-marker--adverse-event')).toHaveCount(1);
  await expect(page.getByText(/^Infusion rate:/)).toContainText('30 mL/h (0.38 mg/kg/h), BP surge 176/101');
  await expect(page.getByText(/^Infusion rate:/)).toContainText('paused');
  const list = page.getByRole('list', { name: 'Doses, PRNs and adverse events on the chart' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list).toContainText('labetalol 10 mg iv for SBP 178 · reassessed');
  await expect(page.locator('.trend__panel--moaa-s .recharts-line-dots circle')).toHaveCount(3);
  await expect(page.getByText(/^Scores:/)).toContainText('MOAA/S 5 at');
  await expectNoSeriousViolations(page, 'the IV chart');
  await screenshots(page, 'chart-record-iv');

  // A PRN recorded elsewhere (another nurse's tablet) arrives with the session's update: no reload.
  await page.setViewportSize({ width: 1024, height: 768 });
  // At a moment the page's fixed clock has reached (it does not move, the server's does).
  await event('nurse', ivSession.id, { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'iv', indication: 'nausea', at: new Date(browserNowMs - 60_000).toISOString() });
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(list).toContainText('ondansetron 4 mg iv for nausea · not reassessed yet');
  await expect(dose.locator('.record-marker--prn')).toHaveCount(2);
});

test('an esketamine session’s chart shows its three devices, numbered, with their lots', async ({ browser }) => {
  const page = await logIn(browser, 'nurse', { width: 1024, height: 768 });
  await page.goto(`${clinic.url}/chairs/chair-2`);
  const dose = page.locator('.trend__panel--dose');
  await expect(dose).toContainText('esketamine 3 devices · 84 mg');
  await expect(dose.locator('.record-marker--device')).toHaveText(['1', '2', '3']);
  const list = page.getByRole('list', { name: 'Doses, PRNs and adverse events on the chart' });
  await expect(list.getByRole('listitem')).toHaveText([/Device 1.*lot ES-24A117/, /Device 2.*lot ES-24A117/, /Device 3.*lot ES-24A118/]);
  await expectNoSeriousViolations(page, 'the esketamine chart');
  await screenshots(page, 'chart-record-esketamine');
});

test('the review report’s chart of the IV session shows the same dose pane, markers and scores', async ({ browser }) => {
  const page = await logIn(browser, 'clinician', { width: 1024, height: 768 });
  await page.goto(`${clinic.url}/sessions/${ivSession.id}`);
  const chart = page.locator('section.review-chart');
  const dose = chart.locator('.review-chart__dose');
  await expect(dose).toContainText('ketamine');
  await expect(dose.locator('.record-marker--prn')).toHaveCount(2);
  await expect(dose.locator('.record-marker--adverse-event')).toHaveCount(1);
  await expect(chart.locator('.review-chart__scores .review-line--moaa-s')).toHaveCount(1);
  await expect(chart.getByRole('list', { name: 'Doses, PRNs and adverse events on the chart' }).getByRole('listitem')).toHaveCount(3);
  const { violations } = await new AxeBuilder({ page }).include('section.review-chart').analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  for (const [width, height] of [sizes[0], sizes[2]]) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(async () => Math.round((await dose.locator('svg').first().boundingBox())?.width ?? 0)).toBeGreaterThan(width / 2 - 60);
    const box = await chart.boundingBox();
    if (box === null) throw new Error('no report chart');
    fs.mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, `chart-record-report-${width}x${height}.png`), fullPage: true, clip: box, animations: 'disabled', caret: 'hide' });
  }
});
