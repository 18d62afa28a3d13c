import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { defaultHistoryLimits } from '../../store/reading-history';
import { useAppStore, useAppStoreApi } from '../../store/store-context';
import { takePrefetchedTrend } from './trend-prefetch';

export interface HistorySlice {
  fromMs: number;
  /** Exclusive; null for the newest slice (whatever the server holds from `fromMs` on). */
  toMs: number | null;
}

/**
 * The requests that load a chair's last `windowMs`, newest first: the period on screen in one go
 * (the chart is complete after the first answer), then the rest in `sliceMs` steps, so no answer
 * is larger than a few MB to parse and the page stays responsive while the rest arrives.
 */
export function historySlices(nowMs: number, firstMs: number, windowMs: number, sliceMs: number): HistorySlice[] {
  const startMs = nowMs - windowMs;
  const slices: HistorySlice[] = [{ fromMs: Math.max(startMs, nowMs - firstMs), toMs: null }];
  for (let toMs = nowMs - firstMs; toMs > startMs; toMs -= sliceMs) slices.push({ fromMs: Math.max(startMs, toMs - sliceMs), toMs });
  return slices;
}

export interface HistoryLoad {
  /** `loading` until the first slice (the period on screen) arrived. */
  status: 'loading' | 'loaded' | 'failed';
  error: string | null;
  retry: () => void;
  /** The server's readings from this instant on are in the store (epoch ms); null before the first slice. */
  loadedFromMs: number | null;
  /** The server's trend from this instant on is in the store (epoch ms); null until it arrived. */
  trendFromMs: number | null;
}

/** An hour of 1 Hz readings is about 1.2 MB: parsed in a few ms, never a long task. */
const sliceMs = 60 * 60 * 1000;

/**
 * While the chair's page is open: holds its readings at full resolution in the store (`focus`, for
 * the readings table) and loads its last 12 h from the server. First the trend at display
 * resolution (tens of kB however many readings), the first `firstSliceMs` (the period on screen)
 * first, so the chart is complete at once; then the readings themselves for the table, again the
 * first `firstSliceMs` first. Should the trend fail, the readings fill it in as they arrive.
 */
export function useChairHistory(chairId: string, firstSliceMs: number): HistoryLoad {
  const { api, clock } = useServices();
  const store = useAppStoreApi();
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<{ key: string; error: string } | null>(null);
  const [trendFrom, setTrendFrom] = useState<{ key: string; fromMs: number } | null>(null);
  const key = `${chairId}#${attempt}`;
  const loadedFromMs = useAppStore((s) => (s.focus?.chairId === chairId ? s.focus.loadedFromMs : null));

  useEffect(() => {
    store.getState().focusOpened(chairId);
    return () => store.getState().focusClosed(chairId);
  }, [store, chairId]);

  useEffect(() => {
    let cancelled = false;
    const nowMs = clock.now();
    const slices = historySlices(nowMs, firstSliceMs, defaultHistoryLimits.windowMs, sliceMs);
    // The trend in two requests: the period on screen (asked for on the tap that opened the page,
    // if it was), then the rest of the 12 h for a longer period.
    const prefetched = takePrefetchedTrend(api, chairId, nowMs);
    const trendParts = historySlices(prefetched?.askedAtMs ?? nowMs, firstSliceMs, defaultHistoryLimits.windowMs, defaultHistoryLimits.windowMs);
    const load = async () => {
      try {
        for (const [i, part] of trendParts.entries()) {
          const query = { from: new Date(part.fromMs).toISOString(), ...(part.toMs === null ? {} : { to: new Date(part.toMs).toISOString() }), bucketMs: defaultHistoryLimits.bucketMs };
          const trend = await (i === 0 && prefetched !== null ? prefetched.trend : api.chairTrend(chairId, query));
          if (cancelled) return;
          if (trend.bucketMs !== defaultHistoryLimits.bucketMs) break;
          store.getState().trendLoaded(chairId, trend.buckets);
          setTrendFrom({ key, fromMs: part.fromMs });
        }
      } catch {
        if (cancelled) return;
        // The readings below fill the trend in; their failure is the one shown.
      }
      for (const slice of slices) {
        const readings = await api.chairReadings(chairId, {
          from: new Date(slice.fromMs).toISOString(),
          ...(slice.toMs === null ? {} : { to: new Date(slice.toMs).toISOString() }),
        });
        if (cancelled) return;
        store.getState().historyLoaded(chairId, readings, slice.fromMs);
      }
    };
    load().catch((error: unknown) => {
      if (!cancelled) setFailure({ key, error: errorMessage(error) });
    });
    return () => {
      cancelled = true;
    };
  }, [api, clock, store, chairId, firstSliceMs, key]);

  const retry = () => setAttempt((n) => n + 1);
  const trendFromMs = trendFrom !== null && trendFrom.key === key ? trendFrom.fromMs : null;
  if (failure !== null && failure.key === key) return { status: 'failed', error: failure.error, retry, loadedFromMs, trendFromMs };
  return { status: loadedFromMs === null && trendFromMs === null ? 'loading' : 'loaded', error: null, retry, loadedFromMs, trendFromMs };
}
