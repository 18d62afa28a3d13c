/**
 * Runs simulated monitors on N chairs against the public ingest API (default), or as HL7 v2 bedside
 * monitors against the server's MLLP listener (`transport: { kind: 'mllp', … }`). `createSimulation` holds the
 * logic and is driven by `tick(nowMs)` (tests use a fake clock); `startSimulation` adds the timer
 * that calls `tick` with the injected clock's time.
 *
 * Patients: by default each chair gets a profile of the demo mix (`defaultDemoMix` in profiles.ts)
 * driven by the ketamine PK model; `chairProfiles` or `patientFactory` change that. Scenarios
 * (`scenario` option, `applyScenario`) and `trigger` add scripted events on chosen chairs.
 */
import { z } from 'zod';
import { idSchema } from '@chairside/shared';
import { chairEventKinds } from './chair-events';
import { patientsLeaveModes, type PatientsLeave } from './visit-timeline';
import {
  createDevice,
  silentLogger,
  type Clock,
  type DeviceStats,
  type DeviceTransport,
  type DeviceTuning,
  type FetchLike,
  type Logger,
  type PhaseChange,
  type SimulatedDevice,
  type SimulationEvent,
} from './device';
import { defaultBedFor, defaultDeviceIdFor } from './mllp-transport';
import type { MonitorBehaviour } from './monitor';
import type { PatientFactory } from './patient-model';
import { defaultDemoMix, patientProfileIds, patientProfiles, profileForChair, profilePatientFactory, type PatientProfileId } from './profiles';
import { deriveSeed } from './random';
import {
  chairEventFrom,
  parseScenario,
  parseScenarioParams,
  resolveScenarioForChair,
  unknownScenarioChairs,
  type ScenarioEventKind,
  type ScenarioInput,
  type ScenarioParamsInput,
} from './scenario';
import {
  cycleSec,
  defaultNibpIntervalsSec,
  defaultSessionSchedule,
  esketamineNibpIntervalsSec,
  esketamineSessionSchedule,
  type ChairMoment,
  type NibpIntervals,
  type SessionSchedule,
} from './session-cycle';

