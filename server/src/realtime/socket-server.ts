import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import {
  acknowledgeAlertRequestSchema,
  type AlertEvent,
  audioPauseRequestSchema,
  type AudioPauseMessage,
  type ClientToServerEvents,
  type ErrorBody,
  fieldIssues,
  maxSocketMessageBytes,
  maxSyncPage,
  type Reading,
  type ServerToClientEvents,
  type SessionSummary,
  type SocketData,
  socketRooms,
  syncRequestSchema,
} from '@chairside/shared';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../http/app-error';
import type { ReadGate } from '../http/read-gate';
import { sessionTokenFromCookieHeader } from '../auth/auth.middleware';
import type { AlertActions, Caregiver } from '../alerts/alert-actions';
import { errorBodyFor } from '../http/error-handler';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { ClusterEvents } from '../cluster/cluster';
import { withoutPatientIdentity } from '../chairs/chairs.service';
import { boundWriteQueue, defaultMaxQueuedChars } from './write-queue-bound';

/** The login session each socket was opened with, to re-check it while the socket lives. */
const socketTokens = new WeakMap<object, string>();

export type ChairsideServer = Server<ClientToServerEvents, ServerToClientEvents, ClusterEvents, SocketData>;
type ChairsideSocket = Socket<ClientToServerEvents, ServerToClientEvents, ClusterEvents, SocketData>;

/** Every socket of a user is in this room, on whichever server it is connected. */
const userRoom = (userId: string): string => `user:${userId}`;

/**
 * Admins' synced dashboards, besides `socketRooms.dashboards`: they are sent sessions without the
 * patient's name and MRN (an admin may not see patients).
 */
const adminDashboardsRoom = 'dashboards:admin';

/** Dashboard sockets one user may hold open at once on one server (tabs, screens, reconnects). */
export const maxSocketsPerUser = 20;

/** How long a connection that joined no namespace may stay open (Socket.IO's default is 45 s). */
const connectTimeoutMs = 10_000;

/** A refused connection is closed once the refusal is sent, or after this if the client does not read it. */
const refusedCloseMs = 1_000;

/**
 * Whether a browser page of `origin` may open a socket here: the server's own origin (the Host the
 * request came to) or one of `allowedOrigins`. No Origin at all (devices, scripts, socket.io-client
 * in Node) is allowed: the socket still needs a session cookie or a device token.
 */
export function originAllowed(req: Pick<IncomingMessage, 'headers'>, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:), or garbage
  }
  if (allowedOrigins.has(url.origin)) return true;
  const host = req.headers.host;
  if (!host || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  try {
    return new URL(`${url.protocol}//${host}`).host === url.host;
  } catch {
    return false;
  }
}

/** An origin as ALLOWED_ORIGINS lists it, normalized (`https://Dash.example:443/` → `https://dash.example`). */
export function normalizeOrigin(origin: string): string {
  return new URL(origin).origin;
}

/** Sync requests one dashboard socket may have unanswered at once. */
const maxSyncsInFlight = 2;
/** Readings per sync answer. */
const syncPageSize = 1_000;

