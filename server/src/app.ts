import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import type { DemoAccount, Reading } from '@chairside/shared';
import { authenticate } from './auth/auth.middleware';
import { AuthService } from './auth/auth.service';
import { authRoutes, deviceTokenRoutes, userRoutes } from './auth/routes';
import { ChairsService } from './chairs/chairs.service';
import { chairRoutes } from './chairs/routes';
import { healthRoutes } from './health/routes';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { securityHeaders } from './http/security-headers';
import { storeFailureIsUnavailable } from './http/store-unavailable';
import { ReadGate } from './http/read-gate';
import { requireJsonForChanges } from './http/require-json';
import { startReadingPath } from './ingest/reading-path';
import { ingestRoutes } from './ingest/routes';
import { attachDeviceSockets, revalidateDeviceSockets } from './ingest/ingest.socket';
import { PatientsService } from './patients/patients.service';
import { ProtocolsService } from './protocols/protocols.service';
import { protocolRoutes } from './protocols/routes';
import { SessionsService } from './sessions/sessions.service';
import { remsFormRoutes, sessionRoutes } from './sessions/routes';
import { patientRoutes } from './patients/routes';
import {
  broadcastAlertEvents,
  broadcastAudioPause,
  broadcastSessionUpdated,
  createSocketServer,
  disconnectUser,
} from './realtime/socket-server';
import { AlertsService } from './alerts/alerts.service';
import { AlertActions } from './alerts/alert-actions';
import { AuditService } from './audit/audit.service';
import { ReviewService } from './review/review.service';
import { ExportPool } from './review/export-pool';
import { type DemoControl, demoRoutes } from './demo/routes';
import type { AppOptions, Chairside } from './app-options';
import { reviewRoutes } from './review/routes';
import { auditRoutes } from './audit/routes';
import { Hl7DevicesService } from './hl7/devices.service';
import { deviceRoutes, hl7Routes } from './hl7/routes';
import { alertRoutes, audioPauseListRoutes, audioPauseRoutes, sessionAlertRoutes } from './alerts/routes';
import { ClusterBus } from './cluster/cluster';
import { lateBound } from './wiring/late-bound';
import { startTimers } from './wiring/timers';
import type { ReachChannel } from './reach/alarm-reach';
import { createReach } from './reach/wiring';
import { startPush } from './wiring/push';
import { startHl7AlertsOut } from './wiring/hl7-alerts-out';

export type { AppOptions, Chairside } from './app-options';

/**
 * Builds the whole application around its dependencies and loads what it keeps in memory.
 * Never listens: the caller does. Each service gets the repositories it uses; a reading's path
 * after the commit is ingest/reading-path.ts.
 */
