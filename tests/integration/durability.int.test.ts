import { describe, expect, it } from 'vitest';
import type { Reading } from '@chairside/shared';
import { reading, storeKind, tempDataDir } from '../helpers/test-server';
import { startServerProcess } from '../helpers/server-process';

const token = 'durability-test-token-0123456789';
const adminPassword = 'durability-admin-pw';

async function adminCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: adminPassword }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')?.split(';')[0] ?? '';
}

describe('durability', () => {
  it('loses no acknowledged reading when the server is killed with SIGKILL mid-ingest, round after round', async () => {
    const dataDir = tempDataDir();
    const env = { DATA_DIR: dataDir, INGEST_TOKEN: token, ADMIN_PASSWORD: adminPassword };
    const acknowledged = new Set<string>();

    let server = await startServerProcess(env);
    expect(server.output()).toContain(`(store: ${storeKind}`); // on PostgreSQL: the DATA_DIR's own database
    const admin = await adminCookie(server.url);
    const created = await fetch(`${server.url}/api/v1/chairs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ id: 'chair-1', name: 'Chair 1' }),
    });
    expect(created.status).toBe(201);

    for (let round = 0; round < 3; round += 1) {
      const url = server.url;
      let running = true;
      const writer = async (): Promise<void> => {
        while (running) {
          const batch = Array.from({ length: 1 + Math.floor(Math.random() * 20) }, () => reading());
          try {
            const res = await fetch(`${url}/api/v1/readings`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify(batch),
            });
            if (res.status === 201 || res.status === 200) {
              for (const r of (await res.json()) as Reading[]) acknowledged.add(r.id);
            }
          } catch {
            return; // the server is gone: whatever was not answered was not acknowledged
          }
        }
      };
      const writers = Array.from({ length: 8 }, writer);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      await server.kill();
      running = false;
      await Promise.all(writers);

      server = await startServerProcess(env);
      const cookie = await adminCookie(server.url);
      const res = await fetch(`${server.url}/api/v1/chairs/chair-1/readings?limit=100000`, { headers: { cookie } });
      const stored = new Set(((await res.json()) as Reading[]).map((r) => r.id));
      const missing = [...acknowledged].filter((id) => !stored.has(id));
      expect(acknowledged.size, `round ${round}: some readings were acknowledged`).toBeGreaterThan(0);
      expect(missing, `round ${round}: acknowledged but lost`).toEqual([]);
    }
    await server.stop();
  });
});
