import { describe, expect, it } from 'vitest';
import { deviceLabel, keyBytes, pushCapability } from './push-device';

const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ipad = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const android = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

describe('push on this device', () => {
  it.each([
    [{ userAgent: iphone, maxTouchPoints: 5, standalone: false, hasPush: false, permission: 'unsupported' as const }, 'ios-needs-home-screen'],
    [{ userAgent: ipad, maxTouchPoints: 5, standalone: false, hasPush: true, permission: 'default' as const }, 'ios-needs-home-screen'],
    [{ userAgent: iphone, maxTouchPoints: 5, standalone: true, hasPush: true, permission: 'default' as const }, 'available'],
    [{ userAgent: iphone, maxTouchPoints: 5, standalone: true, hasPush: false, permission: 'unsupported' as const }, 'unsupported'],
    [{ userAgent: ipad, maxTouchPoints: 0, standalone: false, hasPush: true, permission: 'default' as const }, 'available'],
    [{ userAgent: android, maxTouchPoints: 5, standalone: false, hasPush: true, permission: 'denied' as const }, 'blocked'],
    [{ userAgent: android, maxTouchPoints: 5, standalone: false, hasPush: true, permission: 'granted' as const }, 'available'],
  ])('%o → %s', (env, capability) => {
    expect(pushCapability(env)).toBe(capability);
  });

  it('names the device for the user’s list', () => {
    expect(deviceLabel(iphone, 5)).toBe('iPhone');
    expect(deviceLabel(ipad, 5)).toBe('iPad');
    expect(deviceLabel(ipad, 0)).toBe('Mac');
    expect(deviceLabel(android, 5)).toBe('Android phone');
  });

  it('turns the base64url VAPID key into its bytes', () => {
    const bytes = Uint8Array.from({ length: 65 }, (_, i) => (i * 37) % 256);
    const text = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect([...keyBytes(text)]).toEqual([...bytes]);
  });
});