export interface SimulationOptions {
  /**
   * How the monitors send. Default `{ kind: 'http' }`: `POST /api/v1/readings` to `baseUrl` with
   * `token`. `{ kind: 'mllp', host, port, bedFor? }`: HL7 v2 ORU^R01 over MLLP to the server's HL7
   * listener, one connection per chair, PV1-3 = `bedFor(chairId)` (default `SIM^^<chairId>`, which
   * a chair whose hl7Bed is its id matches); see mllp-transport.ts.
   */
  transport?: DeviceTransport;
  /** Server origin, e.g. `http://127.0.0.1:3000`. Required for the http transport. */
  baseUrl?: string;
  /** Device token for `Authorization: Bearer <token>`. Required for the http transport. */
  token?: string;
  /** Chairs to simulate; they must exist on the server. */
  chairIds: readonly string[];
  /** Patient time per real time: 10 plays a 40-min infusion in 4 real minutes. */
  speed: number;
  /** Everything random in the run flows from this seed (32-bit unsigned integer). */
  seed: number;
  clock: Clock;
  /** Required for the http transport. */
  fetch?: FetchLike;
  /** Real ms between HR/SpO₂/RR readings. Default 5000. */
  vitalsIntervalMs?: number;
  /** Seconds of patient time between NIBP readings, per phase. Default baseline 300, treatment 300, observation 900. */
  nibpIntervalSec?: Partial<NibpIntervals>;
  logger?: Logger;
  /** Durations of a visit in patient seconds. Default 10 min baseline, 40 min treatment, 60 min observation, 5 min gap. */
  schedule?: Partial<SessionSchedule>;
  /** Esketamine (nasal) chairs' visit durations. Default `esketamineSessionSchedule`. */
  nasalSchedule?: Partial<SessionSchedule>;
  /** Esketamine chairs' NIBP intervals, patient seconds. Default `esketamineNibpIntervalsSec`. */
  nasalNibpIntervalSec?: Partial<NibpIntervals>;
  /**
   * Where the chairs start. `mid-visit` (default): spread evenly over one visit, so that a grid
   * shows every phase at once. `arriving`: empty, their first patients sitting down one after
   * another, `arrivalIntervalSec` of patient time apart (chair 1 at once), so that every visit is
   * seen from its beginning.
   */
  firstPatients?: 'mid-visit' | 'arriving';
  /** With `firstPatients: 'arriving'`: patient seconds between two chairs' first arrivals. Default one IV visit divided by the number of chairs. */
  arrivalIntervalSec?: number;
  /**
   * `on-schedule` (default): a patient leaves when the schedule's observation ends. `when-released`:
   * a patient stays, observed past the schedule if need be, until `leave(chairId, cycleIndex)` —
   * for a driver that discharges them (demo mode's autopilot).
   */
  patientsLeave?: PatientsLeave;
  /**
   * The patient model for chairs without a profile in `chairProfiles`. When neither is given, the
   * chairs follow `defaultDemoMix` (PK-driven profiles).
   */
  patientFactory?: PatientFactory;
  /**
   * Patient profile per chair: a list in chair order (chairs beyond it get `population` patients,
   * or `patientFactory` when given) or a record by chair id. Esketamine chairs follow the esketamine
   * schedule (`esketamineSessionSchedule`); the others follow `schedule`.
   */
  chairProfiles?: readonly PatientProfileId[] | Readonly<Record<string, PatientProfileId>>;
  /** Cuff timing and failures, artefacts, probe-offs, disconnects (rates). Default `defaultMonitorBehaviour`. */
  monitor?: Partial<MonitorBehaviour>;
  /** A scenario to replay (see scenario.ts); its events are placed when the simulation starts. */
  scenario?: ScenarioInput;
  /** Told when an event starts on a chair: scenario, trigger, or the monitor's own episodes. */
  onEvent?: (event: SimulationEvent) => void;
  /** Real ms between two ticks of `startSimulation`. Default min(1000, vitalsIntervalMs). */
  tickMs?: number;
  /** How long `stop()` waits for in-flight and final sends before abandoning them. Default 2000. */
  stopGraceMs?: number;
  /** Told when a chair changes phase (and once per chair at the first tick). */
  onPhaseChange?: (change: PhaseChange) => void;
  /** Outbox size, batch size, retry policy, request timeout. */
  tuning?: Partial<DeviceTuning>;
}

/** Totals over all chairs. */
export type SimulationStats = DeviceStats & { chairs: number };

/** What `trigger` placed on a chair. */
export interface TriggeredEvent {
  chairId: string;
  kind: ScenarioEventKind;
  /** Real wall-clock start and end, ISO 8601 (start = now; end = start for count-based kinds). */
  from: string;
  until: string;
}

/** Runs scripted and on-demand events on the chairs. */
export interface SimulationControls {
  /**
   * Starts an event on a chair now, e.g. `trigger('chair-2', 'surge')` or
   * `trigger('chair-4', 'sensor-off', { sensors: 'all' })`. Params as in scenario files (defaults
   * apply). Throws on an unknown chair, kind or invalid params.
   */
  trigger<K extends ScenarioEventKind>(chairId: string, kind: K, params?: ScenarioParamsInput<K>): TriggeredEvent;
  /**
   * Places a scenario's events on the chairs (each at the next occurrence of its `atSec`, or on its
   * `visit`). Throws with a clear message when the scenario is invalid or names unknown chairs.
   */
  applyScenario(scenario: ScenarioInput): void;
  /** Which profile each chair's patients follow (null: `patientFactory`). */
  readonly profiles: Readonly<Record<string, PatientProfileId | null>>;
  /**
   * With `patientsLeave: 'when-released'`: the patient of the chair's visit `cycleIndex` leaves now
   * (or at `atMs`); the gap and the next patient follow. False when that visit is not the chair's
   * current one or its patient has left already. Throws on an unknown chair.
   */
  leave(chairId: string, cycleIndex: number, atMs?: number): boolean;
  /** Measures what is due on the chair now and sends it; resolves when that send has settled. Throws on an unknown chair. */
  sync(chairId: string): Promise<void>;
}

