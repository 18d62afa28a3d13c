import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PushControl } from './PushControl';

const iphoneSafari = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const androidChrome = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const endpoint = 'https://push.example.test/send/abc';

function setUserAgent(userAgent: string) {
  vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(userAgent);
}

/** A browser with service workers, the Push API and notifications, and the server's answers. */
function pushCapableBrowser() {
  let subscription: { endpoint: string; toJSON(): unknown; unsubscribe(): Promise<boolean> } | null = null;
  const subscribe = vi.fn(async () => {
    subscription = {
      endpoint,
      toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: 'BPub', auth: 'sec' } }),
      unsubscribe: async () => {
        subscription = null;
        return true;
      },
    };
    return subscription;
  });
  const registration = { pushManager: { getSubscription: async () => subscription, subscribe } };
  Object.defineProperty(navigator, 'serviceWorker', {
    configurable: true,
    value: { getRegistration: async () => registration, register: async () => registration, ready: Promise.resolve(registration) },
  });
  vi.stubGlobal('PushManager', function PushManager() {});
  vi.stubGlobal('Notification', Object.assign(function Notification() {}, { permission: 'default', requestPermission: vi.fn(async () => 'granted') }));
  const devices: unknown[] = [];
  const posted: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const json = (body: unknown, status = 200) => new Response(body === null ? '' : JSON.stringify(body), { status });
      if (url === '/api/v1/push/public-key') return json({ publicKey: 'AQID' });
      if (url === '/api/v1/push-subscriptions' && init.method === 'POST') {
        const body = JSON.parse(String(init.body)) as { endpoint: string; label: string };
        posted.push(body);
        const device = { id: 'd1', label: body.label, service: 'push.example.test', endpoint: body.endpoint, createdAtMs: 1, lastSuccessAtMs: null, failures: 0 };
        devices.push(device);
        return json(device, 201);
      }
      if (url === '/api/v1/push-subscriptions') return json(devices);
      if (url === '/api/v1/push-subscriptions/d1' && init.method === 'DELETE') {
        devices.length = 0;
        return json(null, 204);
      }
      return json({ error: { code: 'not_found', message: 'no' } }, 404);
    }),
  );
  return { subscribe, posted };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, 'serviceWorker');
});

describe('Alerts on this device', () => {
  it('on an iPhone outside the Home-Screen app, says it needs that app and how to add it', async () => {
    setUserAgent(iphoneSafari);
    render(<PushControl />);
    const open = await screen.findByRole('button', { name: /^Alerts on this device Needs the Home Screen app/ });
    await userEvent.click(open);
    const dialog = screen.getByRole('dialog', { name: 'Alerts on this device' });
    expect(within(dialog).getByText(/Add to Home Screen/)).toBeInTheDocument();
    expect(within(dialog).getByText(/16\.4 or later/)).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: /Turn on/ })).not.toBeInTheDocument();
  });

  it('in a browser without push, says so', async () => {
    setUserAgent(androidChrome);
    render(<PushControl />);
    await userEvent.click(await screen.findByRole('button', { name: /^Alerts on this device Not available/ }));
    expect(screen.getByRole('dialog')).toHaveTextContent('This browser cannot receive alarms when Chairside is closed');
  });

  it('turns alerts on (permission, subscription with the server’s key, registered for this user) and off again', async () => {
    setUserAgent(androidChrome);
    const { subscribe, posted } = pushCapableBrowser();
    render(<PushControl />);
    await userEvent.click(await screen.findByRole('button', { name: /^Alerts on this device Off/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Turn on alerts here' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Alarms by notification: On (Android phone)');
    expect(subscribe).toHaveBeenCalledWith({ userVisibleOnly: true, applicationServerKey: new Uint8Array([1, 2, 3]) });
    expect(posted).toEqual([{ endpoint, keys: { p256dh: 'BPub', auth: 'sec' }, label: 'Android phone' }]);

    await userEvent.click(screen.getByRole('button', { name: 'Turn off alerts here' }));
    expect(await screen.findByRole('button', { name: 'Turn on alerts here' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Alarms by notification: Off');
  });
});
