/**
 * `npm run demo:reset` — deletes the demo's SQLite database under DATA_DIR so that the next
 * `npm start` begins a fresh demo (new simulated patients, the demo logins back).
 *
 * It deletes only the database file and its WAL/SHM companions (DATA_DIR/backups stays), and refuses:
 * - when DATABASE_URL is set (a PostgreSQL database is never the demo's);
 * - when a Chairside server answers on HOST:PORT, or any process holds the database open;
 * - when the database has accounts other than the demo's (a clinic's data), unless `--force`.
 * It stops nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig, sqliteFileName } from '@chairside/server';

function refuse(reason: string): never {
  console.error(`demo:reset refused: ${reason}`);
  process.exit(1);
}

/** Some server answers on the configured address (the same check `npm run restore` makes). */
async function serverAnswers(host: string, port: number): Promise<boolean> {
  const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const response = await fetch(`http://${target.includes(':') ? `[${target}]` : target}:${port}/api/health`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
  return response !== null;
}

/**
 * Whether another process has the database open, and how many real (non-demo) accounts it holds.
 * A server keeps a WAL connection open, which holds a shared lock on the file for its whole life:
 * an exclusive lock taken without waiting fails while it runs.
 */
function inspect(file: string): { inUse: boolean; realAccounts: number } {
  const db = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    try {
      db.exec('BEGIN EXCLUSIVE');
      db.exec('COMMIT');
    } catch {
      return { inUse: true, realAccounts: 0 };
    }
    const hasUsers = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'").get() !== undefined;
    const realAccounts = hasUsers ? (db.prepare('SELECT count(*) AS n FROM users WHERE is_demo = 0').get() as { n: number }).n : 0;
    return { inUse: false, realAccounts };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const config = loadConfig(process.env, { demoDefault: 6, defaultTimeZone: 'UTC' });
  if (config.databaseUrl) refuse('DATABASE_URL is set. The demo keeps its data in SQLite under DATA_DIR; this never deletes a PostgreSQL database.');
  if (await serverAnswers(config.host, config.port)) {
    refuse(`a server answers on ${config.host}:${config.port}. Stop Chairside (Ctrl+C where it runs) and run this again.`);
  }
  const file = path.join(config.dataDir, sqliteFileName);
  if (!fs.existsSync(file)) {
    console.log(`No demo database at ${file}: nothing to reset. \`npm start\` creates a fresh one.`);
    return;
  }
  const { inUse, realAccounts } = inspect(file);
  if (inUse) refuse(`${file} is open in another process (a Chairside server on another port?). Stop it and run this again.`);
  if (realAccounts > 0 && !force) {
    refuse(
      `${file} holds ${realAccounts} account(s) that are not the demo's: it may be a clinic's data. ` +
        'Back it up (`npm run backup`) and run `npm run demo:reset -- --force` if it really is only a demo.',
    );
  }
  const removed: string[] = [];
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const part = file + suffix;
    if (fs.existsSync(part)) {
      fs.rmSync(part);
      removed.push(path.basename(part));
    }
  }
  console.log(`Demo reset: deleted ${removed.join(', ')} in ${config.dataDir}. \`npm start\` begins a fresh demo.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
