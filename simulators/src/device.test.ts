import { describe, expect, it } from 'vitest';
import { readingInputSchema, type ReadingInput } from '@chairside/shared';
import { createDevice } from './device';
import { empiricalPatientFactory } from './patient-model';
import { defaultNibpIntervalsSec, defaultSessionSchedule } from './session-cycle';
import { createSimulation, type Simulation, type SimulationOptions } from './simulation';
import { createFakeIngest, createManualClock, type FakeIngest, type ManualClock } from './testing/fake-ingest';

const t0 = Date.parse('2026-11-22T08:00:00.000Z');

interface Rig {
  clock: ManualClock;
  ingest: FakeIngest;
  simulation: Simulation;
  /** Ticks every `stepMs` from the current time up to and including `untilMs`. */
  runUntil(untilMs: number, stepMs?: number): Promise<void>;
  sentReadings(): ReadingInput[];
}

function rig(options: Partial<SimulationOptions> = {}): Rig {
  const clock = createManualClock(t0);
  const ingest = createFakeIngest(clock);
  const simulation = createSimulation({
    baseUrl: 'http://127.0.0.1:3999',
    token: 'device-token',
    chairIds: ['chair-1'],
    speed: 1,
    seed: 42,
    clock,
    fetch: ingest.fetch,
    ...options,
  });
  return {
    clock,
    ingest,
    simulation,
    async runUntil(untilMs, stepMs = 1_000) {
      for (let t = clock.now(); t <= untilMs; t += stepMs) {
        clock.set(t);
        await simulation.tick(t);
      }
    },
    sentReadings: () => ingest.requests.flatMap((r) => r.readings),
  };
}

const isNibp = (r: ReadingInput): boolean => r.systolic !== undefined;
/** Seconds after the start at which a reading was measured. */
const offsetSec = (r: ReadingInput): number => (Date.parse(r.measuredAt) - t0) / 1000;
const min = 60;

describe('NIBP cadence (one chair starting with a patient sitting down)', () => {
  it('at speed 1: 2 baseline BPs 5 min apart, every 5 min in treatment, every 15 min in observation', async () => {
    const { runUntil, ingest } = rig({ speed: 1 });
    await runUntil(t0 + 115 * min * 1000, 5_000);
    const nibp = [...ingest.stored.values()].filter(isNibp).map(offsetSec);
    expect(nibp.map((s) => s / min)).toEqual([
      2, 7, // baseline
      10, 15, 20, 25, 30, 35, 40, 45, // treatment (infusion 10–50 min)
      50, 65, 80, 95, 110, // observation (50–110 min)
    ]);
  });

  it('at speed 10: the same protocol in a tenth of the real time (treatment BP every 30 s)', async () => {
    const { runUntil, ingest } = rig({ speed: 10 });
    await runUntil(t0 + 11.5 * min * 1000, 1_000);
    const nibp = [...ingest.stored.values()].filter(isNibp).map(offsetSec);
    expect(nibp).toEqual([12, 42, 60, 90, 120, 150, 180, 210, 240, 270, 300, 390, 480, 570, 660]);
  });

  it('honours other NIBP intervals', async () => {
    const { runUntil, ingest } = rig({ speed: 10, nibpIntervalSec: { treatment: 180 } });
    await runUntil(t0 + 5 * min * 1000, 1_000);
    const treatment = [...ingest.stored.values()].filter(isNibp).map(offsetSec).filter((s) => s >= 60 && s < 300);
    expect(treatment).toEqual([60, 78, 96, 114, 132, 150, 168, 186, 204, 222, 240, 258, 276, 294]);
  });
});

describe('HR, SpO₂ and RR', () => {
  it('are measured every 5 real seconds while a patient is in the chair, not while it is empty', async () => {
    const { runUntil, ingest } = rig({ speed: 10 });
    await runUntil(t0 + 11.5 * min * 1000, 1_000);
    const vitals = [...ingest.stored.values()].filter((r) => r.heartRate !== undefined).map(offsetSec);
    // The visit ends at 660 s (110 patient min); the next patient sits down at 690 s.
    expect(vitals.filter((s) => s <= 660)).toEqual(Array.from({ length: 133 }, (_, i) => i * 5));
    expect(vitals.filter((s) => s > 660 && s < 690)).toEqual([]);
    expect(vitals).toContain(690);
  });
});

