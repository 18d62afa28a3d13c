/**
 * Measures the event loop of the server under test (it runs in the test's own process) while a load
 * runs: `/api/health` asked every 50 ms, and perf_hooks' event-loop delay.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** The worst /api/health latency and event-loop delay the load tests allow. */
export const worstAllowedMs = 500;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Sampled {
  samples: number;
  worstMs: number;
  p50Ms: number;
  /** The event loop's longest delay meanwhile (perf_hooks), in ms. */
  loopDelayMaxMs: number;
}

/** Asks `/api/health` every 50 ms until stopped. */
export function sampleHealth(url: string): { stop(): Promise<Sampled> } {
  const latencies: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let running = true;
  // Each sample is due 50 ms after the previous one was; its latency counts from when it was due, so
  // that a stalled event loop (which also delays the sampler) shows as the wait it caused.
  const loop = (async () => {
    let due = performance.now();
    while (running) {
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      latencies.push(performance.now() - due);
      due = Math.max(due + 50, performance.now());
      await sleep(due - performance.now());
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      delay.disable();
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        samples: sorted.length,
        worstMs: Math.round(sorted.at(-1) ?? 0),
        p50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
        loopDelayMaxMs: Math.round(delay.max / 1e6),
      };
    },
  };
}
