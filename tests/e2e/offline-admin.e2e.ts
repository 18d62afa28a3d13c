import { expect, test } from '@playwright/test';
import { adminPassword, type Clinic, openClinic } from './clinic';

let clinic: Clinic;
test.beforeAll(async () => {
  clinic = await openClinic();
});
test.afterAll(async () => {
  await clinic.stop();
});

test('a manual entry made while the server is unreachable waits on the tablet, survives a reload, and arrives exactly once', async ({ browser }) => {
  const page = await clinic.logIn(browser, 'nurse');
  let blocked = true;
  await page.route('**/api/v1/readings', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));

  await page.getByRole('button', { name: 'Enter reading for Chair 1' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Systolic').fill('147');
  await dialog.getByLabel('Diastolic').fill('91');
  await dialog.getByRole('button', { name: 'Save reading' }).click();
  await expect(page.getByText(/Saved on this tablet/)).toBeVisible();
  const tile = page.getByRole('article', { name: 'Chair 1' });
  await expect(tile.getByText(/Pending — not yet on the server/)).toBeVisible();
  // Not on the tile as a value yet: a free chair without values shows no BP at all, else not this one.
  await expect(tile.getByTestId('vital-bp').filter({ hasText: '147/91' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /1 entr(y|ies) waiting to send/ })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('article', { name: 'Chair 1' }).getByText(/Pending — not yet on the server/)).toBeVisible();

  blocked = false;
  await page.evaluate(() => window.dispatchEvent(new Event('online'))); // the browser says the network is back
  await expect(page.getByRole('article', { name: 'Chair 1' }).getByTestId('vital-bp')).toContainText('147/91');
  await expect(page.getByText(/Pending — not yet on the server/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /waiting to send/ })).toHaveCount(0);

  const readings = await clinic.api('nurse', 'GET', '/api/v1/chairs/chair-1/readings');
  expect(readings.body.filter((r: { systolic: number | null; source: string }) => r.systolic === 147 && r.source === 'manual')).toHaveLength(1);
});

test('an admin adds a user and makes a device token that works once shown, then revokes it', async ({ browser }) => {
  const page = await browser.newPage();
  await page.goto(clinic.url);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(adminPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('table', { name: 'Users' })).toBeVisible();

  await page.getByRole('textbox', { name: 'Username' }).fill('nurse.kim');
  await page.getByRole('textbox', { name: 'Display name' }).fill('Kim Park');
  await page.getByRole('textbox', { name: 'Password' }).fill('a-long-enough-password');
  await page.getByRole('combobox', { name: 'Role' }).selectOption('nurse');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('table', { name: 'Users' })).toContainText('nurse.kim');

  await page.getByRole('link', { name: 'Device tokens', exact: true }).click();
  await page.getByLabel('Label').fill('Bay 2 gateway');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByRole('textbox', { name: 'New device token' }).inputValue();
  expect(token).toMatch(/^cs_/);
  const post = () =>
    fetch(`${clinic.url}/api/v1/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ id: crypto.randomUUID(), chairId: 'chair-1', measuredAt: new Date().toISOString(), heartRate: 72, source: 'device' }),
    });
  expect((await post()).status).toBe(201);
  await page.getByRole('button', { name: 'Done — hide the token' }).click();
  await page.getByRole('button', { name: 'Revoke Bay 2 gateway' }).click();
  await page.getByRole('button', { name: 'Revoke token' }).click();
  await expect(page.getByRole('table', { name: 'Device tokens' })).toContainText(/Revoked/i);
  expect((await post()).status).toBe(401);
});
