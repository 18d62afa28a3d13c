import path from 'node:path';
import type { Config } from '../config';
import { SqliteStore } from './sqlite-store';
import type { Store } from './store';

export const sqliteFileName = 'chairside.db';

/**
 * SQLite under DATA_DIR by default; PostgreSQL when DATABASE_URL is set. The PostgreSQL store (and
 * the pg driver) is loaded only then: a small clinic on SQLite does not carry it (docs/capacity.md).
 */
export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  if (config.databaseUrl) {
    const { PostgresStore } = await import('./postgres-store');
    return PostgresStore.open({ connectionString: config.databaseUrl });
  }
  return new SqliteStore({ file: path.join(config.dataDir, sqliteFileName) });
}
