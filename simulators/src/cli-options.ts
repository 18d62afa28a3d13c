/**
 * The simulator CLI's arguments: flags first, then environment variables, then defaults, validated
 * with zod. Pure: `cli.ts` passes `process.argv` and `process.env` in.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { defaultDemoMix, patientProfileIds, type PatientProfileId } from './profiles';

export const cliUsage = `Usage: npx tsx simulators/src/cli.ts --token TOKEN [options]
       npx tsx simulators/src/cli.ts --mllp HOST:PORT [options]

Simulated bedside monitors post readings for N chairs to a Chairside server
(POST /api/v1/readings with a device token). The chairs chair-1 … chair-N must
exist on the server (its demo mode creates them).

With --mllp they speak HL7 v2 instead, like real monitors: ORU^R01 over MLLP to
the server's HL7 listener (HL7_PORT), one connection per chair, no token. Each
message names its chair by PV1-3 (the bed, default SIM^^chair-N: a chair whose
hl7Bed is "chair-N" receives it) and by its monitor id SIM-chair-N (MSH-3, OBX-18),
which can be registered instead (POST /api/v1/devices).

Options (environment variable in brackets):
  --url URL        server origin                  [CHAIRSIDE_URL]  default http://127.0.0.1:3000
  --token TOKEN    device token (required for     [INGEST_TOKEN]
                   HTTP)
  --chairs N       number of chairs, 1–200        [DEMO_CHAIRS]    default 6
  --speed X        patient-time acceleration      [DEMO_SPEED]     default 1
                   (10: a 40-min infusion in 4 min, NIBP every 30 s)
  --seed N         random seed, 0–4294967295      [SIM_SEED]       default: random, printed
  --profiles LIST  patient profile per chair, in  [SIM_PROFILES]   default ${defaultDemoMix.join(',')}
                   chair order, comma-separated; chairs beyond the list get random
                   (population) patients. Profiles: ${patientProfileIds.join(', ')}
  --scenario FILE  replay a scenario file (JSON), [SIM_SCENARIO]
                   e.g. simulators/scenarios/hypertensive-surge.json
  --mllp HOST:PORT send HL7 v2 over MLLP to the    [SIM_MLLP]
                   server's HL7 listener instead of HTTP (e.g. 127.0.0.1:2575)
  --hl7-bed BED    PV1-3 per chair with --mllp:   [SIM_HL7_BED]    default SIM^^{chair}
                   {chair} is the chair id, {n} its number (e.g. KETA^1^{n})
  -h, --help       show this help

Examples: npx tsx simulators/src/cli.ts --url http://127.0.0.1:3000 --token TOKEN --chairs 6 --speed 10 --seed 42
          npx tsx simulators/src/cli.ts --mllp 127.0.0.1:2575 --chairs 6 --speed 10`;

/** PV1-3 the simulated monitors send with --mllp unless told otherwise. */
export const defaultHl7BedTemplate = 'SIM^^{chair}';

/** The HL7 listener to send to with --mllp. */
export interface MllpTarget {
  host: string;
  port: number;
}

export interface CliOptions {
  url: string;
  /** Required for HTTP; unused with `mllp`. */
  token: string | undefined;
  chairs: number;
  speed: number;
  /** Undefined: the entry point picks one and prints it, so the run can be replayed. */
  seed: number | undefined;
  /** Profiles in chair order; undefined: the default demo mix. */
  profiles: PatientProfileId[] | undefined;
  /** Path of a scenario file to replay; the entry point reads it. */
  scenarioPath: string | undefined;
  /** Send HL7 v2 over MLLP here instead of HTTP. */
  mllp: MllpTarget | undefined;
  /** PV1-3 per chair with `mllp` (`{chair}`, `{n}` filled in); undefined without `mllp`. */
  hl7Bed: string | undefined;
}

/** PV1-3 of chair `chairId`, number `n` (1-based), from a `--hl7-bed` template. */
export function bedFromTemplate(template: string, chairId: string, n: number): string {
  return template.replaceAll('{chair}', chairId).replaceAll('{n}', String(n));
}

const mllpTargetPattern = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/;

/** `host:port`, `[v6]:port`, or a port alone (127.0.0.1). */
function parseMllpTarget(text: string): MllpTarget | string {
  const value = text.trim();
  const match = /^\d{1,5}$/.test(value) ? [value, undefined, '127.0.0.1', value] : mllpTargetPattern.exec(value);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65_535) {
    return `mllp must be HOST:PORT with a port of 1–65535, e.g. 127.0.0.1:2575 (got "${value.slice(0, 60)}")`;
  }
  return { host: match[1] ?? match[2] ?? '127.0.0.1', port };
}

