import { z } from 'zod';

const codedErrorSchema = z.object({ code: z.string() });

/**
 * Says in plain words why the store could not write, for errors a clinic can act on (a full disk, a
 * database locked by another program, a read-only or failing disk); null for anything else.
 */
export function describeStoreFailure(error: unknown): string | null {
  const parsed = codedErrorSchema.safeParse(error);
  if (!parsed.success) return null;
  const code = parsed.data.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100') return 'the disk (or the database size limit) is full';
  // 55P03: PostgreSQL's lock_timeout ran out waiting for another session's lock.
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === '55P03') return 'the database is locked by another program';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES') return 'the database cannot be written (read-only or no permission)';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'the disk reported an input/output error';
  if (code === 'ECONNREFUSED' || code === '57P01' || code === '08006') return 'the database server cannot be reached';
  return null;
}

/**
 * The store is locked by another program (SQLite's busy timeout or PostgreSQL's lock_timeout ran
 * out): trying again a little later may succeed, where nothing else about the write was wrong.
 */
export function isStoreLocked(error: unknown): boolean {
  const parsed = codedErrorSchema.safeParse(error);
  if (!parsed.success) return false;
  const code = parsed.data.code;
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === '55P03';
}
