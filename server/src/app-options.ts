import type http from 'node:http';
import type express from 'express';
import type { ServerOptions } from 'socket.io';
import type { DemoAccount } from '@chairside/shared';
import type { AlertsService } from './alerts/alerts.service';
import type { AuthService } from './auth/auth.service';
import type { ChairsService } from './chairs/chairs.service';
import type { Clock } from './clock';
import type { DemoControl } from './demo/routes';
import type { Hl7DevicesService } from './hl7/devices.service';
import type { IngestService } from './ingest/ingest.service';
import type { Logger } from './logger';
import type { PatientsService } from './patients/patients.service';
import type { ProtocolsService } from './protocols/protocols.service';
import type { EscalationDelays } from './reach/escalation';
import type { Reach } from './reach/wiring';
import type { ChairsideServer } from './realtime/socket-server';
import type { ExportPoolLimits } from './review/export-pool';
import type { SessionsService } from './sessions/sessions.service';
import type { Hl7AlertsOut, Hl7AlertsOutOptions } from './wiring/hl7-alerts-out';
import type { Store } from './store/store';
import type { PushOptions } from './wiring/push';

/** What createApp is built from (main.ts reads them from the environment; tests set them). */
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
  /** Where the alert engines evaluate (ALERT_ENGINE_THREAD): a worker thread (default) or the main thread. */
  alertEngine?: 'thread' | 'in-process';
  /** Session exports (PDF, CSV, FHIR) render in worker threads: how many at once, queued, and for how long. */
  exportLimits?: Partial<ExportPoolLimits>;
  /** Express's `trust proxy` (TRUST_PROXY): proxies whose X-Forwarded-For names the client. Default loopback. */
  trustProxy?: string | number;
  /** Origins besides the server's own whose pages may open a dashboard socket (ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** Web Push to users' devices: the VAPID contact, and (tests) the TLS agent for the push service. */
  push?: PushOptions;
  /** How long an unacknowledged alarm waits before it reaches the next people (ESCALATION_HIGH_SECONDS, ESCALATION_MEDIUM_SECONDS). */
  escalationDelays?: EscalationDelays;
  /** Alerts to a paging gateway as ORU^R40 over MLLP (HL7_ALERT_TARGET; docs/hl7-alerts.md); unset: none. */
  hl7AlertsOut?: Hl7AlertsOutOptions;
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
  /** Alarm reach: chair assignments and the escalation of unacknowledged alarms. */
  reach: Reach;
  /** HL7 alerts out to the paging gateway; null when none is configured. */
  hl7AlertsOut: Hl7AlertsOut | null;
  /** Demo mode's control of the simulated chairs (admin presenter); null outside demo mode. */
  setDemoControl(control: DemoControl | null): void;
  /** Demo logins to show on the login page (demo mode only). */
  setDemoAccounts(accounts: DemoAccount[] | null): void;
  /** Stops accepting work, commits what is queued, closes sockets. Does not close the store. */
  close(): Promise<void>;
}