export type CliParseResult =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

/** A number written in an argument or variable; '' and junk are refused, not read as 0. */
const numeric = (name: string) =>
  z
    .string()
    .trim()
    .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)$/, `${name} must be a number`)
    .transform(Number);

const cliSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'url must be an http:// or https:// URL, e.g. http://127.0.0.1:3000' }),
  token: z.string().min(1, 'the device token is empty').optional(),
  chairs: numeric('chairs').pipe(
    z.number().int('chairs must be a whole number').min(1, 'chairs must be at least 1').max(200, 'chairs must be at most 200'),
  ),
  speed: numeric('speed').pipe(z.number().positive('speed must be above 0').max(10_000, 'speed must be at most 10000')),
  seed: numeric('seed')
    .pipe(z.number().int('seed must be a whole number').min(0, 'seed must be ≥ 0').max(0xffffffff, 'seed must be ≤ 4294967295'))
    .optional(),
  profiles: z
    .string()
    .transform((text) => text.split(',').map((p) => p.trim()).filter((p) => p !== ''))
    .pipe(
      z
        .array(z.enum(patientProfileIds, { error: (issue) => `unknown profile "${String(issue.input)}": use ${patientProfileIds.join(', ')}` }))
        .min(1, 'profiles: give at least one profile'),
    )
    .optional(),
  scenario: z.string().min(1, 'the scenario path is empty').optional(),
  mllp: z.string().optional(),
  hl7Bed: z
    .string()
    .trim()
    .min(1, 'the HL7 bed is empty')
    .max(80, 'the HL7 bed is longer than 80 characters')
    .refine((t) => t.includes('{chair}') || t.includes('{n}'), 'hl7-bed must contain {chair} or {n}, or every chair would send the same bed')
    .refine((t) => !/[|~\\&\r\n]/.test(t), 'hl7-bed: use ^ between point of care, room and bed; no | ~ \\ &')
    .optional(),
});

/** Reads flags over environment variables over defaults. */
export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliParseResult {
  let values: {
    url?: string;
    token?: string;
    chairs?: string;
    speed?: string;
    seed?: string;
    profiles?: string;
    scenario?: string;
    mllp?: string;
    'hl7-bed'?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        chairs: { type: 'string' },
        speed: { type: 'string' },
        seed: { type: 'string' },
        profiles: { type: 'string' },
        scenario: { type: 'string' },
        mllp: { type: 'string' },
        'hl7-bed': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: 'help' };

  const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);
  const parsed = cliSchema.safeParse({
    url: values.url ?? nonEmpty(env.CHAIRSIDE_URL) ?? 'http://127.0.0.1:3000',
    token: values.token ?? nonEmpty(env.INGEST_TOKEN),
    chairs: values.chairs ?? nonEmpty(env.DEMO_CHAIRS) ?? '6',
    speed: values.speed ?? nonEmpty(env.DEMO_SPEED) ?? '1',
    seed: values.seed ?? nonEmpty(env.SIM_SEED),
    profiles: values.profiles ?? nonEmpty(env.SIM_PROFILES),
    scenario: values.scenario ?? nonEmpty(env.SIM_SCENARIO),
    mllp: values.mllp ?? nonEmpty(env.SIM_MLLP),
    hl7Bed: values['hl7-bed'] ?? nonEmpty(env.SIM_HL7_BED),
  });
  if (!parsed.success) {
    return { kind: 'error', message: parsed.error.issues.map((issue) => issue.message).join('; ') };
  }
  const { url, token, chairs, speed, seed, profiles, scenario, hl7Bed } = parsed.data;
  const mllp = parsed.data.mllp === undefined ? undefined : parseMllpTarget(parsed.data.mllp);
  if (typeof mllp === 'string') return { kind: 'error', message: mllp };
  if (mllp === undefined && token === undefined) return { kind: 'error', message: 'a device token is required: --token or INGEST_TOKEN (or send HL7 with --mllp)' };
  if (mllp === undefined && values['hl7-bed'] !== undefined) return { kind: 'error', message: '--hl7-bed applies to --mllp only' };
  return {
    kind: 'run',
    options: {
      url: url.replace(/\/+$/, ''),
      token,
      chairs,
      speed,
      seed,
      profiles,
      scenarioPath: scenario,
      mllp,
      hl7Bed: mllp === undefined ? undefined : (hl7Bed ?? defaultHl7BedTemplate),
    },
  };
}
