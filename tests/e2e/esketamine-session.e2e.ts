import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type RemsFieldId, remsFieldLabels } from '@chairside/shared';
import { type Browser, type BrowserContext, type BrowserContextOptions, expect, type Locator, type Page, test } from '@playwright/test';
import { type Clinic, openClinic, staffPassword } from './clinic';
import { saveScreenshot } from './screenshots';

/**
 * A whole esketamine session documented by a nurse on a 1024×768 tablet, through the screens only (issue 17): check-in
 * with readiness and escort, pre-dose scores, the first spray, devices 1–3 five minutes apart with their lot (the rest
 * refused in words before it is over), MOAA/S and CADSS-6, eyes-on checks, ondansetron for nausea and its
 * reassessment, what is due next on the tile, the end of dosing and the escort's hand-off; then the record so far on the
 * chair page. The sheet is checked with axe and photographed on a tablet (both ways) and a phone.
 *
 * The 5-minute rest is real server time: the server runs with a clock the test moves forward (`ClinicClock`), so a
 * nurse "waits" 5 minutes without the test waiting. `openEsketamineClinic` and `nurseDocumentsEsketamineSession` are
 * exported for the clinician's part (the REMS form after discharge), which continues from the session they leave in
 * observation.
 */

const tablet = { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1, hasTouch: true };

/** The server's clock, moved forward by the test: the server process reads the offset from a file on SIGUSR2. */
export interface ClinicClock {
  /** Server time now (ms), as the server reports it. */
  now(): Promise<number>;
  /** Moves the server's clock `minutes` forward, and the browsers' with it, and waits until the server tells that time. */
  advance(minutes: number): Promise<void>;
  /** A new page (a context of its own) logged in as `username`, on the chair grid, its clock with the server's. */
  logIn(browser: Browser, username: string, options?: BrowserContextOptions): Promise<Page>;
}

/**
 * Preloaded into the server process (NODE_OPTIONS --import): Date.now() and new Date() run `offset` ms ahead, the
 * offset read from CHAIRSIDE_E2E_CLOCK_OFFSET_FILE whenever the process gets SIGUSR2. Test servers only.
 */
const clockShift = `
import fs from 'node:fs';
const Real = Date;
const realNow = Real.now.bind(Real);
let offset = 0;
class ShiftedDate extends Real {
  constructor(...args) { if (args.length === 0) super(realNow() + offset); else super(...args); }
  static now() { return realNow() + offset; }
}
globalThis.Date = ShiftedDate;
process.on('SIGUSR2', () => { offset = Number(fs.readFileSync(process.env.CHAIRSIDE_E2E_CLOCK_OFFSET_FILE, 'utf8')) || 0; });
`;

/** A clinic (one chair, nurse and clinician) whose server clock the test moves. */
export async function openEsketamineClinic(): Promise<{ clinic: Clinic; clock: ClinicClock }> {
  const offsetFile = path.join(fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'chairside-clock-')), 'offset');
  fs.writeFileSync(offsetFile, '0');
  const saved = { options: process.env.NODE_OPTIONS, file: process.env.CHAIRSIDE_E2E_CLOCK_OFFSET_FILE };
  // The server process inherits this environment (tests/helpers/server-process.ts); this test worker is unaffected.
  process.env.NODE_OPTIONS = `${saved.options ?? ''} --import=data:text/javascript,${encodeURIComponent(clockShift)}`.trim();
  process.env.CHAIRSIDE_E2E_CLOCK_OFFSET_FILE = offsetFile;
  let clinic: Clinic;
  try {
    clinic = await openClinic({ chairs: ['Chair 1'] });
  } finally {
    if (saved.options === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved.options;
    if (saved.file === undefined) delete process.env.CHAIRSIDE_E2E_CLOCK_OFFSET_FILE;
    else process.env.CHAIRSIDE_E2E_CLOCK_OFFSET_FILE = saved.file;
  }
  let offsetMs = 0;
  const contexts = new Set<BrowserContext>();
  const now = async () => {
    const res = await fetch(`${clinic.url}/api/health`);
    return Date.parse(((await res.json()) as { time: string }).time);
  };
  const clock: ClinicClock = {
    now,
    async advance(minutes) {
      offsetMs += minutes * 60_000;
      fs.writeFileSync(offsetFile, String(offsetMs));
      const target = Date.now() + offsetMs - 5_000;
      clinic.server.process.kill('SIGUSR2');
      await expect.poll(now, { message: `the server's clock moves ${minutes} min on` }).toBeGreaterThanOrEqual(target);
      // The dashboards' clocks too (Playwright's clock: no timer fires early), so the tiles count as the server does.
      for (const context of contexts) await context.clock.setSystemTime(Date.now() + offsetMs);
    },
    async logIn(browser, username, options) {
      const context = await browser.newContext(options);
      context.on('close', () => contexts.delete(context));
      await context.clock.install({ time: Date.now() + offsetMs });
      contexts.add(context);
      const page = await context.newPage();
      await page.goto(clinic.url);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(staffPassword);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
      return page;
    },
  };
  return { clinic, clock };
}

