/**
 * Test double of the server's HL7 listener: a real TCP server on 127.0.0.1 (port 0) that reads MLLP
 * frames, reads the simulator's ORU^R01 with a deliberately small parser of its own (the server's
 * parser lives in another workspace), stores readings by (MSH-3, MSH-10, time) like the server
 * derives its reading ids, and answers with an ACK — or fails as told.
 */
import net from 'node:net';
import { frameMllp, MllpFrameReader } from '../mllp-transport';

export interface ParsedReading {
  measuredAtMs: number;
  values: Partial<Record<'systolic' | 'diastolic' | 'mean' | 'heartRate' | 'spo2' | 'respRate', number>>;
}

export interface ParsedOru {
  /** Segments as sent (without their CR). */
  segments: string[];
  /** MSH fields by HL7 number (`msh[3]` is MSH-3); MSH-1 is `|`. */
  msh: string[];
  controlId: string;
  sendingApplication: string;
  /** PV1-3 as sent. */
  bed: string;
  readings: ParsedReading[];
  /** OBX-18 of every OBX that has one. */
  equipment: string[];
}

const fieldOfCode: Record<string, keyof ParsedReading['values']> = {
  '150021': 'systolic',
  '150022': 'diastolic',
  '150023': 'mean',
  '147842': 'heartRate',
  '150456': 'spo2',
  '151562': 'respRate',
};

const timePattern = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,4}))?([+-])(\d{2})(\d{2})$/;

/** An HL7 time with seconds and an offset (what the simulator writes) as epoch ms; NaN otherwise. */
export function parseSimTime(text: string): number {
  const m = timePattern.exec(text);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om] = m;
  const ms = fraction === undefined ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return wall - (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
}

/** Reads the simulator's messages: NM rows by MDC code, each at its OBX-14; rows of one time make one reading. */
export function parseSimOru(text: string): ParsedOru {
  const segments = text.split('\r').filter((s) => s !== '');
  const mshLine = segments[0] ?? '';
  const msh = ['MSH', '|', ...mshLine.split('|').slice(1)];
  const pv1 = segments.find((s) => s.startsWith('PV1|'))?.split('|') ?? [];
  const byTime = new Map<number, ParsedReading>();
  const equipment: string[] = [];
  for (const segment of segments.filter((s) => s.startsWith('OBX|'))) {
    const f = segment.split('|');
    if ((f[18] ?? '') !== '') equipment.push(f[18] ?? '');
    if (f[2] !== 'NM') continue;
    const field = fieldOfCode[(f[3] ?? '').split('^')[0] ?? ''];
    if (field === undefined) continue;
    const at = parseSimTime(f[14] ?? '');
    const reading = byTime.get(at) ?? { measuredAtMs: at, values: {} };
    reading.values[field] = Number(f[5]);
    byTime.set(at, reading);
  }
  return {
    segments,
    msh,
    controlId: msh[10] ?? '',
    sendingApplication: msh[3] ?? '',
    bed: pv1[3] ?? '',
    readings: [...byTime.values()],
    equipment,
  };
}

/** What the receiver does with one message. */
export type Hl7Failure =
  | 'AE'
  | 'AR'
  /** Reads the message and never answers. */
  | 'no-ack'
  /** Stores the readings, then closes the connection instead of answering (the ACK is lost). */
  | 'store-then-close'
  /** Closes the connection without storing or answering. */
  | 'close';

export interface ReceivedMessage {
  raw: string;
  parsed: ParsedOru;
  answer: 'AA' | Hl7Failure;
  /** Which connection (1, 2, …) it came on. */
  connection: number;
}

export interface FakeHl7Receiver {
  port: number;
  messages: ReceivedMessage[];
  /** Readings stored, by `sender|controlId|time` (how the server derives reading ids). */
  stored: Map<string, ParsedReading & { bed: string; sendingApplication: string }>;
  /** How many times a stored reading arrived again. */
  duplicates: number;
  /** Connections accepted so far. */
  connections: number;
  /** Connections open now. */
  readonly openConnections: number;
  /** Queues failures for the next messages, in order. */
  failNext(...failures: Hl7Failure[]): void;
  /** Applied to every message after the queued failures (null: AA). */
  rule: ((message: ParsedOru) => Hl7Failure | null) | null;
  close(): Promise<void>;
}

function ack(code: string, controlId: string, text = ''): string {
  const msh = `MSH|^~\\&|CHAIRSIDE||CHAIRSIDE-SIM||20261122080000+0000||ACK^R01^ACK|ACK-${controlId}|P|2.6`;
  const msa = `MSA|${code}|${controlId}${text === '' ? '' : `|${text}`}`;
  return `${msh}\r${msa}\r`;
}

/** Listens on 127.0.0.1, on `port` (e.g. to come back where a closed receiver was) or an ephemeral one. */
export async function startFakeHl7Receiver(options: { port?: number } = {}): Promise<FakeHl7Receiver> {
  const queue: Hl7Failure[] = [];
  const sockets = new Set<net.Socket>();
  const receiver: Omit<FakeHl7Receiver, 'port' | 'close' | 'openConnections'> = {
    messages: [],
    stored: new Map(),
    duplicates: 0,
    connections: 0,
    rule: null,
    failNext: (...failures) => queue.push(...failures),
  };

  const store = (parsed: ParsedOru): void => {
    for (const r of parsed.readings) {
      const key = `${parsed.sendingApplication}|${parsed.controlId}|${r.measuredAtMs}`;
      if (receiver.stored.has(key)) receiver.duplicates += 1;
      else receiver.stored.set(key, { ...r, bed: parsed.bed, sendingApplication: parsed.sendingApplication });
    }
  };

  const server = net.createServer((socket) => {
    receiver.connections += 1;
    const connection = receiver.connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const reader = new MllpFrameReader(1024 * 1024);
    socket.on('data', (chunk: Buffer) => {
      for (const raw of reader.push(chunk).frames) {
        const parsed = parseSimOru(raw);
        const failure = queue.shift() ?? receiver.rule?.(parsed) ?? null;
        receiver.messages.push({ raw, parsed, answer: failure ?? 'AA', connection });
        switch (failure) {
          case null:
            store(parsed);
            socket.write(frameMllp(ack('AA', parsed.controlId)));
            break;
          case 'AE':
            socket.write(frameMllp(ack('AE', parsed.controlId, 'no chair mapped for bed SIM^^chair-9')));
            break;
          case 'AR':
            socket.write(frameMllp(ack('AR', parsed.controlId, 'could not store the message now\\S\\ resend it later')));
            break;
          case 'no-ack':
            break;
          case 'store-then-close':
            store(parsed);
            socket.destroy();
            return;
          case 'close':
            socket.destroy();
            return;
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  const port = address.port;
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return Object.defineProperties(receiver, {
    port: { value: port, enumerable: true },
    close: { value: close, enumerable: true },
    openConnections: { get: () => sockets.size, enumerable: true },
  }) as FakeHl7Receiver;
}
