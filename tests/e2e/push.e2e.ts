import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { type Clinic, openClinic } from './clinic';
import { saveScreenshot } from './screenshots';

/**
 * The installable app, alarms on this device and kiosk mode (issue 18) in Chromium: the manifest
 * and icons, the service worker installed by the dashboard, a push shown as the alarm's
 * notification and closed by its "close" message, the worker acknowledging with the login cookie;
 * "Alerts on this device" on a phone; the wall screen in kiosk mode with 24 chairs.
 *
 * Headless Chromium has no push service to subscribe with (PushManager.subscribe needs Google's
 * FCM), so the push is handed to the worker through the DevTools protocol
 * (ServiceWorker.deliverPushMessage), which fires the same `push` event a push service's message
 * does. The encrypted path from the server to a push service is tests/integration/push.int.test.ts.
 */

const chairNames = Array.from({ length: 24 }, (_, i) => `Chair ${i + 1}`);
let clinic: Clinic;
let alertId = '';

test.beforeAll(async () => {
  clinic = await openClinic({ chairs: chairNames });
  const patient = await clinic.api('nurse', 'POST', '/api/v1/patients', { displayName: 'Push Subject', mrn: 'PUSH-1' });
  const session = await clinic.api('nurse', 'POST', '/api/v1/sessions', { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  expect(session.status).toBe(201);
  await clinic.postReading({ systolic: 130, diastolic: 82, heartRate: 80, spo2: 98, respRate: 14 }, 'chair-1');
  const started = await clinic.api('clinician', 'POST', `/api/v1/sessions/${session.body.id}/events`, {
    type: 'treatment-started',
    override: { reason: 'One baseline BP: reviewed in person' },
  });
  expect(started.status).toBe(201);
  await clinic.postReading({ systolic: 204, diastolic: 100, heartRate: 96, spo2: 97, respRate: 16 }, 'chair-1');
  await expect
    .poll(async () => {
      const open = (await clinic.api('nurse', 'GET', '/api/v1/alerts')).body as { chairId: string; alert: { id: string; priority: string; status: string } }[];
      alertId = open.find((a) => a.chairId === 'chair-1' && a.alert.priority === 'high' && a.alert.status === 'active')?.alert.id ?? '';
      return alertId;
    })
    .not.toBe('');
  // Some values on every other chair, so the wall screen shows a full clinic.
  await Promise.all(chairNames.slice(1).map((_, i) => clinic.postReading({ heartRate: 70 + i, spo2: 97, respRate: 14 }, `chair-${i + 2}`)));
});
test.afterAll(async () => {
  await clinic?.stop();
});

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${what}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

test('the dashboard is an installable app: manifest, icons, a service worker for the whole origin', async ({ browser }) => {
  const page = await clinic.logIn(browser, 'nurse', { viewport: { width: 1024, height: 768 } });
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(manifestHref).toBe('/manifest.webmanifest');
  const manifest = (await page.evaluate(async (href) => (await fetch(href)).json(), manifestHref ?? '')) as { icons: { sizes: string; src: string; type: string }[] } & Record<string, unknown>;
  expect(manifest).toMatchObject({ name: 'Chairside', display: 'standalone', start_url: '/', scope: '/' });
  const sizes = manifest.icons.map((i) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons) {
    const answer = await page.request.get(new URL(icon.src, clinic.url).href);
    expect(answer.status(), icon.src).toBe(200);
    expect(answer.headers()['content-type']).toContain(icon.type);
  }

  // The worker is installed and controls the page under the server's CSP.
  const registration = await page.evaluate(async () => {
    const ready = await navigator.serviceWorker.ready;
    return { scope: ready.scope, script: ready.active?.scriptURL ?? null };
  });
  expect(registration).toEqual({ scope: `${clinic.url}/`, script: `${clinic.url}/sw.js` });
  await page.context().close();
});

test('a push shows the alarm as a notification with "Acknowledge", and its close message takes it away; the worker acknowledges with the login cookie', async ({ browser }) => {
  const page = await clinic.logIn(browser, 'nurse', { viewport: { width: 1024, height: 768 } });
  const context = page.context();
  await context.grantPermissions(['notifications'], { origin: clinic.url });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

  const cdp = await context.newCDPSession(page);
  const registrationIds: string[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => {
    for (const r of event.registrations) if (r.scopeURL === `${clinic.url}/` && !r.isDeleted) registrationIds.push(r.registrationId);
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => registrationIds.length).toBeGreaterThan(0);
  const registrationId = registrationIds[0] ?? '';

  // Whether this Chromium can subscribe at all (it needs a push service): recorded, not required.
  const subscribe = await page.evaluate(async () => {
    try {
      const key = (await (await fetch('/api/v1/push/public-key')).json()) as { publicKey: string };
      const raw = atob(key.publicKey.replace(/-/g, '+').replace(/_/g, '/'));
      const bytes = Uint8Array.from(raw, (c) => c.charCodeAt(0));
      const ready = await navigator.serviceWorker.ready;
      const subscription = await ready.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes });
      return `subscribed at ${new URL(subscription.endpoint).host}`;
    } catch (error) {
      return `cannot subscribe: ${String(error)}`;
    }
  });
  test.info().annotations.push({ type: 'PushManager.subscribe', description: subscribe });

  const notifications = () =>
    page.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        data: n.data as unknown,
        requireInteraction: n.requireInteraction,
        actions: (n as Notification & { actions?: { action: string; title: string }[] }).actions ?? [],
      })),
    );
  const alarm = {
    type: 'alarm',
    alertId,
    chairId: 'chair-1',
    title: 'High alarm — Chair 1',
    body: 'Hypertensive crisis: SBP 204 ≥ 200',
    priority: 'high',
    url: '/chairs/chair-1',
    atMs: Date.now(),
  };
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: clinic.url, registrationId, data: JSON.stringify(alarm) });
  await expect.poll(notifications).toEqual([
    {
      title: 'High alarm — Chair 1',
      body: 'Hypertensive crisis: SBP 204 ≥ 200',
      tag: alertId,
      data: { alertId, url: '/chairs/chair-1' },
      requireInteraction: true,
      actions: [{ action: 'ack', title: 'Acknowledge', icon: '' }].map(({ action, title }) => expect.objectContaining({ action, title })),
    },
  ]);
  // The same alert again replaces its notification rather than adding one.
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: clinic.url, registrationId, data: JSON.stringify({ ...alarm, title: 'High alarm — Chair 1 (again)' }) });
  await expect.poll(async () => (await notifications()).map((n) => n.title)).toEqual(['High alarm — Chair 1 (again)']);

  await cdp.send('ServiceWorker.deliverPushMessage', { origin: clinic.url, registrationId, data: JSON.stringify({ type: 'close', alertId, reason: 'acknowledged' }) });
  await expect.poll(notifications).toEqual([]);

  // "Acknowledge" from a notification is the worker's own fetch of the dashboard's route: the
  // login cookie (SameSite=Strict) goes with it, so the alarm is acknowledged as this nurse.
  const worker = context.serviceWorkers().find((w) => w.url() === `${clinic.url}/sw.js`);
  expect(worker).toBeDefined();
  const status = await worker?.evaluate(async (id) => {
    const answer = await fetch(`/api/v1/alerts/${encodeURIComponent(id)}/acknowledge`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return answer.status;
  }, alertId);
  expect(status).toBe(200);
  const open = (await clinic.api('nurse', 'GET', '/api/v1/alerts')).body as { alert: { id: string; status: string; acknowledgements: { by: { username: string } }[] } }[];
  const acknowledged = open.find((a) => a.alert.id === alertId)?.alert;
  expect(acknowledged?.status).toBe('acknowledged');
  expect(acknowledged?.acknowledgements.map((a) => a.by.username)).toEqual(['nurse']);
  await context.close();
});

