import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reading } from '@chairside/shared';
import { findPostgresBin } from '../helpers/postgres';
import { postReadings, reading, startTestServer, storeKind, tempDataDir, testDatabaseUrl, type TestServer } from '../helpers/test-server';
import { repoRoot } from '../helpers/server-process';

const run = promisify(execFile);
let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function cli(args: string[], dataDir: string, env: Record<string, string> = {}) {
  return run(process.execPath, ['--import', 'tsx', 'server/src/store/backup-cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '1', ...env },
  });
}

async function chairReadingIds(s: TestServer): Promise<Set<string>> {
  const cookie = await s.login('nurse');
  const res = await fetch(`${s.url}/api/v1/chairs/chair-1/readings?limit=100000`, { headers: { cookie } });
  return new Set(((await res.json()) as Reading[]).map((r) => r.id));
}

// `npm run backup` / `restore` copy the SQLite file under DATA_DIR; PostgreSQL is backed up with its own pg_dump (below).
describe.runIf(storeKind === 'sqlite')('backup and restore', () => {
  it('backs up the database online while readings arrive, and restores it into a fresh data folder', async () => {
    const dataDir = tempDataDir();
    server = await startTestServer({ dataDir });
    const first = Array.from({ length: 200 }, () => reading());
    expect((await postReadings(server.url, first)).status).toBe(201);

    const backupFile = path.join(tempDataDir(), 'nightly.db');
    const writing = Promise.all(Array.from({ length: 20 }, () => postReadings(server?.url ?? '', Array.from({ length: 10 }, () => reading()))));
    const { stdout } = await cli(['backup', '--out', backupFile], dataDir);
    await writing;
    expect(stdout).toMatch(/integrity check passed/);
    await server.close();
    server = null;

    const restoredDir = tempDataDir();
    const restored = await cli(['restore', backupFile], restoredDir);
    expect(restored.stdout).toMatch(/Restored/);
    server = await startTestServer({ dataDir: restoredDir });
    const cookie = await server.login('nurse');
    const res = await fetch(`${server.url}/api/v1/chairs/chair-1/readings?limit=100000`, { headers: { cookie } });
    const ids = new Set(((await res.json()) as Reading[]).map((r) => r.id));
    expect(first.every((r) => ids.has(r.id))).toBe(true);
  });

  it('refuses to restore something that is not a database', async () => {
    const dir = tempDataDir();
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database');
    await expect(cli(['restore', junk], tempDataDir())).rejects.toMatchObject({ stderr: expect.stringMatching(/not a database|not a sound/i) });
  });
});

describe.runIf(storeKind === 'postgres')('backup and restore on PostgreSQL', () => {
  it('pg_dump backs up the database while readings arrive, and the dump restores into a fresh database that a server runs on', async () => {
    const bin = findPostgresBin() ?? '';
    const dataDir = tempDataDir();
    server = await startTestServer({ dataDir });
    const first = Array.from({ length: 200 }, () => reading());
    expect((await postReadings(server.url, first)).status).toBe(201);

    const dump = path.join(tempDataDir(), 'nightly.dump');
    const writing = Promise.all(Array.from({ length: 20 }, () => postReadings(server?.url ?? '', Array.from({ length: 10 }, () => reading()))));
    await run(path.join(bin, 'pg_dump'), ['--format=custom', '--file', dump, '--dbname', server.databaseUrl ?? '']);
    await writing;
    await server.close();
    server = null;

    const restoredDir = tempDataDir();
    await run(path.join(bin, 'pg_restore'), ['--exit-on-error', '--no-owner', '--dbname', await testDatabaseUrl(restoredDir), dump]);
    server = await startTestServer({ dataDir: restoredDir });
    const ids = await chairReadingIds(server);
    expect(first.every((r) => ids.has(r.id))).toBe(true);
    // The restored sequence goes on after the restored readings.
    const later = await postReadings(server.url, reading());
    expect(later.status).toBe(201);
    const cookie = await server.login('nurse');
    const stored = (await (await fetch(`${server.url}/api/v1/chairs/chair-1/readings?limit=100000`, { headers: { cookie } })).json()) as Reading[];
    expect(Math.max(...stored.map((r) => r.seq))).toBe((later.body as Reading).seq);
  });

  it('npm run backup refuses and points at pg_dump when DATABASE_URL is set', async () => {
    const refused = cli(['backup'], tempDataDir(), { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    await expect(refused).rejects.toMatchObject({ stderr: expect.stringMatching(/pg_dump/) });
  });
});