describe('what goes over the wire', () => {
  it('posts valid readings with the device token, never timestamped in the future', async () => {
    const { runUntil, ingest } = rig({ speed: 10, chairIds: ['chair-1', 'chair-2', 'chair-3'] });
    await runUntil(t0 + 12 * min * 1000, 1_000);
    expect(ingest.requests.length).toBeGreaterThan(100);
    for (const request of ingest.requests) {
      expect(request.url).toBe('http://127.0.0.1:3999/api/v1/readings');
      expect(request.method).toBe('POST');
      expect(request.headers.authorization).toBe('Bearer device-token');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.readings.length).toBeGreaterThan(0);
      expect(request.readings.length).toBeLessThanOrEqual(1000);
      for (const reading of request.readings) {
        expect(readingInputSchema.safeParse(reading).error).toBeUndefined();
        expect(reading.source).toBe('simulator');
        expect(Date.parse(reading.measuredAt)).toBeLessThanOrEqual(request.sentAtMs);
        expect(reading.measuredAt).toMatch(/(Z|[+-]\d\d:\d\d)$/);
      }
    }
    const ids = ingest.requests.flatMap((r) => r.readings.map((x) => x.id));
    expect(new Set(ids).size).toBe(ids.length);
    const chairs = new Set([...ingest.stored.values()].map((r) => r.chairId));
    expect(chairs).toEqual(new Set(['chair-1', 'chair-2', 'chair-3']));
  });

  it('shows a rising blood pressure during the infusion for the run’s patients', async () => {
    const { runUntil, ingest } = rig({ speed: 10, chairIds: ['chair-1'] });
    await runUntil(t0 + 6 * min * 1000, 1_000);
    const nibp = [...ingest.stored.values()].filter(isNibp);
    const baseline = nibp.filter((r) => offsetSec(r) < 60).map((r) => r.systolic ?? 0);
    const nearPeak = nibp.filter((r) => offsetSec(r) >= 210 && offsetSec(r) <= 300).map((r) => r.systolic ?? 0);
    const avg = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(baseline).toHaveLength(2);
    expect(avg(nearPeak)).toBeGreaterThan(avg(baseline));
  });

  it('replays the same values from the same seed, and other values from another seed', async () => {
    const values = async (seed: number): Promise<number[]> => {
      const { runUntil, ingest } = rig({ speed: 10, seed, chairIds: ['chair-1', 'chair-2'] });
      await runUntil(t0 + 4 * min * 1000, 1_000);
      return [...ingest.stored.values()].flatMap((r) => [r.systolic ?? -1, r.heartRate ?? -1, r.spo2 ?? -1]);
    };
    const first = await values(7);
    expect(await values(7)).toEqual(first);
    expect(await values(8)).not.toEqual(first);
  });

  it('staggers chairs so that a grid shows different phases', () => {
    const { simulation } = rig({ chairIds: ['chair-1', 'chair-2', 'chair-3', 'chair-4', 'chair-5', 'chair-6'] });
    const phases = Object.values(simulation.moments(t0)).map((m) => m.phase);
    expect(phases[0]).toBe('baseline');
    expect(new Set(phases).size).toBeGreaterThanOrEqual(3);
  });
});

