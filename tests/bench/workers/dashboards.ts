/**
 * Dashboards (their own process): `count` Socket.IO connections, each authenticated with a nurse's
 * session cookie, each asking `readings:sync` to join the live stream, as the React dashboard does —
 * and, like it, reconnecting after a lost connection and asking for every reading after the
 * highest `seq` it holds (page by page while `hasMore`). A reading that arrives through that resync
 * counts as received when the answer arrives (late, not lost); each disconnection is counted.
 *
 * Receive times are stamped on the machine's monotonic clock per connection and per reading of the
 * tracked run; at the end the sender's send times are subtracted here and the latencies written to a
 * file for the coordinator.
 */
import fs from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { indexOfReadingId, nowMs, readFloat64 } from '../lib/common';
import { type Message, reply, serveMessages } from '../lib/processes';

interface Stored {
  id: string;
  seq: number;
}

interface Conn {
  socket: Socket;
  /** Receive time per reading index of the tracked run (NaN: not received). */
  received: Float64Array;
  count: number;
  duplicates: number;
  other: number;
  lastSeq: number | null;
  disconnects: number;
  reasons: string[];
  /** Readings of the tracked run that came through a resync after a reconnection. */
  resynced: number;
}

const conns: Conn[] = [];
let prefix = '';
let capacity = 0;

function onReadings(conn: Conn, readings: Stored[], viaSync: boolean): void {
  const t = nowMs();
  for (const r of readings) {
    if (conn.lastSeq === null || r.seq > conn.lastSeq) conn.lastSeq = r.seq;
    const i = indexOfReadingId(r.id, prefix);
    if (i < 0) {
      conn.other += 1;
      continue;
    }
    if (i >= capacity) {
      conn.count += 1;
      continue;
    }
    if (Number.isNaN(conn.received[i])) {
      conn.received[i] = t;
      conn.count += 1;
      if (viaSync) conn.resynced += 1;
    } else conn.duplicates += 1;
  }
}

interface SyncAnswer {
  readings: Stored[];
  latestSeq: number;
  hasMore: boolean;
}

/** Joins the live stream and reads everything after the last seq held (after a reconnection). */
async function sync(conn: Conn): Promise<void> {
  let afterSeq = conn.lastSeq;
  for (;;) {
    const ack = (await conn.socket.timeout(60_000).emitWithAck('readings:sync', { afterSeq })) as SyncAnswer | { error: unknown };
    if ('error' in ack) throw new Error(`sync refused: ${JSON.stringify(ack)}`);
    onReadings(conn, ack.readings, true);
    if (afterSeq === null) {
      conn.lastSeq ??= ack.latestSeq; // a reconnection before any live reading resyncs from here
      return;
    }
    if (!ack.hasMore) return;
    afterSeq = ack.latestSeq;
  }
}

/** One connection per entry of `cookies` (a session cookie, or null for a bare server). */
async function connect(url: string, cookies: readonly (string | null)[]): Promise<void> {
  await Promise.all(
    cookies.map(async (cookie) => {
      const socket = io(url, {
        transports: ['websocket'],
        reconnection: true,
        reconnectionDelay: 500,
        reconnectionDelayMax: 3000,
        forceNew: true,
        extraHeaders: cookie ? { cookie } : {},
      });
      const conn: Conn = { socket, received: new Float64Array(0), count: 0, duplicates: 0, other: 0, lastSeq: null, disconnects: 0, reasons: [], resynced: 0 };
      socket.on('readings:stored', (readings: Stored[]) => onReadings(conn, readings, false));
      socket.on('disconnect', (reason) => {
        conn.disconnects += 1;
        if (conn.reasons.length < 10) conn.reasons.push(reason);
      });
      let first = true;
      await new Promise<void>((resolve, reject) => {
        socket.on('connect', () => {
          const initial = first;
          first = false;
          sync(conn).then(
            () => {
              if (initial) resolve();
            },
            (error: unknown) => {
              if (initial) reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
        });
        socket.once('connect_error', (error) => {
          if (first) reject(error);
        });
      });
      conns.push(conn);
    }),
  );
}

function track(newPrefix: string, newCapacity: number): void {
  prefix = newPrefix;
  capacity = newCapacity;
  for (const c of conns) {
    c.received = new Float64Array(newCapacity).fill(Number.NaN);
    c.count = 0;
    c.duplicates = 0;
    c.other = 0;
    c.disconnects = 0;
    c.reasons = [];
    c.resynced = 0;
  }
}

/** Latencies (receive − send) of the readings acknowledged to the sender from `fromIndex` on. */
function finish(sendTimesFile: string, fromIndex: number, outFile: string): Message {
  const sendTimes = readFloat64(sendTimesFile);
  const latencies: number[] = [];
  const perConnection = conns.map((c) => {
    let acked = 0;
    let lost = 0;
    for (let i = fromIndex; i < sendTimes.length; i += 1) {
      const sent = sendTimes[i] ?? Number.NaN;
      if (Number.isNaN(sent)) continue; // not acknowledged to the device: not owed to dashboards
      acked += 1;
      const got = c.received[i] ?? Number.NaN;
      if (Number.isNaN(got)) lost += 1;
      else latencies.push(got - sent);
    }
    return { acked, lost, duplicates: c.duplicates, connected: c.socket.connected, disconnects: c.disconnects, reasons: c.reasons, resynced: c.resynced };
  });
  const out = Float64Array.from(latencies);
  fs.writeFileSync(outFile, Buffer.from(out.buffer));
  return { type: 'finished', perConnection, latencyFile: outFile };
}

serveMessages(async (message) => {
  switch (message.type) {
    case 'connect':
      await connect(String(message.url), message.cookies as (string | null)[]);
      reply({ type: 'connected', count: conns.length });
      break;
    case 'track':
      track(String(message.prefix), Number(message.capacity));
      reply({ type: 'tracking' });
      break;
    case 'counts':
      reply({
        type: 'counts',
        counts: conns.map((c) => c.count),
        connected: conns.filter((c) => c.socket.connected).length,
        disconnects: conns.reduce((s, c) => s + c.disconnects, 0),
      });
      break;
    case 'finish':
      reply(finish(String(message.sendTimesFile), Number(message.fromIndex), String(message.outFile)));
      break;
    case 'disconnect':
      for (const c of conns.splice(0)) c.socket.disconnect();
      reply({ type: 'disconnected' });
      break;
  }
});
reply({ type: 'up' });
