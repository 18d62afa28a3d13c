import { useEffect, useState } from 'react';

export type WakeLockState =
  /** Not asked for (kiosk mode off). */
  | 'off'
  /** Asked for, no answer yet. */
  | 'pending'
  | 'active'
  /** The browser has no Screen Wake Lock (older Safari, Firefox before 126, plain http). */
  | 'unsupported'
  /** Asked for and refused (battery saver, a policy, the page not visible). */
  | 'denied';

interface WakeLockLike {
  request(type: 'screen'): Promise<{ released: boolean; addEventListener(type: 'release', listener: () => void): void; release(): Promise<void> }>;
}

function wakeLockApi(): WakeLockLike | null {
  const nav = navigator as Navigator & { wakeLock?: WakeLockLike };
  return nav.wakeLock ?? null;
}

/**
 * Keeps the screen awake while `enabled` (Screen Wake Lock). The browser releases the lock when the
 * page is hidden (another tab, the screen off): it is asked for again when the page is visible.
 */
export function useWakeLock(enabled: boolean): WakeLockState {
  const [state, setState] = useState<'pending' | 'active' | 'denied'>('pending');
  const supported = wakeLockApi() !== null;

  useEffect(() => {
    const api = wakeLockApi();
    if (!enabled || api === null) return;
    let stopped = false;
    let lock: Awaited<ReturnType<WakeLockLike['request']>> | null = null;
    const acquire = async () => {
      if (stopped || document.visibilityState !== 'visible' || (lock !== null && !lock.released)) return;
      try {
        const next = await api.request('screen');
        if (stopped) {
          void next.release();
          return;
        }
        lock = next;
        setState('active');
        next.addEventListener('release', () => {
          // Released by the browser (page hidden): asked for again when visible.
          if (!stopped && document.visibilityState === 'visible') void acquire();
        });
      } catch {
        if (!stopped) setState('denied');
      }
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void acquire();
    };
    void acquire();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      setState('pending');
      document.removeEventListener('visibilitychange', onVisibility);
      if (lock !== null && !lock.released) void lock.release();
    };
  }, [enabled]);

  if (!enabled) return 'off';
  return supported ? state : 'unsupported';
}
