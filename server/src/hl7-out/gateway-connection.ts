import net from 'node:net';
import { parseHl7, valueOf } from '../hl7/hl7-message';
import { frameMllp, MllpFramer } from '../hl7/mllp-framer';

/** The gateway's answer to one message (MSA-1; `CA` is the enhanced-mode "accepted"). */
export interface GatewayAck {
  code: string;
  /** MSA-3 or ERR's text, when given. */
  text: string;
}

/** An ACK larger than this is not an ACK: the connection is dropped. */
const maxAckBytes = 64 * 1024;

/**
 * One MLLP connection to the paging gateway: a message out, its ACK back (original mode), one at a
 * time. An ACK is matched to the message by MSA-2 (the message's MSH-10); a late ACK of an earlier
 * message that timed out is skipped.
 */
export class GatewayConnection {
  private readonly framer = new MllpFramer({ maxMessageBytes: maxAckBytes });
  private waiter: { controlId: string; resolve: (ack: GatewayAck) => void; reject: (error: Error) => void } | null = null;
  private ended: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.end(error));
    socket.on('close', () => this.end(new Error('the gateway closed the connection')));
  }

  /** Connects, or rejects with why (refused, unreachable, no answer within `timeoutMs`). */
  static open(host: string, port: number, timeoutMs: number): Promise<GatewayConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection within ${durationText(timeoutMs)}`));
      }, timeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(describeSocketError(error)));
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        resolve(new GatewayConnection(socket));
      });
    });
  }

  get open(): boolean {
    return this.ended === null;
  }

  /** Sends a message and waits for its ACK; rejects on timeout or a lost connection (then the connection is closed). */
  exchange(message: string, controlId: string, timeoutMs: number): Promise<GatewayAck> {
    if (this.ended) return Promise.reject(this.ended);
    if (this.waiter) return Promise.reject(new Error('a message is already waiting for its ACK'));
    return new Promise<GatewayAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        // The stream may still carry the late ACK: start afresh rather than guess.
        this.destroy();
        reject(new Error(`no ACK within ${durationText(timeoutMs)}`));
      }, timeoutMs);
      this.waiter = {
        controlId,
        resolve: (ack) => {
          clearTimeout(timer);
          this.waiter = null;
          resolve(ack);
        },
        reject: (error) => {
          clearTimeout(timer);
          this.waiter = null;
          reject(error);
        },
      };
      this.socket.write(frameMllp(message));
    });
  }

  destroy(): void {
    this.end(new Error('connection closed'));
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    for (const event of this.framer.push(chunk)) {
      if (event.type === 'oversize') {
        this.end(new Error('the gateway sent a frame too large for an ACK'));
        this.socket.destroy();
        return;
      }
      if (event.type !== 'message') continue;
      const parsed = parseHl7(event.payload.toString('utf8'));
      if (!parsed.ok) continue;
      const msa = parsed.message.segments.find((s) => s.id === 'MSA');
      const err = parsed.message.segments.find((s) => s.id === 'ERR');
      const answered = valueOf(msa, 2);
      if (!this.waiter || answered !== this.waiter.controlId) continue;
      this.waiter.resolve({ code: valueOf(msa, 1).toUpperCase(), text: valueOf(msa, 3) || valueOf(err, 8) });
    }
  }

  private end(error: Error): void {
    if (this.ended) return;
    this.ended = error;
    this.waiter?.reject(error);
  }
}

/** `10 s`, or `400 ms` below a second. */
function durationText(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`;
}

/** A socket error in a few words: `connection refused (ECONNREFUSED)`. */
export function describeSocketError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed',
    ETIMEDOUT: 'connection timed out',
  };
  if (code && words[code]) return `${words[code]} (${code})`;
  return error.message;
}