/** The tile's Record sheet, opened; its entries' list shown. */
async function openRecordSheet(page: Page, tile: Locator): Promise<Locator> {
  await tile.getByRole('button', { name: 'Record for Chair 1' }).click();
  const sheet = page.getByRole('dialog', { name: 'Record — Chair 1' });
  await expect(sheet.getByRole('list', { name: 'Record an entry' })).toBeVisible();
  return sheet;
}

async function closeSheet(sheet: Locator): Promise<void> {
  await sheet.getByRole('button', { name: 'Done', exact: true }).click();
  await expect(sheet).toBeHidden();
}

async function entry(sheet: Locator, name: RegExp): Promise<void> {
  await sheet.getByRole('list', { name: 'Record an entry' }).getByRole('button', { name }).click();
}

async function saved(sheet: Locator, text: RegExp): Promise<void> {
  await expect(sheet.getByRole('status').filter({ hasText: text })).toBeVisible();
}

/**
 * The nurse's whole esketamine session on Chair 1, through the screens, until the escort collects the patient in
 * observation. Leaves the nurse's page on the grid; returns the session's id.
 */
export async function nurseDocumentsEsketamineSession(nurse: Page, clinic: Clinic, clock: ClinicClock): Promise<string> {
  const tile = nurse.getByRole('article', { name: 'Chair 1' });
  const bp = async (systolic: number, diastolic: number) =>
    clinic.postReading({ systolic, diastolic, heartRate: 76, spo2: 98, respRate: 14 }, 'chair-1', new Date(await clock.now()));

  // Check-in with the readiness list and the escort.
  await tile.getByRole('button', { name: 'Check in patient to Chair 1' }).click();
  const checkIn = nurse.getByRole('dialog', { name: 'Check in — Chair 1' });
  await checkIn.getByRole('button', { name: 'New patient' }).click();
  await checkIn.getByLabel('Display name').fill('E2E Esketamine');
  await checkIn.getByRole('button', { name: 'Add patient' }).click();
  await checkIn.getByLabel('Protocol').selectOption({ label: 'Esketamine (Spravato)' });
  await checkIn.getByRole('button', { name: 'Continue' }).click();
  await checkIn.getByRole('checkbox', { name: "I have confirmed the patient's identity" }).check();
  const checklist = checkIn.getByRole('list', { name: 'Readiness checklist' });
  await checklist.getByRole('group', { name: /^Patient enrolled in the REMS/ }).getByRole('button', { name: 'Yes' }).click();
  await checklist.getByRole('group', { name: /^No food for 2 h/ }).getByRole('button', { name: 'Yes' }).click();
  await checklist.getByRole('group', { name: /^Transport home arranged/ }).getByRole('button', { name: 'Yes' }).click();
  for (const med of ['Takes benzodiazepines', 'Takes MAOIs', 'Takes opioids']) await checklist.getByRole('group', { name: med }).getByRole('button', { name: 'No' }).click();
  await checkIn.getByLabel('Escort’s name').fill('Sam Lee');
  await checkIn.getByLabel('Escort’s phone').fill('555 0100');
  await checkIn.getByRole('button', { name: 'Check in', exact: true }).click();
  await expect(checkIn).toBeHidden();
  await expect(tile.getByText('E2E Esketamine')).toBeVisible();
  await bp(128, 80);

  // Before dosing: the scores are due; MOAA/S 5 on one tap, CADSS-6 all 0.
  await expect(tile.getByTestId('due-next')).toContainText('Scores pre-dose');
  let sheet = await openRecordSheet(nurse, tile);
  await entry(sheet, /^Scores/);
  await sheet.getByRole('button', { name: /^MOAA\/S 5:/ }).click();
  await saved(sheet, /MOAA\/S 5 recorded at/);
  for (let i = 1; i <= 6; i++) await sheet.getByRole('radiogroup', { name: `Item ${i}` }).getByRole('radio', { name: `Item ${i}: 0 (Not at all)` }).click();
  await expect(sheet.getByText(/^CADSS-6 total/)).toHaveText('CADSS-6 total 0 of 24');
  await sheet.getByRole('button', { name: 'Save CADSS-6' }).click();
  await saved(sheet, /CADSS-6 0\/24 recorded at/);
  await closeSheet(sheet);

  // The first spray starts dosing; device 1 with its lot.
  await tile.getByRole('button', { name: 'First spray given for Chair 1' }).click();
  await nurse.getByRole('dialog', { name: 'First spray given — Chair 1' }).getByRole('button', { name: 'First spray given' }).click();
  await expect(tile.getByText('Dosing', { exact: true })).toBeVisible();
  sheet = await openRecordSheet(nurse, tile);
  await entry(sheet, /^Device 1 given/);
  await sheet.getByLabel('Lot').fill('LOT-24A7');
  await sheet.getByRole('button', { name: 'Device 1 given' }).click();
  await saved(sheet, /Device 1 recorded at/);

  // Device 2 at once: the rest is counting down, and the server refuses it in words.
  await expect(sheet.getByRole('button', { name: /^Device 2 given/ })).toContainText(/Rest: [45]:\d\d left/);
  await entry(sheet, /^Device 2 given/);
  const device2 = sheet.getByRole('form', { name: 'Device 2' });
  await expect(device2.getByRole('timer')).toContainText(/Rest after device 1: [45]:\d\d left/);
  await expect(device2.getByLabel('Lot')).toHaveValue('LOT-24A7');
  await device2.getByRole('button', { name: 'Device 2 given' }).click();
  await expect(device2.getByRole('alert')).toContainText(/^Not saved: Device 2 comes 0 min \d+ s after device 1: rest 5 min, or a clinician overrides\.$/);
  await expect(device2.getByText('Wait for the rest to end, or ask a clinician to override it.')).toBeVisible();
  await sheet.getByRole('button', { name: 'Back' }).click();

  // An eyes-on check in one tap.
  await entry(sheet, /^Eyes-on check/);
  await sheet.getByRole('button', { name: 'Checked — patient OK' }).click();
  await saved(sheet, /Eyes-on check \(Comfortable\) recorded at/);
  await closeSheet(sheet);

  // Five minutes later: device 2, its lot kept from device 1.
  await clock.advance(5);
  await bp(134, 84);
  sheet = await openRecordSheet(nurse, tile);
  await entry(sheet, /^Device 2 given/);
  await expect(sheet.getByLabel('Lot')).toHaveValue('LOT-24A7');
  await sheet.getByRole('button', { name: 'Device 2 given' }).click();
  await saved(sheet, /Device 2 recorded at/);

  // Nausea: ondansetron ODT, reassessment due in 15 min.
  await entry(sheet, /^PRN given/);
  await sheet.getByLabel('Drug').fill('ondansetron');
  await sheet.getByLabel('Dose (mg)').fill('4');
  await sheet.getByRole('radio', { name: 'ODT' }).click();
  await sheet.getByLabel('Indication').fill('nausea');
  await expect(sheet.getByLabel('Reassess in (min)')).toHaveValue('15');
  await sheet.getByRole('button', { name: 'PRN given' }).click();
  await saved(sheet, /PRN ondansetron recorded at .*: reassess in 15 min/);
  await expect(sheet.getByRole('list', { name: 'Due' })).toContainText('Reassess after ondansetron (nausea): due in 15 min');
  await closeSheet(sheet);

  // Five minutes later: device 3; all three given.
  await clock.advance(5);
  await bp(138, 86);
  sheet = await openRecordSheet(nurse, tile);
  await entry(sheet, /^Device 3 given/);
  await sheet.getByRole('button', { name: 'Device 3 given' }).click();
  await saved(sheet, /Device 3 recorded at/);
  await expect(sheet.getByRole('button', { name: /^Device \d given/ })).toHaveCount(0);
  await closeSheet(sheet);

  // Twenty minutes after the first device the scores are due, and the eyes-on check is late: the tile says which first.
  await clock.advance(10);
  await bp(142, 88);
  await expect(tile.getByTestId('due-next')).toContainText(/^!Eyes-on \d+ min late/);
  sheet = await openRecordSheet(nurse, tile);
  await expect(sheet.getByRole('list', { name: 'Due' })).toContainText(/Eyes-on check: overdue by \d+ min/);
  await expect(sheet.getByRole('list', { name: 'Due' })).toContainText(/MOAA\/S and CADSS-6 at ~20 min: due (now|in \d+ min)/);
  await entry(sheet, /^Eyes-on check/);
  await sheet.getByRole('radio', { name: 'Asleep, rousable' }).click();
  await sheet.getByRole('button', { name: 'Save check' }).click();
  await saved(sheet, /Eyes-on check \(Asleep, rousable\) recorded at/);
  await entry(sheet, /^Scores/);
  await sheet.getByRole('button', { name: /^MOAA\/S 4:/ }).click();
  await saved(sheet, /MOAA\/S 4 recorded at/);
  const cadss = [1, 2, 0, 1, 0, 0];
  for (const [i, value] of cadss.entries()) await sheet.getByRole('radiogroup', { name: `Item ${i + 1}` }).getByRole('radio', { name: new RegExp(`^Item ${i + 1}: ${value} `) }).click();
  await expect(sheet.getByText(/^CADSS-6 total/)).toHaveText('CADSS-6 total 4 of 24');
  await sheet.getByRole('button', { name: 'Save CADSS-6' }).click();
  await saved(sheet, /CADSS-6 4\/24 recorded at/);

  // The PRN's reassessment closes its timer.
  await entry(sheet, /^PRN reassessed/);
  await sheet.getByRole('button', { name: 'Settled' }).click();
  await sheet.getByRole('button', { name: 'Save reassessment' }).click();
  await saved(sheet, /ondansetron reassessed at/);
  await expect(sheet.getByRole('button', { name: /^PRN reassessed/ })).toHaveCount(0);
  await closeSheet(sheet);

  // Dosing complete; in observation the escort collects the patient.
  await tile.getByRole('button', { name: 'Dosing complete for Chair 1' }).click();
  await nurse.getByRole('dialog', { name: 'Dosing complete — Chair 1' }).getByRole('button', { name: 'Dosing complete' }).click();
  await expect(tile.getByText('Observation', { exact: true })).toBeVisible();
  sheet = await openRecordSheet(nurse, tile);
  await entry(sheet, /^Escort hand-off/);
  await expect(sheet.getByLabel('Collected by')).toHaveValue('Sam Lee');
  await sheet.getByRole('button', { name: 'Record hand-off' }).click();
  await saved(sheet, /Hand-off to Sam Lee recorded at/);
  await closeSheet(sheet);

  const chairs = (await clinic.api('nurse', 'GET', '/api/v1/chairs')).body as { id: string; session: { id: string } | null }[];
  const sessionId = chairs.find((c) => c.id === 'chair-1')?.session?.id;
  if (sessionId === undefined) throw new Error('no session on Chair 1');
  return sessionId;
}

