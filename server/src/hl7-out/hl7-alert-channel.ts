import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ReachChannel, ReachNotice } from '../reach/alarm-reach';
import type { DeliveriesRepository, Hl7OutboxRepository, NewHl7OutboxMessage } from '../store/store';
import { encodeOruR40 } from './oru-r40';

export interface Hl7AlertChannelDeps {
  store: { hl7Outbox: Hl7OutboxRepository; deliveries: Pick<DeliveriesRepository, 'appendDelivery'> };
  clock: Clock;
  logger: Logger;
  /** The gateway as written in deliveries (`host:port`). */
  target: string;
  /** Told when messages were queued. */
  wake: () => void;
  /** How long to wait before trying again when the store refused the queue. Default 1 s. */
  retryMs?: number;
}

/** Messages kept in memory while the store cannot take them; beyond this the oldest are dropped (and logged). */
const maxWaiting = 10_000;

/** A new MSH-10: 20 characters, unique per message (older gateways take no more). */
export function newControlId(): string {
  return `CS${randomBytes(9).toString('hex')}`;
}

/**
 * The reach channel to a paging gateway (docs/hl7-alerts.md): each moment of an alert becomes an
 * ORU^R40, encoded at once and queued in the store's outbox; `Hl7Sender` delivers it. `notify`
 * only puts the message in memory and returns: the inserts happen after, in batches, in the order
 * notified, so neither ingest nor the dashboards wait for the store's write, let alone the gateway.
 */
export class Hl7AlertChannel implements ReachChannel {
  readonly name = 'hl7' as const;
  private waiting: NewHl7OutboxMessage[] = [];
  private sessionOf = new Map<NewHl7OutboxMessage, string>();
  private flushing: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly deps: Hl7AlertChannelDeps) {}

  notify(notice: ReachNotice): void {
    if (this.closed) return;
    try {
      const message: NewHl7OutboxMessage = {
        alertId: notice.alert.id,
        kind: notice.moment,
        createdAt: this.deps.clock.now(),
        message: encodeOruR40({
          moment: notice.moment,
          alert: notice.alert,
          priority: notice.priority,
          sessionId: notice.sessionId,
          chairName: notice.chairName,
          bed: notice.hl7Bed ?? '',
          controlId: newControlId(),
          atMs: notice.atMs,
          by: notice.by?.displayName ?? null,
        }),
      };
      if (this.waiting.length >= maxWaiting) {
        const dropped = this.waiting.shift();
        if (dropped) this.sessionOf.delete(dropped);
        this.deps.logger.error('HL7 alerts out: the store takes no messages; the oldest waiting one was dropped', { alertId: dropped?.alertId });
      }
      this.waiting.push(message);
      this.sessionOf.set(message, notice.sessionId);
      this.schedule();
    } catch (error) {
      this.deps.logger.error('HL7 alerts out: an alert could not be encoded', { alertId: notice.alert.id, error: String(error) });
    }
  }

  /** Resolves once everything notified so far is in the outbox (or the store refused it). */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    await this.idle();
    if (this.waiting.length > 0 && !this.closed) await this.flush();
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private schedule(): void {
    if (this.flushing || this.retryTimer) return;
    this.flushing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.flush())
      .finally(() => {
        this.flushing = null;
        if (this.waiting.length > 0 && !this.retryTimer && !this.closed) this.schedule();
      });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    let seqs: number[];
    try {
      seqs = await this.deps.store.hl7Outbox.enqueueHl7Alerts(batch);
    } catch (error) {
      // Keep them, in order, ahead of anything notified since, and try again shortly.
      this.waiting = [...batch, ...this.waiting];
      this.deps.logger.error('HL7 alerts out: messages could not be queued; retrying', { count: batch.length, error: String(error) });
      if (!this.closed && !this.retryTimer) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.schedule();
        }, this.deps.retryMs ?? 1_000);
        this.retryTimer.unref();
      }
      return;
    }
    this.deps.wake();
    const sessions = batch.map((m) => this.sessionOf.get(m) ?? null);
    for (const m of batch) this.sessionOf.delete(m);
    try {
      for (const [i, m] of batch.entries()) {
        await this.deps.store.deliveries.appendDelivery({
          alertId: m.alertId,
          sessionId: sessions[i] ?? null,
          channel: 'hl7',
          target: this.deps.target,
          step: m.kind,
          status: 'queued',
          detail: `outbox #${seqs[i] ?? '?'}`,
          at: m.createdAt,
        });
      }
    } catch (error) {
      this.deps.logger.error('HL7 alerts out: a queued message could not be recorded as a delivery', { error: String(error) });
    }
  }
}
