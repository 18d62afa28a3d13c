import { parseHl7, valueOf } from '../hl7/hl7-message';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { DeliveriesRepository, Hl7OutboxRecord, Hl7OutboxRepository } from '../store/store';
import { describeSocketError, GatewayConnection } from './gateway-connection';
import { formatHl7Target, type Hl7Target } from './hl7-target';

export interface Hl7SenderTimings {
  /** How long a message waits for its ACK. Default 10 s. */
  ackTimeoutMs: number;
  connectTimeoutMs: number;
  /** The wait after a failure: doubles from the first to the last (1 s → 30 s). */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** How often the outbox is looked at while nothing wakes the sender (rows queued by another server, leadership). */
  pollMs: number;
  /** How often the gateway's state is judged against the clock. */
  checkMs: number;
  /** How often a server that does not send looks whether it runs the alert engine now (a check in memory). */
  leaderCheckMs: number;
}

export const defaultHl7SenderTimings: Hl7SenderTimings = {
  ackTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  minBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  pollMs: 5_000,
  checkMs: 1_000,
  leaderCheckMs: 500,
};

/** The gateway as the sender sees it. */
export interface Hl7SenderStatus {
  /** This server sends (it runs the alert engine); the others leave the outbox alone. */
  sending: boolean;
  connected: boolean;
  /**
   * Since when the gateway has not done its part (no connection, or a message without AA), by the
   * server's clock; null while it answers.
   */
  troubleSinceMs: number | null;
  lastError: string | null;
  lastAckAtMs: number | null;
}

export interface Hl7SenderDeps {
  target: Hl7Target;
  store: { hl7Outbox: Hl7OutboxRepository; deliveries: Pick<DeliveriesRepository, 'appendDelivery'> };
  clock: Clock;
  logger: Logger;
  /** True while this server runs the alert engine: only it sends, so two servers never send at once. */
  leading: () => boolean;
  /** The status changed, or time passed while the gateway is in trouble. */
  onStatus?: (status: Hl7SenderStatus) => void;
  timings?: Partial<Hl7SenderTimings>;
}

/** MSH-10 of a stored message: the gateway recognises a resend by it. */
export function controlIdOf(message: string): string {
  const parsed = parseHl7(message);
  return parsed.ok ? valueOf(parsed.message.segments[0], 10) : '';
}

/** PV1-19 (the session) of a stored message, for the delivery record. */
export function sessionIdOf(message: string): string | null {
  const parsed = parseHl7(message);
  if (!parsed.ok) return null;
  const pv1 = parsed.message.segments.find((s) => s.id === 'PV1');
  const id = valueOf(pv1, 19);
  return id === '' ? null : id;
}

/**
 * Sends the HL7 alerts outbox to the paging gateway (docs/hl7-alerts.md): one MLLP connection, the
 * oldest pending message first, the next only once the gateway answered AA. An AE or AR, no ACK
 * within 10 s or a lost connection is recorded and the same message is tried again after a backoff
 * (1 s doubling to 30 s), with the same MSH-10, so the gateway can drop what it already has: at
 * least once, in order. Rows survive restarts; on start the pending ones go first. Only the server
 * running the alert engine sends.
 */
export class Hl7Sender {
  private readonly timings: Hl7SenderTimings;
  private readonly targetText: string;
  private connection: GatewayConnection | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private backoffMs: number;
  private checker: NodeJS.Timeout | null = null;
  private status: Hl7SenderStatus = { sending: false, connected: false, troubleSinceMs: null, lastError: null, lastAckAtMs: null };
  /** When the message now waiting for its ACK was sent. */
  private inFlightSinceMs: number | null = null;
  /** The failure being logged, so a gateway that stays down is logged once, not every retry. */
  private loggedError: string | null = null;

  constructor(private readonly deps: Hl7SenderDeps) {
    this.timings = { ...defaultHl7SenderTimings, ...deps.timings };
    this.backoffMs = this.timings.minBackoffMs;
    this.targetText = formatHl7Target(deps.target);
  }