describe('failures and retries', () => {
  it('resends the very same request after a failed POST and loses nothing', async () => {
    const { runUntil, ingest, simulation, clock } = rig({ speed: 10 });
    await runUntil(t0 + 10_000, 1_000);
    const before = ingest.requests.length;
    ingest.failNext({ kind: 'status', status: 503 }, { kind: 'network' });
    await runUntil(t0 + 120_000, 1_000);

    const failed = ingest.requests[before];
    const retry = ingest.requests[before + 1];
    const retry2 = ingest.requests[before + 2];
    expect(failed?.answer).toBe(503);
    expect(retry?.answer).toBe('network');
    expect(retry?.body).toBe(failed?.body);
    expect(retry2?.body).toBe(failed?.body);
    expect(retry2?.answer).toBe(201);
    // Backoff: the retries did not come on the next ticks.
    expect((retry?.sentAtMs ?? 0) - (failed?.sentAtMs ?? 0)).toBeGreaterThanOrEqual(500);

    const stats = simulation.stats();
    expect(stats.failedPosts).toBe(2);
    expect(stats.pending).toBe(0);
    expect(stats.sent).toBe(stats.generated);
    expect(ingest.stored.size).toBe(stats.generated);
    expect(ingest.duplicates).toBe(0);
    expect(clock.now()).toBe(t0 + 120_000);
  });

  it('stores a reading once when the answer was lost and the request was retried', async () => {
    const { runUntil, ingest, simulation } = rig({ speed: 10 });
    await runUntil(t0 + 10_000, 1_000);
    ingest.failNext({ kind: 'lost-answer' });
    await runUntil(t0 + 60_000, 1_000);
    const lost = ingest.requests.find((r) => r.answer === 201 && ingest.requests.filter((x) => x.body === r.body).length === 2);
    expect(lost).toBeDefined();
    expect(ingest.duplicates).toBe(lost?.readings.length);
    expect(ingest.stored.size).toBe(simulation.stats().generated);
    expect(simulation.stats().sent).toBe(simulation.stats().generated);
  });

  it('keeps measuring during an outage and delivers everything, in order, when the server is back', async () => {
    const { runUntil, ingest, simulation } = rig({ speed: 10, tuning: { retry: { initialMs: 1_000, maxMs: 4_000, factor: 2 } } });
    ingest.rule = () => ({ kind: 'status', status: 503, retryAfterSec: 1 });
    await runUntil(t0 + 60_000, 1_000);
    const during = simulation.stats();
    expect(during.sent).toBe(0);
    expect(during.pending).toBe(during.generated);
    expect(during.generated).toBeGreaterThan(10);
    // Never hammered: about one attempt per backoff period, not one per tick.
    expect(ingest.requests.length).toBeLessThan(30);

    ingest.rule = null;
    await runUntil(t0 + 70_000, 1_000);
    const after = simulation.stats();
    expect(after.pending).toBe(0);
    expect(ingest.stored.size).toBe(after.generated);
    const times = [...ingest.stored.values()].map((r) => Date.parse(r.measuredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('splits a batch the server finds too large (413) without losing readings', async () => {
    const { runUntil, ingest, simulation } = rig({ speed: 10, tuning: { retry: { initialMs: 1_000, maxMs: 1_000, factor: 1 } } });
    ingest.rule = () => ({ kind: 'status', status: 503 });
    await runUntil(t0 + 30_000, 1_000);
    ingest.rule = (readings) => (readings.length > 2 ? { kind: 'status', status: 413 } : null);
    await runUntil(t0 + 40_000, 1_000);
    expect(simulation.stats().pending).toBe(0);
    expect(ingest.stored.size).toBe(simulation.stats().generated);
    expect(simulation.stats().rejected).toBe(0);
  });

  it('does not retry a request the server refuses for good (400) and counts it', async () => {
    const { runUntil, ingest, simulation } = rig({ speed: 10 });
    await runUntil(t0 + 5_000, 1_000);
    ingest.failNext({ kind: 'status', status: 400 });
    await runUntil(t0 + 30_000, 1_000);
    const refused = ingest.requests.find((r) => r.answer === 400);
    expect(refused).toBeDefined();
    expect(ingest.requests.filter((r) => r.body === refused?.body)).toHaveLength(1);
    const stats = simulation.stats();
    expect(stats.rejected).toBe(refused?.readings.length);
    expect(stats.sent + stats.rejected).toBe(stats.generated);
  });

  it('bounds the outbox during a long outage, dropping the oldest first', async () => {
    const { runUntil, ingest, simulation } = rig({ speed: 10, tuning: { maxOutbox: 10 } });
    ingest.rule = () => ({ kind: 'network' });
    await runUntil(t0 + 120_000, 1_000);
    const stats = simulation.stats();
    expect(stats.pending).toBeLessThanOrEqual(10);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.pending + stats.dropped).toBe(stats.generated);
  });
});

describe('stopping', () => {
  it('sends what is pending, then nothing more', async () => {
    const { runUntil, ingest, simulation, clock } = rig({ speed: 10 });
    ingest.rule = () => ({ kind: 'status', status: 503 });
    await runUntil(t0 + 20_000, 1_000);
    expect(simulation.stats().pending).toBeGreaterThan(0);
    ingest.rule = null;
    await simulation.stop();
    expect(simulation.stats().pending).toBe(0);
    expect(ingest.stored.size).toBe(simulation.stats().generated);

    const count = ingest.requests.length;
    clock.advance(60_000);
    await simulation.tick(clock.now());
    expect(ingest.requests.length).toBe(count);
    expect(simulation.stats().generated).toBe(ingest.stored.size);
  });

  it('abandons a request that hangs, after the grace period', async () => {
    const clock = createManualClock(t0);
    let aborted = false;
    const simulation = createSimulation({
      baseUrl: 'http://127.0.0.1:3999',
      token: 't',
      chairIds: ['chair-1'],
      speed: 1,
      seed: 1,
      clock,
      stopGraceMs: 50,
      fetch: (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new DOMException('aborted', 'AbortError'));
          });
        }),
    });
    void simulation.tick(t0);
    const started = performance.now();
    await simulation.stop();
    expect(aborted).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(simulation.stats().pending).toBeGreaterThan(0);
  });

  it('a closed device measures and sends nothing more', async () => {
    const clock = createManualClock(t0);
    const ingest = createFakeIngest(clock);
    const device = createDevice({
      chairId: 'chair-1',
      baseUrl: 'http://127.0.0.1:3999',
      token: 't',
      fetch: ingest.fetch,
      clock,
      speed: 10,
      seed: 1,
      startMs: t0,
      startChairSec: 0,
      schedule: defaultSessionSchedule,
      nibpIntervalsSec: defaultNibpIntervalsSec,
      vitalsIntervalMs: 5_000,
      patientFactory: empiricalPatientFactory,
    });
    expect(device.collect(t0 + 20_000).length).toBeGreaterThan(0);
    await device.close(1_000);
    expect(device.stats().sent).toBe(device.stats().generated);
    expect(device.collect(t0 + 60_000)).toEqual([]);
    await device.flush();
    expect(ingest.requests).toHaveLength(1);
  });
});
