import { expect, test } from '@playwright/test';
import { type Clinic, openClinic } from './clinic';

let clinic: Clinic;
let sessionId = '';
test.beforeAll(async () => {
  clinic = await openClinic();
  const patient = await clinic.api('nurse', 'POST', '/api/v1/patients', { displayName: 'Review Subject', mrn: 'RV-1' });
  const session = await clinic.api('nurse', 'POST', '/api/v1/sessions', { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  sessionId = session.body.id;
  const event = (user: string, body: unknown) => clinic.api(user, 'POST', `/api/v1/sessions/${sessionId}/events`, body);
  await clinic.postReading({ systolic: 128, diastolic: 80, heartRate: 76, spo2: 98 });
  // One baseline BP only: a clinician starts with an override (its reason is part of the record reviewed).
  expect((await event('clinician', { type: 'treatment-started', override: { reason: 'Second baseline BP declined; reviewed in person' } })).status).toBe(201);
  for (const [systolic, diastolic] of [[150, 92], [172, 101], [158, 94]] as const) await clinic.postReading({ systolic, diastolic, heartRate: 90, spo2: 97 });
  expect((await event('nurse', { type: 'treatment-ended' })).status).toBe(201);
  expect((await event('clinician', { type: 'discharged', override: { reason: 'Short observation agreed with the patient' } })).status).toBe(201);
});
test.afterAll(async () => {
  await clinic.stop();
});

test('a clinician finds a finished session, reads its chart and readings, signs it, and edits are refused afterwards', async ({ browser }) => {
  const page = await clinic.logIn(browser, 'clinician');
  await page.getByRole('link', { name: 'Sessions' }).click();
  const list = page.getByRole('table', { name: 'Sessions' });
  await expect(list).toContainText('Review Subject');
  // The filter lives in the URL: the box shows ticked once the navigation it starts (a React
  // transition) has rendered, a moment after the click, so wait for that rather than assume it.
  const overrideUsed = page.getByRole('checkbox', { name: 'Override used' });
  await overrideUsed.click();
  await expect(overrideUsed).toBeChecked();
  await expect(page).toHaveURL(/overrideUsed=true/);
  await expect(list).toContainText('Review Subject');
  await list.getByRole('link').first().click();

  await expect(page.getByRole('heading', { name: 'Session report' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Peaks' })).toContainText('172');
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Events' })).toContainText('Short observation agreed with the patient');
  // The raw readings come last, closed until asked for.
  await expect(page.getByRole('table', { name: 'Readings' })).toHaveCount(0);
  await page.getByRole('button', { name: /^Show readings/ }).click();
  await expect(page.getByRole('table', { name: 'Readings' })).toContainText('172');

  await page.getByRole('button', { name: 'Sign session' }).click();
  await page.getByRole('dialog', { name: 'Sign session' }).getByRole('button', { name: 'Sign and lock' }).click();
  await expect(page.getByText(/^Signed by/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign session' })).toHaveCount(0);

  const refused = await clinic.api('clinician', 'POST', `/api/v1/sessions/${sessionId}/events`, { type: 'note', text: 'after signing' });
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toMatch(/signed and locked/);

  await page.getByRole('textbox', { name: 'Addendum' }).fill('Peak reading taken with an adult cuff on a large arm.');
  await page.getByRole('button', { name: 'Add addendum' }).click();
  await expect(page.getByRole('list', { name: 'Addenda' })).toContainText('Peak reading taken with an adult cuff');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/^chairside-session-\d{4}-\d{2}-\d{2}-.+\.csv$/);
});
