import { useSyncExternalStore } from 'react';
import { useServices } from '../app-services';
import type { Clock } from '../clock';

/** One timer per clock and interval, however many components show the time. */
interface Ticker {
  subscribe(listener: () => void): () => void;
  now(): number;
  /** While no one listens the time stands still: read it afresh for a component about to show it. */
  refreshIfIdle(): void;
}

function createTicker(clock: Clock, intervalMs: number): Ticker {
  let now = clock.now();
  let timer: ReturnType<typeof setInterval> | null = null;
  const listeners = new Set<() => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (timer === null) {
        now = clock.now();
        timer = setInterval(() => {
          now = clock.now();
          for (const notify of listeners) notify();
        }, intervalMs);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== null) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
    now: () => now,
    refreshIfIdle() {
      if (timer === null) now = clock.now();
    },
  };
}

const tickers = new WeakMap<Clock, Map<number, Ticker>>();

function tickerFor(clock: Clock, intervalMs: number): Ticker {
  let byInterval = tickers.get(clock);
  if (byInterval === undefined) {
    byInterval = new Map();
    tickers.set(clock, byInterval);
  }
  let ticker = byInterval.get(intervalMs);
  if (ticker === undefined) {
    ticker = createTicker(clock, intervalMs);
    byInterval.set(intervalMs, ticker);
  }
  return ticker;
}

/**
 * The current time from the app's clock, refreshed every `intervalMs` (ages tick, staleness shows).
 * Every component asking for the same interval shares one timer, so 48 tiles re-render together in
 * one pass a second instead of one by one.
 */
export function useNow(intervalMs: number): number {
  const { clock } = useServices();
  const ticker = tickerFor(clock, intervalMs);
  ticker.refreshIfIdle();
  return useSyncExternalStore(ticker.subscribe, ticker.now);
}