export async function createApp(options: AppOptions): Promise<Chairside> {
  const { store, clock, logger } = options;
  const auth = new AuthService(store, clock, { idleTimeoutMs: options.sessionIdleMs, deviceTokens: options.deviceTokens });
  let demoAccounts: DemoAccount[] | null = null;
  let demoControl: DemoControl | null = null;

  const app = express();
  const httpServer = http.createServer(app);
  // Outlive the idle timeouts of load balancers and clients (60 s is common), so a reused
  // keep-alive connection is never closed under a request.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const audit = new AuditService(store, clock, logger);
  // Sessions and the sockets call the alert engine, which is built from the sessions.
  const alertsOf = lateBound<AlertsService>('alerts are');
  // Heavy history reads (a chair's readings, a dashboard's backlog) take turns: a flood of them must not hold the loop.
  const readGate = new ReadGate();
  // Acknowledging and pausing alarms with their audit entries, for the REST routes and the sockets alike.
  const alertActions = new AlertActions(alertsOf.get, audit);
  const io = createSocketServer(httpServer, {
    auth,
    store,
    logger,
    readGate,
    alertActions,
    ...(options.cluster ? { adapter: options.cluster.adapter } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
  });
  const bus = options.cluster ? new ClusterBus(io, logger) : null;
  const logFailure = (what: string) => (error: unknown) => logger.error(what, { error: String(error) });
  // Alarm reach: assignments, escalation, and the channels each alert's moments go to (Web Push, HL7 alerts out).
  const reachChannels: ReachChannel[] = [];
  const reach = createReach({ store, clock, logger, io, audit, channels: reachChannels, delays: options.escalationDelays, alerts: alertsOf.get });
  const hl7AlertsOut = startHl7AlertsOut({ store, clock, logger, io, timeZone: options.clinicTimeZone ?? 'UTC', leading: () => alertsOf.get().leading, options: options.hl7AlertsOut, channels: reachChannels });

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
      alertsOf.get().onSessionChanged(summary).catch(logFailure('alert context update failed'));
    },
    sessionAlerts: (sessionId) => alertsOf.get().sessionAlerts(sessionId),
    // The alert engine evaluates attached readings in their place.
    onReadingsAttached: (readings: readonly Reading[]) => {
      const sessionId = readings[0]?.sessionId;
      if (sessionId === null || sessionId === undefined) return;
      alertsOf.get().onReadingsAttached(sessionId, readings).catch(logFailure('alert evaluation of attached readings failed'));
    },
  });
  const alerts = new AlertsService({
    store,
    clock,
    logger,
    activeSessions: () => sessions.activeSummaries(),
    // "Not ready for discharge" is judged on the gate the sessions' tick evaluated just before.
    lastGate: (sessionId) => sessions.lastGate(sessionId),
    onEvents: (chairId, sessionId, events) => {
      broadcastAlertEvents(io, chairId, sessionId, events);
      reach.onAlertEvents(chairId, sessionId, events);
    },
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
    ...(options.alertEngine ? { engineMode: options.alertEngine } : {}),
  });
  alertsOf.set(alerts);
  const chairs = new ChairsService(store, clock, (chairId) => sessions.activeSummary(chairId));
  await protocols.seedDefaults();
  await sessions.load();

  const readingPath = await startReadingPath({
    store,
    io,
    bus,
    chairs,
    sessions,
    alerts,
    clock,
    logger,
    groupCommitWindowMs: options.groupCommitWindowMs,
    maxReadingAgeDays: options.maxReadingAgeDays,
    pollMs: options.cluster?.pollMs,
  });
  const { ingest } = readingPath;
  attachDeviceSockets(io, { auth, ingest, logger });
  const devices = new Hl7DevicesService(store, clock);
  // Alarms to users' phones by Web Push (docs/architecture.md "Alarm reach").
  const push = await startPush({ store, clock, logger, options: options.push, channels: reachChannels, audit });
  const stopTimers = startTimers({ sessions, alerts, reach, io, auth, logger, tickMs: options.tickMs, socketRecheckMs: options.socketRecheckMs });

  app.disable('x-powered-by');
  // Login throttling counts per client address: behind a load balancer, trust it to name the client.
  app.set('trust proxy', options.trustProxy ?? 'loopback');
  app.use(securityHeaders);
  app.use(express.json({ limit: '1mb' }));

  const api = express.Router();
  api.use(requireJsonForChanges);
  api.use(authenticate(auth));
  api.use('/health', healthRoutes(store, clock, options.version ?? '0.0.0', () => readingPath.health.current(), hl7AlertsOut?.health));
  api.use('/auth', authRoutes(auth, { audit, demoAccounts: () => demoAccounts, idleTimeoutMs: options.sessionIdleMs }));
  api.use('/v1/users', userRoutes(auth, audit, (userId) => disconnectUser(io, userId)));
  api.use('/v1/device-tokens', deviceTokenRoutes(auth, audit, () => void revalidateDeviceSockets(io, auth).catch(logFailure('device socket re-check failed'))));
  api.use('/v1/devices', deviceRoutes(devices, audit));
  api.use('/v1/hl7', hl7Routes(devices));
  api.use('/v1/chairs', chairRoutes(chairs, clock, audit, readGate));
  api.use('/v1/readings', ingestRoutes(ingest));
  api.use('/v1/patients', patientRoutes(patients, audit));
  api.use('/v1/protocols', protocolRoutes(protocols, audit));
  const exports = new ExportPool(logger, options.exportLimits);
  const review = new ReviewService({ store, clock, sessions, exports, timeZone: options.clinicTimeZone ?? 'UTC' });
  api.use('/v1', reviewRoutes(review, audit, options.clinicTimeZone ?? 'UTC'));
  api.use('/v1/sessions', sessionRoutes(sessions, audit, { timeZone: options.clinicTimeZone ?? 'UTC', clock }));
  api.use('/v1/sessions', sessionAlertRoutes(alerts, audit));
  api.use('/v1/rems-forms', remsFormRoutes(sessions, clock));
  api.use('/v1/audit', auditRoutes(audit, clock));
  api.use('/v1/demo', demoRoutes(() => demoControl, audit));
  api.use('/v1/audio-pauses', audioPauseListRoutes(alerts));
  api.use('/v1/alerts', alertRoutes(alerts, alertActions));
  api.use('/v1/push', push.keyRoutes);
  api.use('/v1/push-subscriptions', push.subscriptionRoutes);
  api.use('/v1/chairs', audioPauseRoutes(alertActions, (message) => broadcastAudioPause(io, message)));
  api.use('/v1', reach.routes);
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
    reach,
    hl7AlertsOut,
    setDemoControl(control) {
      demoControl = control;
    },
    setDemoAccounts(accounts) {
      demoAccounts = accounts;
    },
    async close() {
      stopTimers();
      await readingPath.close();
      await exports.close();
      await alerts.stop();
      await reach.close();
      await hl7AlertsOut?.close();
      await push.channel.close();
      httpServer.closeIdleConnections();
      await io.close(); // also closes the HTTP server
      httpServer.closeAllConnections();
    },
  };
}
