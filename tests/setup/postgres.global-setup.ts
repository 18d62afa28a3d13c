/**
 * Global setup of the `integration-pg` vitest project: starts one private PostgreSQL server for the
 * whole run and hands its URL to the test workers as TEST_DATABASE_URL; every test server then makes
 * its own fresh database on it (tests/helpers/test-server.ts). Stopped when the run ends.
 * A TEST_DATABASE_URL given from outside is used as it is, and no server is started.
 */
import { startPrivatePostgres } from '../helpers/postgres';

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.TEST_DATABASE_URL) return async () => undefined;
  const started = Date.now();
  const server = await startPrivatePostgres();
  process.env.TEST_DATABASE_URL = server.url;
  console.log(`PostgreSQL for the integration tests: ${server.url} (started in ${Date.now() - started} ms)`);
  return async () => {
    await server.stop();
    delete process.env.TEST_DATABASE_URL;
  };
}
