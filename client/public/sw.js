/*
 * Chairside's service worker: alarms pushed to this device (server/src/push). Built as is (no
 * bundler), so plain JavaScript. It caches nothing: the dashboard is live data or nothing.
 *
 * A push carries JSON: { type: 'alarm', alertId, chairId, title, body, priority, url, atMs } to show,
 * or { type: 'close', alertId } once the alarm was acknowledged or ended, which closes its
 * notification here too. One notification per alert (tag = alertId): a newer push replaces it.
 */
/* global self */
'use strict';

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

function readMessage(event) {
  if (!event.data) return null;
  try {
    const message = event.data.json();
    return message && typeof message === 'object' && typeof message.alertId === 'string' ? message : null;
  } catch {
    return null;
  }
}

async function closeAlert(alertId) {
  const shown = await self.registration.getNotifications({ tag: alertId });
  for (const notification of shown) notification.close();
}

async function showAlarm(message) {
  const high = message.priority === 'high';
  await self.registration.showNotification(String(message.title), {
    body: String(message.body),
    tag: message.alertId,
    // A newer push for the same alert (escalated, higher) sounds again.
    renotify: true,
    // A high alarm stays on screen until someone answers it.
    requireInteraction: high,
    timestamp: typeof message.atMs === 'number' ? message.atMs : Date.now(),
    icon: '/icon-192.png',
    badge: '/badge-72.png',
    vibrate: high ? [400, 150, 400, 150, 400] : [300],
    data: { alertId: message.alertId, url: typeof message.url === 'string' ? message.url : '/' },
    actions: [{ action: 'ack', title: 'Acknowledge' }],
  });
}

self.addEventListener('push', (event) => {
  const message = readMessage(event);
  if (message === null) return;
  if (message.type === 'close') event.waitUntil(closeAlert(message.alertId));
  else if (message.type === 'alarm') event.waitUntil(showAlarm(message));
});

/** Focuses a Chairside window on `url`, or opens one. */
async function openPage(url) {
  const target = new URL(url, self.location.origin);
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin !== target.origin) continue;
    const focused = await client.focus();
    if ('navigate' in focused && focused.url !== target.href) return focused.navigate(target.href);
    return focused;
  }
  return self.clients.openWindow(target.href);
}

/**
 * "Acknowledge" from the notification: the same route the dashboard uses, with this origin's login
 * cookie. Not logged in on this device, or refused: the chair's page opens instead.
 */
async function acknowledge(data) {
  try {
    const response = await fetch(`/api/v1/alerts/${encodeURIComponent(data.alertId)}/acknowledge`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (response.ok) {
      await closeAlert(data.alertId);
      return;
    }
  } catch {
    // Offline: open the page, which says so.
  }
  await openPage(data.url);
}

self.addEventListener('notificationclick', (event) => {
  const data = event.notification.data || {};
  event.notification.close();
  if (typeof data.alertId !== 'string') return;
  event.waitUntil(event.action === 'ack' ? acknowledge(data) : openPage(data.url || '/'));
});