function errorAck(code: ErrorBody['error']['code'], message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export interface RealtimeDeps {
  auth: AuthService;
  store: Pick<Store, 'readings'>;
  /** Heavy reads take turns (shared with the HTTP readings endpoint). */
  readGate: ReadGate;
  logger: Logger;
  /** Acknowledging and pausing alarms with their audit entries, as the REST routes do (its alert service is bound after construction). */
  alertActions: AlertActions;
  /** Fan-out between several servers (the PostgreSQL adapter); in memory when absent. */
  adapter?: ServerOptions['adapter'];
  /** Origins besides the server's own whose pages may open a socket (ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** What a dashboard's connection may have waiting unsent before it is cut (write-queue-bound.ts). */
  maxQueuedChars?: number;
}

const careTeamRoles: readonly string[] = ['nurse', 'clinician'];

/** The socket's user and address, as the audit trail records them. */
const caregiverOf = (socket: ChairsideSocket): Caregiver => ({
  user: { id: socket.data.userId, username: socket.data.username, role: socket.data.role },
  ip: socket.handshake.address,
});

/**
 * Socket.IO for dashboards: authenticated by the session cookie; a dashboard joins the live stream
 * when it syncs, so backlog + live covers every reading (duplicates are dropped by `seq` client-side).
 */
export function createSocketServer(httpServer: HttpServer, deps: RealtimeDeps): ChairsideServer {
  const allowedOrigins = new Set((deps.allowedOrigins ?? []).map(normalizeOrigin));
  const io: ChairsideServer = new Server(httpServer, {
    serveClient: false,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    maxHttpBufferSize: maxSocketMessageBytes,
    // A dashboard must learn fast that it lost the server (that is itself an alarm): a silent
    // connection is noticed within 15 s instead of Socket.IO's default 45 s.
    pingInterval: 10_000,
    pingTimeout: 5_000,
    // A connection that joins no namespace (refused, or never asking) is closed after this.
    connectTimeout: connectTimeoutMs,
    // Same origin only: no CORS headers are sent. A page of another origin — another port of the
    // same host included, to which the SameSite cookie is still sent — cannot open a WebSocket
    // either: the handshake's Origin must be this server's own or one of ALLOWED_ORIGINS.
    allowRequest: (req, callback) => {
      if (originAllowed(req, allowedOrigins)) callback(null, true);
      else callback('origin not allowed', false);
    },
  });

  /** Dashboard sockets per user on this server, counted from the handshake on (see `holdPlace`). */
  const socketsPerUser = new Map<string, number>();
  /** Counts a socket of `userId` until it disconnects or its connection closes, whichever first. */
  const holdPlace = (socket: ChairsideSocket, userId: string): void => {
    socketsPerUser.set(userId, (socketsPerUser.get(userId) ?? 0) + 1);
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      const left = (socketsPerUser.get(userId) ?? 1) - 1;
      if (left <= 0) socketsPerUser.delete(userId);
      else socketsPerUser.set(userId, left);
    };
    socket.once('disconnect', release);
    socket.conn.once('close', release);
  };
  /**
   * Refuses a socket and closes its connection as soon as the refusal has been sent (or after
   * `refusedCloseMs`, for a client that never reads it), unless another namespace is connected on
   * it: a refused client must not keep a connection (and its memory) open.
   */
  const refuse = (socket: ChairsideSocket, next: (error?: Error) => void, message: string): void => {
    const conn = socket.conn;
    const inUse = (): boolean => [...io._nsps.values()].some((nsp) => [...nsp.sockets.values()].some((s) => s.conn === conn));
    const close = (): void => {
      clearTimeout(timer);
      conn.off('drain', close);
      if (!inUse()) conn.close(true);
    };
    const timer = setTimeout(close, refusedCloseMs);
    // The refusal is written after `next` returns; its 'drain' means the client has it.
    conn.once('drain', close);
    conn.once('close', () => {
      clearTimeout(timer);
      conn.off('drain', close);
    });
    next(new Error(message));
  };

  io.use(async (socket, next) => {
    let actor: Awaited<ReturnType<AuthService['userForSession']>>;
    const token = sessionTokenFromCookieHeader(socket.handshake.headers.cookie);
    try {
      actor = token ? await deps.auth.userForSession(token) : null;
    } catch (error) {
      deps.logger.error('socket authentication failed', { error: String(error) });
      refuse(socket, next, 'unavailable');
      return;
    }
    if (!actor || !token) {
      refuse(socket, next, 'unauthorized');
      return;
    }
    // Checked and counted in one synchronous step: handshakes in parallel cannot pass the cap together.
    if ((socketsPerUser.get(actor.user.id) ?? 0) >= maxSocketsPerUser) {
      refuse(socket, next, `too many connections: at most ${maxSocketsPerUser} dashboards per user; close some tabs or screens`);
      return;
    }
    holdPlace(socket, actor.user.id);
    socket.data = { userId: actor.user.id, username: actor.user.username, role: actor.user.role };
    socketTokens.set(socket, token);
    next();
  });

  const maxQueuedChars = deps.maxQueuedChars ?? defaultMaxQueuedChars;
  io.on('connection', (socket: ChairsideSocket) => {
    if (socket.data.userId) void socket.join(userRoom(socket.data.userId));
    // A dashboard that stops reading must not hold the server's memory or the others' turn: cut
    // (discarding what it had queued), it reconnects and resyncs by sequence number.
    boundWriteQueue(socket.conn, maxQueuedChars, (queuedChars) => {
      deps.logger.warn('a dashboard stopped reading: its connection was closed; it resyncs when it reconnects', {
        user: socket.data.username,
        ip: socket.handshake.address,
        queuedChars,
      });
      socket.conn.close(true);
    });
    /** Runs a handler that answers through `ack`, turning thrown errors into error acknowledgements. */
    const answer = async (ack: unknown, work: () => Promise<unknown>): Promise<void> => {
      if (typeof ack !== 'function') return;
      if (!careTeamRoles.includes(socket.data.role)) {
        ack(errorAck('forbidden', 'This needs the nurse or clinician role.'));
        return;
      }
      try {
        ack(await work());
      } catch (error) {
        const known = errorBodyFor(error);
        if (known) ack(known.body);
        else {
          deps.logger.error('socket handler failed', { error: String(error) });
          ack(errorAck('internal', 'Something went wrong on the server.'));
        }
      }
    };

    socket.on('alert:acknowledge', (request: unknown, ack: unknown) =>
      answer(ack, async () => {
        const { alertId, note } = acknowledgeAlertRequestSchema.parse(request);
        return deps.alertActions.acknowledge(caregiverOf(socket), alertId, note);
      }),
    );

    socket.on('audio:pause', (request: unknown, ack: unknown) =>
      answer(ack, async () => {
        const { chairId } = audioPauseRequestSchema.parse(request);
        const message = await deps.alertActions.pauseAudio(caregiverOf(socket), chairId);
        broadcastAudioPause(io, message);
        return message;
      }),
    );

    let syncsInFlight = 0;
    socket.on('readings:sync', async (request: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const parsed = syncRequestSchema.safeParse(request);
      if (!parsed.success) {
        ack(errorAck('invalid_input', 'The sync request is not valid.', fieldIssues(parsed.error)));
        return;
      }
      // A dashboard asks for one page at a time; more at once from one socket is refused at once.
      if (syncsInFlight >= maxSyncsInFlight) {
        ack(errorAck('unavailable', `At most ${maxSyncsInFlight} sync requests at a time: wait for the answers.`));
        return;
      }
      syncsInFlight += 1;
      try {
        // Join first, then read the backlog: anything committed meanwhile arrives live (and maybe in
        // the backlog too; the client drops the duplicate by seq).
        await socket.join(socket.data.role === 'admin' ? [socketRooms.dashboards, adminDashboardsRoom] : socketRooms.dashboards);
        // Pages of at most `syncPageSize`, whatever was asked (hasMore says there is more): one page
        // holds the loop for tens of milliseconds, never seconds.
        const limit = Math.min(parsed.data.limit ?? maxSyncPage, syncPageSize);
        if (parsed.data.afterSeq === null) {
          ack({ readings: [], latestSeq: await deps.store.readings.latestSeq(), hasMore: false });
          return;
        }
        const afterSeq = parsed.data.afterSeq;
        const readings = await deps.readGate.run(() => deps.store.readings.readingsAfter(afterSeq, limit + 1));
        const hasMore = readings.length > limit;
        const page = hasMore ? readings.slice(0, limit) : readings;
        const latestSeq = page.at(-1)?.seq ?? (await deps.store.readings.latestSeq());
        ack({ readings: page, latestSeq, hasMore });
      } catch (error) {
        if (error instanceof AppError && error.code === 'unavailable') {
          ack(errorAck('unavailable', error.message));
        } else {
          deps.logger.error('sync failed', { error: String(error) });
          ack(errorAck('unavailable', 'The server could not read the backlog; retry.'));
        }
      } finally {
        syncsInFlight -= 1;
      }
    });
  });

  return io;
}