let clinic: Clinic;
let clock: ClinicClock;
test.beforeAll(async () => {
  ({ clinic, clock } = await openEsketamineClinic());
});
test.afterAll(async () => {
  await clinic.stop();
});

test('a nurse documents a whole esketamine session on a 1024×768 tablet, from check-in to the escort’s hand-off', async ({ browser }) => {
  test.setTimeout(180_000);
  const nurse = await clock.logIn(browser, 'nurse', tablet);
  const sessionId = await nurseDocumentsEsketamineSession(nurse, clinic, clock);

  // The server's record: three devices 5 min apart with the lot, the scores, checks, the PRN reassessed, the hand-off.
  const session = (await clinic.api('nurse', 'GET', `/api/v1/sessions/${sessionId}`)).body;
  expect(session.record.doses.map((d: { device: number; lot: string; doseMg: number }) => [d.device, d.lot, d.doseMg])).toEqual([
    [1, 'LOT-24A7', 28],
    [2, 'LOT-24A7', 28],
    [3, 'LOT-24A7', 28],
  ]);
  expect(session.record.totalDoseMg).toBe(84);
  expect(session.record.scores.map((s: { scale: string; value: number }) => `${s.scale} ${s.value}`)).toEqual(['moaa-s 5', 'cadss-6 0', 'moaa-s 4', 'cadss-6 4']);
  expect(session.record.roundingChecks.map((c: { status: string }) => c.status)).toEqual(['comfortable', 'asleep-rousable']);
  expect(session.record.prns).toMatchObject([{ drug: 'ondansetron', doseMg: 4, route: 'odt', indication: 'nausea', reassessment: { response: 'Settled' } }]);
  expect(session.record.handoff).toMatchObject({ collectedBy: 'Sam Lee' });

  // The chair page lists the record so far: time, what, who.
  const tile = nurse.getByRole('article', { name: 'Chair 1' });
  await tile.getByRole('button', { name: 'Open Chair 1' }).click();
  const log = nurse.getByRole('list', { name: 'Record so far' });
  await expect(log.getByRole('listitem')).toHaveCount(13);
  await expect(log).toContainText('Device 1: esketamine 28 mg Intranasal, lot LOT-24A7');
  await expect(log).toContainText('Device 3: esketamine 28 mg Intranasal, lot LOT-24A7');
  await expect(log).toContainText('CADSS-6 4/24 (items 1 2 0 1 0 0)');
  await expect(log).toContainText('PRN ondansetron 4 mg ODT for nausea');
  await expect(log).toContainText('PRN reassessed: Settled');
  await expect(log).toContainText('Collected by Sam Lee');
  await expect(log.getByRole('listitem').first()).toContainText('nurse');
  await saveScreenshot(nurse.getByRole('region', { name: 'Session record' }), 'record-chair-page-panel-1024x768');
  await nurse.context().close();
});

