import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { type Clinic, openClinic } from './clinic';
import { saveScreenshot } from './screenshots';

/**
 * Alarm reach on screen: a nurse takes chairs in "My chairs" and names a backup, every tile says who
 * has it, the chairs in session without a nurse are an advisory, and the chair page says whom its
 * alarm reached. Pictures at the clinic's screens with an alarm on, checked for width and by axe.
 */

const chairNames = Array.from({ length: 8 }, (_, i) => `Chair ${i + 1}`);
let clinic: Clinic;
let chairIds: Record<string, string> = {};
let monitors: ReturnType<typeof setInterval> | undefined;

const screens = [
  { name: '1024x768', width: 1024, height: 768 },
  { name: '768x1024', width: 768, height: 1024, touch: true },
  { name: '390x844', width: 390, height: 844, touch: true },
];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  clinic = await openClinic({ chairs: chairNames, users: [['nurse', 'nurse'], ['nurse2', 'nurse'], ['clinician', 'clinician']] });
  const chairs = (await clinic.api('nurse', 'GET', '/api/v1/chairs')).body as { id: string; name: string }[];
  chairIds = Object.fromEntries(chairs.map((c) => [c.name, c.id]));
  for (const [i, name] of chairNames.entries()) {
    const patient = await clinic.api('nurse', 'POST', '/api/v1/patients', { displayName: `Patient ${String.fromCharCode(65 + i)}. Example` });
    const session = await clinic.api('nurse', 'POST', '/api/v1/sessions', { patientId: patient.body.id, chairId: chairIds[name], protocolId: 'iv-ketamine' });
    expect(session.status).toBe(201);
    await clinic.postReading({ systolic: 118, diastolic: 76, heartRate: 72, spo2: 98, respRate: 14 }, chairIds[name]);
  }
  // The clinician has chairs 5 and 6; chairs 1–4 are left to the nurse, 7 and 8 to no one.
  const users = (await clinic.api('admin', 'GET', '/api/v1/users')).body as { id: string; username: string }[];
  const id = (username: string) => users.find((u) => u.username === username)?.id ?? '';
  for (const chair of ['Chair 5', 'Chair 6']) {
    expect((await clinic.api('clinician', 'PUT', '/api/v1/assignments', { chairId: chairIds[chair], primaryUserId: id('nurse2'), backupUserId: id('clinician') })).status).toBe(200);
  }
  // Chair 1's monitor: SpO₂ 85 % (a high alarm after 10 s).
  const send = () => Promise.all(chairNames.map((name) => clinic.postReading(name === 'Chair 1' ? { heartRate: 88, spo2: 85, respRate: 16 } : { heartRate: 72, spo2: 98, respRate: 14 }, chairIds[name])));
  monitors = setInterval(() => void send().catch(() => undefined), 2000);
});
test.afterAll(async () => {
  clearInterval(monitors);
  await clinic?.stop();
});

async function noSeriousViolations(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe on ${what}`).toEqual([]);
}

/** Alarm reach's elements past the right edge of the screen (the shift dialog, the tiles' assignee, the advisory). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll('.shift, .shift *, .tile-assignee, .tile-assignee *, .unassigned-advisory, .unassigned-advisory *, .chair-reach, .chair-reach *'))
      // Words only for screen readers are clipped by their box (theme.css .visually-hidden).
      .filter((el) => !el.classList.contains('visually-hidden') && el.getBoundingClientRect().right > width + 1 && el.getClientRects().length > 0)
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).split(' ').join('.')} right=${Math.round(el.getBoundingClientRect().right)} in ${el.parentElement?.parentElement?.outerHTML.slice(0, 300) ?? ''}`);
  });
}

test('a nurse takes her chairs with a backup; tiles, the advisory and the chair page show who is told', async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await clinic.logIn(browser, 'nurse', { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 });
  await expect(page.getByRole('article')).toHaveCount(8);
  await expect(page.getByRole('status').filter({ hasText: 'Advisory' })).toContainText('6 chairs in session have no nurse assigned');

  // At 1024 px the page links are behind "Menu".
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('button', { name: 'My chairs' }).click();
  const dialog = page.getByRole('dialog', { name: 'My chairs' });
  for (const chair of ['Chair 1', 'Chair 2', 'Chair 3', 'Chair 4']) {
    await dialog.getByRole('button', { name: new RegExp(`^${chair} `) }).click();
    await expect(dialog.getByRole('button', { name: new RegExp(`^${chair} `) })).toHaveAttribute('aria-pressed', 'true');
  }
  await dialog.getByLabel('Backup for my chairs').selectOption({ label: 'E2E nurse2' });
  await expect(dialog.getByRole('button', { name: /^Chair 1 / })).toContainText('Mine · backup EN');
  await dialog.getByLabel('Show my chairs first on this device').check();
  await saveScreenshot(page, 'my-chairs-dialog-1024x768');
  await noSeriousViolations(page, 'the My chairs dialog');
  await dialog.getByRole('button', { name: 'Done' }).click();

  await expect(page.getByRole('article', { name: 'Chair 1' })).toContainText('You');
  await expect(page.getByRole('article', { name: 'Chair 5' })).toContainText('EN');
  await expect(page.getByRole('status').filter({ hasText: 'Advisory' })).toContainText('Chair 7, Chair 8 are in session with no nurse assigned');

  // Another screen (the clinician's) hears the change.
  const other = await clinic.logIn(browser, 'clinician', { viewport: { width: 768, height: 1024 }, hasTouch: true, deviceScaleFactor: 1 });
  await expect(other.getByRole('article', { name: 'Chair 2' })).toContainText('EN');

  // The high alarm on chair 1: the nurse at once, her backup after 30 s.
  await expect(page.getByRole('article', { name: 'Chair 1' })).toContainText('!!!', { timeout: 30_000 });
  for (const screen of screens) {
    const shot = screen.name === '1024x768' ? page : await clinic.logIn(browser, 'nurse', { viewport: { width: screen.width, height: screen.height }, hasTouch: screen.touch === true, isMobile: screen.width < 500, deviceScaleFactor: 1 });
    await shot.setViewportSize({ width: screen.width, height: screen.height });
    await expect(shot.getByRole('article', { name: 'Chair 1' })).toContainText('You');
    expect.soft(await overflowing(shot), `nothing wider than ${screen.name}`).toEqual([]);
    await saveScreenshot(shot, `grid-assignments-${screen.name}`);
  }
  await noSeriousViolations(page, 'the grid with assignments');

  await page.goto(`${clinic.url}/chairs/${chairIds['Chair 1']}`);
  const told = page.getByRole('region', { name: 'Who is told' });
  await expect(told).toContainText('Watched by E2E nurse, backup E2E nurse2');
  await expect(told.getByRole('list', { name: 'Escalation steps' })).toContainText('reached primary: E2E nurse');
  await expect(told.getByRole('list', { name: 'Escalation steps' })).toContainText('reached backup: E2E nurse2', { timeout: 60_000 });
  await told.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'chair-page-who-is-told-1024x768');
  await noSeriousViolations(page, 'the chair page with who is told');
});
