import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/api-error';

type Settled<T> = { key: string; status: 'loaded'; value: T } | { key: string; status: 'failed'; error: string };

export interface LoadResult<T> {
  /** The answer for the current key; null while it loads or when it failed. */
  value: T | null;
  /** The newest answer of any key: stays on screen while the next one loads (no flicker while paging). */
  last: T | null;
  status: 'loading' | 'loaded' | 'failed';
  error: string | null;
  retry: () => void;
}

/**
 * Loads `load()` whenever `key` changes (the key names everything the load depends on; `load` must be
 * stable for a key, e.g. from useCallback). An answer for an older key is dropped.
 */
export function useLoad<T>(key: string, load: () => Promise<T>): LoadResult<T> {
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);
  const [last, setLast] = useState<T | null>(null);
  const fullKey = `${key}#${attempt}`;

  useEffect(() => {
    let cancelled = false;
    load().then(
      (value) => {
        if (cancelled) return;
        setSettled({ key: fullKey, status: 'loaded', value });
        setLast(value);
      },
      (error: unknown) => {
        if (!cancelled) setSettled({ key: fullKey, status: 'failed', error: errorMessage(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, fullKey]);

  const retry = () => setAttempt((n) => n + 1);
  if (settled === null || settled.key !== fullKey) return { value: null, last, status: 'loading', error: null, retry };
  if (settled.status === 'failed') return { value: null, last, status: 'failed', error: settled.error, retry };
  return { value: settled.value, last: settled.value, status: 'loaded', error: null, retry };
}
