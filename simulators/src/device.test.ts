import { describe, expect, it } from 'vitest';
import { readingInputSchema, type ReadingInput } from '@chairside/shared';
import { createDevice } from './device';
import { quietMonitorBehaviour } from './monitor';
import { empiricalPatientFactory } from './patient-model';
import { defaultNibpIntervalsSec, defaultSessionSchedule } from './session-cycle';
import { createSimulation, type Simulation, type SimulationOptions } from './simulation';
import { createFakeIngest, createManualClock, type FakeIngest, type ManualClock } from './testing/fake-ingest';
import { createSimRig, longestRunSec } from './testing/sim-rig';

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
  /** Scheduled cycle starts of one visit, in patient minutes. */
  const scheduledMin = [
    2, 7, // baseline
    10, 15, 20, 25, 30, 35, 40, 45, // treatment (infusion 10–50 min)
    50, 65, 80, 95, 110, // observation (50–110 min)
  ];

  it('at speed 1: cycles start on the protocol schedule and each reading is timed when its 30–40 s cycle ends', async () => {
    const { runUntil, ingest } = rig({ speed: 1, monitor: quietMonitorBehaviour });
    await runUntil(t0 + 115 * min * 1000, 5_000);
    const nibp = [...ingest.stored.values()].filter(isNibp).map(offsetSec);
    expect(nibp).toHaveLength(scheduledMin.length);
    nibp.slice(0, -1).forEach((sec, i) => {
      const lag = sec - (scheduledMin[i] ?? 0) * min;
      expect(lag).toBeGreaterThanOrEqual(30);
      expect(lag).toBeLessThanOrEqual(40);
    });
    // The last one is started early enough to end with the visit, before the patient leaves.
    expect(nibp.at(-1)).toBeLessThanOrEqual(110 * min);
    expect(nibp.at(-1)).toBeGreaterThanOrEqual(110 * min - 40);
  });

  it('at speed 10: the same protocol in a tenth of the real time (treatment BP every 30 s, cycles of 3–4 s)', async () => {
    const { runUntil, ingest } = rig({ speed: 10, monitor: quietMonitorBehaviour });
    await runUntil(t0 + 11.5 * min * 1000, 1_000);
    const nibp = [...ingest.stored.values()].filter(isNibp).map(offsetSec);
    expect(nibp).toHaveLength(scheduledMin.length);
    nibp.slice(0, -1).forEach((sec, i) => {
      const lag = sec - ((scheduledMin[i] ?? 0) * min) / 10;
      expect(lag).toBeGreaterThanOrEqual(3);
      expect(lag).toBeLessThanOrEqual(4);
    });
  });

  it('honours other NIBP intervals', async () => {
    const { runUntil, ingest } = rig({ speed: 10, nibpIntervalSec: { treatment: 180 }, monitor: quietMonitorBehaviour });
    await runUntil(t0 + 5 * min * 1000, 1_000);
    const treatment = [...ingest.stored.values()].filter(isNibp).map(offsetSec).filter((s) => s >= 60 && s < 300);
    expect(treatment.map((s) => Math.floor(s))).toEqual([63, 81, 99, 117, 135, 153, 171, 189, 207, 225, 243, 261, 279, 297]);
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

describe('monitor behaviour', () => {
  const slotsMin = [2, 7, 10, 15, 20, 25, 30, 35, 40, 45, 50, 65, 80, 95, 110];

  it('a cuff that always fails yields no reading, and retries each cycle twice about a minute apart', async () => {
    const rig = createSimRig({ speed: 10, monitor: { ...quietMonitorBehaviour, cuffFailureProbability: 1 } });
    await rig.runUntil(t0 + 11.5 * min * 1000, 1_000);
    expect(rig.stored().filter(isNibp)).toEqual([]);
    const failures = rig.events.filter((e) => e.kind === 'cuff-failed').map((e) => ((Date.parse(e.at) - t0) / 1000) * 10);
    // 3 cycles per scheduled reading, except where the next one is due first (7 min: the infusion
    // starts at 10) or the visit ends (110 min).
    expect(failures).toHaveLength(13 * 3 + 2 + 1);
    const visitEnd = 110 * 60;
    const bySlot = slotsMin.map((m, i) =>
      i === slotsMin.length - 1
        ? failures.filter((t) => t >= visitEnd - 1) // started early so as to end with the visit
        : failures.filter((t) => t < visitEnd - 1 && t - 30 >= m * 60 - 1 && t - 30 < (slotsMin[i + 1] ?? 0) * 60 - 1),
    );
    expect(bySlot.map((f) => f.length)).toEqual([3, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1]);
    bySlot.forEach((times, i) => {
      if (i < slotsMin.length - 1) {
        expect((times[0] ?? 0) - (slotsMin[i] ?? 0) * 60).toBeGreaterThanOrEqual(30);
        expect((times[0] ?? 0) - (slotsMin[i] ?? 0) * 60).toBeLessThanOrEqual(40);
      }
      // Next cycle: a ~60 s pause (±10 %), then a 30–40 s cycle.
      for (let k = 1; k < times.length; k++) {
        const gap = (times[k] ?? 0) - (times[k - 1] ?? 0);
        expect(gap).toBeGreaterThanOrEqual(54 + 30 - 1);
        expect(gap).toBeLessThanOrEqual(66 + 40 + 1);
      }
    });
  });

  it('a failed cycle is retried and its reading comes ~1.5 min late', async () => {
    const rig = createSimRig({ speed: 10, monitor: { ...quietMonitorBehaviour, cuffFailureProbability: 0.4 } });
    await rig.runUntil(t0 + 3 * 11.5 * min * 1000, 1_000);
    const cycle = 115 * 60;
    const lags = rig
      .stored()
      .filter(isNibp)
      .map((r) => (rig.offsetSec(r) * 10) % cycle)
      // The visit's last reading is started early so as to end with the visit: leave it out.
      .filter((visitSec) => visitSec < 109 * 60)
      .map((visitSec) => visitSec - Math.max(...slotsMin.map((m) => m * 60).filter((s) => s <= visitSec)));
    const onTime = lags.filter((lag) => lag >= 30 && lag <= 40).length;
    const afterOneRetry = lags.filter((lag) => lag >= 54 + 60 - 1 && lag <= 66 + 80 + 1).length;
    const afterTwoRetries = lags.filter((lag) => lag >= 2 * (54 + 30) + 30 - 1 && lag <= 2 * (66 + 40) + 40 + 1).length;
    expect(onTime).toBeGreaterThan(15);
    expect(afterOneRetry).toBeGreaterThan(3);
    expect(onTime + afterOneRetry + afterTwoRetries).toBe(lags.length);
    expect(rig.events.filter((e) => e.kind === 'cuff-failed').length).toBeGreaterThan(5);
  });

  it('SpO₂ probe off: no SpO₂ for a while (or the −1 marker), while HR goes on', async () => {
    for (const report of ['omit', 'sentinel'] as const) {
      const rig = createSimRig({ speed: 10, monitor: { ...quietMonitorBehaviour, sensorOffPerHour: 6, sensorOffReport: report } });
      await rig.runUntil(t0 + 11 * min * 1000, 1_000);
      const vitals = rig.stored().filter((r) => !isNibp(r));
      const off = vitals.filter((r) => (report === 'omit' ? r.spo2 === undefined : r.spo2 === -1));
      expect(off.length).toBeGreaterThan(0);
      for (const r of off) expect(r.heartRate).toBeGreaterThan(40);
      expect(rig.events.filter((e) => e.kind === 'sensor-off' && e.source === 'monitor').length).toBeGreaterThan(0);
      expect(off.length).toBeLessThan(vitals.length / 2);
    }
  });

  it('movement artefacts: brief HR spikes, some beyond the plausible range', async () => {
    const rig = createSimRig({ speed: 1, vitalsIntervalMs: 1_000, monitor: { ...quietMonitorBehaviour, motionArtefactsPerHour: 30 } });
    await rig.runUntil(t0 + 30 * min * 1000, 1_000);
    const vitals = rig.stored().filter((r) => !isNibp(r));
    const spikes = vitals.filter((r) => (r.heartRate ?? 0) >= 150);
    expect(spikes.length).toBeGreaterThan(5);
    expect(spikes.some((r) => (r.heartRate ?? 0) > 300)).toBe(true);
    // Each lasts a few seconds only.
    expect(longestRunSec(vitals, (r) => (r.heartRate ?? 0) >= 150)).toBeLessThanOrEqual(10);
  });

  it('random network drops: posts pause, then the outbox catches up without loss or duplicates', async () => {
    const rig = createSimRig({ speed: 10, monitor: { ...quietMonitorBehaviour, disconnectsPerHour: 4, disconnectSec: { min: 300, max: 600 } } });
    await rig.runUntil(t0 + 12 * min * 1000, 1_000);
    const drops = rig.events.filter((e) => e.kind === 'disconnect');
    expect(drops.length).toBeGreaterThan(0);
    const posts = rig.ingest.requests.map((r) => r.sentAtMs);
    for (const drop of drops) {
      const from = Date.parse(drop.at);
      const until = Date.parse(drop.until ?? drop.at);
      expect(posts.filter((t) => t > from + 1_000 && t < until - 1_000)).toEqual([]);
    }
    const stats = rig.simulation.stats();
    expect(stats.sent + stats.pending).toBe(stats.generated);
    expect(rig.ingest.duplicates).toBe(0);
    expect(rig.ingest.stored.size).toBe(stats.sent);
    // Once connected again, everything measured so far arrives.
    const last = drops.at(-1);
    if (last && Date.parse(last.until ?? '') + 2_000 < rig.clock.now()) expect(stats.pending).toBeLessThanOrEqual(1);
  });

  it('default rates: a calm clinic, nearly every scheduled BP arrives', async () => {
    const rig = createSimRig({ speed: 20, chairIds: ['chair-1', 'chair-2', 'chair-3', 'chair-4', 'chair-5', 'chair-6'] });
    await rig.runUntil(t0 + (2 * 115 * min * 1000) / 20, 1_000);
    const nibp = [...rig.ingest.stored.values()].filter(isNibp);
    // 6 chairs × 2 visits × 15 scheduled readings, minus the staggered starts: about 180.
    expect(nibp.length).toBeGreaterThan(150);
    const implausible = nibp.filter((r) => (r.systolic ?? 0) > 300 || (r.diastolic ?? 0) >= (r.systolic ?? 0));
    expect(implausible.length).toBeLessThanOrEqual(3);
  });
});
