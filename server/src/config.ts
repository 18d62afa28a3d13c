import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { type Hl7Target, parseHl7Target } from './hl7-out/hl7-target';

const port = z.coerce.number().int().min(0).max(65_535);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

/** The environment, validated (README, "Configuration"). */
const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalText,
  DEMO_CHAIRS: z.coerce.number().int().min(0).max(200).optional(),
  DEMO_SPEED: z.coerce.number().positive().max(1000).default(1),
  HL7_PORT: port.default(2575),
  HL7_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(256).default(8),
  ESCALATION_HIGH_SECONDS: z.coerce.number().int().min(5).max(600).default(30),
  ESCALATION_MEDIUM_SECONDS: z.coerce.number().int().min(5).max(1800).default(90),
  HL7_ALERT_TARGET: optionalText.transform((v, ctx): Hl7Target | undefined => {
    if (v === undefined) return undefined;
    const parsed = parseHl7Target(v);
    if (parsed.ok) return parsed.target;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }),
  ADMIN_PASSWORD: optionalText.pipe(z.string().min(8, 'ADMIN_PASSWORD needs at least 8 characters').optional()),
  INGEST_TOKEN: optionalText.pipe(z.string().min(16, 'INGEST_TOKEN needs at least 16 characters').optional()),
  CLINIC_TIMEZONE: optionalText,
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(12 * 60),
  READING_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  SIM_SEED: z.coerce.number().int().optional(),
  ALERT_ENGINE_THREAD: z.enum(['0', '1'], { error: 'ALERT_ENGINE_THREAD is 1 (a worker thread, the default) or 0 (the main thread)' }).default('1'),
  TRUST_PROXY: optionalText.pipe(
    z
      .string()
      .refine((v) => /^\d+$/.test(v.trim()) || v.split(',').every((part) => isTrustedProxyEntry(part.trim())), {
        message: 'TRUST_PROXY takes a hop count, or comma-separated addresses, CIDR ranges, loopback, linklocal or uniquelocal',
      })
      .optional(),
  ),
  VAPID_SUBJECT: optionalText.pipe(
    z
      .string()
      .refine((v) => isVapidSubject(v.trim()), {
        message: 'VAPID_SUBJECT takes a contact for the push services: mailto:alarms@clinic.example or an https:// URL',
      })
      .optional(),
  ),
  ALLOWED_ORIGINS: optionalText.pipe(
    z
      .string()
      .refine((v) => v.split(',').every((part) => isOrigin(part.trim())), {
        message: 'ALLOWED_ORIGINS takes comma-separated origins such as https://chairside.clinic.example (scheme, host and port only)',
      })
      .optional(),
  ),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demoChairs: number;
  demoSpeed: number;
  demoSeed: number | undefined;
  hl7Port: number;
  /**
   * HL7 connections one address may hold before a message of theirs is stored (AA); a gateway or a
   * TCP load balancer that opens many at once may need more.
   */
  hl7MaxConnectionsPerAddress: number;
  /** How long an unacknowledged high or medium alarm waits before it reaches the next people (docs/clinical-defaults.md). */
  escalationDelays: { highMs: number; mediumMs: number };
  /** The paging gateway that alerts go to as ORU^R40 over MLLP (docs/hl7-alerts.md); unset: none. */
  hl7AlertTarget: Hl7Target | undefined;
  adminPassword: string | undefined;
  ingestToken: string | undefined;
  clinicTimeZone: string;
  sessionIdleMs: number;
  /** A reading measured longer ago than this is refused (a wrong clock, or a stamp meant to rewrite history). */
  maxReadingAgeDays: number;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client (default loopback). */
  trustProxy: string | number;
  /** Origins besides the server's own whose pages may open a dashboard socket (normalized, e.g. `https://dash.example`). */
  allowedOrigins: string[];
  /** The VAPID subject Web Push sends with every push (`mailto:` or `https:`); unset: the server's placeholder. */
  vapidSubject: string | undefined;
  /** Where the alert engines evaluate: a worker thread of their own (default) or the main thread (ALERT_ENGINE_THREAD=0). */
  alertEngine: 'thread' | 'in-process';
}

export class ConfigError extends Error {}

/** One entry of TRUST_PROXY as Express reads it: a named range, an address, or address/prefix. */
function isTrustedProxyEntry(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** An http(s) origin: scheme, host and optional port, nothing after (a trailing slash is tolerated). */
function isOrigin(entry: string): boolean {
  try {
    const url = new URL(entry);
    const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    return (url.protocol === 'http:' || url.protocol === 'https:') && bare && !entry.includes('?') && !entry.includes('#');
  } catch {
    return false;
  }
}

/** A VAPID subject (RFC 8292): `mailto:` and an address, or an https URL with a host. */
function isVapidSubject(entry: string): boolean {
  if (/^mailto:/i.test(entry)) return /^mailto:[^\s@/?#]+@[^\s@/?#]+$/i.test(entry);
  try {
    const url = new URL(entry);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** A variable set but blank (`HL7_PORT=` from a compose file) is unset: its default, never 0. */
function withoutBlanks(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v !== 'string' || v.trim() !== ''));
}

/** Reads the environment; `demoDefault` is the number of demo chairs when DEMO_CHAIRS is unset. */
export function loadConfig(env: NodeJS.ProcessEnv, options: { demoDefault: number; defaultTimeZone: string }): Config {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const timeZone = e.CLINIC_TIMEZONE ?? options.defaultTimeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    // Quoted and cut short: the value may be long or hold control characters.
    const shown = JSON.stringify(timeZone.length > 60 ? `${timeZone.slice(0, 60)}…` : timeZone);
    throw new ConfigError(`Invalid configuration:\n  CLINIC_TIMEZONE: ${shown} is not a known IANA time zone`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    // Relative to the folder npm was run in (INIT_CWD), not the workspace npm switches to: `npm start` keeps ./data at the repository's root.
    dataDir: path.resolve(env.INIT_CWD ?? '', e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    demoChairs: e.DEMO_CHAIRS ?? options.demoDefault,
    demoSpeed: e.DEMO_SPEED,
    demoSeed: e.SIM_SEED,
    hl7Port: e.HL7_PORT,
    hl7MaxConnectionsPerAddress: e.HL7_MAX_CONNECTIONS_PER_ADDRESS,
    escalationDelays: { highMs: e.ESCALATION_HIGH_SECONDS * 1000, mediumMs: e.ESCALATION_MEDIUM_SECONDS * 1000 },
    hl7AlertTarget: e.HL7_ALERT_TARGET,
    adminPassword: e.ADMIN_PASSWORD,
    ingestToken: e.INGEST_TOKEN,
    clinicTimeZone: timeZone,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    maxReadingAgeDays: e.READING_MAX_AGE_DAYS,
    trustProxy: e.TRUST_PROXY === undefined ? 'loopback' : /^\d+$/.test(e.TRUST_PROXY.trim()) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    allowedOrigins: (e.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => new URL(part).origin),
    vapidSubject: e.VAPID_SUBJECT?.trim(),
    alertEngine: e.ALERT_ENGINE_THREAD === '0' ? 'in-process' : 'thread',
  };
}
