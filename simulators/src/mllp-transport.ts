/**
 * The simulated monitor as an HL7 v2 sender: each batch of readings becomes one ORU^R01
 * (hl7-encoder.ts) sent over MLLP (0x0B message 0x1C 0x0D) on a TCP connection, and waits for the
 * receiver's ACK before the next message (one message in flight per connection).
 *
 * - AA: delivered.
 * - AE: refused (the content, or no chair mapped for this bed/device): logged by the device, not retried.
 * - AR, no ACK in time, the connection closed or refused: retried after the device's backoff with
 *   the SAME message (same MSH-10, same readings, same bytes). The receiver derives reading ids
 *   from the sender, control id and time, so a message that was stored but whose ACK was lost is
 *   stored once.
 *
 * The connection is opened on the first send and reopened on the next send after it closes (the
 * receiver closed it when idle, the network dropped, a timeout); the device's retry policy spaces
 * the attempts, so a receiver that is down is not hammered. The outbox is the device's (bounded).
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { ReadingInput } from '@chairside/shared';
import { encodeOruR01 } from './hl7-encoder';
import type { Batch, ReadingSender, SendOutcome } from './transport';

export const startBlock = 0x0b;
export const endBlock = 0x1c;
export const carriageReturn = 0x0d;

/** MSH-3 namespace id of every simulated monitor. */
export const simulatorApplication = 'CHAIRSIDE-SIM';

/** PV1-3 a chair's monitor sends by default: point of care `SIM`, no room, bed = the chair id. */
export const defaultBedFor = (chairId: string): string => `SIM^^${chairId}`;

/** The monitor id a chair's monitor sends by default (MSH-3 universal id, OBX-18 entity id). */
export const defaultDeviceIdFor = (chairId: string): string => `SIM-${chairId}`;

/** Readings per HL7 message at most (one reading per message while live; more when catching up). */
export const defaultMaxReadingsPerMessage = 50;

/** A socket to the receiver; tests may pass their own. */
export type MllpConnect = (host: string, port: number) => net.Socket;

/** Timers the client uses (injectable like the clock). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** `transport: { kind: 'mllp', … }` of a device or simulation. */
export interface MllpTransport {
  kind: 'mllp';
  /** The receiver's HL7 listener (the server's HL7_PORT). */
  host: string;
  port: number;
  /** PV1-3 (`pointOfCare^room^bed`) for a chair; it must match the chair's `hl7Bed`. Default `defaultBedFor`. */
  bedFor?: (chairId: string) => string;
  /** The monitor's id for a chair (MSH-3, OBX-18), e.g. to register it as a device. Default `defaultDeviceIdFor`. */
  deviceIdFor?: (chairId: string) => string;
  /** UTC offset written in HL7 times, minutes. Default 0. */
  utcOffsetMinutes?: number;
  /** Readings per message at most. Default 50. */
  maxReadingsPerMessage?: number;
  /** Opens the TCP connection. Default `net.connect`. */
  connect?: MllpConnect;
}

/** A message framed for MLLP. */
export function frameMllp(message: string): Buffer {
  return Buffer.concat([Buffer.from([startBlock]), Buffer.from(message, 'utf8'), Buffer.from([endBlock, carriageReturn])]);
}

/**
 * MLLP frames out of a byte stream cut anyhow. Bytes outside frames are skipped; a start block
 * inside a frame starts over. Pure.
 */
export class MllpFrameReader {
  private chunks: Buffer[] = [];
  private size = 0;
  private inFrame = false;

  constructor(private readonly maxFrameBytes: number) {}

