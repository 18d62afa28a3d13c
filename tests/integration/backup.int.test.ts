import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reading } from '@chairside/shared';
import { postReadings, reading, startTestServer, tempDataDir, type TestServer } from '../helpers/test-server';
import { repoRoot } from '../helpers/server-process';

const run = promisify(execFile);
let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function cli(args: string[], dataDir: string) {
  return run(process.execPath, ['--import', 'tsx', 'server/src/store/backup-cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '1' },
  });
}

describe('backup and restore', () => {
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
