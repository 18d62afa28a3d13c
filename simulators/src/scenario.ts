/**
 * Scenario files: a small JSON format that scripts what happens to which chair and when, so a demo
 * or a test can make every alert rule fire on cue. Validated with zod; resolved onto each chair's
 * timeline for a given speed (pure).
 *
 * ```json
 * { "name": "hypertensive-surge",
 *   "description": "A surge at 35 min on chair-1",
 *   "events": [ { "atSec": 2100, "chairId": "chair-1", "kind": "surge", "params": { "systolicRiseMmHg": 60 } } ] }
 * ```
 *
 * - `atSec`: patient seconds from the patient sitting down (the visit's start; the infusion starts
 *   10 min later in the default schedule).
 * - `chairId`: the chair; without it, every simulated chair.
 * - `visit`: which of the chair's visits (0 = the first); without it, the first visit in which that
 *   moment is still ahead when the scenario is applied (chairs start staggered).
 * - `params`: per kind, all optional with defaults (below). Durations: `durationSec` in patient
 *   time, `minRealSec` in wall-clock seconds; the event lasts whichever is longer at the run's speed.
 *   The defaults keep each event long enough, in real time, for the server's real-time rules
 *   (no-data after 60 s, HR > 120 for 5 min, BP overdue after interval + 2 min) at any speed.
 */
import { z } from 'zod';
import { idSchema } from '@chairside/shared';
import { sensorNames, type ChairEvent, type ChairEventKind, type ChairEventSource } from './chair-events';
import { cycleSec, type SessionSchedule } from './session-cycle';

const seconds = z.number().finite();
const positiveSec = seconds.positive('must be above 0');
const durations = (durationSec: number, minRealSec: number) => ({
  /** Patient seconds. */
  durationSec: positiveSec.default(durationSec),
  /** Wall-clock seconds the event lasts at least, whatever the speed. */
  minRealSec: seconds.min(0, 'must be ≥ 0').default(minRealSec),
});
const ramp = (rampSec: number) => ({ rampSec: seconds.min(0, 'must be ≥ 0').default(rampSec) });

/** A BP surge added to the patient's own course (default +55/+30 mmHg for 20 min, 3-min ramps). */
export const surgeParamsSchema = z
  .object({
    systolicRiseMmHg: z.number().min(0).max(200).default(55),
    diastolicRiseMmHg: z.number().min(0).max(150).default(30),
    ...ramp(180),
    ...durations(1200, 0),
  })
  .strict();

/** HR pulled up to a target (default 132/min for 10 min, at least 6 real min: hr-very-high fires). */
export const tachycardiaParamsSchema = z
  .object({ heartRateBpm: z.number().min(30).max(300).default(132), ...ramp(60), ...durations(600, 360) })
  .strict();

/** SpO₂ pulled down to a target (default 85 % for 2 min, at least 45 real s: spo2-low and -very-low fire). */
export const desaturationParamsSchema = z
  .object({ spo2Pct: z.number().min(40).max(100).default(85), ...ramp(20), ...durations(120, 45) })
  .strict();

const overrideValues = {
  systolic: z.number().min(20).max(350).optional(),
  diastolic: z.number().min(10).max(250).optional(),
  heartRate: z.number().min(10).max(350).optional(),
  spo2: z.number().min(30).max(100).optional(),
  respRate: z.number().min(0).max(80).optional(),
};

/** Vital signs pulled to the given values (at least one), e.g. bradycardia or low BP. */
export const overrideParamsSchema = z
  .object({ ...overrideValues, ...ramp(0), ...durations(300, 0) })
  .strict()
  .refine((p) => Object.keys(overrideValues).some((k) => p[k as keyof typeof overrideValues] !== undefined), {
    message: 'give at least one of systolic, diastolic, heartRate, spo2, respRate',
  });

/** Sensors off (default the SpO₂ probe, 2 min, at least 90 real s); `sensors: "all"` silences the monitor. */
export const sensorOffParamsSchema = z
  .object({
    sensors: z
      .union([z.literal('all'), z.array(z.enum(sensorNames)).min(1, 'name at least one sensor')], {
        error: (issue) => (issue.code === 'invalid_union' ? `sensors must be "all" or a list of ${sensorNames.join(', ')}` : undefined),
      })
      .default(['spo2'])
      .transform((s) => (s === 'all' ? [...sensorNames] : [...new Set(s)])),
    report: z.enum(['omit', 'sentinel']).default('omit'),
    ...durations(120, 90),
  })
  .strict();

