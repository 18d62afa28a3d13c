import type { Namespace, Socket } from 'socket.io';
import {
  type DeviceClientToServerEvents,
  deviceNamespace,
  type DeviceServerToClientEvents,
  type DeviceSocketData,
  deviceSocketAuthSchema,
  type ErrorBody,
  type ReadingsIngestAnswer,
} from '@chairside/shared';
import type { Actor, AuthService } from '../auth/auth.service';
import { errorBodyFor } from '../http/error-handler';
import type { Logger } from '../logger';
import type { ChairsideServer } from '../realtime/socket-server';
import type { IngestService } from './ingest.service';
import { readingsOfRequest } from './ingest-input';

export type DeviceNamespace = Namespace<DeviceClientToServerEvents, DeviceServerToClientEvents, Record<string, never>, DeviceSocketData>;
type DeviceSocket = Socket<DeviceClientToServerEvents, DeviceServerToClientEvents, Record<string, never>, DeviceSocketData>;

/** Unacknowledged `readings:ingest` messages one device socket may have; more are answered `rate_limited`. */
export const maxIngestsInFlight = 32;

/** The device token each socket was opened with, to re-check it while the socket lives (kept out of `socket.data`). */
const socketTokens = new WeakMap<object, string>();

export interface DeviceSocketDeps {
  auth: AuthService;
  ingest: IngestService;
  logger: Logger;
}

function errorAck(code: ErrorBody['error']['code'], message: string): ErrorBody {
  return { error: { code, message } };
}

/**
 * The device namespace of `io`. Socket.IO types every namespace with its server's event maps; the
 * device namespace has its own (shared/src/events), hence this one cast.
 */
export function deviceSockets(io: ChairsideServer): DeviceNamespace {
  return io.of(deviceNamespace) as unknown as DeviceNamespace;
}

/**
 * Readings over a socket (`readings:ingest`): for monitors and gateways that keep a connection open
 * instead of posting each reading. Same tokens, validation, group commit and answers as
 * `POST /api/v1/readings`; the acknowledgement comes only after the commit is durable. The token is
 * checked again for every message, so a revoked token stores nothing more and its socket is cut.
 */
export function attachDeviceSockets(io: ChairsideServer, deps: DeviceSocketDeps): DeviceNamespace {
  const devices = deviceSockets(io);

  devices.use(async (socket, next) => {
    try {
      const handshake = deviceSocketAuthSchema.safeParse(socket.handshake.auth);
      const device = handshake.success ? await deps.auth.deviceForToken(handshake.data.token) : null;
      if (!handshake.success || !device) {
        next(new Error('unauthorized'));
        return;
      }
      socket.data = { deviceLabel: device.deviceLabel };
      socketTokens.set(socket, handshake.data.token);
      next();
    } catch (error) {
      deps.logger.error('device socket authentication failed', { error: String(error) });
      next(new Error('unavailable'));
    }
  });

  devices.on('connection', (socket: DeviceSocket) => {
    let inFlight = 0;

    /** The device behind the socket now, or null (revoked since it connected: the socket is cut). */
    const currentDevice = async (): Promise<Extract<Actor, { kind: 'device' }> | null> => {
      const token = socketTokens.get(socket);
      return token === undefined ? null : deps.auth.deviceForToken(token);
    };

    socket.on('readings:ingest', async (request: unknown, ack: unknown) => {
      // Nothing is stored without an acknowledgement to say so: a device must be able to retry.
      if (typeof ack !== 'function') return;
      const answer = (response: ReadingsIngestAnswer | ErrorBody): void => {
        ack(response);
      };
      if (inFlight >= maxIngestsInFlight) {
        answer(errorAck('rate_limited', `Wait for an acknowledgement: at most ${maxIngestsInFlight} unacknowledged messages per socket.`));
        return;
      }
      inFlight += 1;
      try {
        const device = await currentDevice();
        if (!device) {
          answer(errorAck('unauthorized', 'The device token is no longer valid; nothing was stored.'));
          socket.disconnect(true);
          return;
        }
        const { inputs } = readingsOfRequest(request);
        const { readings, createdCount } = await deps.ingest.ingest(inputs, device);
        answer({ readings, createdCount });
      } catch (error) {
        const known = errorBodyFor(error);
        if (known) answer(known.body);
        else {
          deps.logger.error('device ingest failed', { device: socket.data.deviceLabel, error: String(error) });
          answer(errorAck('internal', 'Something went wrong on the server. The error was logged.'));
        }
      } finally {
        inFlight -= 1;
      }
    });
  });

  return devices;
}

/** Re-checks the token behind every device socket: a socket whose token was revoked is disconnected. */
export async function revalidateDeviceSockets(io: ChairsideServer, auth: AuthService): Promise<void> {
  for (const socket of deviceSockets(io).sockets.values()) {
    const token = socketTokens.get(socket);
    const device = token === undefined ? null : await auth.deviceForToken(token);
    if (!device) socket.disconnect(true);
  }
}
