/**
 * Runs simulated monitors on N chairs against the public ingest API. `createSimulation` holds the
 * logic and is driven by `tick(nowMs)` (tests use a fake clock); `startSimulation` adds the timer
 * that calls `tick` with the injected clock's time.
 */
import { z } from 'zod';
import { idSchema } from '@chairside/shared';
import {
  createDevice,
  silentLogger,
  type Clock,
  type DeviceStats,
  type DeviceTuning,
  type FetchLike,
  type Logger,
  type PhaseChange,
  type SimulatedDevice,
} from './device';
import { empiricalPatientFactory, type PatientFactory } from './patient-model';
import { deriveSeed } from './random';
import {
  defaultNibpIntervalsSec,
  defaultSessionSchedule,
  staggeredStartsSec,
  type ChairMoment,
  type NibpIntervals,
  type SessionSchedule,
} from './session-cycle';

export interface SimulationOptions {
  /** Server origin, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** Device token for `Authorization: Bearer <token>`. */
  token: string;
  /** Chairs to simulate; they must exist on the server. */
  chairIds: readonly string[];
  /** Patient time per real time: 10 plays a 40-min infusion in 4 real minutes. */
  speed: number;
  /** Everything random in the run flows from this seed (32-bit unsigned integer). */
  seed: number;
  clock: Clock;
  fetch: FetchLike;
  /** Real ms between HR/SpO₂/RR readings. Default 5000. */
  vitalsIntervalMs?: number;
  /** Seconds of patient time between NIBP readings, per phase. Default baseline 300, treatment 300, observation 900. */
  nibpIntervalSec?: Partial<NibpIntervals>;
  logger?: Logger;
  /** Durations of a visit in patient seconds. Default 10 min baseline, 40 min treatment, 60 min observation, 5 min gap. */
  schedule?: Partial<SessionSchedule>;
  /** The patient model. Default: `empiricalPatientFactory`. */
  patientFactory?: PatientFactory;
  /** Real ms between two ticks of `startSimulation`. Default min(1000, vitalsIntervalMs). */
  tickMs?: number;
  /** How long `stop()` waits for in-flight and final POSTs before abandoning them. Default 2000. */
  stopGraceMs?: number;
  /** Told when a chair changes phase (and once per chair at the first tick). */
  onPhaseChange?: (change: PhaseChange) => void;
  /** Outbox size, batch size, retry policy, request timeout. */
  tuning?: Partial<DeviceTuning>;
}

/** Totals over all chairs. */
export type SimulationStats = DeviceStats & { chairs: number };

export interface Simulation {
  readonly chairIds: readonly string[];
  /** Real epoch ms at which the simulation started (patient time 0). */
  readonly startMs: number;
  /**
   * Measures everything due by `nowMs` on every chair and sends it. Resolves when this round of
   * sending has settled (delivered, or failed and waiting for its retry); never rejects.
   */
  tick(nowMs: number): Promise<void>;
  /** Where each chair is at `nowMs`. */
  moments(nowMs: number): Record<string, ChairMoment>;
  stats(): SimulationStats;
  /** Stops measuring, lets in-flight POSTs finish (up to `stopGraceMs`), tries a last send, then abandons. */
  stop(): Promise<void>;
}

export interface RunningSimulation {
  stop(): Promise<void>;
  stats(): SimulationStats;
}

const positive = z.number().positive().finite();

const simulationOptionsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }),
  token: z.string().min(1, 'token is required'),
  chairIds: z
    .array(idSchema)
    .min(1, 'give at least one chair')
    .refine((ids) => new Set(ids).size === ids.length, 'chairIds must be unique'),
  speed: positive.max(10_000),
  seed: z.number().int().min(0).max(0xffffffff),
  vitalsIntervalMs: positive.min(10).optional(),
  nibpIntervalSec: z.object({ baseline: positive, treatment: positive, observation: positive }).partial().optional(),
  tickMs: positive.min(1).optional(),
  stopGraceMs: z.number().min(0).finite().optional(),
  schedule: z
    .object({
      baselineSec: positive,
      treatmentSec: positive,
      observationSec: positive,
      gapSec: z.number().min(0).finite(),
      firstBaselineNibpSec: z.number().min(0).finite(),
    })
    .partial()
    .optional(),
});

export function createSimulation(options: SimulationOptions): Simulation {
  const checked = simulationOptionsSchema.safeParse(options);
  if (!checked.success) throw new Error(`invalid simulation options: ${z.prettifyError(checked.error)}`);

  const schedule: SessionSchedule = { ...defaultSessionSchedule, ...options.schedule };
  const nibpIntervalsSec: NibpIntervals = { ...defaultNibpIntervalsSec, ...options.nibpIntervalSec };
  const vitalsIntervalMs = options.vitalsIntervalMs ?? 5_000;
  const stopGraceMs = options.stopGraceMs ?? 2_000;
  const startMs = options.clock.now();
  const starts = staggeredStartsSec(schedule, options.chairIds.length);

  const devices: SimulatedDevice[] = options.chairIds.map((chairId, i) =>
    createDevice({
      chairId,
      baseUrl: options.baseUrl,
      token: options.token,
      fetch: options.fetch,
      clock: options.clock,
      speed: options.speed,
      seed: deriveSeed(options.seed, 'chair', chairId),
      startMs,
      startChairSec: starts[i] ?? 0,
      schedule,
      nibpIntervalsSec,
      vitalsIntervalMs,
      patientFactory: options.patientFactory ?? empiricalPatientFactory,
      logger: options.logger ?? silentLogger,
      onPhaseChange: options.onPhaseChange,
      tuning: options.tuning,
    }),
  );

  let stopping: Promise<void> | null = null;

  return {
    chairIds: [...options.chairIds],
    startMs,
    async tick(nowMs) {
      if (stopping !== null) return;
      for (const device of devices) device.collect(nowMs);
      await Promise.all(devices.map((device) => device.flush()));
    },
    moments(nowMs) {
      return Object.fromEntries(devices.map((device) => [device.chairId, device.momentAt(nowMs)]));
    },
    stats() {
      const total: SimulationStats = { chairs: devices.length, generated: 0, sent: 0, failedPosts: 0, rejected: 0, dropped: 0, pending: 0 };
      for (const device of devices) {
        const s = device.stats();
        total.generated += s.generated;
        total.sent += s.sent;
        total.failedPosts += s.failedPosts;
        total.rejected += s.rejected;
        total.dropped += s.dropped;
        total.pending += s.pending;
      }
      return total;
    },
    stop() {
      stopping ??= Promise.all(devices.map((device) => device.close(stopGraceMs))).then(() => undefined);
      return stopping;
    },
  };
}

/**
 * Starts the simulation: ticks every `tickMs` of real time with `clock.now()`. `stop()` clears the
 * timer, then stops the devices (see `Simulation.stop`); after it resolves nothing more is sent.
 */
export function startSimulation(options: SimulationOptions): RunningSimulation {
  const simulation = createSimulation(options);
  const tickMs = options.tickMs ?? Math.min(1_000, options.vitalsIntervalMs ?? 5_000);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = true;

  const loop = (): void => {
    if (!running) return;
    // Not awaited: a slow server must not delay measuring; each device sends one request at a time.
    void simulation.tick(options.clock.now());
    timer = setTimeout(loop, tickMs);
  };
  loop();

  return {
    stats: () => simulation.stats(),
    async stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      await simulation.stop();
    },
  };
}