export interface Simulation extends SimulationControls {
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
  /** Stops measuring, lets in-flight sends finish (up to `stopGraceMs`), tries a last send, closes connections, then abandons. */
  stop(): Promise<void>;
}

export interface RunningSimulation extends SimulationControls {
  stop(): Promise<void>;
  stats(): SimulationStats;
  /** Where each chair is now. */
  moments(): Record<string, ChairMoment>;
}

const positive = z.number().positive().finite();
const probability = z.number().min(0).max(1);
const rate = z.number().min(0).finite();
const secRange = z
  .object({ min: z.number().min(0).finite(), max: z.number().min(0).finite() })
  .refine((r) => r.min <= r.max, 'min must be ≤ max');

const monitorSchema = z.object({
  cuffCycleSec: secRange.refine((r) => r.min > 0, 'a cuff cycle takes some time'),
  cuffFailureProbability: probability,
  cuffRetryAfterSec: positive,
  cuffMaxRetries: z.number().int().min(0).max(5),
  cuffArtefactProbability: probability,
  motionArtefactsPerHour: rate,
  motionArtefactSec: secRange,
  sensorOffPerHour: rate,
  sensorOffSec: secRange,
  sensorOffReport: z.enum(['omit', 'sentinel']),
  disconnectsPerHour: rate,
  disconnectSec: secRange,
}) satisfies z.ZodType<MonitorBehaviour>;

/** The profile of chair `index`, or null when it uses `patientFactory`. */
function assignProfile(options: SimulationOptions, chairId: string, index: number): PatientProfileId | null {
  const assigned = options.chairProfiles;
  if (assigned === undefined) return options.patientFactory === undefined ? profileForChair(index, defaultDemoMix) : null;
  const profile = Array.isArray(assigned) ? (assigned as readonly PatientProfileId[])[index] : (assigned as Readonly<Record<string, PatientProfileId>>)[chairId];
  return profile ?? (options.patientFactory === undefined ? 'population' : null);
}

const chairFunction = z.custom<(chairId: string) => string>((v) => typeof v === 'function', 'must be a function of the chair id');

const transportSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('http') }),
    z.object({
      kind: z.literal('mllp'),
      host: z.string().trim().min(1, 'transport.host is required'),
      port: z.number().int().min(1).max(65_535, 'transport.port must be a TCP port (1–65535)'),
      bedFor: chairFunction.optional(),
      deviceIdFor: chairFunction.optional(),
      utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).optional(),
      maxReadingsPerMessage: z.number().int().min(1).max(1000).optional(),
      connect: z.custom<unknown>((v) => typeof v === 'function', 'transport.connect must be a function').optional(),
    }),
  ],
  { error: "transport.kind must be 'http' or 'mllp'" },
);

/** A visit's timeline, in seconds of patient time (each part optional: the defaults fill in). */
const visitScheduleSchema = z
    .object({
      baselineSec: positive,
      treatmentSec: positive,
      observationSec: positive,
      gapSec: z.number().min(0).finite(),
      firstBaselineNibpSec: z.number().min(0).finite(),
    })
    .partial()
    .optional();
/** NIBP intervals per phase, in seconds of patient time. */
const nibpIntervalsSchema = z.object({ baseline: positive, treatment: positive, observation: positive }).partial().optional();

