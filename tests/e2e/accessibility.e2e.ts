import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { adminPassword, type Clinic, openClinic } from './clinic';
import { saveScreenshot } from './screenshots';

/**
 * axe-core on every page a user reaches (issue 15): the login, the chair grid with a high alarm
 * active, the check-in dialog, the chair page, Sessions, a session report and each admin page. No
 * serious or critical violation; a failure lists each violation with its elements and the fix axe
 * suggests. The same visits take the README's screenshots of the chair page, report, check-in, the
 * session record sheet, the shift panel and the REMS queue.
 */

const tablet = { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 };

let clinic: Clinic;
let reportedSessionId = '';

test.beforeAll(async () => {
  clinic = await openClinic({ chairs: ['Chair 1', 'Chair 2', 'Chair 3'] });
  const checkIn = async (displayName: string, chairId: string) => {
    const patient = await clinic.api('nurse', 'POST', '/api/v1/patients', { displayName, mrn: `A11Y-${chairId}` });
    const session = await clinic.api('nurse', 'POST', '/api/v1/sessions', { patientId: patient.body.id, chairId, protocolId: 'iv-ketamine' });
    expect(session.status).toBe(201);
    return session.body.id as string;
  };
  const event = async (user: string, sessionId: string, body: unknown) => {
    const answer = await clinic.api(user, 'POST', `/api/v1/sessions/${sessionId}/events`, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  };

  // Chair 2: a finished session, for Sessions and its report.
  reportedSessionId = await checkIn('Report Subject', 'chair-2');
  await clinic.postReading({ systolic: 126, diastolic: 80, heartRate: 74, spo2: 98, respRate: 14 }, 'chair-2');
  await event('clinician', reportedSessionId, { type: 'treatment-started', override: { reason: 'One baseline BP: reviewed in person' } });
  // Two BPs ≥180 in a row: a medium "Severe hypertension", acknowledged by the nurse with a note (the report lists both).
  for (const [systolic, diastolic] of [[148, 90], [186, 104], [188, 106]] as const) await clinic.postReading({ systolic, diastolic, heartRate: 88, spo2: 97, respRate: 15 }, 'chair-2');
  const openAlerts = async () => ((await clinic.api('nurse', 'GET', '/api/v1/alerts')).body as { chairId: string; alert: { id: string; priority: string; status: string } }[]).filter((a) => a.chairId === 'chair-2' && a.alert.priority === 'medium' && a.alert.status === 'active');
  await expect.poll(async () => (await openAlerts()).length).toBe(1);
  const [severe] = await openAlerts();
  expect((await clinic.api('nurse', 'POST', `/api/v1/alerts/${severe?.alert.id}/acknowledge`, { note: 'Recheck ordered, clinician informed' })).status).toBe(200);
  await clinic.postReading({ systolic: 152, diastolic: 92, heartRate: 84, spo2: 98, respRate: 14 }, 'chair-2');
  await event('nurse', reportedSessionId, { type: 'treatment-ended' });
  await event('clinician', reportedSessionId, { type: 'discharged', override: { reason: 'Short observation agreed with the patient' } });

  // Chair 2 again: an esketamine session, discharged, whose REMS form is a draft in the clinician's queue.
  const spravato = await clinic.api('nurse', 'POST', '/api/v1/patients', { displayName: 'Remy Spravato', mrn: 'A11Y-REMS' });
  const esketamine = await clinic.api('nurse', 'POST', '/api/v1/sessions', { patientId: spravato.body.id, chairId: 'chair-2', protocolId: 'esketamine' });
  expect(esketamine.status).toBe(201);
  const esketamineId = esketamine.body.id as string;
  const readiness = { 'rems-enrolled': true, fasting: true, 'nasal-steroid-decongestant': true, 'med-benzodiazepines': false, 'med-sedative-hypnotics': false, 'med-psychostimulants': false, 'med-maois': false, 'med-opioids': false, 'transport-arranged': true };
  await event('nurse', esketamineId, { type: 'readiness-answered', answers: readiness });
  await event('nurse', esketamineId, { type: 'escort-recorded', name: 'Sam Lee', phone: '555 0100' });
  await clinic.postReading({ systolic: 128, diastolic: 82, heartRate: 76, spo2: 98, respRate: 14 }, 'chair-2');
  await event('nurse', esketamineId, { type: 'score-recorded', scale: 'moaa-s', value: 5 });
  await event('nurse', esketamineId, { type: 'score-recorded', scale: 'cadss-6', items: [0, 0, 0, 0, 0, 0] });
  await event('nurse', esketamineId, { type: 'treatment-started' });
  await event('nurse', esketamineId, { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', lot: 'LOT-A11Y-1', device: 1 });
  await event('nurse', esketamineId, { type: 'treatment-ended' });
  await event('clinician', esketamineId, { type: 'discharged', override: { reason: 'Observation shortened for the test' } });

  // Chair 1: in treatment, with a high alarm waiting for acknowledgement. Chair 3 stays free.
  const active = await checkIn('Alarm Subject', 'chair-1');
  await clinic.postReading({ systolic: 130, diastolic: 82, heartRate: 80, spo2: 98, respRate: 14 }, 'chair-1');
  await event('clinician', active, { type: 'treatment-started', override: { reason: 'One baseline BP: reviewed in person' } });
  await clinic.postReading({ systolic: 204, diastolic: 100, heartRate: 96, spo2: 97, respRate: 16 }, 'chair-1');
});
test.afterAll(async () => {
  await clinic?.stop();
});

/** Runs axe on the page (or the part `include` selects) and fails listing every serious or critical violation. */
async function expectNoSeriousViolations(page: Page, what: string, include?: string): Promise<void> {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const readable = serious.map((v) =>
    [
      `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.slice(0, 8).map((n) => `    at ${n.target.join(' ')}\n      ${n.failureSummary?.replaceAll('\n', '\n      ') ?? ''}`),
      ...(v.nodes.length > 8 ? [`    … and ${v.nodes.length - 8} more elements`] : []),
    ].join('\n'),
  );
  const minor = violations.filter((v) => !serious.includes(v)).map((v) => `${v.impact} ${v.id} ×${v.nodes.length}`);
  if (minor.length > 0) test.info().annotations.push({ type: 'axe (moderate/minor)', description: `${what}: ${minor.join(', ')}` });
  expect(readable, `axe-core on ${what}: serious or critical violations\n\n${readable.join('\n\n')}\n`).toEqual([]);
}

async function logInAsAdmin(page: Page): Promise<void> {
  await page.goto(clinic.url);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(adminPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}

test('the login page', async ({ browser }) => {
  const page = await (await browser.newContext(tablet)).newPage();
  await page.goto(clinic.url);
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the login page');
  await page.context().close();
});

test('the chair grid with a high alarm, and the check-in dialog', async ({ browser }) => {
  const page = await clinic.logIn(browser, 'nurse', tablet);
  await expect(page.getByRole('article')).toHaveCount(3);
  await expect(page.getByRole('article', { name: 'Chair 1' }).getByTestId('vital-bp')).toContainText('204/100');
  await expect(page).toHaveTitle(/!!!/);
  await expect(page.getByRole('region', { name: 'Active alarms' })).toContainText('Chair 1');
  await expectNoSeriousViolations(page, 'the chair grid with a high alarm');

  await page.getByRole('button', { name: 'Check in patient to Chair 3' }).click();
  const dialog = page.getByRole('dialog', { name: 'Check in — Chair 3' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Protocol')).toBeVisible();
  await saveScreenshot(page, 'check-in-dialog');
  await expectNoSeriousViolations(page, 'the check-in dialog');
  await page.context().close();
});

test('the chair page with its alarm', async ({ browser }) => {
  // The monitor's newest values, so the page shows them current rather than greyed as old.
  await clinic.postReading({ heartRate: 96, spo2: 97, respRate: 16 }, 'chair-1');
  const page = await clinic.logIn(browser, 'nurse', tablet);
  await page.getByRole('article', { name: 'Chair 1' }).click(); // a tap anywhere on the tile opens the chair
  await expect(page.getByRole('heading', { name: /Chair 1/ })).toBeVisible();
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await expect(page.getByText('204/100').first()).toBeVisible();
  await saveScreenshot(page, 'chair-page', { belowTheFold: 1400 });
  await expectNoSeriousViolations(page, 'the chair page');
  await page.context().close();
});

test('the session record sheet and the shift panel', async ({ browser }) => {
  const page = await clinic.logIn(browser, 'nurse', tablet);
  const tile = page.getByRole('article', { name: 'Chair 1' });
  await expect(tile.getByTestId('due-next')).toBeVisible();
  await tile.getByRole('button', { name: /^Record for Chair 1/ }).click();
  const sheet = page.getByRole('dialog', { name: 'Record — Chair 1' });
  await expect(sheet).toBeVisible();
  await saveScreenshot(page, 'record-sheet');
  await expectNoSeriousViolations(page, 'the session record sheet');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();

  // At 1024 px the page links are behind "Menu": "My chairs" opens the shift panel from there.
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('button', { name: /^My chairs/ }).click();
  const shift = page.getByRole('dialog', { name: 'My chairs' });
  await expect(shift).toBeVisible();
  await shift.getByRole('button', { name: /^Chair 1 / }).click();
  await expect(shift.getByRole('button', { name: /^Chair 1 / })).toHaveAttribute('aria-pressed', 'true');
  await saveScreenshot(page, 'shift-panel');
  await expectNoSeriousViolations(page, 'the shift panel');
  await page.context().close();
});

test('Sessions and a session report', async ({ browser }) => {
  const page = await clinic.logIn(browser, 'clinician', tablet);
  // Below 1280 px the page links are behind "Menu".
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Sessions' }).click();
  const list = page.getByRole('table', { name: 'Sessions' });
  await expect(list).toContainText('Report Subject');
  await expectNoSeriousViolations(page, 'the Sessions list');

  await list.getByRole('row').filter({ hasText: 'Report Subject' }).getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${reportedSessionId}`));
  await expect(page.getByRole('heading', { name: 'Session report' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Peaks' })).toContainText('188');
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await saveScreenshot(page, 'session-report', { belowTheFold: 1400 });
  await expectNoSeriousViolations(page, 'a session report');
  await page.context().close();
});

test('the REMS queue', async ({ browser }) => {
  const page = await clinic.logIn(browser, 'clinician', tablet);
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: /^REMS 1 due/ }).click();
  await expect(page.getByRole('heading', { name: 'REMS forms' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Remy Spravato' })).toBeVisible();
  await saveScreenshot(page, 'rems-queue');
  await expectNoSeriousViolations(page, 'the REMS queue');
  await page.context().close();
});

const adminSections = ['users', 'device-tokens', 'chairs', 'monitors', 'protocols', 'audit'];

test('the admin pages', async ({ browser }) => {
  const page = await (await browser.newContext(tablet)).newPage();
  await logInAsAdmin(page);
  for (const section of adminSections) {
    await page.goto(`${clinic.url}/admin/${section}`);
    await expect(page.getByRole('main').getByRole('heading', { level: 2 }).first()).toBeVisible();
    // Each section loads its list: judge what the admin reads, not the "Loading …" line.
    await expect(page.getByText(/^Loading .*…$/)).toHaveCount(0);
    await expectNoSeriousViolations(page, `the admin page /admin/${section}`);
  }
  await page.context().close();
});
