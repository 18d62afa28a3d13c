/**
 * Baseline: a bare Socket.IO server (its own process, nothing else in it) broadcasting a
 * stored-reading-shaped payload to every connection that asked `readings:sync`, at the same rate
 * and to the same number of connections as the real server. Each reading is stamped on the machine's
 * monotonic clock when produced; it goes out alone, or with the others produced within `batchMs`
 * (the server's group-commit window) as one array: the floor of "send → dashboard".
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { nowMs, writeFloat64 } from '../lib/common';
import { type Message, reply, serveMessages } from '../lib/processes';
import { storedReadingLike } from '../lib/readings';
import { runAtRate } from '../lib/schedule';

const httpServer = http.createServer();
const io = new Server(httpServer, { serveClient: false });
io.on('connection', (socket) => {
  socket.on('readings:sync', async (_request: unknown, ack: unknown) => {
    await socket.join('dashboards');
    if (typeof ack === 'function') ack({ readings: [], latestSeq: 0, hasMore: false });
  });
});

interface RunJob extends Message {
  prefix: string;
  ratePerSec: number;
  count: number;
  chairIds: string[];
  sendTimesFile: string;
  rampMs?: number;
  /** 0: one emit per reading; > 0: readings produced within this window go out in one emit (as a group commit does). */
  batchMs?: number;
}

async function run(job: RunJob): Promise<void> {
  const sendTimes = new Float64Array(job.count).fill(Number.NaN);
  const batchMs = job.batchMs ?? 0;
  let pending: Record<string, unknown>[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    timer = null;
    const payload = pending;
    pending = [];
    io.to('dashboards').emit('readings:stored', payload);
  };
  const schedule = await runAtRate(
    job.count,
    job.ratePerSec,
    (i) => {
      const reading = storedReadingLike(job.prefix, i, job.chairIds);
      sendTimes[i] = nowMs();
      if (batchMs === 0) {
        io.to('dashboards').emit('readings:stored', [reading]);
        return;
      }
      pending.push(reading);
      timer ??= setTimeout(flush, batchMs);
    },
    job.rampMs ?? 0,
  );
  if (timer !== null) {
    clearTimeout(timer);
    flush();
  }
  writeFloat64(job.sendTimesFile, sendTimes);
  reply({ type: 'run-done', sent: job.count, elapsedMs: schedule.elapsedMs, maxBurst: schedule.maxBurst });
}

serveMessages(async (message) => {
  if (message.type === 'run') await run(message as RunJob);
});
httpServer.listen(0, '127.0.0.1', () => {
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  reply({ type: 'up', url: `http://127.0.0.1:${port}` });
});
