import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** File name of a backup taken at `atMs`: sortable, UTC. */
export function backupFileName(atMs: number): string {
  return `chairside-${new Date(atMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.db`;
}

function integrityOk(file: string): boolean {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true }) === 'ok';
  } finally {
    db.close();
  }
}

/**
 * Copies a live SQLite database to `destination` while the server keeps writing (SQLite's online
 * backup API), then checks the copy's integrity.
 */
export async function backupDatabase(source: string, destination: string): Promise<void> {
  if (!fs.existsSync(source)) throw new Error(`There is no database at ${source}.`);
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(destination);
  } finally {
    db.close();
  }
  if (!integrityOk(destination)) throw new Error(`The backup at ${destination} failed its integrity check.`);
}

/**
 * Replaces the database with a backup. The server must be stopped. The current file is kept beside
 * it (`.before-restore-<time>`), so a restore can itself be undone.
 */
export function restoreDatabase(backup: string, target: string, atMs: number): string {
  if (!integrityOk(backup)) throw new Error(`${backup} is not a sound Chairside database.`);
  const kept = `${target}.before-restore-${backupFileName(atMs).replace(/^chairside-|\.db$/g, '')}`;
  if (fs.existsSync(target)) {
    // Fold the write-ahead log into the file first, so the kept copy is complete.
    const db = new Database(target, { fileMustExist: true });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    fs.renameSync(target, kept);
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.copyFileSync(backup, target);
  return kept;
}
