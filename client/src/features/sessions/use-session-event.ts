import type { RecordEventInput, SessionEventInput, SessionSummary } from '@chairside/shared';
import { useCallback } from 'react';
import { useServices } from '../../app-services';
import { useAppStore } from '../../store/store-context';

/** Posts a session event; the answer updates the tile at once (the broadcast that follows changes nothing). */
export function usePostSessionEvent(): (sessionId: string, event: SessionEventInput | RecordEventInput) => Promise<SessionSummary> {
  const { api } = useServices();
  const sessionUpdated = useAppStore((s) => s.sessionUpdated);
  return useCallback(
    async (sessionId, event) => {
      const summary = await api.postSessionEvent(sessionId, event);
      sessionUpdated(summary);
      return summary;
    },
    [api, sessionUpdated],
  );
}
