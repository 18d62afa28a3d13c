import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  type ClientToServerEvents,
  type ErrorBody,
  fieldIssues,
  maxSyncPage,
  type Reading,
  type ServerToClientEvents,
  type SocketData,
  socketRooms,
  syncRequestSchema,
} from '@chairside/shared';
import type { AuthService } from '../auth/auth.service';
import { sessionTokenFromCookieHeader } from '../auth/auth.middleware';
import type { Logger } from '../logger';
import type { Store } from '../store/store';

export type ChairsideServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ChairsideSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

function errorAck(code: ErrorBody['error']['code'], message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export interface RealtimeDeps {
  auth: AuthService;
  store: Store;
  logger: Logger;
}

/**
 * Socket.IO for dashboards: authenticated by the session cookie; a dashboard joins the live stream
 * when it syncs, so backlog + live covers every reading (duplicates are dropped by `seq` client-side).
 */
export function createSocketServer(httpServer: HttpServer, deps: RealtimeDeps): ChairsideServer {
  const io: ChairsideServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 100_000,
    // Same origin only: no CORS headers are sent.
  });

  io.use(async (socket, next) => {
    try {
      const token = sessionTokenFromCookieHeader(socket.handshake.headers.cookie);
      const actor = token ? await deps.auth.userForSession(token) : null;
      if (!actor) {
        next(new Error('unauthorized'));
        return;
      }
      socket.data = { userId: actor.user.id, username: actor.user.username, role: actor.user.role };
      next();
    } catch (error) {
      deps.logger.error('socket authentication failed', { error: String(error) });
      next(new Error('unavailable'));
    }
  });

  io.on('connection', (socket: ChairsideSocket) => {
    socket.on('readings:sync', async (request: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const parsed = syncRequestSchema.safeParse(request);
      if (!parsed.success) {
        ack(errorAck('invalid_input', 'The sync request is not valid.', fieldIssues(parsed.error)));
        return;
      }
      try {
        // Join first, then read the backlog: anything committed meanwhile arrives live (and maybe in
        // the backlog too; the client drops the duplicate by seq).
        await socket.join(socketRooms.dashboards);
        const limit = parsed.data.limit ?? maxSyncPage;
        if (parsed.data.afterSeq === null) {
          ack({ readings: [], latestSeq: await deps.store.latestSeq(), hasMore: false });
          return;
        }
        const readings = await deps.store.readingsAfter(parsed.data.afterSeq, limit + 1);
        const hasMore = readings.length > limit;
        const page = hasMore ? readings.slice(0, limit) : readings;
        const latestSeq = page.at(-1)?.seq ?? (await deps.store.latestSeq());
        ack({ readings: page, latestSeq, hasMore });
      } catch (error) {
        deps.logger.error('sync failed', { error: String(error) });
        ack(errorAck('unavailable', 'The server could not read the backlog; retry.'));
      }
    });
  });

  return io;
}

export function broadcastReadings(io: ChairsideServer, readings: Reading[]): void {
  io.to(socketRooms.dashboards).emit('readings:stored', readings);
}
