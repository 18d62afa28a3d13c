import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/test-server';

/*
 * Subscribing and removing a Web Push device are in the audit trail like other changes (docs/architecture.md "Alarm
 * reach"): who, which device (its label and push service), and nothing for a refused attempt.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const subscription = {
  endpoint: 'https://push.example.net/send/abc123',
  keys: { p256dh: Buffer.alloc(65, 4).toString('base64url'), auth: Buffer.alloc(16, 7).toString('base64url') },
  label: 'Ward phone',
};

describe('push devices in the audit trail', () => {
  it('records a subscription and a removal with the device, and not a refused removal', async () => {
    const nurse = await server.login('nurse');
    const clinician = await server.login('clinician');
    const admin = await server.login('admin');
    const created = await api(server.url, 'POST', '/api/v1/push-subscriptions', nurse, subscription);
    expect(created.status).toBe(201);
    const deviceId: string = created.body.id;
    expect((await api(server.url, 'POST', '/api/v1/push-subscriptions', nurse, { ...subscription, endpoint: 'http://push.example.net/x' })).status).toBe(400);
    expect((await api(server.url, 'DELETE', `/api/v1/push-subscriptions/${deviceId}`, clinician)).status).toBe(403);
    expect((await api(server.url, 'DELETE', `/api/v1/push-subscriptions/${deviceId}`, nurse)).status).toBe(204);

    const subscribed = await api(server.url, 'GET', '/api/v1/audit?action=push-subscribed', admin);
    expect(subscribed.body).toMatchObject([
      { username: 'nurse', action: 'push-subscribed', targetType: 'push-device', targetId: deviceId, details: { label: 'Ward phone', service: 'push.example.net' } },
    ]);
    const removed = await api(server.url, 'GET', '/api/v1/audit?action=push-removed', admin);
    expect(removed.body).toMatchObject([
      { username: 'nurse', action: 'push-removed', targetType: 'push-device', targetId: deviceId, details: { label: 'Ward phone', service: 'push.example.net' } },
    ]);
    // The endpoint is a bearer capability for pushing to the device: the trail names the service only.
    expect(JSON.stringify([subscribed.body, removed.body])).not.toContain('abc123');
  });
});
