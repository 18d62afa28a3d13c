import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tempDataDir } from '../helpers/test-server';

const token = 'e2e-device-token-0123456789abcdef';
let server: ServerProcess;

test.beforeAll(async () => {
  // Real-time speed: the simulated cuffs measure every 5 min, so they do not race the readings this test enters.
  server = await startServerProcess({ DATA_DIR: tempDataDir(), DEMO_CHAIRS: '3', DEMO_SPEED: '1', INGEST_TOKEN: token });
});
test.afterAll(async () => {
  await server.stop();
});

async function logIn(page: Page, username = 'nurse'): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('article', { name: 'Chair 1' })).toBeVisible();
}

test('a newcomer sees how to log in, then live chairs whose values change', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByText(/demo/i).first()).toBeVisible();
  await expect(page.getByText('nurse', { exact: false }).first()).toBeVisible();
  await logIn(page);

  await expect(page.getByRole('article')).toHaveCount(3);
  await expect(page.getByText(/secondary notification aid/i)).toBeVisible();
  const tile = page.getByRole('article', { name: 'Chair 1' });
  const hr = tile.getByTestId('vital-heartRate');
  await expect(hr).toHaveText(/\d+/, { timeout: 15_000 });
  const first = await hr.textContent();
  await expect(hr).not.toHaveText(first ?? '', { timeout: 20_000 });
});

test('a reading posted by a device appears on its tile within a second', async ({ page }) => {
  await logIn(page);
  const tile = page.getByRole('article', { name: 'Chair 2' });
  const res = await fetch(`${server.url}/api/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      id: randomUUID(),
      chairId: 'chair-2',
      measuredAt: new Date(Date.now() + 1000).toISOString(),
      systolic: 187,
      diastolic: 111,
      mean: 136,
      source: 'device',
    }),
  });
  expect(res.status).toBe(201);
  await expect(tile.getByTestId('vital-bp')).toContainText('187/111', { timeout: 1000 });
});

test('a nurse enters a manual reading and sees it on the tile and the chart', async ({ page }) => {
  await logIn(page);
  await page.getByRole('button', { name: 'Enter reading for Chair 3' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Systolic').fill('400');
  await dialog.getByLabel('Diastolic').fill('80');
  await dialog.getByRole('button', { name: 'Save reading' }).click();
  await expect(dialog.getByText(/outside the plausible range/i)).toBeVisible();

  await dialog.getByLabel('Systolic').fill('163');
  await dialog.getByLabel('Diastolic').fill('97');
  await dialog.getByLabel('Heart rate').fill('101');
  await dialog.getByRole('button', { name: 'Save reading' }).click();
  await expect(dialog).toBeHidden();
  const tile = page.getByRole('article', { name: 'Chair 3' });
  await expect(tile.getByTestId('vital-bp')).toContainText('163/97');

  await tile.getByRole('button', { name: /open chair 3/i }).click();
  await expect(page.getByRole('heading', { name: /Chair 3/ })).toBeVisible();
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await expect(page.getByRole('table').getByText('163').first()).toBeVisible();
  await page.getByRole('button', { name: 'Back to all chairs' }).click();
  await expect(page.getByRole('article')).toHaveCount(3);
});
