import { type PushDevice, pushDeviceSchema, pushPublicKeySchema } from '@chairside/shared';
import { z } from 'zod';

/**
 * This device and Web Push: the service worker, the browser's subscription and the server's list
 * of this user's devices (server/src/push). Talks to the server with plain same-origin fetches and
 * parses the answers with shared's schemas.
 */

export type PushState =
  /** No service worker or Push API here (an old browser, a private window, plain http). */
  | 'unsupported'
  /** iPhone or iPad in Safari: push works only from the Home Screen app (iOS 16.4+). */
  | 'ios-needs-home-screen'
  /** The user blocked notifications for this site: only the browser's settings can undo it. */
  | 'blocked'
  | 'off'
  | 'on';

export interface PushEnvironment {
  userAgent: string;
  maxTouchPoints: number;
  standalone: boolean;
  hasPush: boolean;
  permission: NotificationPermission | 'unsupported';
}

export function currentEnvironment(): PushEnvironment {
  const nav = navigator as Navigator & { standalone?: boolean };
  const hasPush = typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  return {
    userAgent: nav.userAgent,
    maxTouchPoints: nav.maxTouchPoints ?? 0,
    standalone: nav.standalone === true || (typeof window.matchMedia === 'function' && window.matchMedia('(display-mode: standalone)').matches),
    hasPush,
    permission: 'Notification' in window ? Notification.permission : 'unsupported',
  };
}

/** iPhone, iPod, or an iPad (which says "Macintosh" but has a touch screen). */
export function isAppleMobile(env: Pick<PushEnvironment, 'userAgent' | 'maxTouchPoints'>): boolean {
  return /iPhone|iPad|iPod/.test(env.userAgent) || (/Macintosh/.test(env.userAgent) && env.maxTouchPoints > 1);
}

/** What this device can do, before asking whether it is subscribed. */
export function pushCapability(env: PushEnvironment): Exclude<PushState, 'on' | 'off'> | 'available' {
  if (isAppleMobile(env) && !env.standalone) return 'ios-needs-home-screen';
  if (!env.hasPush) return 'unsupported';
  if (env.permission === 'denied') return 'blocked';
  return 'available';
}

/** A name for this device in the user's list ("Android phone", "iPad"). */
export function deviceLabel(userAgent: string, maxTouchPoints: number): string {
  if (/iPad/.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1)) return 'iPad';
  if (/iPhone/.test(userAgent)) return 'iPhone';
  if (/Android/.test(userAgent)) return /Mobile/.test(userAgent) ? 'Android phone' : 'Android tablet';
  if (/Windows/.test(userAgent)) return 'Windows computer';
  if (/Macintosh/.test(userAgent)) return 'Mac';
  if (/Linux|CrOS/.test(userAgent)) return 'Linux computer';
  return 'This device';
}

/** The VAPID key as the bytes PushManager.subscribe wants. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const text = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

async function call(path: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(`/api/v1${path}`, {
    credentials: 'same-origin',
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  const text = await response.text();
  const body: unknown = text === '' ? null : JSON.parse(text);
  if (!response.ok) {
    const message = z.object({ error: z.object({ message: z.string() }) }).safeParse(body);
    throw new Error(message.success ? message.data.error.message : `The server answered ${response.status}.`);
  }
  return body;
}

/** Registers the service worker (once per page load; the browser keeps it). Resolves null where there is none. */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null;
  return navigator.serviceWorker.register('/sw.js', { scope: '/' });
}

/** This browser's subscription, if it has one, and whether the server still lists it for this user. */
export async function readPushState(): Promise<{ state: PushState; device: PushDevice | null }> {
  const capability = pushCapability(currentEnvironment());
  if (capability !== 'available') return { state: capability, device: null };
  const registration = await navigator.serviceWorker.getRegistration('/');
  const subscription = (await registration?.pushManager.getSubscription()) ?? null;
  if (subscription === null) return { state: 'off', device: null };
  const devices = z.array(pushDeviceSchema).parse(await call('/push-subscriptions'));
  const device = devices.find((d) => d.endpoint === subscription.endpoint) ?? null;
  return { state: device === null ? 'off' : 'on', device };
}

/** Asks for permission, subscribes this browser with the server's key and registers it for this user. */
export async function turnPushOn(): Promise<PushDevice> {
  const registration = (await navigator.serviceWorker.getRegistration('/')) ?? (await registerServiceWorker());
  if (registration === null) throw new Error('This browser cannot receive alarms.');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('Notifications were not allowed. Allow them for this site in the browser’s settings.');
  const { publicKey } = pushPublicKeySchema.parse(await call('/push/public-key'));
  const ready = await navigator.serviceWorker.ready;
  let subscription = await ready.pushManager.getSubscription();
  if (subscription === null) {
    subscription = await ready.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
  }
  const json = subscription.toJSON();
  const env = currentEnvironment();
  return pushDeviceSchema.parse(
    await call('/push-subscriptions', {
      method: 'POST',
      body: JSON.stringify({ endpoint: json.endpoint, keys: json.keys, label: deviceLabel(env.userAgent, env.maxTouchPoints) }),
    }),
  );
}

/** Removes this device from the user's list and drops the browser's subscription. */
export async function turnPushOff(device: PushDevice | null): Promise<void> {
  if (device !== null) await call(`/push-subscriptions/${encodeURIComponent(device.id)}`, { method: 'DELETE' });
  const registration = await navigator.serviceWorker.getRegistration('/');
  const subscription = await registration?.pushManager.getSubscription();
  await subscription?.unsubscribe();
}
