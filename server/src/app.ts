import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express, { type ErrorRequestHandler } from 'express';
import helmet from 'helmet';
import type { DemoAccount, Reading } from '@chairside/shared';
import { authenticate } from './auth/auth.middleware';
import { AuthService } from './auth/auth.service';
import { authRoutes, deviceTokenRoutes, userRoutes } from './auth/routes';
import { ChairsService } from './chairs/chairs.service';
import { chairRoutes } from './chairs/routes';
import type { Clock } from './clock';
import { healthRoutes } from './health/routes';
import { AppError } from './http/app-error';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { ReadGate } from './http/read-gate';
import { requireJsonForChanges } from './http/require-json';
import { IngestService } from './ingest/ingest.service';
import { ingestRoutes } from './ingest/routes';
import { attachDeviceSockets, revalidateDeviceSockets } from './ingest/ingest.socket';
import { WriteBatcher } from './ingest/write-batcher';
import type { Logger } from './logger';
import { PatientsService } from './patients/patients.service';
import { ProtocolsService } from './protocols/protocols.service';
import { protocolRoutes } from './protocols/routes';
import { SessionsService } from './sessions/sessions.service';
import { sessionRoutes } from './sessions/routes';
import { patientRoutes } from './patients/routes';
import {
  broadcastAlertEvents,
  broadcastAudioPause,
  broadcastReadings,
  broadcastSessionUpdated,
  type ChairsideServer,
  createSocketServer,
  disconnectUser,
  revalidateSockets,
} from './realtime/socket-server';
import { AlertsService } from './alerts/alerts.service';
import { AuditService } from './audit/audit.service';
import { ReviewService } from './review/review.service';
import { ExportPool, type ExportPoolLimits } from './review/export-pool';
import { type DemoControl, demoRoutes } from './demo/routes';
import { reviewRoutes } from './review/routes';
import { auditRoutes } from './audit/routes';
import { Hl7DevicesService } from './hl7/devices.service';
import { deviceRoutes, hl7Routes } from './hl7/routes';
import { alertRoutes, audioPauseListRoutes, audioPauseRoutes, sessionAlertRoutes } from './alerts/routes';
import { type ServerStatus, socketRooms } from '@chairside/shared';
import type { Store } from './store/store';
import { describeStoreFailure } from './store/store-errors';
import type { ServerOptions } from 'socket.io';
import { ClusterBus, ReadingsFeed } from './cluster/cluster';

export interface AppOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Device tokens accepted for ingest. */
  deviceTokens: readonly string[];
  sessionIdleMs: number;
  /** Built dashboard to serve, if any. */
  clientDir?: string;
  /** Time zone of reports and exports (CLINIC_TIMEZONE); default UTC. */
  clinicTimeZone?: string;
  /** A reading measured longer ago than this many days is refused. Default 30. */
  maxReadingAgeDays?: number;
  /** Group-commit window for readings. */
  groupCommitWindowMs?: number;
  /**
   * How often time passes for sessions and alerts: one timer runs the sessions' tick (the discharge
   * gate, evaluated afresh) and then the alert engine's (which judges "not ready" on that gate). Default 2000 ms.
   */
  tickMs?: number;
  /** How often sockets' login sessions are re-checked. */
  socketRecheckMs?: number;
  /**
   * One of several servers sharing a PostgreSQL store: Socket.IO's adapter between them, and how
   * often to look for readings other servers committed in case a message between them was lost.
   */
  cluster?: { adapter: NonNullable<ServerOptions['adapter']>; pollMs?: number };
  /** How often a server without the alert engine tries to take it over (several servers). */
  leaseRetryMs?: number;
  /** Session exports (PDF, CSV, FHIR) render in worker threads: how many at once, queued, and for how long. */
  exportLimits?: Partial<ExportPoolLimits>;
  /** Express's `trust proxy` (TRUST_PROXY): proxies whose X-Forwarded-For names the client. Default loopback. */
  trustProxy?: string | number;
  /** Origins besides the server's own whose pages may open a dashboard socket (ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  version?: string;
}

export interface Chairside {
  app: express.Express;
  httpServer: http.Server;
  io: ChairsideServer;
  auth: AuthService;
  chairs: ChairsService;
  patients: PatientsService;
  sessions: SessionsService;
  protocols: ProtocolsService;
  alerts: AlertsService;
  /** The one path readings take into the store (HTTP and the HL7 listener). */
  ingest: IngestService;
  /** HL7 monitors bound to chairs, message-to-chair mapping, unmapped messages. */
  devices: Hl7DevicesService;
  /** Demo mode's control of the simulated chairs (admin presenter); null outside demo mode. */
  setDemoControl(control: DemoControl | null): void;
  /** Demo logins to show on the login page (demo mode only). */
  setDemoAccounts(accounts: DemoAccount[] | null): void;
  /** Stops accepting work, commits what is queued, closes sockets. Does not close the store. */
  close(): Promise<void>;
}

