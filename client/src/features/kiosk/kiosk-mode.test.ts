import { describe, expect, it } from 'vitest';
import { kioskStorageKey, resolveKioskMode } from './kiosk-mode';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

describe('kiosk mode', () => {
  it.each([
    ['?kiosk=1', null, true, '1'],
    ['?kiosk=true', null, true, '1'],
    ['', '1', true, '1'],
    ['?chair=3', '1', true, '1'],
    ['?kiosk=0', '1', false, undefined],
    ['?kiosk=false', '1', false, undefined],
    ['', null, false, undefined],
    ['?kiosk=maybe', '1', false, '1'],
  ])('address %j with %j remembered → %s (remembered %j)', (search, remembered, on, after) => {
    const storage = memoryStorage();
    if (remembered !== null) storage.data.set(kioskStorageKey, remembered);
    expect(resolveKioskMode(search, storage)).toBe(on);
    expect(storage.data.get(kioskStorageKey)).toBe(after);
  });

  it('works from the address alone when storage is refused', () => {
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => undefined,
    };
    expect(resolveKioskMode('?kiosk=1', refusing)).toBe(true);
    expect(resolveKioskMode('', refusing)).toBe(false);
    expect(resolveKioskMode('?kiosk=1', null)).toBe(true);
  });
});