test('the tile shows what is due next beside an alarm; the entry sheet on a tablet both ways and a phone, checked with axe', async ({ browser }) => {
  // Chair 1's patient is in observation (the first test): the eyes-on check falls due, and a BP far above the baseline raises a medium alarm.
  await clock.advance(20);
  await clinic.postReading({ systolic: 186, diastolic: 112, heartRate: 92, spo2: 97, respRate: 16 }, 'chair-1', new Date(await clock.now()));
  for (const [name, viewport, touch] of [
    ['1024x768', { width: 1024, height: 768 }, true],
    ['768x1024', { width: 768, height: 1024 }, true],
    ['390x844', { width: 390, height: 844 }, true],
  ] as const) {
    const page = await clock.logIn(browser, 'nurse', { viewport, deviceScaleFactor: 1, hasTouch: touch });
    const tile = page.getByRole('article', { name: 'Chair 1' });
    await expect(tile.getByTestId('due-next')).toContainText(/late|now|in \d+ min/);
    await expect(tile.getByText(/^(High|Medium|Low) alarm$/).first()).toBeVisible();
    const record = tile.getByRole('button', { name: 'Record for Chair 1' });
    const box = await record.boundingBox();
    expect(box?.height ?? 0, 'the Record button is a 44 px target').toBeGreaterThanOrEqual(44);
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(44);
    if (name === '1024x768') await saveScreenshot(tile, 'record-tile-due-next');
    const sheet = await openRecordSheet(page, tile);
    await saveScreenshot(page, `record-sheet-${name}`);
    await entry(sheet, /^Scores/);
    await saveScreenshot(page, `record-scores-${name}`);
    if (name === '1024x768') {
      const { violations } = await new AxeBuilder({ page }).include('[role="dialog"]').analyze();
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(serious, 'axe on the entry sheet').toEqual([]);
      await sheet.getByRole('button', { name: 'Back' }).click();
      await entry(sheet, /^PRN given/);
      await sheet.getByRole('button', { name: 'PRN given' }).click();
      await expect(sheet.getByLabel('Drug')).toHaveAccessibleDescription(/Give the drug\.$/);
      const prnViolations = (await new AxeBuilder({ page }).include('[role="dialog"]').analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(prnViolations.map((v) => v.id), 'axe on the PRN form with its errors').toEqual([]);
      await saveScreenshot(page, 'record-prn-errors-1024x768');
    }
    await page.context().close();
  }
});

test('then a clinician discharges the patient and completes, attests and signs the REMS form the nurse’s record drafted', async ({ browser }) => {
  test.setTimeout(180_000);
  const sessionId = (((await clinic.api('nurse', 'GET', '/api/v1/chairs')).body as { id: string; session: { id: string } | null }[]).find((c) => c.id === 'chair-1')?.session?.id) ?? '';
  expect(sessionId).not.toBe('');
  const clinician = await clock.logIn(browser, 'clinician', tablet);
  const tile = clinician.getByRole('article', { name: 'Chair 1' });
  await tile.getByRole('button', { name: 'Open Chair 1' }).click();
  // The 2-hour minimum has not passed on the test's clock: the clinician discharges with a written reason.
  await clinician.getByRole('button', { name: 'Override and discharge' }).click();
  const override = clinician.getByRole('dialog', { name: /Chair 1/ });
  await override.getByLabel('Reason for the override').fill('E2E: observation reviewed in person');
  await override.getByRole('button', { name: /discharge/i }).click();
  await expect(override).toBeHidden();

  // What the nurse's entries answered is in the draft; the rest is for the clinician.
  const draft = (await clinic.api('clinician', 'GET', `/api/v1/sessions/${sessionId}/rems-form`)).body as {
    fields: Record<string, { value: unknown }>;
    missing: RemsFieldId[];
  };
  expect(draft.fields.lots?.value).toEqual(['LOT-24A7']);
  expect(draft.fields.dose?.value).not.toBeNull();
  expect(draft.fields.sedation?.value).not.toBeNull();
  expect(draft.fields.dissociation?.value).not.toBeNull();
  expect(draft.fields.bpBeforeDosing?.value).not.toBeNull();

  // Back on the grid, the header counts the form due (it asks again on every page).
  await clinician.getByRole('button', { name: 'Back to all chairs' }).click();
  await clinician.getByRole('button', { name: 'Menu, 1 REMS form due' }).click();
  await clinician.getByRole('link', { name: 'REMS 1 due' }).click();
  await clinician.getByRole('listitem').filter({ hasText: 'E2E Esketamine' }).getByRole('link').click();
  await expect(clinician.getByRole('heading', { name: 'REMS Patient Monitoring Form' })).toBeVisible();
  const field = (id: RemsFieldId) => clinician.locator('.rems-field').filter({ has: clinician.locator('.rems-field__label', { hasText: remsFieldLabels[id] }) });
  await expect(field('lots')).toContainText('LOT-24A7');
  for (const id of draft.missing) {
    const row = field(id);
    if (id.startsWith('bp')) {
      await row.getByRole('textbox', { name: 'Systolic' }).fill('128');
      await row.getByRole('textbox', { name: 'Diastolic' }).fill('80');
    } else if (id.endsWith('Minutes')) await row.getByRole('textbox').fill('125');
    else if (id === 'concomitantMedications') for (const no of await row.getByRole('radio', { name: 'No' }).all()) await no.click();
    else if ((await row.getByRole('radio', { name: 'No' }).count()) > 0) await row.getByRole('radio', { name: 'No' }).click();
    else await row.getByRole('textbox').fill(id === 'prescriber' ? 'Dr A. Smith' : 'Chairside E2E clinic (certified)');
  }
  await clinician.getByRole('checkbox', { name: /I attest that this form is complete and correct/ }).check();
  await clinician.getByRole('button', { name: 'Sign the form' }).click();
  await expect(clinician.getByText(/^Signed by clinician on/)).toBeVisible();
  const signed = (await clinic.api('clinician', 'GET', `/api/v1/sessions/${sessionId}/rems-form`)).body as { status: string; missing: string[] };
  expect(signed.status).toBe('signed');
  await clinician.context().close();
});
