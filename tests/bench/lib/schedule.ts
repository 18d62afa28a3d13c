import { nowMs } from './common';

/**
 * Calls `send(i)` for i = 0..count-1 as an even stream at `ratePerSec`, as many independent devices
 * produce, after a linear ramp from 0 to the full rate over `rampMs` (so connections, caches and the
 * JIT warm up without a start-up storm; the ramp carries ratePerSec × rampMs / 2000 readings).
 * Checks the clock about every millisecond and sends whatever is due, so a late timer makes a short
 * burst and the average rate holds. Resolves after the last send.
 */
export function runAtRate(
  count: number,
  ratePerSec: number,
  send: (i: number) => void,
  rampMs = 0,
): Promise<{ elapsedMs: number; maxBurst: number }> {
  const start = nowMs();
  const perMs = ratePerSec / 1000;
  const dueBy = (t: number): number => (t < rampMs ? (perMs * t * t) / (2 * rampMs) : perMs * (t - rampMs / 2));
  let next = 0;
  let maxBurst = 0;
  return new Promise((resolve) => {
    const tick = (): void => {
      const due = Math.min(count, Math.floor(dueBy(nowMs() - start)) + 1);
      maxBurst = Math.max(maxBurst, due - next);
      while (next < due) {
        send(next);
        next += 1;
      }
      if (next >= count) resolve({ elapsedMs: nowMs() - start, maxBurst });
      else setTimeout(tick, 1);
    };
    tick();
  });
}

/** Readings sent during a ramp of `rampSec` up to `ratePerSec`. */
export function rampCount(ratePerSec: number, rampSec: number): number {
  return Math.round((ratePerSec * rampSec) / 2);
}