  get target(): string {
    return this.targetText;
  }

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.checker = setInterval(() => this.publish(), this.timings.checkMs);
    this.checker.unref();
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Something was queued: look now. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  current(): Hl7SenderStatus {
    const inFlight = this.inFlightSinceMs;
    const trouble = this.status.troubleSinceMs;
    const since = trouble === null ? inFlight : inFlight === null ? trouble : Math.min(trouble, inFlight);
    return { ...this.status, troubleSinceMs: since };
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.checker) clearInterval(this.checker);
    this.checker = null;
    this.connection?.destroy();
    this.wakeUp?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.step();
      } catch (error) {
        // The store failed (the gateway's failures are handled in step): try again later.
        this.deps.logger.error('HL7 alerts out: the outbox could not be read or updated', { error: String(error) });
        await this.pause(this.timings.pollMs);
      }
    }
    this.connection?.destroy();
    this.connection = null;
  }

  private async step(): Promise<void> {
    if (!this.isLeading()) {
      if (this.status.sending || this.connection) {
        this.connection?.destroy();
        this.connection = null;
        this.inFlightSinceMs = null;
        this.update({ sending: false, connected: false, troubleSinceMs: null });
      }
      await this.pause(this.timings.leaderCheckMs);
      return;
    }
    if (!this.status.sending) this.update({ sending: true });
    const [head] = await this.deps.store.hl7Outbox.listPendingHl7Alerts(0, 1);
    if (!this.connection?.open) {
      this.connection = null;
      const startedAt = this.deps.clock.now();
      try {
        this.connection = await GatewayConnection.open(this.deps.target.host, this.deps.target.port, this.timings.connectTimeoutMs);
      } catch (error) {
        const reason = `cannot connect to ${this.targetText}: ${describeSocketError(error as Error)}`;
        if (head) await this.recordFailure(head, startedAt, reason);
        this.failed(startedAt, reason);
        await this.pause(this.nextBackoff(), false);
        return;
      }
      this.update({ connected: true });
      this.deps.logger.info('HL7 alerts out: connected to the paging gateway', { target: this.targetText });
    }
    if (!head) {
      // Connected, nothing waiting: nothing the gateway owes us.
      if (this.status.troubleSinceMs !== null) this.recovered();
      await this.pause(this.timings.pollMs);
      return;
    }
    await this.send(head, this.connection);
  }

  private async send(row: Hl7OutboxRecord, connection: GatewayConnection): Promise<void> {
    const startedAt = this.deps.clock.now();
    this.inFlightSinceMs = startedAt;
    let outcome: { ok: true } | { ok: false; reason: string; dropConnection: boolean };
    try {
      const ack = await connection.exchange(row.message, controlIdOf(row.message), this.timings.ackTimeoutMs);
      outcome =
        ack.code === 'AA' || ack.code === 'CA'
          ? { ok: true }
          : { ok: false, reason: `the gateway answered ${ack.code}${ack.text ? `: ${ack.text}` : ''}`, dropConnection: false };
    } catch (error) {
      outcome = { ok: false, reason: (error as Error).message, dropConnection: true };
    } finally {
      this.inFlightSinceMs = null;
    }
    if (outcome.ok) {
      const at = this.deps.clock.now();
      await this.deps.store.hl7Outbox.recordHl7AlertAttempt(row.seq, startedAt, null);
      await this.deps.store.hl7Outbox.markHl7AlertAcked(row.seq, at);
      await this.deps.store.deliveries.appendDelivery({
        alertId: row.alertId,
        sessionId: sessionIdOf(row.message),
        channel: 'hl7',
        target: this.targetText,
        step: row.kind,
        status: 'acked',
        detail: `AA for ${controlIdOf(row.message)} after ${row.attempts + 1} attempt${row.attempts === 0 ? '' : 's'}`,
        at,
      });
      this.backoffMs = this.timings.minBackoffMs;
      this.update({ lastAckAtMs: at });
      this.recovered();
      return;
    }
    if (outcome.dropConnection) {
      connection.destroy();
      this.connection = null;
      this.update({ connected: false });
    }
    await this.recordFailure(row, startedAt, outcome.reason);
    this.failed(startedAt, outcome.reason);
    await this.pause(this.nextBackoff(), false);
  }

  private async recordFailure(row: Hl7OutboxRecord, atMs: number, reason: string): Promise<void> {
    await this.deps.store.hl7Outbox.recordHl7AlertAttempt(row.seq, atMs, reason);
    await this.deps.store.deliveries.appendDelivery({
      alertId: row.alertId,
      sessionId: sessionIdOf(row.message),
      channel: 'hl7',
      target: this.targetText,
      step: row.kind,
      status: 'failed',
      detail: reason,
      at: atMs,
    });
  }

  private failed(atMs: number, reason: string): void {
    if (this.loggedError !== reason) {
      this.loggedError = reason;
      this.deps.logger.warn('HL7 alerts out: the paging gateway did not take a message; retrying', { target: this.targetText, reason });
    }
    this.update({
      connected: this.connection?.open ?? false,
      troubleSinceMs: this.status.troubleSinceMs ?? atMs,
      lastError: reason,
    });
  }

  private recovered(): void {
    if (this.status.troubleSinceMs !== null) {
      this.deps.logger.info('HL7 alerts out: the paging gateway answers again', { target: this.targetText });
    }
    this.loggedError = null;
    this.update({ troubleSinceMs: null, lastError: null });
  }

  private isLeading(): boolean {
    try {
      return this.deps.leading();
    } catch {
      return false; // the alert engine is not built yet
    }
  }

  private nextBackoff(): number {
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.timings.maxBackoffMs, this.backoffMs * 2);
    return wait;
  }

  private update(change: Partial<Hl7SenderStatus>): void {
    this.status = { ...this.status, ...change };
    this.publish();
  }

  private publish(): void {
    this.deps.onStatus?.(this.current());
  }

  /**
   * Waits `ms`, or less when stopped, or (unless it is a backoff, which new messages must not cut
   * short) when woken.
   */
  private pause(ms: number, wakeable = true): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (wakeable && this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        if (!wakeable && !this.stopped) return;
        this.wakeUp = null;
        this.woken = false;
        done();
      };
    });
  }
}
