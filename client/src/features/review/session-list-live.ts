import { useEffect, useRef } from 'react';
import type { AppState } from '../../store/app-state';
import { useAppStore } from '../../store/store-context';

/**
 * What of the Sessions list this screen hears about live, as one string that changes when the list
 * may have: a session checked in, changing phase or ended (`session:updated`, README "Realtime"), and
 * an alert of a session raised, escalated, cleared or acknowledged (the alert events). A new BP also
 * arrives as `session:updated` but changes no column of the list, so the phase is read, not the revision.
 */
export function sessionListLiveKey(s: AppState): string {
  const running = Object.values(s.chairs)
    .map((chair) => (chair.session === null ? `${chair.id}:-` : `${chair.id}:${chair.session.id}:${chair.session.state.phase}`))
    .sort();
  const ended = Object.values(s.endedSessions)
    .map((session) => `${session.id}:${session.state.phase}`)
    .sort();
  let alertEvents = 0;
  for (const n of Object.values(s.alerts.revision.bySession)) alertEvents += n;
  return `${running.join(',')}|${ended.join(',')}|${alertEvents}`;
}

/** After the live key settles for this long the list is read again: a burst of events, one read. */
export const liveReloadDelayMs = 800;

/**
 * A signature has no live event (the server announces none), so a visible list is also read again
 * this often, and whenever the page becomes visible again.
 */
export const listRefreshMs = 30_000;

/**
 * Calls `reload` when the sessions this screen hears about change, and now and then for signatures
 * made on other screens; never while the page is hidden.
 */
export function useLiveListReload(reload: () => void): void {
  const liveKey = useAppStore(sessionListLiveKey);
  const reloadRef = useRef(reload);
  const seenKey = useRef(liveKey);
  useEffect(() => {
    reloadRef.current = reload;
  });

  useEffect(() => {
    if (liveKey === seenKey.current) return undefined;
    seenKey.current = liveKey;
    const timer = setTimeout(() => reloadRef.current(), liveReloadDelayMs);
    return () => clearTimeout(timer);
  }, [liveKey]);

  useEffect(() => {
    const visible = () => document.visibilityState !== 'hidden';
    const timer = setInterval(() => {
      if (visible()) reloadRef.current();
    }, listRefreshMs);
    const onVisibility = () => {
      if (visible()) reloadRef.current();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);
}
