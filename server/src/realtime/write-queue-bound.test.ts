import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { boundWriteQueue } from './write-queue-bound';

/** A connection that queues packets and flushes only when told (as engine.io does while a write is pending). */
function connection(): { conn: EventEmitter; queue(data: unknown): void; flush(): void } {
  const conn = new EventEmitter();
  return {
    conn,
    queue: (data) => conn.emit('packetCreate', { type: 'message', data }),
    flush: () => conn.emit('flush', []),
  };
}

const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('boundWriteQueue', () => {
  it('cuts a connection once, after the emit, when what waits unsent passes the bound', async () => {
    const { conn, queue } = connection();
    const overflows: number[] = [];
    boundWriteQueue(conn, 100, (size) => overflows.push(size));
    queue('x'.repeat(60));
    queue('x'.repeat(40));
    await settled();
    expect(overflows).toEqual([]);
    queue('x');
    // Not during the emit that crossed the bound: the broadcast finishes first.
    expect(overflows).toEqual([]);
    await settled();
    expect(overflows).toEqual([101]);
    queue('x'.repeat(500));
    await settled();
    expect(overflows).toEqual([101]);
  });

  it('counts only what waits: a flush hands the queue to the network', async () => {
    const { conn, queue, flush } = connection();
    const overflows: number[] = [];
    boundWriteQueue(conn, 100, (size) => overflows.push(size));
    for (let i = 0; i < 50; i += 1) {
      queue('x'.repeat(60));
      flush();
    }
    await settled();
    expect(overflows).toEqual([]);
  });

  it('counts binary payloads by their bytes and packets without payload as nothing', async () => {
    const { conn, queue } = connection();
    const overflows: number[] = [];
    boundWriteQueue(conn, 100, (size) => overflows.push(size));
    queue(undefined);
    queue(Buffer.alloc(80));
    queue(new ArrayBuffer(30));
    await settled();
    expect(overflows).toEqual([110]);
  });
});