const simulationOptionsSchema = z.object({
  transport: transportSchema.optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }).optional(),
  token: z.string().min(1, 'token is required').optional(),
  fetch: z.custom<unknown>((v) => typeof v === 'function', 'fetch must be a function').optional(),
  chairIds: z
    .array(idSchema)
    .min(1, 'give at least one chair')
    .refine((ids) => new Set(ids).size === ids.length, 'chairIds must be unique'),
  speed: positive.max(10_000),
  seed: z.number().int().min(0).max(0xffffffff),
  vitalsIntervalMs: positive.min(10).optional(),
  nibpIntervalSec: nibpIntervalsSchema,
  tickMs: positive.min(1).optional(),
  stopGraceMs: z.number().min(0).finite().optional(),
  firstPatients: z.enum(['mid-visit', 'arriving']).optional(),
  arrivalIntervalSec: z.number().min(0).finite().optional(),
  patientsLeave: z.enum(patientsLeaveModes).optional(),
  nasalNibpIntervalSec: nibpIntervalsSchema,
  nasalSchedule: visitScheduleSchema,
  schedule: visitScheduleSchema,
  chairProfiles: z
    .union([z.array(z.enum(patientProfileIds)), z.record(z.string(), z.enum(patientProfileIds))], {
      error: `chairProfiles: use profiles among ${patientProfileIds.join(', ')}`,
    })
    .optional(),
  monitor: monitorSchema.partial().optional(),
}).superRefine((options, ctx) => {
  if (options.transport?.kind === 'mllp') return;
  // The http transport (the default) posts to the ingest API.
  if (options.baseUrl === undefined) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'baseUrl is required (http transport)' });
  if (options.token === undefined) ctx.addIssue({ code: 'custom', path: ['token'], message: 'token is required (http transport)' });
  if (options.fetch === undefined) ctx.addIssue({ code: 'custom', path: ['fetch'], message: 'fetch is required (http transport)' });
});

/** Each chair's monitor must send its own bed and id, or the server would put two chairs' readings on one. */
function checkMllpIdentities(transport: DeviceTransport | undefined, chairIds: readonly string[]): void {
  if (transport?.kind !== 'mllp') return;
  for (const [what, of] of [
    ['bed', transport.bedFor ?? defaultBedFor],
    ['device id', transport.deviceIdFor ?? defaultDeviceIdFor],
  ] as const) {
    const seen = new Map<string, string>();
    for (const chairId of chairIds) {
      const value = of(chairId);
      if (typeof value !== 'string' || value.trim() === '') throw new Error(`invalid simulation options: the HL7 ${what} of ${chairId} is empty`);
      const key = value.trim().toUpperCase();
      const other = seen.get(key);
      if (other !== undefined) throw new Error(`invalid simulation options: ${other} and ${chairId} have the same HL7 ${what} "${value}"`);
      seen.set(key, chairId);
    }
  }
}

