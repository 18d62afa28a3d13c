import { useEffect } from 'react';
import { registerServiceWorker } from './push-device';

/**
 * Registers the service worker once the app has started: it makes Chairside installable and
 * receives alarms pushed to this device. A browser without service workers just goes without.
 */
export function useServiceWorker(): void {
  useEffect(() => {
    registerServiceWorker().catch(() => undefined);
  }, []);
}