  /** The frames completed by `chunk`, as text; `overflow` when a frame grew beyond the limit (stop reading). */
  push(chunk: Uint8Array): { frames: string[]; overflow: boolean } {
    const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const frames: string[] = [];
    let i = 0;
    while (i < data.length) {
      if (!this.inFrame) {
        const start = data.indexOf(startBlock, i);
        if (start === -1) break;
        this.inFrame = true;
        i = start + 1;
        continue;
      }
      const end = data.indexOf(endBlock, i);
      const restart = data.indexOf(startBlock, i);
      if (restart !== -1 && (end === -1 || restart < end)) {
        this.reset();
        this.inFrame = true;
        i = restart + 1;
        continue;
      }
      const stop = end === -1 ? data.length : end;
      this.size += stop - i;
      if (this.size > this.maxFrameBytes) {
        this.reset();
        return { frames, overflow: true };
      }
      this.chunks.push(Buffer.from(data.subarray(i, stop)));
      if (end === -1) break;
      frames.push(Buffer.concat(this.chunks).toString('utf8'));
      this.reset();
      i = end + 1;
    }
    return { frames, overflow: false };
  }

  reset(): void {
    this.chunks = [];
    this.size = 0;
    this.inFrame = false;
  }
}

export type AckCode = 'AA' | 'AE' | 'AR';

export interface Ack {
  /** MSA-1. */
  code: AckCode;
  /** MSA-2: the control id of the message answered. */
  controlId: string;
  /** MSA-3, unescaped ('' when absent). */
  text: string;
}

