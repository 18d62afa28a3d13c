/**
 * A private PostgreSQL server for the integration tests: initdb into a temp folder, started on a free
 * loopback port, stopped at the end of the run. Nothing of the machine's own PostgreSQL (service,
 * data, port 5432) is touched. As root, the server commands run as the `postgres` user (PostgreSQL
 * refuses to run as root); otherwise as the current user.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const exec = promisify(execFile);

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the server's maintenance database. */
  url: string;
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<major>/bin), or null. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  const majors = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((major) => fs.existsSync(path.join(root, major, 'bin', 'initdb')))
        .sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b))
    : [];
  const newest = majors.at(-1);
  if (newest !== undefined) return path.join(root, newest, 'bin');
  // Elsewhere (Homebrew, other distributions) the server binaries are on PATH.
  const onPath = (process.env.PATH ?? '').split(path.delimiter).find((dir) => dir && fs.existsSync(path.join(dir, 'initdb')));
  return onPath ?? null;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a server command, as `postgres` when we are root. */
function runServerCommand(bin: string, command: string, args: string[]) {
  const file = path.join(bin, command);
  return isRoot ? exec('runuser', ['-u', 'postgres', '--', file, ...args]) : exec(file, args);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (install the Debian package "postgresql").');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'chairside-pg-'));
  fs.chmodSync(base, 0o755);
  const dir = path.join(base, 'pg');
  fs.mkdirSync(dir);
  if (isRoot) await exec('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'log');
  try {
    await runServerCommand(bin, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  } catch (error) {
    fs.rmSync(base, { recursive: true, force: true });
    throw error;
  }

  // fsync stays on: commits are as durable as in production. Plenty of connections: every test
  // server has its own pool on its own database.
  const start = async (port: number): Promise<void> => {
    const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k "${dir}" -c max_connections=300`; // pg_ctl runs it through sh
    await runServerCommand(bin, 'pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', serverOptions, 'start']);
  };
  let port = await freePort();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await start(port);
      break;
    } catch (error) {
      // Another process may have taken the port between our probe and the server's bind: try another.
      if (attempt < 3) {
        port = await freePort();
        continue;
      }
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
      fs.rmSync(base, { recursive: true, force: true });
      throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${tail}`, { cause: error });
    }
  }
  await exec(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-t', '30']);

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await runServerCommand(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

/** The URL of `database` on the server that `url` points at. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs `work` with a plain client connected to `url`. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the server of `baseUrl` and returns its URL. */
export async function createTestDatabase(baseUrl: string): Promise<string> {
  const name = `t_${randomBytes(8).toString('hex')}`;
  await withClient(baseUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  return databaseUrl(baseUrl, name);
}

/** The private server's URL, from the vitest global setup (or a server given by TEST_DATABASE_URL). */
export function testDatabaseBaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'TEST_DATABASE_URL is not set: run the PostgreSQL tests with `npx vitest run --project integration-pg`, ' +
        'whose global setup starts a private server, or point TEST_DATABASE_URL at a server you may create databases on.',
    );
  }
  return url;
}