/** Disconnects every socket of a user (disabled, password reset, role changed). */
export function disconnectUser(io: ChairsideServer, userId: string): void {
  // Through the adapter: the user's sockets on every server.
  io.in(userRoom(userId)).disconnectSockets(true);
}

/**
 * Re-checks the login session behind every socket: a socket whose session expired, was logged out
 * or whose user was disabled is disconnected (the dashboard then shows the login page).
 */
export async function revalidateSockets(io: ChairsideServer, auth: AuthService): Promise<void> {
  for (const socket of io.sockets.sockets.values()) {
    const token = socketTokens.get(socket);
    const actor = token ? await auth.userForSession(token) : null;
    if (!actor || actor.user.role !== socket.data.role) socket.disconnect(true);
  }
}

/** A session changed: the care team's dashboards get it whole, admins' without the patient's identity. */
export function broadcastSessionUpdated(io: ChairsideServer, summary: SessionSummary): void {
  io.to(socketRooms.dashboards).except(adminDashboardsRoom).emit('session:updated', summary);
  io.to(adminDashboardsRoom).emit('session:updated', withoutPatientIdentity(summary));
}

/**
 * Committed readings to this server's synced dashboards. Only this server's (`local`): with several
 * servers each one reads every committed reading back in sequence order and sends other servers'
 * readings to its own dashboards (ingest/reading-path.ts), so readings never travel through the
 * PostgreSQL adapter, which would encode every group a second time, send it through the database and
 * hold the local emit until the database answered. One server's in-memory adapter ignores the flag.
 */
export function broadcastReadings(io: ChairsideServer, readings: Reading[]): void {
  io.local.to(socketRooms.dashboards).emit('readings:stored', readings);
}

export function broadcastAlertEvents(io: ChairsideServer, chairId: string, sessionId: string, events: readonly AlertEvent[]): void {
  const room = io.to(socketRooms.dashboards);
  for (const event of events) {
    const message = { chairId, sessionId, event };
    switch (event.type) {
      case 'alert-raised':
        room.emit('alert:raised', message);
        break;
      case 'alert-escalated':
        room.emit('alert:escalated', message);
        break;
      case 'alert-cleared':
        room.emit('alert:cleared', message);
        break;
      case 'alert-acknowledged':
        room.emit('alert:acknowledged', message);
        break;
    }
  }
}

export function broadcastAudioPause(io: ChairsideServer, message: AudioPauseMessage): void {
  io.to(socketRooms.dashboards).emit('audio:paused', message);
}
