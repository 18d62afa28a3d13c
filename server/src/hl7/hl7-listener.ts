/**
 * The MLLP listener for bedside monitors (HL7_PORT). Each connection's messages are handled one
 * after another, in the order sent, and each is answered with its ACK only after its readings are
 * committed. Nothing a client sends can stop the server: bad frames are dropped, misbehaving
 * connections closed, and every limit below bounds what one client can hold.
 *
 * Nor can idle connections lock monitors out. MLLP has no authentication, so a monitor is known
 * only once a message of its connection was stored (answered AA): until then a connection is
 * "unproven". One address may hold at most `maxConnectionsPerAddress` unproven connections (a
 * gateway or a TCP load balancer, one address for many monitors, is not held back once its
 * monitors' messages are stored); a connection that sends no complete message within
 * `firstMessageTimeoutMs` is closed; and when all `maxConnections` are taken, a new connection takes
 * the place of the oldest unproven one, so the room is kept for monitors whose data is landing.
 * Refused connections are closed at once.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../logger';
import type { Hl7Handler } from './hl7-handler';
import { frameMllp, MllpFramer } from './mllp-framer';

export interface Hl7ListenerLimits {
  /** A frame larger than this is dropped and its connection closed. */
  maxMessageBytes: number;
  /** A connection that sends nothing for this long is closed (monitors reconnect when they next send). */
  idleTimeoutMs: number;
  /** A frame must end this long after it started. */
  frameTimeoutMs: number;
  /**
   * Connections at once. When all are taken, a new one replaces the oldest connection that has had no
   * message stored yet; when every one has, it is refused.
   */
  maxConnections: number;
  /** Connections from one remote address that have had no message stored yet (answered AA); more are refused. */
  maxConnectionsPerAddress: number;
  /** A connection that has sent no complete message this long after it opened is closed. */
  firstMessageTimeoutMs: number;
  /** A connection with this many messages waiting is not read from until they are answered. */
  maxQueuedMessages: number;
  /** A connection that sends this many bytes outside frames, with no frame between, is closed (it does not speak MLLP). */
  maxGarbageBytes: number;
  /** On shutdown, how long the message being stored may take before connections are cut. */
  closeTimeoutMs: number;
}

export const defaultHl7Limits: Hl7ListenerLimits = {
  maxMessageBytes: 1024 * 1024,
  idleTimeoutMs: 10 * 60_000,
  frameTimeoutMs: 30_000,
  maxConnections: 256,
  maxConnectionsPerAddress: 8,
  firstMessageTimeoutMs: 30_000,
  maxQueuedMessages: 32,
  maxGarbageBytes: 64 * 1024,
  closeTimeoutMs: 5_000,
};

export interface Hl7ListenerOptions {
  port: number;
  host: string;
  handler: Pick<Hl7Handler, 'handle'>;
  logger: Logger;
  limits?: Partial<Hl7ListenerLimits>;
}

export interface Hl7Listener {
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  readonly connectionCount: number;
  /** Connections refused or replaced so far, by why. */
  readonly refusals: Readonly<Record<Hl7Refusal, number>>;
  /** Stops accepting, lets the message being stored finish and be answered, closes every connection. */
  close(): Promise<void>;
}

/** Why connections were refused or closed early: over the per-address limit, listener full, replaced by a newcomer, no message in time. */
export type Hl7Refusal = 'per-address' | 'full' | 'replaced' | 'silent';

/** A remote address as one key: an IPv4 address seen through an IPv6 socket is the IPv4 address. */
export function addressKey(address: string | undefined): string {
  if (address === undefined) return '?';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address.toLowerCase();
}

/** ACKs a client has not read: beyond this the client is not listening, and is dropped. */
const maxUnreadReplyBytes = 1024 * 1024;

class Connection {
  private readonly framer: MllpFramer;
  private readonly queue: Buffer[] = [];
  private busy = false;
  private closed = false;
  private readEnded = false;
  private shuttingDown = false;
  private garbageBytes = 0;
  private frameTimer: NodeJS.Timeout | null = null;
  private firstMessageTimer: NodeJS.Timeout | null;
  /** A message of this connection was stored (answered AA): a monitor whose data lands. */
  stored = false;
  /** When it opened (performance.now()): the oldest unproven connection is replaced first. */
  readonly openedAt = performance.now();
  readonly address: string;
  /** Settles when the connection is closed. */
  readonly done: Promise<void>;

