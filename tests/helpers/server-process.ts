import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { storeKind, testDatabaseUrl } from './test-server';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  url: string;
  process: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown handler runs. */
  kill(): Promise<void>;
}

/**
 * With CHAIRSIDE_SERVER=dist (the browser tests: tests/playwright.config.ts) the server processes run
 * the compiled server, `server/dist/main.js` from `npm run build`, as `npm start` does; otherwise
 * (the integration tests) they run `server/src/main.ts` through tsx, so no build is needed.
 */
const serverEntry =
  process.env.CHAIRSIDE_SERVER === 'dist' ? ['--enable-source-maps', 'server/dist/main.js'] : ['--import', 'tsx', 'server/src/main.ts'];

/**
 * Starts the server as its own process and waits for its URL. When the tests run on PostgreSQL, a
 * DATA_DIR also gets its own database (DATABASE_URL), so the process runs on the store under test; a
 * restart on the same DATA_DIR finds the same database.
 */
export async function startServerProcess(env: Record<string, string>, args: string[] = []): Promise<ServerProcess> {
  const database = storeKind === 'postgres' && env.DATA_DIR && !env.DATABASE_URL ? { DATABASE_URL: await testDatabaseUrl(env.DATA_DIR) } : {};
  const child = spawn(process.execPath, [...serverEntry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', HL7_PORT: '0', DEMO_CHAIRS: '0', ...env, ...database },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    // Generous for a loaded 2-core machine (tsx compiles the server first); a server that did not
    // start is killed, not left running after the test.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, 45_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