/**
 * Builds the whole application around its dependencies and loads what it keeps in memory.
 * Never listens: the caller does.
 */
export async function createApp(options: AppOptions): Promise<Chairside> {
  const { store, clock, logger } = options;
  const auth = new AuthService(store, clock, {
    idleTimeoutMs: options.sessionIdleMs,
    deviceTokens: options.deviceTokens,
  });
  let demoAccounts: DemoAccount[] | null = null;
  let demoControl: DemoControl | null = null;

  const app = express();
  const httpServer = http.createServer(app);
  // Outlive the idle timeouts of load balancers and clients (60 s is common), so a reused
  // keep-alive connection is never closed under a request.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const audit = new AuditService(store, clock, logger);
  let alertsRef: AlertsService | null = null;
  const alertsOf = (): AlertsService => {
    if (!alertsRef) throw new Error('alerts are not ready');
    return alertsRef;
  };
  // Heavy history reads (a chair's readings, a dashboard's backlog) take turns: a flood of them must not hold the loop.
  const readGate = new ReadGate();
  const io = createSocketServer(httpServer, {
    auth,
    store,
    logger,
    audit,
    readGate,
    alerts: alertsOf,
    ...(options.cluster ? { adapter: options.cluster.adapter } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
  });
  const bus = options.cluster ? new ClusterBus(io, logger) : null;

  const patients = new PatientsService(store, clock);
  const protocols = new ProtocolsService(store, clock);
  const sessions = new SessionsService({
    store,
    clock,
    logger,
    patients,
    protocols,
    onChanged: (summary, origin) => {
      // Another server's change reached its dashboards (and every other) through the adapter.
      if (origin !== 'peer') broadcastSessionUpdated(io, summary);
      // Other servers follow readings themselves; events they must be told of.
      if (origin === 'event') bus?.sessionChanged(summary.id);
      alertsOf()
        .onSessionChanged(summary)
        .catch((error: unknown) => logger.error('alert context update failed', { error: String(error) }));
    },
    sessionAlerts: (sessionId) => alertsOf().sessionAlerts(sessionId),
    // The alert engine evaluates attached readings in their place (wired below, once it exists).
    onReadingsAttached: (readings) => onReadingsAttached(readings),
  });
  const alerts = new AlertsService({
    store,
    clock,
    logger,
    activeSessions: () => sessions.activeSummaries(),
    // "Not ready for discharge" is judged on the gate the sessions' tick evaluated just before.
    lastGate: (sessionId) => sessions.lastGate(sessionId),
    onEvents: (chairId, sessionId, events) => broadcastAlertEvents(io, chairId, sessionId, events),
    ...(bus
      ? {
          cluster: {
            publishAlerts: (changed) => bus.alertsChanged(changed),
            publishPause: (message) => bus.audioPaused(message),
            forwardAcknowledge: (request) => bus.forwardAcknowledge(request),
          },
        }
      : {}),
    ...(options.leaseRetryMs ? { leaseRetryMs: options.leaseRetryMs } : {}),
  });
  alertsRef = alerts;
  function onReadingsAttached(readings: readonly Reading[]): void {
    const sessionId = readings[0]?.sessionId;
    if (sessionId === null || sessionId === undefined) return;
    alerts.onReadingsAttached(sessionId, readings).catch((error: unknown) => logger.error('alert evaluation of attached readings failed', { error: String(error) }));
  }
  const chairs = new ChairsService(store, clock, (chairId) => sessions.activeSummary(chairId));
  await protocols.seedDefaults();
  await sessions.load();

  const logFailure = (what: string) => (error: unknown) => logger.error(what, { error: String(error) });
  // With several servers, every server reads back every committed reading in sequence order: the
  // alert engine's node evaluates them all; the others update their caches with other servers' ones.
  const feed = bus
    ? new ReadingsFeed(store, logger, async (readings, committedHere) => {
        const theirs = readings.filter((r) => !committedHere(r));
        if (theirs.length > 0) {
          chairs.applyReadings(theirs);
          await sessions.onPeerReadings(theirs);
        }
        await alerts.onReadings(readings).catch(logFailure('alert evaluation failed'));
      })
    : null;
  if (bus) {
    bus.listen({
      onReadingsCommitted: () => feed?.wake(),
      onSessionChanged: (sessionId) => void sessions.reloadFromPeer(sessionId).catch(logFailure('could not reread a session')),
      onAlertsChanged: (changed) => alerts.applyPeerAlerts(changed),
      onAudioPaused: (message) => alerts.applyPeerPause(message),
      acknowledge: (request) => alerts.acknowledgeForPeer(request),
    });
  }
  // The feed starts before the alert engine loads, so no reading falls between the two.
  await feed?.start(options.cluster?.pollMs ?? 1_000);
  await alerts.start();

  const batcher = new WriteBatcher(store.readings, {
    windowMs: options.groupCommitWindowMs ?? 2,
    maxRows: 5000,
    onCommitted: (readings) => {
      chairs.applyReadings(readings);
      broadcastReadings(io, readings);
      if (feed && bus) {
        feed.noteLocal(readings);
        bus.readingsCommitted(readings.at(-1)?.seq ?? 0);
      } else {
        // Alerts first: a new BP then updates the session, whose context reaches the engine after the reading.
        alerts.onReadings(readings).catch(logFailure('alert evaluation failed'));
      }
      sessions.onReadingsCommitted(readings);
    },
  });
  let status: ServerStatus = { storeWritable: true, problem: null, sinceMs: clock.now() };
  const setStatus = (next: ServerStatus): void => {
    if (next.storeWritable === status.storeWritable && next.problem === status.problem) return;
    status = next;
    if (!next.storeWritable) logger.error('readings cannot be saved', { problem: next.problem });
    else logger.info('readings are being saved again');
    io.to(socketRooms.dashboards).emit('server:status', next);
  };
  const ingest = new IngestService(
    store,
    batcher,
    clock,
    sessions,
    (problem) => setStatus({ storeWritable: false, problem: `Readings cannot be saved: ${problem}.`, sinceMs: clock.now() }),
    () => {
      if (!status.storeWritable) setStatus({ storeWritable: true, problem: null, sinceMs: clock.now() });
    },
    options.maxReadingAgeDays,
  );
  attachDeviceSockets(io, { auth, ingest, logger });
  const devices = new Hl7DevicesService(store, clock);
  io.on('connection', (socket) => {
    if (!status.storeWritable) socket.emit('server:status', status);
  });
  // Sessions first: the alert engine's tick reads the gate the sessions' tick has just evaluated.
  // A tick that outlasts the interval is not overlapped by the next one.
  let ticking = false;
  const ticker = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void (async () => {
      await sessions.tick().catch((error: unknown) => logger.error('session tick failed', { error: String(error) }));
      await alerts.tick().catch((error: unknown) => logger.error('alert tick failed', { error: String(error) }));
    })().finally(() => {
      ticking = false;
    });
  }, options.tickMs ?? 2_000);
  ticker.unref();
  const socketChecker = setInterval(() => {
    revalidateSockets(io, auth).catch((error: unknown) => logger.error('socket re-check failed', { error: String(error) }));
    revalidateDeviceSockets(io, auth).catch((error: unknown) => logger.error('device socket re-check failed', { error: String(error) }));
  }, options.socketRecheckMs ?? 30_000);
  socketChecker.unref();

  app.disable('x-powered-by');
  // Login throttling counts per client address: behind a load balancer, trust it to name the client.
  app.set('trust proxy', options.trustProxy ?? 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          styleSrc: ["'self'"],
          scriptSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: false,
    }),
  );
  app.use(express.json({ limit: '1mb' }));

  const api = express.Router();
  api.use(requireJsonForChanges);
  api.use(authenticate(auth));
  api.use('/health', healthRoutes(store, clock, options.version ?? '0.0.0', () => status));
  api.use('/auth', authRoutes(auth, { audit, demoAccounts: () => demoAccounts, idleTimeoutMs: options.sessionIdleMs }));
  api.use('/v1/users', userRoutes(auth, audit, (userId) => disconnectUser(io, userId)));
  api.use('/v1/device-tokens', deviceTokenRoutes(auth, audit, () => {
    revalidateDeviceSockets(io, auth).catch((error: unknown) => logger.error('device socket re-check failed', { error: String(error) }));
  }));
  api.use('/v1/devices', deviceRoutes(devices, audit));
  api.use('/v1/hl7', hl7Routes(devices));
  api.use('/v1/chairs', chairRoutes(chairs, store, clock, audit, readGate));
  api.use('/v1/readings', ingestRoutes(ingest));
  api.use('/v1/patients', patientRoutes(patients, audit));
  api.use('/v1/protocols', protocolRoutes(protocols, audit));
  const exports = new ExportPool(logger, options.exportLimits);
  const review = new ReviewService({ store, clock, sessions, exports, timeZone: options.clinicTimeZone ?? 'UTC' });
  api.use('/v1', reviewRoutes(review, audit, options.clinicTimeZone ?? 'UTC'));
  api.use('/v1/sessions', sessionRoutes(sessions, audit));
  api.use('/v1/sessions', sessionAlertRoutes(store, audit));
  api.use('/v1/audit', auditRoutes(audit, clock));
  api.use('/v1/demo', demoRoutes(() => demoControl, audit));
  api.use('/v1/audio-pauses', audioPauseListRoutes(alerts));
  api.use('/v1/alerts', alertRoutes(alerts, audit));
  api.use('/v1/chairs', audioPauseRoutes(alerts, audit, (message) => broadcastAudioPause(io, message)));
  api.use(notFoundHandler);
  app.use('/api', api);

  if (options.clientDir && fs.existsSync(path.join(options.clientDir, 'index.html'))) {
    const clientDir = options.clientDir;
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    // Single-page app: every other GET gets the dashboard.
    app.get('/{*path}', (_req, res) => {
      res.sendFile(path.join(clientDir, 'index.html'), { maxAge: 0 });
    });
  }
  app.use(notFoundHandler);
  app.use(storeFailureIsUnavailable);
  app.use(errorHandler(logger));

  return {
    app,
    httpServer,
    io,
    auth,
    chairs,
    patients,
    sessions,
    protocols,
    alerts,
    ingest,
    devices,
    setDemoControl(control) {
      demoControl = control;
    },
    setDemoAccounts(accounts) {
      demoAccounts = accounts;
    },
    async close() {
      clearInterval(ticker);
      clearInterval(socketChecker);
      await batcher.close();
      await exports.close();
      await feed?.idle();
      feed?.stop();
      await alerts.stop();
      httpServer.closeIdleConnections();
      await io.close(); // also closes the HTTP server
      httpServer.closeAllConnections();
    },
  };
}

/**
 * A request the store cannot serve now (locked by another program, a full or failing disk) answers
 * 503 with the cause, promptly (the store's lock wait is short), never a 500.
 */
const storeFailureIsUnavailable: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  const why = describeStoreFailure(error);
  next(why === null ? error : new AppError('unavailable', `The database cannot answer now: ${why}. Try again shortly.`, { retryAfterSec: 5 }));
};
