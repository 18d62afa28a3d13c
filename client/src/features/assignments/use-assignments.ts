import { useEffect } from 'react';
import { useAppStore } from '../../store/store-context';
import { useAssignmentsApi } from './assignments-api';

/**
 * Reads who watches which chair whenever this screen is live (first connect and every reconnect);
 * changes in between arrive as `assignments:changed` (socket/live-updates.ts).
 */
export function useAssignmentsSync(): void {
  const api = useAssignmentsApi();
  const live = useAppStore((s) => s.connection.status === 'live');
  const loggedIn = useAppStore((s) => s.auth.user !== null);
  const loaded = useAppStore((s) => s.assignmentsLoaded);
  useEffect(() => {
    if (!live || !loggedIn) return;
    let cancelled = false;
    api.list().then(
      (list) => {
        if (!cancelled) loaded(list);
      },
      () => undefined, // the next reconnect reads it again; the tiles keep what they showed
    );
    return () => {
      cancelled = true;
    };
  }, [api, live, loggedIn, loaded]);
}

/** True for the people who watch chairs (nurses and clinicians), who may take or assign them. */
export function useWatchesChairs(): boolean {
  return useAppStore((s) => s.auth.user?.role === 'nurse' || s.auth.user?.role === 'clinician');
}
