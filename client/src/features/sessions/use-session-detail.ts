import type { SessionDetail, SessionSummary } from '@chairside/shared';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';

type Fetched = { forSummary: SessionSummary; detail: SessionDetail | null; error: string | null };

/**
 * The session's timeline and readings (GET /api/v1/sessions/:id), read again whenever its summary
 * changes (every `session:updated`). The last answer stays shown while the next one loads.
 */
export function useSessionDetail(summary: SessionSummary): { detail: SessionDetail | null; loading: boolean; error: string | null; retry: () => void } {
  const { api } = useServices();
  const [fetched, setFetched] = useState<Fetched | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api.sessionDetail(summary.id).then(
      (detail) => {
        if (!cancelled) setFetched({ forSummary: summary, detail, error: null });
      },
      (error: unknown) => {
        if (!cancelled) setFetched((last) => ({ forSummary: summary, detail: last?.detail ?? null, error: errorMessage(error) }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, summary, attempt]);

  const detail = fetched?.detail?.id === summary.id ? fetched.detail : null;
  return {
    detail,
    loading: fetched?.forSummary !== summary,
    error: fetched?.forSummary === summary ? fetched.error : null,
    retry: () => setAttempt((n) => n + 1),
  };
}
