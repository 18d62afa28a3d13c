import path from 'node:path';
import type { Config } from '../config';
import { PostgresStore } from './postgres-store';
import { SqliteStore } from './sqlite-store';
import type { Store } from './store';

export const sqliteFileName = 'chairside.db';

/** SQLite under DATA_DIR by default; PostgreSQL when DATABASE_URL is set. */
export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  if (config.databaseUrl) {
    return PostgresStore.open({ connectionString: config.databaseUrl });
  }
  return new SqliteStore({ file: path.join(config.dataDir, sqliteFileName) });
}
