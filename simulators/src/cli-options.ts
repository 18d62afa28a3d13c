/**
 * The simulator CLI's arguments: flags first, then environment variables, then defaults, validated
 * with zod. Pure: `cli.ts` passes `process.argv` and `process.env` in.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { defaultDemoMix, patientProfileIds, type PatientProfileId } from './profiles';

export const cliUsage = `Usage: npx tsx simulators/src/cli.ts --token TOKEN [options]

Simulated bedside monitors post readings for N chairs to a Chairside server
(POST /api/v1/readings with a device token). The chairs chair-1 … chair-N must
exist on the server (its demo mode creates them).

Options (environment variable in brackets):
  --url URL        server origin                  [CHAIRSIDE_URL]  default http://127.0.0.1:3000
  --token TOKEN    device token (required)        [INGEST_TOKEN]
  --chairs N       number of chairs, 1–200        [DEMO_CHAIRS]    default 6
  --speed X        patient-time acceleration      [DEMO_SPEED]     default 1
                   (10: a 40-min infusion in 4 min, NIBP every 30 s)
  --seed N         random seed, 0–4294967295      [SIM_SEED]       default: random, printed
  --profiles LIST  patient profile per chair, in  [SIM_PROFILES]   default ${defaultDemoMix.join(',')}
                   chair order, comma-separated; chairs beyond the list get random
                   (population) patients. Profiles: ${patientProfileIds.join(', ')}
  --scenario FILE  replay a scenario file (JSON), [SIM_SCENARIO]
                   e.g. simulators/scenarios/hypertensive-surge.json
  -h, --help       show this help

Example: npx tsx simulators/src/cli.ts --url http://127.0.0.1:3000 --token TOKEN --chairs 6 --speed 10 --seed 42`;

export interface CliOptions {
  url: string;
  token: string;
  chairs: number;
  speed: number;
  /** Undefined: the entry point picks one and prints it, so the run can be replayed. */
  seed: number | undefined;
  /** Profiles in chair order; undefined: the default demo mix. */
  profiles: PatientProfileId[] | undefined;
  /** Path of a scenario file to replay; the entry point reads it. */
  scenarioPath: string | undefined;
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
  token: z.string({ error: 'a device token is required: --token or INGEST_TOKEN' }).min(1, 'the device token is empty'),
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
  });
  if (!parsed.success) {
    return { kind: 'error', message: parsed.error.issues.map((issue) => issue.message).join('; ') };
  }
  const { url, token, chairs, speed, seed, profiles, scenario } = parsed.data;
  return { kind: 'run', options: { url: url.replace(/\/+$/, ''), token, chairs, speed, seed, profiles, scenarioPath: scenario } };
}