test('"Alerts on this device" on a phone says where it stands and explains, and passes axe', async ({ browser }) => {
  const page = await clinic.logIn(browser, 'nurse', { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await page.getByRole('button', { name: 'Menu' }).click();
  const open = page.getByRole('button', { name: /^Alerts on this device/ });
  await expect(open).toBeVisible();
  const box = await open.boundingBox();
  expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
  await open.click();
  const dialog = page.getByRole('dialog', { name: 'Alerts on this device' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('status')).toContainText('Alarms by notification: Off');
  await expect(dialog.getByRole('button', { name: 'Turn on alerts here' })).toBeVisible();
  await saveScreenshot(page, 'push-settings-390x844');
  await expectNoSeriousViolations(page, 'alerts on this device');
  await page.context().close();
});

test.describe('kiosk mode', () => {
  for (const [width, height] of [
    [1920, 1080],
    [1024, 768],
  ] as const) {
    test(`the wall screen at ${width}×${height}: large clock, connection, no page links, 24 chairs; remembered until ?kiosk=0`, async ({ browser }) => {
      const page = await clinic.logIn(browser, 'clinician', { viewport: { width, height } });
      await page.goto(`${clinic.url}/?kiosk=1`);
      await expect(page.locator('.app.is-kiosk')).toBeVisible();
      const clock = page.locator('.app-header__clock');
      await expect(clock).toBeVisible();
      expect(parseFloat(await clock.evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(32);
      await expect(page.getByRole('link', { name: /Sessions/ })).toBeHidden();
      await expect(page.getByRole('button', { name: /^Alerts on this device/ })).toBeHidden();
      // Headless Chromium grants the wake lock; a browser that cannot would show a warning instead.
      await expect(page.locator('.kiosk-warning')).toHaveCount(0);
      await expect(page.getByText('Chair 24', { exact: true })).toBeAttached();
      if (width === 1920) {
        // Every chair on the wall screen without scrolling.
        const last = await page.getByText('Chair 24', { exact: true }).boundingBox();
        expect((last?.y ?? Infinity) + (last?.height ?? 0)).toBeLessThanOrEqual(height);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await saveScreenshot(page, `kiosk-${width}x${height}`);
      await expectNoSeriousViolations(page, `kiosk ${width}×${height}`);

      // A reload keeps kiosk mode; ?kiosk=0 ends it.
      await page.goto(clinic.url);
      await expect(page.locator('.app.is-kiosk')).toBeVisible();
      await page.goto(`${clinic.url}/?kiosk=0`);
      await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
      await expect(page.locator('.app.is-kiosk')).toHaveCount(0);
      await saveScreenshot(page, `after-kiosk-${width}x${height}`);
      await page.context().close();
    });
  }
});