/** The next `count` cuff readings come out implausible (default SBP 320, DBP 60). */
export const cuffArtefactParamsSchema = z
  .object({
    count: z.number().int().min(1).max(50).default(1),
    systolic: z.number().default(320),
    diastolic: z.number().default(60),
    mean: z.number().optional(),
  })
  .strict();

/** No cuff cycle starts for a while (default 15 patient min, at least 4 real min: bp-overdue fires). */
export const skipBpParamsSchema = z.object({ ...durations(900, 240) }).strict();

/** The monitor keeps measuring but cannot post (default 2 min, at least 90 real s: no-data fires), then catches up. */
export const disconnectParamsSchema = z.object({ ...durations(120, 90) }).strict();

/** HR/SpO₂ samples read nonsense for a moment (default HR 320: implausible). */
export const motionArtefactParamsSchema = z
  .object({
    heartRate: z.number().nullable().default(320),
    spo2: z.number().nullable().default(null),
    ...durations(10, 6),
  })
  .strict();

export const scenarioParamsSchemas = {
  surge: surgeParamsSchema,
  tachycardia: tachycardiaParamsSchema,
  desaturation: desaturationParamsSchema,
  'sensor-off': sensorOffParamsSchema,
  'cuff-artefact': cuffArtefactParamsSchema,
  'skip-bp': skipBpParamsSchema,
  disconnect: disconnectParamsSchema,
  override: overrideParamsSchema,
  'motion-artefact': motionArtefactParamsSchema,
} as const satisfies Record<ChairEventKind, z.ZodType>;

export type ScenarioEventKind = ChairEventKind;
/** Parameters of `kind` as written (every field optional where it has a default). */
export type ScenarioParamsInput<K extends ScenarioEventKind> = z.input<(typeof scenarioParamsSchemas)[K]>;
export type ScenarioParams<K extends ScenarioEventKind> = z.output<(typeof scenarioParamsSchemas)[K]>;

const eventCommon = {
  atSec: seconds.min(0, 'must be ≥ 0 (seconds from the patient sitting down)'),
  chairId: idSchema.optional(),
  visit: z.number().int().min(0).optional(),
  /** Free text for people reading the file. */
  note: z.string().max(500).optional(),
};

const event = <K extends ScenarioEventKind, P extends z.ZodType>(kind: K, params: P) =>
  z.object({ ...eventCommon, kind: z.literal(kind), params }).strict();

export const scenarioEventSchema = z.discriminatedUnion(
  'kind',
  [
    event('surge', surgeParamsSchema.prefault({})),
    event('tachycardia', tachycardiaParamsSchema.prefault({})),
    event('desaturation', desaturationParamsSchema.prefault({})),
    event('sensor-off', sensorOffParamsSchema.prefault({})),
    event('cuff-artefact', cuffArtefactParamsSchema.prefault({})),
    event('skip-bp', skipBpParamsSchema.prefault({})),
    event('disconnect', disconnectParamsSchema.prefault({})),
    event('override', overrideParamsSchema.prefault({})),
    event('motion-artefact', motionArtefactParamsSchema.prefault({})),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `kind must be one of ${Object.keys(scenarioParamsSchemas).join(', ')}` : undefined) },
);
export type ScenarioEvent = z.output<typeof scenarioEventSchema>;

export const scenarioSchema = z
  .object({
    name: z.string({ error: 'give the scenario a name' }).trim().min(1, 'give the scenario a name').max(100),
    description: z.string().max(2000).default(''),
    events: z.array(scenarioEventSchema).max(1000),
  })
  .strict();
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

export type ScenarioParseResult = { ok: true; scenario: Scenario } | { ok: false; message: string };

