import fs from 'node:fs';
import path from 'node:path';
import { adminPassword, ingestToken } from './clinic';
import { tempDir } from './common';
import { type Config, freshPostgresDatabase, type StoreKind } from './config';
import { type BenchServer, startServer } from './processes';

export interface LaunchedServer extends BenchServer {
  store: StoreKind;
  dataDir: string;
  databaseUrl: string | null;
}

let profileRun: string | null = null;

/** Where this run's CPU profiles go (one folder per run). */
export function profileFolder(cfg: Config, label: string): string {
  profileRun ??= path.resolve(cfg.resultsDir, `profiles-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const dir = path.join(profileRun, label);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The real server on a fresh store (or on `existing` data seeded beforehand), with an admin from
 * ADMIN_PASSWORD and a device token from INGEST_TOKEN.
 */
export async function launchServer(
  cfg: Config,
  store: StoreKind,
  label: string,
  existing?: { dataDir: string; databaseUrl: string | null },
  extra: { heapProbe?: boolean } = {},
): Promise<LaunchedServer> {
  const dataDir = existing?.dataDir ?? tempDir(label);
  const databaseUrl =
    store === 'postgres' ? (existing?.databaseUrl ?? (await freshPostgresDatabase(cfg.databaseUrl ?? ''))) : null;
  // An empty DATABASE_URL means SQLite even when the caller's environment names a PostgreSQL server.
  const env = { DATA_DIR: dataDir, INGEST_TOKEN: ingestToken, ADMIN_PASSWORD: adminPassword, DATABASE_URL: databaseUrl ?? '' };
  const server = await startServer({ env, ...extra, ...(cfg.profile ? { cpuProfileDir: profileFolder(cfg, `${label}-${store}`) } : {}) });
  return { ...server, store, dataDir, databaseUrl };
}
