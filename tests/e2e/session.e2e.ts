import { expect, test } from '@playwright/test';
import { type Clinic, openClinic } from './clinic';

let clinic: Clinic;
test.beforeAll(async () => {
  clinic = await openClinic({ chairs: ['Chair 1', 'Chair 2'] });
});
test.afterAll(async () => {
  await clinic.stop();
});

test('a nurse runs a session to observation; discharge is refused with its failing items; a clinician overrides', async ({ browser }) => {
  const nurse = await clinic.logIn(browser, 'nurse');
  const tile = nurse.getByRole('article', { name: 'Chair 1' });

  // Check in a new patient, confirming identity.
  await tile.getByRole('button', { name: 'Check in patient to Chair 1' }).click();
  const checkIn = nurse.getByRole('dialog', { name: 'Check in — Chair 1' });
  await checkIn.getByRole('button', { name: 'New patient' }).click();
  await checkIn.getByLabel('Display name').fill('E2E Patient');
  await checkIn.getByLabel('MRN').fill('E2E-001');
  await checkIn.getByRole('checkbox', { name: 'Known hypertension' }).check();
  await checkIn.getByRole('button', { name: 'Add patient' }).click();
  await checkIn.getByLabel('Protocol').selectOption({ label: 'IV ketamine' });
  await checkIn.getByRole('button', { name: 'Continue' }).click();
  await expect(checkIn.getByText(/Confirm identity: E2E Patient/)).toBeVisible();
  const checkInButton = checkIn.getByRole('button', { name: 'Check in', exact: true });
  await checkInButton.click(); // not yet: identity unconfirmed
  await expect(checkIn.getByText(/Confirm the patient’s identity at the chair/)).toBeVisible();
  await checkIn.getByRole('checkbox', { name: "I have confirmed the patient's identity" }).check();
  await checkInButton.click();
  await expect(checkIn).toBeHidden();
  await expect(tile.getByText('E2E Patient')).toBeVisible();
  await expect(tile.getByText('Known hypertension')).toBeVisible();
  await expect(tile.getByText('Baseline', { exact: true })).toBeVisible();

  // A baseline BP from the monitor: the start waits for a second one 5 min later, and says when, and for the
  // readiness hard stops (nothing was answered at check-in).
  await clinic.postReading({ systolic: 134, diastolic: 84, heartRate: 78, spo2: 97 });
  await expect(tile.getByTestId('vital-bp')).toContainText('134/84');
  await expect(
    tile.getByText(/^Start waits for: 1 more baseline BP at least 5 min after the last one \(due [^)]+\); yes to Weight measured today, Consent on file$/),
  ).toBeVisible();
  await expect(tile.getByRole('button', { name: 'Start infusion for Chair 1' })).toHaveCount(0);

  // The tile's next step is the readiness checklist: the nurse answers it there, each tap saved with her name.
  await tile.getByRole('button', { name: 'Readiness checklist for Chair 1' }).click();
  const readiness = nurse.getByRole('dialog', { name: 'Readiness — Chair 1' });
  await readiness.getByRole('group', { name: 'Weight measured today' }).getByRole('button', { name: 'Yes' }).click();
  await expect(readiness.getByRole('group', { name: 'Weight measured today' })).toHaveAccessibleDescription(/^Yes · nurse at /);
  await readiness.getByRole('group', { name: 'Consent on file' }).getByRole('button', { name: 'No' }).click();
  await expect(tile.getByText(/; yes to Consent on file \(answered no\)$/)).toBeAttached();
  await readiness.getByRole('group', { name: 'Consent on file' }).getByRole('button', { name: 'Yes' }).click();
  await expect(readiness.getByRole('status')).toHaveText('2 of 5 answered · hard stops answered yes');
  await readiness.getByRole('button', { name: 'Done' }).click();
  await expect(readiness).toBeHidden();
  await expect(tile.getByText(/^Start waits for: 1 more baseline BP at least 5 min after the last one \(due [^)]+\)$/)).toBeVisible();
  await expect(tile.getByRole('button', { name: 'Readiness checklist for Chair 1' })).toHaveCount(0);

  // A clinician starts the infusion with an override on the chair page, giving the reason.
  const clinician = await clinic.logIn(browser, 'clinician');
  await clinician.getByRole('article', { name: 'Chair 1' }).getByRole('button', { name: 'Open Chair 1' }).click();
  await expect(clinician.getByRole('button', { name: 'Start infusion', exact: true })).toBeDisabled();
  await clinician.getByRole('button', { name: 'Start infusion with override' }).click();
  const startOverride = clinician.getByRole('dialog', { name: 'Start infusion with override — Chair 1' });
  await expect(startOverride.getByRole('list', { name: 'Items not met' })).toContainText('Baseline BP');
  await startOverride.getByLabel('Reason for the override').fill('One baseline BP: reviewed in person');
  await startOverride.getByRole('button', { name: 'Start infusion with override' }).click();
  await expect(startOverride).toBeHidden();
  await expect(tile.getByText('Infusion', { exact: true })).toBeVisible();
  await expect(tile.getByText(/Infusion (<1|\d+) min · \d+ min left/)).toBeVisible();

  await tile.getByRole('button', { name: 'End infusion for Chair 1' }).click();
  await nurse.getByRole('dialog', { name: 'End infusion — Chair 1' }).getByRole('button', { name: 'End infusion' }).click();
  await expect(tile.getByText('Observation', { exact: true })).toBeVisible();
  // The tile's clocks count whole minutes ("Observation 59 min left", "Observation 1 h left" at the full hour).
  await expect(tile.getByText(/^Observation (\d+ min|1 h) left$/)).toBeVisible();

  // The discharge panel lists what fails; the nurse cannot discharge or override.
  await tile.getByRole('button', { name: 'Open Chair 1' }).click();
  const gate = nurse.getByRole('list', { name: 'Discharge gate' });
  await expect(gate).toContainText(/Not met/);
  await expect(gate).toContainText(/observation/i);
  await expect(nurse.getByRole('button', { name: 'Discharge', exact: true })).toBeDisabled();
  await expect(nurse.getByRole('button', { name: 'Override and discharge' })).toBeDisabled();
  // The server refuses it too, naming the unmet items.
  const sessionId = (await clinic.api('nurse', 'GET', '/api/v1/chairs')).body[0].session.id;
  const refused = await clinic.api('nurse', 'POST', `/api/v1/sessions/${sessionId}/events`, { type: 'discharged' });
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toMatch(/observation/i);

  // A clinician overrides with a written reason; the chair is free and the record says who and why.
  await clinician.getByRole('button', { name: 'Override and discharge' }).click();
  const override = clinician.getByRole('dialog', { name: /Chair 1/ });
  await override.getByLabel('Reason for the override').fill('Escort waiting, vitals stable on review');
  await override.getByRole('button', { name: /discharge/i }).click();
  await expect(override).toBeHidden();
  const events = clinician.getByRole('list', { name: 'Session events' });
  await expect(events).toContainText('Escort waiting, vitals stable on review');
  await expect(events).toContainText('Start infusion with override');
  await expect(events).toContainText('One baseline BP: reviewed in person');
  await expect(events).toContainText(/E2E clinician|clinician/);
  await clinician.getByRole('button', { name: 'Back to all chairs' }).click();
  await expect(clinician.getByRole('button', { name: 'Check in patient to Chair 1' })).toBeVisible();
  await expect(nurse.getByRole('button', { name: 'Back to all chairs' })).toBeVisible();
});

