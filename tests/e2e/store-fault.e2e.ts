import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { lockFromOutside } from '../helpers/test-server';
import { type Clinic, deviceToken, openClinic } from './clinic';

let clinic: Clinic;
test.beforeAll(async () => {
  clinic = await openClinic({ users: [['nurse', 'nurse'], ['nurse2', 'nurse']] });
});
test.afterAll(async () => {
  await clinic.stop();
});

/** A device sends one reading; answers the HTTP status (503 while the store cannot save). */
async function send(values: Record<string, number>): Promise<number> {
  const res = await fetch(`${clinic.url}/api/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${deviceToken}` },
    body: JSON.stringify({ id: randomUUID(), chairId: 'chair-1', measuredAt: new Date().toISOString(), source: 'device', ...values }),
  });
  await res.body?.cancel();
  return res.status;
}

const storeAlarm = (page: Page) => page.getByRole('region', { name: 'Active alarms' }).getByRole('alert').filter({ hasText: 'Readings cannot be saved' });

test('a store that cannot save is a medium technical alarm on every dashboard, gone once it saves again', async ({ browser }) => {
  const pages = [await clinic.logIn(browser, 'nurse'), await clinic.logIn(browser, 'nurse2')];
  for (const page of pages) {
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Active alarms' })).toContainText('No active alarms');
  }

  // Another program holds the database: the server cannot store the next reading, and says so.
  const release = await lockFromOutside(clinic);
  try {
    expect(await send({ heartRate: 80, spo2: 97 })).toBe(503);
    for (const page of pages) {
      const alarm = storeAlarm(page);
      await expect(alarm).toBeVisible();
      await expect(alarm).toContainText('locked by another program');
      await expect(alarm).toContainText('!!');
      await expect(alarm).toContainText(/Medium\s*Technical/);
      await expect(alarm.getByRole('button')).toHaveCount(0);
      await expect(page).toHaveTitle(/^\(1\) !! /);
    }
  } finally {
    await release();
  }

  // Free again: the next reading is stored, the server says so, and the alarm goes on every screen.
  expect(await send({ heartRate: 81, spo2: 97 })).toBe(201);
  for (const page of pages) {
    await expect(storeAlarm(page)).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Active alarms' })).toContainText('No active alarms');
    await expect(page.getByRole('article', { name: 'Chair 1' }).getByTestId('vital-heartRate')).toHaveText('81');
  }
});
