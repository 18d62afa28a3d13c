/**
 * A page of another origin on the same host (another port: same site, so Chromium still sends the
 * SameSite=Strict session cookie) cannot act as the logged-in nurse (security review, issue 14
 * item 5): its plain HTML form POST is answered 415 and changes nothing, and its Socket.IO
 * connection is refused, while the nurse's own dashboard stays connected.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot } from '../helpers/server-process';
import { type Clinic, openClinic, staffPassword } from './clinic';

let clinic: Clinic;
let attacker: http.Server | null = null;
let attackerUrl: string;

/** The page another program on the clinic server's host could serve. */
function attackerPage(appUrl: string, chairId: string): string {
  const action = `${appUrl}/api/v1/chairs/${encodeURIComponent(chairId)}/audio-pause`;
  return `<!doctype html>
<title>attack: started</title>
<form id="pause" method="POST" action="${action}" enctype="text/plain" target="sink">
  <input type="hidden" name='{"note":"' value='from a form"}'>
</form>
<iframe name="sink"></iframe>
<pre id="socket">socket: trying</pre>
<script src="/socket.io.js"></script>
<script>
  const status = document.getElementById('socket');
  const socket = io(${JSON.stringify(appUrl)}, { transports: ['websocket'], reconnection: false });
  socket.on('connect', () => { status.textContent = 'socket: connected'; });
  socket.on('readings:stored', () => { status.textContent += ' and received readings'; });
  socket.on('connect_error', (error) => { status.textContent = 'socket: refused (' + error.message + ')'; });
  document.getElementById('pause').submit();
</script>`;
}

test.beforeAll(async () => {
  clinic = await openClinic();
  const chairs = await clinic.api('nurse', 'GET', '/api/v1/chairs');
  const chairId = chairs.body[0].id as string;
  // The browser build of socket.io-client, as any page could load it.
  const socketIoClient = fs.readFileSync(path.join(repoRoot, 'node_modules/socket.io-client/dist/socket.io.min.js'));
  attacker = http.createServer((req, res) => {
    if (req.url === '/socket.io.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(socketIoClient);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(attackerPage(clinic.url, chairId));
  });
  const appHost = new URL(clinic.url).hostname;
  const server = attacker;
  await new Promise<void>((resolve) => server.listen(0, appHost, resolve));
  attackerUrl = `http://${appHost}:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => (attacker ? attacker.close(resolve) : resolve(undefined)));
  await clinic?.stop();
});

test('a page on another port of the same host cannot pause an alarm with a form, nor open a socket, while the nurse is logged in', async ({ browser }) => {
  // One browser context: the nurse's dashboard and, later, the other page in a second tab share its cookies.
  const context = await browser.newContext();
  const dashboard = await context.newPage();
  await dashboard.goto(clinic.url);
  await dashboard.getByLabel('Username').fill('nurse');
  await dashboard.getByLabel('Password').fill(staffPassword);
  await dashboard.getByRole('button', { name: 'Log in' }).click();
  await expect(dashboard.getByRole('button', { name: 'Log out' })).toBeVisible();
  expect(new URL(attackerUrl).origin).not.toBe(new URL(clinic.url).origin);
  expect(new URL(attackerUrl).hostname).toBe(new URL(clinic.url).hostname);

  // The nurse opens the other page in another tab.
  const page = await context.newPage();
  const formPost = page.waitForResponse((r) => r.url().endsWith('/audio-pause') && r.request().method() === 'POST');
  await page.goto(attackerUrl);

  await expect(page.locator('#socket')).toHaveText(/^socket: refused/);
  const answer = await formPost;
  const sent = await answer.request().allHeaders();
  // The browser did send the session cookie (same site): the server refuses the request itself.
  expect(sent.cookie ?? '').toMatch(/chairside_session=/);
  expect(sent.origin).toBe(attackerUrl);
  expect(sent['content-type']).toMatch(/^text\/plain/);
  // (Its body is not kept: the frame may not show it, frame-ancestors 'none'.)
  expect(answer.status()).toBe(415);

  // Nothing was paused, and nothing reached the other page while readings flowed.
  await clinic.postReading({ heartRate: 77 });
  await page.waitForTimeout(500);
  await expect(page.locator('#socket')).not.toContainText('received readings');
  expect((await clinic.api('nurse', 'GET', '/api/v1/audio-pauses')).body).toEqual([]);

  // The nurse's own dashboard, same origin, is unaffected: still live.
  await expect(dashboard.getByRole('article', { name: 'Chair 1' }).getByTestId('vital-heartRate')).toContainText('77');
  await context.close();
});
