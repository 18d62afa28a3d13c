/**
 * A simulation against the fake ingest with a hand-moved clock, for tests: run it forward, then look
 * at what the "server" stored and what the simulation reported.
 */
import type { ReadingInput } from '@chairside/shared';
import type { SimulationEvent } from '../device';
import { createSimulation, type Simulation, type SimulationOptions } from '../simulation';
import { createFakeIngest, createManualClock, type FakeIngest, type ManualClock } from './fake-ingest';

export const rigStartMs = Date.parse('2026-11-22T08:00:00.000Z');

export interface SimRig {
  clock: ManualClock;
  ingest: FakeIngest;
  simulation: Simulation;
  /** Events the simulation reported (scenario, trigger, monitor). */
  events: SimulationEvent[];
  /** Ticks every `stepMs` from the current time up to and including `untilMs`. */
  runUntil(untilMs: number, stepMs?: number): Promise<void>;
  /** Stored readings of a chair, oldest first. */
  stored(chairId?: string): ReadingInput[];
  /** Seconds after the start at which a reading was measured (real time). */
  offsetSec(reading: ReadingInput): number;
  /** Patient minutes since the chair's first patient sat down (chairs start at 0 here unless staggered). */
  patientMin(reading: ReadingInput): number;
}

export function createSimRig(options: Partial<SimulationOptions> = {}): SimRig {
  const clock = createManualClock(rigStartMs);
  const ingest = createFakeIngest(clock);
  const events: SimulationEvent[] = [];
  const speed = options.speed ?? 1;
  const simulation = createSimulation({
    baseUrl: 'http://127.0.0.1:3999',
    token: 'device-token',
    chairIds: ['chair-1'],
    speed,
    seed: 42,
    clock,
    fetch: ingest.fetch,
    onEvent: (event) => events.push(event),
    ...options,
  });
  const offsetSec = (r: ReadingInput): number => (Date.parse(r.measuredAt) - rigStartMs) / 1000;
  return {
    clock,
    ingest,
    simulation,
    events,
    async runUntil(untilMs, stepMs = 1_000) {
      for (let t = clock.now(); t <= untilMs; t += stepMs) {
        clock.set(t);
        await simulation.tick(t);
      }
    },
    stored: (chairId = 'chair-1') =>
      [...ingest.stored.values()].filter((r) => r.chairId === chairId).sort((a, b) => Date.parse(a.measuredAt) - Date.parse(b.measuredAt)),
    offsetSec,
    patientMin: (r) => (offsetSec(r) * speed) / 60,
  };
}

export const isNibp = (r: ReadingInput): boolean => r.systolic !== undefined;
export const isVitals = (r: ReadingInput): boolean => r.systolic === undefined;

/** Longest run (in real seconds, first to last reading) of consecutive readings that satisfy `test`. */
export function longestRunSec(readings: readonly ReadingInput[], test: (r: ReadingInput) => boolean): number {
  let best = 0;
  let startMs: number | null = null;
  for (const r of readings) {
    const t = Date.parse(r.measuredAt);
    if (test(r)) {
      startMs ??= t;
      best = Math.max(best, (t - startMs) / 1000);
    } else startMs = null;
  }
  return best;
}

/** Longest gap between consecutive readings, real seconds, with where it starts. */
export function longestGap(readings: readonly ReadingInput[]): { sec: number; afterMs: number } {
  let best = { sec: 0, afterMs: 0 };
  for (let i = 1; i < readings.length; i++) {
    const a = Date.parse(readings[i - 1]?.measuredAt ?? '');
    const b = Date.parse(readings[i]?.measuredAt ?? '');
    if ((b - a) / 1000 > best.sec) best = { sec: (b - a) / 1000, afterMs: a };
  }
  return best;
}
