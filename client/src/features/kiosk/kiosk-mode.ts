/**
 * Kiosk mode for the station's wall screen: `/?kiosk=1` turns it on and this browser remembers it
 * (across reloads and restarts) until `?kiosk=0`.
 */
export const kioskStorageKey = 'chairside.kiosk';

/** Whether kiosk mode is on, after applying the address's `kiosk` parameter to what is remembered. */
export function resolveKioskMode(search: string, storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null): boolean {
  const asked = new URLSearchParams(search).get('kiosk');
  try {
    if (asked === '1' || asked === 'true') storage?.setItem(kioskStorageKey, '1');
    else if (asked === '0' || asked === 'false') storage?.removeItem(kioskStorageKey);
    else if (asked === null) return storage?.getItem(kioskStorageKey) === '1';
  } catch {
    // Storage refused (private mode): the address alone decides.
  }
  return asked === '1' || asked === 'true';
}

export function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
