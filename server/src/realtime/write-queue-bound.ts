/**
 * What the bound needs of a Socket.IO connection (engine.io's socket): its `packetCreate` event (a
 * packet joins the connection's write queue) and its `flush` event (the queue is handed to the
 * network in one write; the next flush waits until that write is done).
 */
export interface QueueingConnection {
  on(event: 'packetCreate', listener: (packet: { data?: unknown }) => void): unknown;
  on(event: 'flush', listener: () => void): unknown;
}

/**
 * Characters (about bytes: the payloads are JSON) a dashboard's connection may have waiting before
 * it is cut: about 36,000 readings — hours of a clinic's readings, and about 3 s of the most this
 * server takes in. At 4 MiB, dashboards that were only briefly behind at the busiest (all 50 of the
 * benchmark's, sharing the server's two cores) were cut together and their resyncs slowed everyone;
 * a dashboard that has truly stopped reading still reaches the bound within seconds at that rate.
 */
export const defaultMaxQueuedChars = 16 * 1024 * 1024;

/** The size of one packet's payload: its length for text, its bytes for binary data. */
function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/**
 * Back-pressure for one dashboard connection. Every packet written to a connection waits in its queue
 * until the network takes it, and the network takes more only once the dashboard has read what was
 * sent before. A dashboard that stops reading (a stalled tab, a link that cannot keep up) lets its own
 * queue grow while every other dashboard is served as before; past `maxQueuedChars` `onOverflow` runs,
 * once, after the emit that crossed the bound: the caller cuts the connection, which frees the queue
 * at once (and spares the loop writing it out in one burst when the dashboard resumes). The dashboard
 * reconnects and resyncs from the last sequence number it holds (docs/architecture.md, step 6).
 */
export function boundWriteQueue(conn: QueueingConnection, maxQueuedChars: number, onOverflow: (queuedChars: number) => void): void {
  let queued = 0;
  let overflowed = false;
  conn.on('packetCreate', (packet) => {
    queued += sizeOf(packet.data);
    if (queued > maxQueuedChars && !overflowed) {
      overflowed = true;
      const size = queued;
      // Not in the middle of a broadcast: the adapter is still walking the room.
      queueMicrotask(() => onOverflow(size));
    }
  });
  conn.on('flush', () => {
    queued = 0;
  });
}