function formatIssues(error: z.ZodError, source: string): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.reduce<string>(
      (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`),
      '',
    );
    return `${path === '' ? '(top level)' : path}: ${issue.message}`;
  });
  return `${source}: ${lines.join('; ')}`;
}

/** Validates a scenario already parsed from JSON (or written in TS). */
export function parseScenario(value: unknown, source = 'scenario'): ScenarioParseResult {
  const parsed = scenarioSchema.safeParse(value);
  return parsed.success ? { ok: true, scenario: parsed.data } : { ok: false, message: formatIssues(parsed.error, source) };
}

/** Parses the text of a scenario file; `source` names it in messages. */
export function parseScenarioJson(text: string, source = 'scenario'): ScenarioParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${source}: not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  return parseScenario(value, source);
}

/** Validates the parameters of one kind, for the trigger API. Throws with a clear message. */
export function parseScenarioParams<K extends ScenarioEventKind>(kind: K, params: unknown): ScenarioParams<K> {
  const schema = scenarioParamsSchemas[kind] as unknown as z.ZodType<ScenarioParams<K>> | undefined;
  if (schema === undefined) throw new Error(`unknown event kind "${String(kind)}": one of ${Object.keys(scenarioParamsSchemas).join(', ')}`);
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw new Error(formatIssues(parsed.error, `${kind} params`));
  return parsed.data;
}

/** Where a chair is, for resolving events onto its timeline. */
export interface ChairTimeline {
  schedule: SessionSchedule;
  /** The chair's current position (patient seconds on its timeline). */
  nowChairSec: number;
  /** Patient seconds per real second. */
  speed: number;
}

/** Patient seconds an event lasts at `speed`: the longer of its patient and its real duration. */
export function effectiveDurationSec(params: { durationSec?: number; minRealSec?: number }, speed: number): number {
  return Math.max(params.durationSec ?? 0, (params.minRealSec ?? 0) * speed);
}

/** One event of kind `kind` starting at `fromChairSec`, with validated params. */
export function chairEventFrom<K extends ScenarioEventKind>(
  kind: K,
  params: ScenarioParams<K>,
  fromChairSec: number,
  speed: number,
  source: ChairEventSource,
): ChairEvent {
  const p = params as ScenarioParams<ScenarioEventKind>;
  const untilChairSec = fromChairSec + ('durationSec' in p ? effectiveDurationSec(p, speed) : 0);
  const w = { fromChairSec, untilChairSec, source };
  switch (kind) {
    case 'surge': {
      const s = params as ScenarioParams<'surge'>;
      return { ...w, kind: 'surge', systolicRiseMmHg: s.systolicRiseMmHg, diastolicRiseMmHg: s.diastolicRiseMmHg, rampSec: s.rampSec };
    }
    case 'tachycardia': {
      const s = params as ScenarioParams<'tachycardia'>;
      return { ...w, kind: 'tachycardia', heartRateBpm: s.heartRateBpm, rampSec: s.rampSec };
    }
    case 'desaturation': {
      const s = params as ScenarioParams<'desaturation'>;
      return { ...w, kind: 'desaturation', spo2Pct: s.spo2Pct, rampSec: s.rampSec };
    }
    case 'override': {
      const s = params as ScenarioParams<'override'>;
      const values = Object.fromEntries(
        (['systolic', 'diastolic', 'heartRate', 'spo2', 'respRate'] as const).flatMap((k) => (s[k] === undefined ? [] : [[k, s[k]]])),
      );
      return { ...w, kind: 'override', values, rampSec: s.rampSec };
    }
    case 'sensor-off': {
      const s = params as ScenarioParams<'sensor-off'>;
      return { ...w, kind: 'sensor-off', sensors: s.sensors, report: s.report };
    }
    case 'cuff-artefact': {
      const s = params as ScenarioParams<'cuff-artefact'>;
      const mean = s.mean ?? Math.round(s.diastolic + (s.systolic - s.diastolic) / 3);
      return { ...w, kind: 'cuff-artefact', count: s.count, systolic: s.systolic, diastolic: s.diastolic, mean };
    }
    case 'skip-bp':
      return { ...w, kind: 'skip-bp' };
    case 'disconnect':
      return { ...w, kind: 'disconnect' };
    case 'motion-artefact': {
      const s = params as ScenarioParams<'motion-artefact'>;
      return { ...w, kind: 'motion-artefact', heartRate: s.heartRate, spo2: s.spo2 };
    }
    default:
      throw new Error(`unknown event kind "${String(kind)}"`);
  }
}

/**
 * The scenario's events for one chair, on its timeline: each event at `visit · cycle + atSec`, the
 * visit being the given one or the first whose moment is still ahead of `nowChairSec`.
 */
export function resolveScenarioForChair(scenario: Scenario, chairId: string, timeline: ChairTimeline): ChairEvent[] {
  const cycle = cycleSec(timeline.schedule);
  return scenario.events
    .filter((event) => event.chairId === undefined || event.chairId === chairId)
    .map((event) => {
      const visit = event.visit ?? Math.max(0, Math.ceil((timeline.nowChairSec - event.atSec) / cycle - 1e-9));
      return chairEventFrom(event.kind, event.params as ScenarioParams<typeof event.kind>, visit * cycle + event.atSec, timeline.speed, 'scenario');
    })
    .sort((a, b) => a.fromChairSec - b.fromChairSec);
}

/** Chairs named by the scenario that are not in `chairIds` (a mistake worth refusing). */
export function unknownScenarioChairs(scenario: Scenario, chairIds: readonly string[]): string[] {
  const known = new Set(chairIds);
  return [...new Set(scenario.events.flatMap((e) => (e.chairId !== undefined && !known.has(e.chairId) ? [e.chairId] : [])))];
}
