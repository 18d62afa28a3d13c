import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../api/api-error';

export interface AdminLoad<T> {
  /** The newest answer; stays on screen while a reload runs. */
  value: T | null;
  status: 'loading' | 'loaded' | 'failed';
  error: string | null;
  /** The failure itself (an ApiError with field details), when the load failed. */
  cause: unknown;
  reload: () => void;
}

interface Settled<T> {
  load: () => Promise<T>;
  attempt: number;
  value: T | null;
  error: string | null;
  cause: unknown;
}

/**
 * Loads `load()` on mount, whenever `load` changes (make it with useCallback) and on reload(). An
 * answer to an older request is dropped; the last good answer stays while the next one loads.
 */
export function useAdminLoad<T>(load: () => Promise<T>): AdminLoad<T> {
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);

  useEffect(() => {
    let cancelled = false;
    load().then(
      (value) => {
        if (!cancelled) setSettled({ load, attempt, value, error: null, cause: null });
      },
      (error: unknown) => {
        if (!cancelled) setSettled((s) => ({ load, attempt, value: s?.value ?? null, error: errorMessage(error), cause: error }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const value = settled?.value ?? null;
  if (settled === null || settled.load !== load || settled.attempt !== attempt) return { value, status: 'loading', error: null, cause: null, reload };
  return { value, status: settled.error === null ? 'loaded' : 'failed', error: settled.error, cause: settled.cause, reload };
}
