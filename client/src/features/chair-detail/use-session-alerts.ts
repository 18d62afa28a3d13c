import type { Alert } from '@chairside/shared';
import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useServices } from '../../app-services';
import type { AppState } from '../../store/app-state';
import { useAppStore } from '../../store/store-context';

const noAlerts: readonly Alert[] = [];

function selectHeld(state: AppState, sessionId: string | null): Alert[] {
  const alerts: Alert[] = [];
  if (sessionId === null) return alerts;
  for (const entry of Object.values(state.alerts.byId)) if (entry.sessionId === sessionId) alerts.push(entry.alert);
  return alerts;
}

/**
 * Every alert of the session for the chart's markers: the session's history from the server (cleared
 * ones included; read again on each of its alert events and after a reconnect) together with those
 * this screen holds, so a new alarm is marked the moment it arrives. Empty without a session, or
 * while the history cannot be read (the alert history table says why).
 */
export function useSessionAlerts(sessionId: string | null): readonly Alert[] {
  const { api } = useServices();
  const revision = useAppStore((s) => (sessionId === null ? 0 : (s.alerts.revision.bySession[sessionId] ?? 0)));
  const loads = useAppStore((s) => s.alerts.revision.loads);
  const held = useAppStore(useShallow((s) => selectHeld(s, sessionId)));
  const [history, setHistory] = useState<{ sessionId: string; alerts: readonly Alert[] } | null>(null);

  useEffect(() => {
    if (sessionId === null) return;
    let cancelled = false;
    api.sessionAlerts(sessionId).then(
      (alerts) => {
        if (!cancelled) setHistory({ sessionId, alerts });
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api, sessionId, revision, loads]);

  const fetched = history !== null && history.sessionId === sessionId ? history.alerts : noAlerts;
  return useMemo(() => {
    if (held.length === 0) return fetched;
    const byId = new Map(fetched.map((alert) => [alert.id, alert]));
    for (const alert of held) byId.set(alert.id, alert);
    return [...byId.values()];
  }, [fetched, held]);
}
