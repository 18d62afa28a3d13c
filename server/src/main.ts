/**
 * Entry point: reads the environment, opens the store, starts the server (and the demo simulator).
 * The only server module that touches the world directly.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app';
import { newToken } from './auth/tokens';
import { systemClock } from './clock';
import { ConfigError, loadConfig } from './config';
import { Hl7Handler } from './hl7/hl7-handler';
import { type Hl7Listener, startHl7Listener } from './hl7/hl7-listener';
import { AdminPasswordError, bootstrapAdmin, setUpDemo } from './demo/demo-setup';
import { type DemoRun, startDemo } from './demo/start-demo';
import { consoleLogger } from './logger';
import { openStore } from './store/open-store';

const here = path.dirname(fileURLToPath(import.meta.url));
const logger = consoleLogger();

async function main(): Promise<void> {
  const config = loadConfig(process.env, {
    demoDefault: process.argv.includes('--demo') ? 6 : 0,
    defaultTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  });
  const store = await openStore(config);
  const deviceTokens = config.ingestToken ? [config.ingestToken] : [];
  // On PostgreSQL this server may be one of several behind a load balancer (README: several servers).
  // Imported only then: a small clinic on SQLite does not load Socket.IO's PostgreSQL adapter and its
  // MessagePack codec (docs/capacity.md, "Footprint of a small clinic").
  const cluster = config.databaseUrl ? (await import('./cluster/postgres-adapter')).postgresAdapter(config.databaseUrl, logger) : null;
  const chairside = await createApp({
    ...(cluster ? { cluster: { adapter: cluster.adapter } } : {}),
    store,
    clock: systemClock,
    logger,
    deviceTokens,
    sessionIdleMs: config.sessionIdleMs,
    maxReadingAgeDays: config.maxReadingAgeDays,
    trustProxy: config.trustProxy,
    allowedOrigins: config.allowedOrigins,
    clinicTimeZone: config.clinicTimeZone,
    alertEngine: config.alertEngine,
    escalationDelays: config.escalationDelays,
    ...(config.hl7AlertTarget ? { hl7AlertsOut: { target: config.hl7AlertTarget } } : {}),
    ...(config.vapidSubject ? { push: { subject: config.vapidSubject } } : {}),
    clientDir: path.resolve(here, '../../client/dist'),
  });

  if (await bootstrapAdmin(store, chairside.auth, config.adminPassword)) {
    logger.info('created the user "admin" from ADMIN_PASSWORD');
  }
  const demo = config.demoChairs > 0;
  let demoLogins = false;
  if (demo) {
    const accounts = await setUpDemo(store, chairside.auth, chairside.chairs, config.demoChairs);
    demoLogins = accounts.length > 0;
    chairside.setDemoAccounts(demoLogins ? accounts : null);
    if (!demoLogins) logger.warn('Demo mode on a database with real accounts: the demo logins (nurse / demo …) stay disabled; log in with a real account.');
  } else {
    await store.accounts.setDemoUsersDisabled(true);
  }
  const noUsersYet = await chairside.auth.noUsersYet();

  await new Promise<void>((resolve, reject) => {
    chairside.httpServer.once('error', reject);
    chairside.httpServer.listen(config.port, config.host, resolve);
  });
  const address = chairside.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  logger.info(`Chairside listening on ${url} (store: ${store.kind}${store.kind === 'sqlite' ? `, ${config.dataDir}` : ''})`);

  let hl7: Hl7Listener | null = null;
  if (config.hl7Port > 0) {
    const handler = new Hl7Handler({
      ingest: chairside.ingest,
      devices: chairside.devices,
      clock: systemClock,
      logger,
      timeZone: config.clinicTimeZone,
    });
    hl7 = await startHl7Listener({
      port: config.hl7Port,
      host: config.host,
      handler,
      logger,
      limits: { maxConnectionsPerAddress: config.hl7MaxConnectionsPerAddress },
    });
    logger.info(`HL7 v2 (MLLP) listener for bedside monitors on ${config.host}:${hl7.port}`);
  } else {
    logger.info('HL7 listener off (HL7_PORT=0)');
  }

  let demoRun: DemoRun | null = null;
  if (demo) {
    const token = newToken();
    chairside.auth.addDeviceToken(token);
    const loopback = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    demoRun = await startDemo({
      sessions: chairside.sessions,
      patients: chairside.patients,
      protocols: chairside.protocols,
      logger,
      chairCount: config.demoChairs,
      speed: config.demoSpeed,
      seed: config.demoSeed ?? Date.now() % 2 ** 31,
      baseUrl: `http://${loopback.includes(':') ? `[${loopback}]` : loopback}:${port}`,
      token,
      clock: systemClock,
      fetch: globalThis.fetch,
    });
    chairside.setDemoControl(demoRun.control);
    logger.info(
      `Demo mode: ${config.demoChairs} simulated chairs at speed ${config.demoSpeed}. Open ${url} and log in${demoLogins ? ' as nurse / demo (also clinician / demo, admin / demo)' : ''}.`,
    );
  } else if (noUsersYet) {
    logger.warn(
      'FIRST START: there are no accounts yet, so nobody can log in. Stop the server and start it again with ADMIN_PASSWORD set to a passphrase of your own (at least 8 characters, not a common password), e.g. ADMIN_PASSWORD=\'…\' npm run serve -w @chairside/server; then log in as "admin" and create the staff accounts under Admin.',
    );
  } else {
    logger.info(`Open ${url} and log in.${config.adminPassword ? ' The admin account is "admin".' : ''}`);
  }

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await demoRun?.stop();
    await hl7?.close();
    await chairside.close();
    await cluster?.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof AdminPasswordError) {
    console.error(error.message);
  } else {
    logger.error('Chairside could not start', { error: error instanceof Error ? error.message : String(error) });
  }
  process.exit(1);
});
