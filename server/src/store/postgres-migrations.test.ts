import { describe, expect, it } from 'vitest';
import { migrations } from './migrations';
import { postgresMigrations } from './postgres-migrations';

const versionsOf = (list: readonly { version: number }[]): number[] => list.map((m) => m.version).sort((a, b) => a - b);

describe('PostgreSQL migrations', () => {
  it('have a twin for exactly the versions of the SQLite migrations', () => {
    expect(versionsOf(postgresMigrations)).toEqual(versionsOf(migrations));
  });

  it('list each version once', () => {
    const versions = postgresMigrations.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it.each(postgresMigrations.map((m) => [m.version, m.sql] as const))('version %i is written for PostgreSQL, not SQLite', (_version, sql) => {
    expect(sql.trim()).not.toBe('');
    expect(sql).not.toMatch(/AUTOINCREMENT|COLLATE NOCASE|RAISE\s*\(\s*ABORT|\bREAL\b|INTEGER PRIMARY KEY/i);
  });
});
