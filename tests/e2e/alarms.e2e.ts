import { expect, test } from '@playwright/test';
import { type Clinic, openClinic } from './clinic';

let clinic: Clinic;
test.beforeAll(async () => {
  clinic = await openClinic({ users: [['nurse', 'nurse'], ['nurse2', 'nurse'], ['clinician', 'clinician']] });
  const patient = await clinic.api('nurse', 'POST', '/api/v1/patients', { displayName: 'Alarm Patient' });
  const session = await clinic.api('nurse', 'POST', '/api/v1/sessions', { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  await clinic.postReading({ systolic: 130, diastolic: 80, heartRate: 80, spo2: 98 });
  // A second baseline BP would take 5 real minutes: a clinician starts with an override.
  const started = await clinic.api('clinician', 'POST', `/api/v1/sessions/${session.body.id}/events`, { type: 'treatment-started', override: { reason: 'e2e: one baseline BP' } });
  expect(started.status).toBe(201);
});
test.afterAll(async () => {
  await clinic.stop();
});

test('a high alarm appears and sounds on two nurses’ screens; one acknowledges, the other sees who', async ({ browser }) => {
  const a = await clinic.logIn(browser, 'nurse');
  const b = await clinic.logIn(browser, 'nurse2');
  // Count the tones Web Audio starts on screen B.
  await b.evaluate(() => {
    const w = window as unknown as { tones: number };
    w.tones = 0;
    const original = AudioScheduledSourceNode.prototype.start;
    AudioScheduledSourceNode.prototype.start = function start(...args: Parameters<typeof original>) {
      w.tones += 1;
      return original.apply(this, args);
    };
  });
  await b.getByRole('button', { name: 'Enable sound' }).click();
  await expect(b.getByText('Sound on')).toBeVisible();

  await clinic.postReading({ systolic: 204, diastolic: 100, heartRate: 96, spo2: 97 });
  for (const page of [a, b]) {
    const bar = page.getByRole('region', { name: 'Active alarms' });
    await expect(bar).toContainText('SBP 204 ≥ 200');
    await expect(bar).toContainText('!!!');
    await expect(page).toHaveTitle(/!!!/);
  }
  await expect(b.getByRole('article', { name: 'Chair 1' })).toContainText('!!!');
  await expect.poll(() => b.evaluate(() => (window as unknown as { tones: number }).tones)).toBeGreaterThan(0);

  await a.getByRole('button', { name: 'Acknowledge SBP 204 ≥ 200 on Chair 1' }).click();
  const confirm = a.getByRole('dialog', { name: 'Acknowledge alarm — Chair 1' });
  await confirm.getByLabel('Note (optional)').fill('Recheck ordered');
  await confirm.getByRole('button', { name: 'Acknowledge', exact: true }).click();

  // The acknowledged alarm leaves B's strip within a second and stays on its tile as acknowledged;
  // who acknowledged it, and the note, are in the strip's list of alarms still open.
  const started = Date.now();
  const strip = b.getByRole('region', { name: 'Active alarms' });
  await expect(strip).toContainText('No alarm waiting', { timeout: 1000 });
  expect(Date.now() - started).toBeLessThan(1000);
  await expect(b.getByRole('article', { name: 'Chair 1' })).toContainText('acknowledged');
  await strip.getByRole('button', { name: '1 acknowledged, still open' }).click();
  await expect(strip).toContainText(/Acknowledged by nurse/);
  await expect(strip).toContainText('Recheck ordered');
});

test('losing the server is itself an alarm', async ({ browser }) => {
  const page = await clinic.logIn(browser, 'nurse');
  await clinic.server.process.kill('SIGSTOP');
  try {
    // Socket.IO notices a silent server by its ping timeout; a stopped process is the harshest case.
    await expect(page.getByRole('alert').filter({ hasText: 'Connection to server lost' })).toBeVisible({ timeout: 60_000 });
  } finally {
    clinic.server.process.kill('SIGCONT');
  }
  await expect(page.getByRole('alert').filter({ hasText: 'Connection to server lost' })).toBeHidden({ timeout: 30_000 });
});