  constructor(
    private readonly socket: net.Socket,
    private readonly handler: Pick<Hl7Handler, 'handle'>,
    private readonly limits: Hl7ListenerLimits,
    private readonly logger: Logger,
    /** Called when the connection is closed for sending no message in time (counted, not logged one by one). */
    onSilent: (connection: Connection) => void,
  ) {
    this.framer = new MllpFramer({ maxMessageBytes: limits.maxMessageBytes });
    this.address = addressKey(socket.remoteAddress);
    this.done = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setNoDelay(true);
    socket.setTimeout(limits.idleTimeoutMs, () => this.drop('idle'));
    this.firstMessageTimer = setTimeout(() => {
      if (this.closed) return;
      this.socket.destroy();
      onSilent(this);
    }, limits.firstMessageTimeoutMs);
    this.firstMessageTimer.unref();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => {
      // The client finished sending; answer what it sent, then close.
      this.readEnded = true;
      this.finishIfDone();
    });
    socket.on('error', (error) => {
      this.logger.warn('hl7: connection error', { peer: this.peer, error: error.message });
    });
    socket.on('close', () => {
      this.closed = true;
      this.queue.length = 0;
      this.clearFrameTimer();
      this.clearFirstMessageTimer();
    });
  }

  private get peer(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  private drop(why: string): void {
    if (this.closed) return;
    this.logger.warn(`hl7: closing a connection (${why})`, { peer: this.peer });
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.shuttingDown) return;
    let frameEnded = false;
    for (const event of this.framer.push(chunk)) {
      if (event.type === 'message') {
        frameEnded = true;
        this.clearFirstMessageTimer();
        this.garbageBytes = 0;
        this.queue.push(event.payload);
      } else if (event.type === 'garbage') {
        this.garbageBytes += event.bytes;
        if (this.garbageBytes > this.limits.maxGarbageBytes) {
          this.drop(`${this.garbageBytes} bytes outside MLLP frames`);
          return;
        }
      } else if (event.type === 'truncated') {
        frameEnded = true;
        this.logger.warn('hl7: a frame was abandoned before its end; dropped', { peer: this.peer, bytes: event.bytes });
      } else {
        this.drop(`a message of more than ${this.limits.maxMessageBytes} bytes`);
        return;
      }
    }
    // The deadline is per frame: a frame that ended restarts it for the one now open, if any.
    if (frameEnded || !this.framer.partial) this.clearFrameTimer();
    if (this.framer.partial && this.frameTimer === null) {
      this.frameTimer = setTimeout(() => this.drop('a frame did not end in time'), this.limits.frameTimeoutMs);
      this.frameTimer.unref();
    }
    if (this.queue.length >= this.limits.maxQueuedMessages) this.socket.pause();
    void this.drain();
  }

  private clearFirstMessageTimer(): void {
    if (this.firstMessageTimer !== null) clearTimeout(this.firstMessageTimer);
    this.firstMessageTimer = null;
  }

  private clearFrameTimer(): void {
    if (this.frameTimer !== null) clearTimeout(this.frameTimer);
    this.frameTimer = null;
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let payload = this.queue.shift(); payload !== undefined && !this.closed; payload = this.queue.shift()) {
        const outcome = await this.handler.handle(payload);
        if (outcome.code === 'AA') this.stored = true;
        if (this.closed) break;
        this.socket.write(frameMllp(outcome.ack));
        if (this.socket.writableLength > maxUnreadReplyBytes) {
          this.drop('the client does not read its acknowledgements');
          break;
        }
        if (this.queue.length < this.limits.maxQueuedMessages / 2 && this.socket.isPaused() && !this.shuttingDown) {
          this.socket.resume();
        }
      }
    } catch (error) {
      // The handler answers every message itself; this is a bug, not a client's doing.
      this.logger.error('hl7: message handling failed', { peer: this.peer, error: String(error) });
      this.socket.destroy();
    } finally {
      this.busy = false;
    }
    this.finishIfDone();
  }

  private finishIfDone(): void {
    if (this.closed || this.busy || this.queue.length > 0) return;
    if (this.readEnded || this.shuttingDown) this.socket.end();
  }

  /** Reads nothing more, drops messages not yet started, ends after the one being stored. */
  shutDown(): void {
    this.shuttingDown = true;
    this.queue.length = 0;
    this.socket.pause();
    this.finishIfDone();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export async function startHl7Listener(options: Hl7ListenerOptions): Promise<Hl7Listener> {
  const limits: Hl7ListenerLimits = { ...defaultHl7Limits, ...options.limits };
  const { logger } = options;
  const connections = new Set<Connection>();
  const refusals: Record<Hl7Refusal, number> = { 'per-address': 0, full: 0, replaced: 0, silent: 0 };
  let lastRefusalLogMs = 0;
  const refused = (why: Hl7Refusal, address: string): void => {
    refusals[why] += 1;
    const now = Date.now();
    if (now - lastRefusalLogMs > 60_000) {
      lastRefusalLogMs = now;
      logger.warn('hl7: connections refused or closed early (silent, or more than the limits allow); counts so far', { ...refusals, lastFrom: address });
    }
  };

  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const address = addressKey(socket.remoteAddress);
    let unprovenHere = 0;
    let oldestUnproven: Connection | null = null;
    for (const c of connections) {
      if (c.stored) continue;
      if (c.address === address) unprovenHere += 1;
      if (oldestUnproven === null || c.openedAt < oldestUnproven.openedAt) oldestUnproven = c;
    }
    if (unprovenHere >= limits.maxConnectionsPerAddress) {
      socket.destroy();
      refused('per-address', address);
      return;
    }
    if (connections.size >= limits.maxConnections) {
      if (oldestUnproven === null) {
        socket.destroy();
        refused('full', address);
        return;
      }
      connections.delete(oldestUnproven);
      oldestUnproven.destroy();
      refused('replaced', oldestUnproven.address);
    }
    const connection = new Connection(socket, options.handler, limits, logger, (c) => refused('silent', c.address));
    connections.add(connection);
    void connection.done.then(() => connections.delete(connection));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error('hl7: listener error', { error: error.message }));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  let closing: Promise<void> | null = null;
  return {
    port,
    get connectionCount() {
      return connections.size;
    },
    get refusals() {
      return { ...refusals };
    },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const connection of connections) connection.shutDown();
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, limits.closeTimeoutMs).unref());
        await Promise.race([Promise.all([...connections].map((c) => c.done)), timeout]);
        for (const connection of connections) connection.destroy();
        await stopped;
      })();
      return closing;
    },
  };
}
