import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { type Clinic, openClinic } from './clinic';
import { saveScreenshot } from './screenshots';

/**
 * The REMS Patient Monitoring Form from the clinician's side: an esketamine session documented through the API as a
 * nurse's tablet would (readiness, escort, scores, the device with its lot, BPs, discharge), then on a 1024×768
 * tablet the clinician follows "REMS 1 due" in the header to the queue, opens the form, completes what the record
 * could not answer, attests, signs, records the submission and sees the form leave the drafts. Screenshots of the
 * queue and the form at three sizes; axe on both.
 */

const tablet = { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 };
const sizes = [
  [1024, 768],
  [768, 1024],
  [390, 844],
] as const;

let clinic: Clinic;
let sessionId = '';

test.beforeAll(async () => {
  clinic = await openClinic({ chairs: ['Chair 1'] });
  const event = async (user: string, body: unknown) => {
    const answer = await clinic.api(user, 'POST', `/api/v1/sessions/${sessionId}/events`, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  };
  const patient = await clinic.api('nurse', 'POST', '/api/v1/patients', { displayName: 'Remy Spravato', mrn: 'REMS-0001' });
  const session = await clinic.api('nurse', 'POST', '/api/v1/sessions', { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'esketamine' });
  expect(session.status).toBe(201);
  sessionId = session.body.id as string;
  await event('nurse', {
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
  await event('nurse', { type: 'escort-recorded', name: 'Sam Lee', phone: '555 0100' });
  await clinic.postReading({ systolic: 128, diastolic: 82, heartRate: 76, spo2: 98, respRate: 14 });
  await event('nurse', { type: 'score-recorded', scale: 'moaa-s', value: 5 });
  await event('nurse', { type: 'score-recorded', scale: 'cadss-6', items: [0, 0, 0, 0, 0, 0] });
  await event('nurse', { type: 'treatment-started' });
  await event('nurse', { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', lot: 'LOT-E2E-7', device: 1 });
  await event('nurse', { type: 'score-recorded', scale: 'moaa-s', value: 5 });
  await event('nurse', { type: 'score-recorded', scale: 'cadss-6', items: [0, 0, 0, 0, 0, 0] });
  await event('nurse', { type: 'treatment-ended' });
  await clinic.postReading({ systolic: 126, diastolic: 80, heartRate: 74, spo2: 98, respRate: 14 });
  await event('nurse', { type: 'checklist-updated', items: { 'sedation-resolved': true, 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } });
  // The 2-hour minimum has not passed in a test: the clinician discharges with a reason.
  await event('clinician', { type: 'discharged', override: { reason: 'E2E: observation shortened for the test' } });
});
test.afterAll(async () => {
  await clinic?.stop();
});

/** axe on the page's own content and the header's REMS link (the header as a whole is accessibility.e2e.ts's). */
async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include('.app__main').include('.rems-nav').analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `[${v.impact}] ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe-core on ${what}`).toEqual([]);
}

async function screenshots(page: Page, name: string): Promise<void> {
  for (const [width, height] of sizes) {
    await page.setViewportSize({ width, height });
    await saveScreenshot(page, `${name}-${width}x${height}`, { belowTheFold: 3000 });
  }
  await page.setViewportSize(tablet.viewport);
}

test('a clinician completes, signs and records the submission of the REMS form on a 1024×768 tablet', async ({ browser }) => {
  const draft = await clinic.api('clinician', 'GET', `/api/v1/sessions/${sessionId}/rems-form`);
  expect(draft.status).toBe(200);
  const missing = draft.body.missing as string[];
  expect(missing).toEqual(expect.arrayContaining(['prescriber', 'setting']));
  expect(draft.body.fields.lots.value).toEqual(['LOT-E2E-7']);

  const page = await clinic.logIn(browser, 'clinician', tablet);
  // The clinician's home shows the count due: at 1024 px on the menu button, the link behind it leads to the queue.
  await page.getByRole('button', { name: 'Menu, 1 REMS form due' }).click();
  await page.getByRole('link', { name: 'REMS 1 due' }).click();
  await expect(page.getByRole('heading', { name: 'REMS forms' })).toBeVisible();
  const row = page.getByRole('listitem').filter({ hasText: 'Remy Spravato' });
  // Whole days left, rounded down (the server's daysLeft): just after the session, 6 and some hours.
  await expect(row).toContainText('6 days left (due by');
  await expectNoSeriousViolations(page, 'the REMS queue');
  await screenshots(page, 'rems-queue');

  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'REMS Patient Monitoring Form' })).toBeVisible();
  const field = (label: string) => page.locator('.rems-field').filter({ has: page.locator('.rems-field__label', { hasText: label }) });
  await expect(field('Lot number(s)')).toContainText('LOT-E2E-7');
  await expect(field('Dose administered')).toContainText('28 mg (1 device)');
  await expect(field('Prescriber')).toHaveClass(/is-missing/);
  await expect(page.getByText(`Draft — ${missing.length} field`)).toBeVisible();
  await expectNoSeriousViolations(page, 'the REMS form');
  await screenshots(page, 'rems-form');

  // Signing with nothing entered is refused on the spot, naming the fields.
  await page.getByRole('button', { name: 'Sign the form' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Not signed' })).toContainText('complete the fields marked below');
  await expect(field('Prescriber')).toContainText('give a value');

  // Complete what the record could not answer, by the kind of each field.
  const labels: Record<string, string> = {
    prescriber: 'Prescriber',
    setting: 'Healthcare setting',
    bpAt40Min: 'Blood pressure ~40 min after dosing',
    bpAtCompletion: 'Blood pressure at completion of monitoring',
    vitalsAcceptableAtCompletion: 'Vital signs acceptable at completion',
    readyToLeaveMinutes: 'Without the 2-hour minimum, ready to leave after',
    totalMonitoringMinutes: 'Total monitoring time (from the first device)',
    respiratoryDepression: 'Respiratory depression',
  };
  for (const id of missing) {
    const row = field(labels[id] ?? id);
    if (id === 'prescriber') await row.getByRole('textbox').fill('Dr A. Smith');
    else if (id === 'setting') await row.getByRole('textbox').fill('Chairside test clinic (certified)');
    else if (id.startsWith('bp')) {
      await row.getByRole('textbox', { name: 'Systolic' }).fill('132');
      await row.getByRole('textbox', { name: 'Diastolic' }).fill('84');
    } else if (id.endsWith('Minutes')) await row.getByRole('textbox').fill('95');
    else await row.getByRole('radio', { name: 'No' }).click();
  }
  await page.getByRole('checkbox', { name: /I attest that this form is complete and correct/ }).check();
  await page.getByRole('button', { name: 'Sign the form' }).click();
  await expect(page.getByText(/^Signed by clinician on/)).toBeVisible();
  await expect(field('Prescriber')).toContainText('Dr A. Smith');
  await expect(field('Prescriber')).toContainText('entered by clinician');
  await expect(page.getByRole('button', { name: 'Sign the form' })).toHaveCount(0);
  await expect(page.locator('.rems-fields input')).toHaveCount(0);
  // The count in the header follows: nothing due any more, on the menu button or the link.
  await expect(page.getByRole('button', { name: 'Menu', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Menu', exact: true }).click();
  await expect(page.getByRole('link', { name: 'REMS', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');

  await page.getByRole('combobox', { name: 'Submitted via' }).selectOption('REMS portal');
  await page.getByRole('button', { name: 'Record submission' }).click();
  await expect(page.getByText(/^Submitted via REMS portal on/)).toBeVisible();
  await expect(page.getByText('Signed and submitted')).toBeVisible();

  // The PDF link answers a PDF.
  const pdf = await page.request.get(`${clinic.url}/api/v1/sessions/${sessionId}/rems-form.pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');

  // It has left the drafts.
  await page.getByRole('link', { name: 'All REMS forms' }).click();
  await expect(page.getByText('No REMS forms wait for a signature.')).toBeVisible();
  // The filter lives in the address: the radio turns checked once the page has followed it (check() asserts at once).
  const submitted = page.getByRole('radio', { name: 'Submitted', exact: true });
  await submitted.click();
  await expect(submitted).toBeChecked();
  await expect(page.getByRole('listitem').filter({ hasText: 'Remy Spravato' })).toBeVisible();
});
