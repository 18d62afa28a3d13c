import { useMemo } from 'react';
import { useLocation } from 'react-router';
import { browserStorage, resolveKioskMode } from './kiosk-mode';

/** Kiosk mode, read from the address (`?kiosk=1`/`?kiosk=0`) and remembered by this browser. */
export function useKioskMode(): boolean {
  const { search } = useLocation();
  return useMemo(() => resolveKioskMode(search, browserStorage()), [search]);
}