/** MSA of an ACK (with the delimiters of its MSH), or null when the text is not an ACK we understand. */
export function parseAck(text: string): Ack | null {
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
  const msh = lines[0];
  if (msh === undefined || !msh.startsWith('MSH') || msh.length < 8) return null;
  const field = msh.charAt(3);
  const escape = msh.charAt(6);
  const component = msh.charAt(4);
  const repetition = msh.charAt(5);
  const subcomponent = msh.charAt(7);
  const msa = lines.find((l) => l.startsWith(`MSA${field}`));
  if (msa === undefined) return null;
  const [, code = '', controlId = '', reason = ''] = msa.split(field);
  const upper = code.trim().toUpperCase();
  if (upper !== 'AA' && upper !== 'AE' && upper !== 'AR') return null;
  const unescape = (s: string): string =>
    s.replace(new RegExp(`${escapeRegExp(escape)}([FSTRE])${escapeRegExp(escape)}`, 'g'), (_, c: string) =>
      c === 'F' ? field : c === 'S' ? component : c === 'T' ? subcomponent : c === 'R' ? repetition : escape,
    );
  return { code: upper, controlId: unescape(controlId.split(component)[0] ?? '').trim(), text: unescape(reason) };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export type MllpSendResult = { kind: 'ack'; ack: Ack } | { kind: 'failed'; reason: string };

export interface MllpClientOptions {
  host: string;
  port: number;
  /** No ACK this long after a message: the connection is closed and the send fails. */
  ackTimeoutMs: number;
  /** Connecting takes at most this long. Default `ackTimeoutMs`. */
  connectTimeoutMs?: number;
  /** An ACK frame larger than this closes the connection. Default 64 KiB. */
  maxAckBytes?: number;
  connect?: MllpConnect;
  timers?: Timers;
}

export interface MllpClient {
  /** `mllp://host:port`. */
  readonly target: string;
  /** True while a connection is open. */
  readonly connected: boolean;
  /** Connections opened so far. */
  readonly connectionsOpened: number;
  /**
   * Sends one framed message and resolves with its ACK (whose MSA-2 must be `controlId`), or with
   * why there is none. Never rejects. Sends are queued: one message in flight at a time.
   */
  send(message: string, controlId: string, signal?: AbortSignal): Promise<MllpSendResult>;
  /** Ends the connection if no message is in flight; the next send opens a new one. */
  disconnect(): void;
  /** Ends the connection (cutting a message in flight); later sends fail. */
  close(): void;
}

/** A small MLLP client: one connection, opened when needed, one message in flight on it. */
export function createMllpClient(options: MllpClientOptions): MllpClient {
  const timers = options.timers ?? realTimers;
  const connect = options.connect ?? ((host: string, port: number) => net.connect({ host, port }));
  const connectTimeoutMs = options.connectTimeoutMs ?? options.ackTimeoutMs;
  const maxAckBytes = options.maxAckBytes ?? 64 * 1024;
  const target = `mllp://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;

  let socket: net.Socket | null = null;
  let reader = new MllpFrameReader(maxAckBytes);
  /** The message in flight: its control id and how to settle it. */
  let current: { controlId: string; socket: net.Socket; settle: (result: MllpSendResult) => void } | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  let connectionsOpened = 0;

  const failed = (reason: string): MllpSendResult => ({ kind: 'failed', reason });

  function openConnection(signal: AbortSignal): Promise<net.Socket | string> {
    return new Promise((resolve) => {
      let s: net.Socket;
      try {
        s = connect(options.host, options.port);
      } catch (error) {
        resolve(`cannot connect to ${target}: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      connectionsOpened += 1;
      let settled = false;
      const finish = (result: net.Socket | string): void => {
        if (settled) return;
        settled = true;
        timers.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        s.off('connect', onConnect);
        s.off('error', onError);
        if (typeof result === 'string') {
          s.on('error', () => {});
          s.destroy();
        }
        resolve(result);
      };
      const onConnect = (): void => finish(s);
      const onError = (error: Error): void => finish(`cannot connect to ${target}: ${error.message}`);
      const onAbort = (): void => finish('aborted');
      const timer = timers.setTimeout(() => finish(`cannot connect to ${target}: no answer within ${connectTimeoutMs} ms`), connectTimeoutMs);
      s.once('connect', onConnect);
      s.once('error', onError);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Settles the message in flight (only the one sent on `on`, when given). */
  function settle(result: MllpSendResult, on?: net.Socket): void {
    const pending = current;
    if (pending === null || (on !== undefined && pending.socket !== on)) return;
    current = null;
    pending.settle(result);
  }

  function attach(s: net.Socket): void {
    socket = s;
    reader = new MllpFrameReader(maxAckBytes);
    s.setNoDelay(true);
    s.setKeepAlive(true, 30_000);
    s.on('error', () => {
      // 'close' follows and settles the message in flight.
    });
    s.on('data', (chunk: Buffer) => {
      if (socket !== s) return;
      const { frames, overflow } = reader.push(chunk);
      if (overflow) {
        drop(s);
        settle(failed(`the receiver sent a frame of more than ${maxAckBytes} bytes`), s);
        return;
      }
      for (const frame of frames) onFrame(s, frame);
    });
    s.on('close', () => {
      if (socket === s) socket = null;
      settle(failed('the connection closed before the ACK'), s);
    });
  }

  function drop(s: net.Socket): void {
    if (socket === s) socket = null;
    s.destroy();
  }

  function onFrame(s: net.Socket, frame: string): void {
    if (current === null || current.socket !== s) return; // nothing asked: a late or unsolicited frame
    const ack = parseAck(frame);
    if (ack === null) {
      drop(s);
      settle(failed('the answer is not an HL7 ACK (MSA-1 AA, AE or AR)'));
      return;
    }
    if (ack.controlId !== current.controlId) {
      // Not the answer to this message: the connection is out of step; start a fresh one.
      drop(s);
      settle(failed(`the ACK names message ${ack.controlId.slice(0, 40) || '(none)'}, not ${current.controlId}`));
      return;
    }
    settle({ kind: 'ack', ack });
  }

  async function sendNow(message: string, controlId: string, signal: AbortSignal): Promise<MllpSendResult> {
    if (closed) return failed('the MLLP client is closed');
    if (signal.aborted) return failed('aborted');
    let s = socket;
    if (s === null || s.destroyed) {
      const opened = await openConnection(signal);
      if (typeof opened === 'string') return failed(opened);
      if (closed) {
        opened.destroy();
        return failed('the MLLP client is closed');
      }
      attach(opened);
      s = opened;
    }
    const open = s;
    return new Promise<MllpSendResult>((resolve) => {
      const onAbort = (): void => {
        drop(open);
        settle(failed('aborted'));
      };
      const timer = timers.setTimeout(() => {
        drop(open);
        settle(failed(`no ACK within ${options.ackTimeoutMs} ms`));
      }, options.ackTimeoutMs);
      current = {
        controlId,
        socket: open,
        settle: (result) => {
          timers.clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(result);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      open.write(frameMllp(message));
    });
  }

  return {
    target,
    get connected() {
      return socket !== null && !socket.destroyed;
    },
    get connectionsOpened() {
      return connectionsOpened;
    },
    send(message, controlId, signal = new AbortController().signal) {
      const run = queue.then(() => sendNow(message, controlId, signal));
      queue = run.catch(() => undefined);
      return run;
    },
    disconnect() {
      if (socket === null || current !== null) return;
      const s = socket;
      socket = null;
      s.end();
      // A receiver that does not close its side is cut after a moment.
      const timer = setTimeout(() => s.destroy(), 2_000);
      timer.unref();
    },
    close() {
      closed = true;
      const s = socket;
      socket = null;
      if (s === null) return;
      if (current !== null) {
        s.destroy();
        settle(failed('the MLLP client is closed'));
      } else {
        s.end();
        const timer = setTimeout(() => s.destroy(), 2_000);
        timer.unref();
      }
    },
  };
}

export interface MllpSenderOptions {
  transport: MllpTransport;
  chairId: string;
  clock: { now(): number };
  /** No ACK this long after a message: the attempt fails and the message is sent again later. */
  ackTimeoutMs: number;
  /** The device's own limit of readings per request. */
  maxBatch: number;
  /** MSH-10 of each new message (unique). Default: a random tag of this sender, then a counter. */
  newControlId?: () => string;
  timers?: Timers;
}

/** The device's sender for MLLP: readings → ORU^R01 → ACK → outcome. */
export function createMllpSender(options: MllpSenderOptions): ReadingSender {
  const { transport, chairId } = options;
  const client = createMllpClient({
    host: transport.host,
    port: transport.port,
    ackTimeoutMs: options.ackTimeoutMs,
    ...(transport.connect === undefined ? {} : { connect: transport.connect }),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
  });
  const bed = (transport.bedFor ?? defaultBedFor)(chairId);
  const deviceId = (transport.deviceIdFor ?? defaultDeviceIdFor)(chairId);
  const maxReadings = Math.max(1, Math.min(options.maxBatch, transport.maxReadingsPerMessage ?? defaultMaxReadingsPerMessage));
  const tag = randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();
  let counter = 0;
  const newControlId = options.newControlId ?? ((): string => `${tag}-${(counter += 1)}`);
  /** MSH-10 of each batch made: a retry sends the batch, so the same id. */
  const controlIds = new WeakMap<Batch, string>();

  return {
    attemptName: 'MLLP message',
    target: client.target,
    batch(candidates) {
      // Readings of one time would merge into one on the receiver: such a reading waits for the next message.
      const readings: ReadingInput[] = [];
      const times = new Set<number>();
      for (const reading of candidates) {
        const ms = Date.parse(reading.measuredAt);
        if (readings.length >= maxReadings || times.has(ms)) break;
        times.add(ms);
        readings.push(reading);
      }
      const controlId = newControlId();
      const body = encodeOruR01({
        readings,
        controlId,
        messageTimeMs: options.clock.now(),
        device: { application: simulatorApplication, id: deviceId },
        bed,
        ...(transport.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: transport.utcOffsetMinutes }),
      });
      const batch: Batch = { readings, body };
      controlIds.set(batch, controlId);
      return batch;
    },
    async send(batch, signal): Promise<SendOutcome> {
      const controlId = controlIds.get(batch);
      if (controlId === undefined) return { kind: 'refused', reason: 'a batch this sender did not make' };
      const result = await client.send(batch.body, controlId, signal);
      if (result.kind === 'failed') return { kind: 'retry', reason: result.reason, retryAfterMs: null };
      const { code, text } = result.ack;
      const why = `HL7 ${code}${text === '' ? '' : `: ${text}`}`;
      if (code === 'AA') return { kind: 'delivered' };
      if (code === 'AE') return { kind: 'refused', reason: why };
      return { kind: 'retry', reason: why, retryAfterMs: null };
    },
    suspend: () => client.disconnect(),
    close: () => client.close(),
  };
}