export function createSimulation(options: SimulationOptions): Simulation {
  const checked = simulationOptionsSchema.safeParse(options);
  if (!checked.success) throw new Error(`invalid simulation options: ${z.prettifyError(checked.error)}`);
  checkMllpIdentities(options.transport, options.chairIds);

  const ivSchedule: SessionSchedule = { ...defaultSessionSchedule, ...options.schedule };
  const ivNibpIntervalsSec: NibpIntervals = { ...defaultNibpIntervalsSec, ...options.nibpIntervalSec };
  const nasalSchedule: SessionSchedule = { ...esketamineSessionSchedule, ...options.nasalSchedule };
  const nasalNibpIntervalsSec: NibpIntervals = { ...esketamineNibpIntervalsSec, ...options.nasalNibpIntervalSec };
  const arrivalIntervalSec = options.arrivalIntervalSec ?? cycleSec(ivSchedule) / options.chairIds.length;
  const vitalsIntervalMs = options.vitalsIntervalMs ?? 5_000;
  const stopGraceMs = options.stopGraceMs ?? 2_000;
  const startMs = options.clock.now();
  const count = options.chairIds.length;

  const profiles: Record<string, PatientProfileId | null> = {};
  const devices: SimulatedDevice[] = options.chairIds.map((chairId, i) => {
    const profileId = assignProfile(options, chairId, i);
    profiles[chairId] = profileId;
    const nasal = profileId !== null && patientProfiles[profileId].route === 'nasal';
    const schedule = nasal ? nasalSchedule : ivSchedule;
    const patientFactory = profileId === null ? options.patientFactory : profilePatientFactory(profileId);
    if (patientFactory === undefined) throw new Error(`no patient model for ${chairId}`);
    return createDevice({
      chairId,
      transport: options.transport,
      baseUrl: options.baseUrl,
      token: options.token,
      fetch: options.fetch,
      clock: options.clock,
      speed: options.speed,
      seed: deriveSeed(options.seed, 'chair', chairId),
      startMs,
      // Chairs start spread evenly over one visit, so that a grid shows different phases, or empty
      // until their first patients arrive one after another.
      startChairSec: options.firstPatients === 'arriving' ? -Math.round(i * arrivalIntervalSec) : Math.round((i * cycleSec(schedule)) / count),
      schedule,
      nibpIntervalsSec: nasal ? nasalNibpIntervalsSec : ivNibpIntervalsSec,
      patientsLeave: options.patientsLeave,
      vitalsIntervalMs,
      patientFactory,
      logger: options.logger ?? silentLogger,
      onPhaseChange: options.onPhaseChange,
      tuning: options.tuning,
      monitor: options.monitor,
      ...(profileId === null ? {} : { profileId }),
      protocolKind: nasal ? 'nasal-spray' : 'iv-infusion',
      onEvent: options.onEvent,
    });
  });
  const byChair = new Map(devices.map((device) => [device.chairId, device]));
  const scheduleOf = (chairId: string): SessionSchedule => {
    const profileId = profiles[chairId];
    return profileId != null && patientProfiles[profileId].route === 'nasal' ? nasalSchedule : ivSchedule;
  };

  const deviceOf = (chairId: string): SimulatedDevice => {
    const device = byChair.get(chairId);
    if (device === undefined) throw new Error(`unknown chair "${chairId}" (simulated: ${options.chairIds.join(', ')})`);
    return device;
  };

  let stopping: Promise<void> | null = null;

  const applyScenarioAt = (input: ScenarioInput, nowMs: number): void => {
    const parsed = parseScenario(input, `scenario${typeof input === 'object' && input !== null && 'name' in input ? ` "${String(input.name)}"` : ''}`);
    if (!parsed.ok) throw new Error(parsed.message);
    const unknown = unknownScenarioChairs(parsed.scenario, options.chairIds);
    if (unknown.length > 0) {
      throw new Error(`scenario "${parsed.scenario.name}" names chairs that are not simulated: ${unknown.join(', ')} (simulated: ${options.chairIds.join(', ')})`);
    }
    for (const device of devices) {
      const events = resolveScenarioForChair(parsed.scenario, device.chairId, {
        schedule: scheduleOf(device.chairId),
        nowChairSec: device.chairSecAt(nowMs),
        speed: options.speed,
      });
      for (const event of events) device.inject(event);
    }
  };

  if (options.scenario !== undefined) applyScenarioAt(options.scenario, startMs);

  return {
    chairIds: [...options.chairIds],
    startMs,
    profiles,
    async tick(nowMs) {
      if (stopping !== null) return;
      for (const device of devices) device.collect(nowMs);
      await Promise.all(devices.map((device) => device.flush()));
    },
    moments(nowMs) {
      return Object.fromEntries(devices.map((device) => [device.chairId, device.momentAt(nowMs)]));
    },
    leave(chairId, cycleIndex, atMs) {
      return deviceOf(chairId).leave(cycleIndex, atMs ?? options.clock.now());
    },
    async sync(chairId) {
      const device = deviceOf(chairId);
      if (stopping !== null) return;
      device.collect(options.clock.now());
      await device.flush();
    },
    trigger(chairId, kind, params) {
      const device = deviceOf(chairId);
      if (!(chairEventKinds as readonly string[]).includes(kind)) throw new Error(`unknown event kind "${kind}": one of ${chairEventKinds.join(', ')}`);
      const nowMs = options.clock.now();
      const event = chairEventFrom(kind, parseScenarioParams(kind, params ?? {}), device.chairSecAt(nowMs), options.speed, 'trigger');
      device.inject(event);
      return {
        chairId,
        kind,
        from: new Date(nowMs).toISOString(),
        until: new Date(Math.round(device.realMsAt(event.untilChairSec))).toISOString(),
      };
    },
    applyScenario(scenario) {
      applyScenarioAt(scenario, options.clock.now());
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
    moments: () => simulation.moments(options.clock.now()),
    trigger: (chairId, kind, params) => simulation.trigger(chairId, kind, params),
    applyScenario: (scenario) => simulation.applyScenario(scenario),
    leave: (chairId, cycleIndex, atMs) => simulation.leave(chairId, cycleIndex, atMs),
    sync: (chairId) => simulation.sync(chairId),
    profiles: simulation.profiles,
    async stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      await simulation.stop();
    },
  };
}
