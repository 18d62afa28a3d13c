/** Options of `npm run bench` and the sizes they imply. */
import crypto from 'node:crypto';
import pg from 'pg';

export const scenarioNames = ['ingest', 'latency', 'browser', 'review', 'memory', 'footprint', 'stages'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface Config {
  quick: boolean;
  only: ReadonlySet<ScenarioName>;
  /** Also run the server scenarios on PostgreSQL (needs DATABASE_URL). */
  postgres: boolean;
  databaseUrl: string | null;
  /** Write V8 CPU profiles of the server processes into the results folder. */
  profile: boolean;
  resultsDir: string;
  chromiumPath: string;

  chairs: number;
  dashboards: number;
  dashboardProcesses: number;
  warmupSec: number;

  ingestSec: number;
  /** [readings per request, requests in flight] tried for the sustained rate. */
  ingestShapes: [number, number][];

  latencyRate: number;
  latencySec: number;

  memoryRate: number;
  memorySec: number;
  /** Every chair in a session during the memory run (the server does not sustain an accelerated rate then). */
  memorySessions: boolean;

  gridChairs: number;
  gridSec: number;
  /** Readings per chair per second for the accelerated browser-heap hour. */
  heapHz: number;
  heapSec: number;
  chartHours: number;

  reviewSessions: number;
  reviewRequests: number;
  reportHours: number;

  /** Footprint of a small clinic (scenarios/footprint.ts). */
  footprintChairs: number;
  footprintDashboards: number;
  footprintStarts: number;
  footprintWarmupSec: number;
  footprintSec: number;
  /**
   * Node flags for the compiled server in the footprint scenario, to measure a proposed change
   * (`--server-flags "--max-semi-space-size=2"`); `--no-source-maps` drops `npm run serve`'s --enable-source-maps.
   */
  serverFlags: string[];
  sourceMaps: boolean;

  /** Stage costs (scenarios/stages.ts): seconds each timed loop runs. */
  stageSec: number;
  /** Dashboards the broadcast stage is measured with (besides none). */
  stageDashboards: number[];
  /** The 2-node check on PostgreSQL (with --postgres): chairs in session, dashboards per node, requests in flight per node, seconds. */
  clusterChairs: number;
  clusterDashboardsPerNode: number;
  clusterConcurrency: number;
  clusterSec: number;
}

export function parseArgs(argv: readonly string[]): Config {
  const has = (flag: string): boolean => argv.includes(flag);
  const valueOf = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = has('--quick');
  const seconds = (flag: string, fallback: number): number => {
    const text = valueOf(flag);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a number of seconds`);
    return n;
  };
  const onlyText = valueOf('--only');
  const only = new Set<ScenarioName>();
  for (const name of (onlyText ?? scenarioNames.join(',')).split(',')) {
    const trimmed = name.trim();
    if (!(scenarioNames as readonly string[]).includes(trimmed)) {
      throw new Error(`unknown scenario "${trimmed}"; use one or more of ${scenarioNames.join(', ')} (comma-separated)`);
    }
    only.add(trimmed as ScenarioName);
  }
  const postgres = has('--postgres');
  const databaseUrl = process.env.DATABASE_URL?.trim() || null;
  if (postgres && !databaseUrl) throw new Error('--postgres needs DATABASE_URL (a role that may CREATE DATABASE)');
  return {
    quick,
    only,
    postgres,
    databaseUrl,
    profile: has('--profile'),
    resultsDir: valueOf('--out') ?? 'bench-results',
    chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',

    // --quick is a smoke run of the machinery (~3 min): a quarter of the chairs at the same 1 Hz,
    // short runs; its figures are indicative, the full run's are the ones to judge.
    chairs: quick ? 250 : 1000,
    dashboards: 50,
    dashboardProcesses: 2,
    warmupSec: quick ? 2 : 5,

    ingestSec: seconds('--ingest-sec', quick ? 5 : 15),
    ingestShapes: quick ? [[1000, 4]] : [[1000, 4], [100, 16]],

    latencyRate: quick ? 250 : 1000,
    latencySec: seconds('--latency-sec', quick ? 8 : 45),

    memoryRate: quick ? 250 : 1000,
    memorySec: seconds('--memory-sec', quick ? 15 : 240),
    memorySessions: has('--memory-sessions'),

    gridChairs: 48,
    gridSec: seconds('--grid-sec', quick ? 10 : 60),
    heapHz: 30,
    heapSec: seconds('--heap-sec', quick ? 15 : 120),
    chartHours: 8,

    reviewSessions: quick ? 500 : 10_000,
    reviewRequests: quick ? 30 : 200,
    reportHours: 3,

    footprintChairs: 8,
    footprintDashboards: 2,
    footprintStarts: quick ? 3 : 5,
    footprintWarmupSec: quick ? 5 : 15,
    footprintSec: seconds('--footprint-sec', quick ? 15 : 60),
    serverFlags: (valueOf('--server-flags') ?? '').split(' ').filter((f) => f !== ''),
    sourceMaps: !has('--no-source-maps'),

    stageSec: seconds('--stage-sec', quick ? 3 : 8),
    stageDashboards: quick ? [10] : [10, 50],
    clusterChairs: 200,
    clusterDashboardsPerNode: 10,
    clusterConcurrency: 16,
    clusterSec: seconds('--cluster-sec', quick ? 8 : 20),
  };
}

/** Where a server keeps its data: a fresh SQLite folder, or a fresh PostgreSQL database. */
export type StoreKind = 'sqlite' | 'postgres';

const created: { admin: string; name: string }[] = [];

/** A fresh, empty database on the PostgreSQL server of `adminUrl`; its URL. */
export async function freshPostgresDatabase(adminUrl: string): Promise<string> {
  const name = `chairside_bench_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  created.push({ admin: adminUrl, name });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops the databases this run created. */
export async function dropPostgresDatabases(): Promise<void> {
  for (const { admin, name } of created.splice(0)) {
    const client = new pg.Client({ connectionString: admin });
    try {
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } catch (error) {
      console.warn(`could not drop ${name}: ${String(error)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
