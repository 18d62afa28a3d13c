import { type ServerStatus, socketRooms } from '@chairside/shared';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ChairsideServer } from '../realtime/socket-server';

/**
 * Whether readings can be saved, as dashboards are told (`server:status`): set by the ingest when a
 * write fails or works again, sent to every dashboard on a change and to a new one while it lasts.
 */
export class StoreHealth {
  private status: ServerStatus;

  constructor(
    private readonly io: ChairsideServer,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.status = { storeWritable: true, problem: null, sinceMs: clock.now() };
    io.on('connection', (socket) => {
      if (!this.status.storeWritable) socket.emit('server:status', this.status);
    });
  }

  current(): ServerStatus {
    return this.status;
  }

  /** A write failed: `problem` says why, in plain words. */
  failed(problem: string): void {
    this.set({ storeWritable: false, problem: `Readings cannot be saved: ${problem}.`, sinceMs: this.clock.now() });
  }

  recovered(): void {
    if (!this.status.storeWritable) this.set({ storeWritable: true, problem: null, sinceMs: this.clock.now() });
  }

  private set(next: ServerStatus): void {
    if (next.storeWritable === this.status.storeWritable && next.problem === this.status.problem) return;
    this.status = next;
    if (!next.storeWritable) this.logger.error('readings cannot be saved', { problem: next.problem });
    else this.logger.info('readings are being saved again');
    this.io.to(socketRooms.dashboards).emit('server:status', next);
  }
}
