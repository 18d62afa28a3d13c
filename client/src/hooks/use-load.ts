import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/api-error';

export interface Load<T> {
  /** The newest answer of any request: stays on screen while the next one loads, or after it failed (no flicker while paging). */
  value: T | null;
  /** The answer to the current request; null while it loads or when it failed. */
  answer: T | null;
  status: 'loading' | 'loaded' | 'failed';
  error: string | null;
  /** The failure itself (an ApiError with field details), when the load failed. */
  cause: unknown;
  /** Loads again (a retry button, a live change); the same function on every render. */
  reload: () => void;
}

interface Settled<T> {
  request: unknown;
  attempt: number;
  value: T | null;
  error: string | null;
  cause: unknown;
}

/**
 * Loads `load()` on mount, whenever the request changes and on reload(). The request is `key` when
 * given (a string naming everything the load depends on), else `load` itself (make it with
 * useCallback). An answer to an older request is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, key?: string): Load<T> {
  const request: unknown = key ?? load;
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);

  useEffect(() => {
    let cancelled = false;
    load().then(
      (value) => {
        if (!cancelled) setSettled({ request, attempt, value, error: null, cause: null });
      },
      (error: unknown) => {
        if (!cancelled) setSettled((s) => ({ request, attempt, value: s?.value ?? null, error: errorMessage(error), cause: error }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, request, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const value = settled?.value ?? null;
  if (settled === null || settled.request !== request || settled.attempt !== attempt) return { value, answer: null, status: 'loading', error: null, cause: null, reload };
  if (settled.error !== null) return { value, answer: null, status: 'failed', error: settled.error, cause: settled.cause, reload };
  return { value, answer: value, status: 'loaded', error: null, cause: null, reload };
}