test('a nurse answers readiness and the escort at check-in, and gives the first spray herself once a BP is in', async ({ browser }) => {
  const nurse = await clinic.logIn(browser, 'nurse');
  const tile = nurse.getByRole('article', { name: 'Chair 2' });
  await tile.getByRole('button', { name: 'Check in patient to Chair 2' }).click();
  const checkIn = nurse.getByRole('dialog', { name: 'Check in — Chair 2' });
  await checkIn.getByRole('button', { name: 'New patient' }).click();
  await checkIn.getByLabel('Display name').fill('E2E Spray');
  await checkIn.getByRole('button', { name: 'Add patient' }).click();
  await checkIn.getByLabel('Protocol').selectOption({ label: 'Esketamine (Spravato)' });
  await checkIn.getByRole('button', { name: 'Continue' }).click();
  await checkIn.getByRole('checkbox', { name: "I have confirmed the patient's identity" }).check();
  const checklist = checkIn.getByRole('list', { name: 'Readiness checklist' });
  await checklist.getByRole('group', { name: /^Patient enrolled in the REMS/ }).getByRole('button', { name: 'Yes' }).click();
  await checklist.getByRole('group', { name: /^Transport home arranged/ }).getByRole('button', { name: 'Yes' }).click();
  await checklist.getByRole('group', { name: 'Takes MAOIs' }).getByRole('button', { name: 'No' }).click();
  await checkIn.getByLabel('Escort’s name').fill('Sam Lee');
  await checkIn.getByLabel('Escort’s phone').fill('555 0100');
  await checkIn.getByRole('button', { name: 'Check in', exact: true }).click();
  await expect(checkIn).toBeHidden();
  await expect(tile.getByText('E2E Spray')).toBeVisible();
  // Only the baseline BP holds the start now.
  await expect(tile.getByText('Start waits for: a baseline BP before dosing start')).toBeVisible();
  await expect(tile.getByRole('button', { name: 'Readiness checklist for Chair 2' })).toHaveCount(0);

  const chairId = (await clinic.api('nurse', 'GET', '/api/v1/chairs')).body.find((c: { name: string }) => c.name === 'Chair 2').id as string;
  await clinic.postReading({ systolic: 128, diastolic: 80, heartRate: 74, spo2: 98 }, chairId);
  const start = tile.getByRole('button', { name: 'First spray given for Chair 2' });
  await expect(start).toBeEnabled();
  await start.click();
  await nurse.getByRole('dialog', { name: 'First spray given — Chair 2' }).getByRole('button', { name: 'First spray given' }).click();
  await expect(tile.getByText('Dosing', { exact: true })).toBeVisible();

  // The record keeps who answered what, and the escort the discharge criteria will look for.
  const session = (await clinic.api('nurse', 'GET', '/api/v1/chairs')).body.find((c: { id: string }) => c.id === chairId).session;
  const answers = Object.fromEntries(session.record.readiness.items.filter((i: { answer: unknown }) => i.answer !== null).map((i: { id: string; answer: unknown; answeredBy: string }) => [i.id, `${String(i.answer)} by ${i.answeredBy}`]));
  expect(answers).toEqual({ 'rems-enrolled': 'true by nurse', 'transport-arranged': 'true by nurse', 'med-maois': 'false by nurse' });
  expect(session.record.escort).toMatchObject({ name: 'Sam Lee', phone: '555 0100' });
  await nurse.context().close();
});
