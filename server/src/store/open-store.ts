import path from 'node:path';
import type { Config } from '../config';
import { SqliteStore } from './sqlite-store';
import type { Store } from './store';

export const sqliteFileName = 'chairside.db';

/** SQLite under DATA_DIR by default; PostgreSQL when DATABASE_URL is set. */
export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  if (config.databaseUrl) {
    throw new Error('DATABASE_URL is set, but the PostgreSQL store is not available in this version.');
  }
  return new SqliteStore({ file: path.join(config.dataDir, sqliteFileName) });
}
