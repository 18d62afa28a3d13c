/**
 * A minimal HTTP/1.1 client over one persistent TCP connection, as a bedside monitor keeps one: the
 * connection is opened before the measurement and reused for every request (requests that overlap
 * are pipelined, answered in order). Cheaper than node:http's agent and, above all, it never opens a
 * new connection under load: a connection storm overflowing the server's accept queue would make
 * the load generator, not the server, the thing measured.
 */
import net from 'node:net';

interface Waiting {
  resolve: (status: number) => void;
}

export class RawConnection {
  private socket: net.Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiting: Waiting[] = [];
  /** Status and remaining body bytes of the response being read. */
  private current: { status: number; remaining: number } | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
      socket.once('connect', () => {
        this.socket = socket;
        resolve();
      });
      socket.once('error', (error) => {
        if (this.socket === null) reject(error);
      });
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.on('close', () => {
        this.socket = null;
        for (const w of this.waiting.splice(0)) w.resolve(0);
      });
    });
  }

  get open(): boolean {
    return this.socket !== null;
  }

  /** Sends a request; resolves with the response status (0 when the connection failed). */
  request(method: string, path: string, headers: string, body: string): Promise<number> {
    const socket = this.socket;
    if (!socket) return Promise.resolve(0);
    return new Promise((resolve) => {
      this.waiting.push({ resolve });
      socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.current === null) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = this.buffer.subarray(0, end).toString('latin1');
        this.buffer = this.buffer.subarray(end + 4);
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        this.current = { status, remaining: length };
      }
      if (this.buffer.length < this.current.remaining) {
        this.current.remaining -= this.buffer.length;
        this.buffer = Buffer.alloc(0);
        return;
      }
      this.buffer = this.buffer.subarray(this.current.remaining);
      const { status } = this.current;
      this.current = null;
      this.waiting.shift()?.resolve(status);
    }
  }

  close(): void {
    this.socket?.end();
    this.socket = null;
  }
}

/** Opens `count` connections, `wave` at a time (never more pending than the accept queue takes). */
export async function openConnections(url: URL, count: number, wave = 50): Promise<RawConnection[]> {
  const conns: RawConnection[] = [];
  for (let i = 0; i < count; i += wave) {
    const batch = Array.from({ length: Math.min(wave, count - i) }, () => new RawConnection(url.hostname, Number(url.port)));
    await Promise.all(batch.map((c) => c.connect()));
    conns.push(...batch);
  }
  return conns;
}
