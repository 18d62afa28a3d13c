import { AppError } from './app-error';

/**
 * Bounds the heavy reads (a chair's readings, a dashboard's backlog) that run at once: they read
 * thousands of rows synchronously and build large answers, so a flood of them would hold the event
 * loop that monitoring needs. At most `maxRunning` run, `maxQueued` wait their turn, and any more
 * are answered at once with 503 "busy, retry". Each waits a turn of the event loop before it runs,
 * so queued work never runs back to back without letting readings and pings through.
 */
export class ReadGate {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly maxRunning = 2,
    private readonly maxQueued = 16,
  ) {}

  async run<T>(read: () => Promise<T> | T): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.queue.length >= this.maxQueued) {
        throw new AppError('unavailable', 'The server is busy reading history for other screens; retry in a moment.', { retryAfterSec: 2 });
      }
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return await read();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Reads running and waiting now. */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }
}
