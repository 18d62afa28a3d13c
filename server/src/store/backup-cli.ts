/**
 * `npm run backup` — an online backup of the SQLite database under DATA_DIR/backups.
 * `npm run restore -- <file>` — replaces the database with a backup (stop the server first).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { backupDatabase, backupFileName, restoreDatabase } from './backup';
import { sqliteFileName } from './open-store';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
  const [command, file] = positionals;
  const config = loadConfig(process.env, { demoDefault: 0, defaultTimeZone: 'UTC' });
  if (config.databaseUrl) throw new Error('DATABASE_URL is set: back up PostgreSQL with pg_dump instead.');
  const database = path.join(config.dataDir, sqliteFileName);

  if (command === 'backup') {
    const destination = values.out ?? path.join(config.dataDir, 'backups', backupFileName(Date.now()));
    await backupDatabase(database, destination);
    console.log(`Backed up ${database} to ${destination} (integrity check passed).`);
    return;
  }
  if (command === 'restore' && file) {
    const health = await fetch(`http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}/api/health`).catch(() => null);
    if (health?.ok) throw new Error('Chairside is running on this DATA_DIR’s port. Stop it before restoring.');
    const kept = restoreDatabase(path.resolve(file), database, Date.now());
    console.log(`Restored ${database} from ${file}. The previous database is kept at ${kept}.`);
    return;
  }
  throw new Error('Usage: npm run backup [-- --out <file>]   |   npm run restore -- <backup file>');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
