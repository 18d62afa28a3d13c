import type https from 'node:https';
import webpush from 'web-push';
import type { PushMessage } from '@chairside/shared';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ReachChannel, ReachNotice } from '../reach/alarm-reach';
import type { PushSubscriptionRecord, Store } from '../store/store';
import { pushMessageFor, pushTopicFor } from './push-payload';
import { pushServiceOf } from './push-devices.service';
import type { VapidKeys } from './vapid';

export interface PushChannelOptions {
  store: Pick<Store, 'push' | 'deliveries'>;
  clock: Clock;
  logger: Logger;
  vapid: VapidKeys;
  /** VAPID `sub`: how a push service reaches the clinic's operator (mailto: or https:). */
  subject: string;
  /** Pushes sent at once; the rest wait their turn. Default 4. */
  concurrency?: number;
  /** How long the push service keeps an undelivered message, in seconds. Default 120. */
  ttlSec?: number;
  /** The TLS agent for the push services (tests: one that trusts their own receiver). */
  agent?: https.Agent;
}

interface PushJob {
  subscription: PushSubscriptionRecord;
  message: PushMessage;
  notice: ReachNotice;
}

/** Alerts whose devices are remembered for their "close" message; the oldest are forgotten first. */
const rememberedAlerts = 2_000;

/**
 * Web Push as a reach channel (docs/architecture.md "Alarm reach"). `notify` returns at once: the
 * recipients' subscriptions are read and each device's push is queued, sent by a few workers at a
 * time, and every attempt is recorded. A push service answering 404 or 410 has forgotten the
 * subscription, which is then removed ("pruned"); other failures are counted on the subscription.
 * Each alert's devices are remembered, so that its acknowledgement or end closes the notification
 * on every device that showed it.
 */
export class PushChannel implements ReachChannel {
  readonly name = 'push' as const;
  private readonly queue: PushJob[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly reached = new Map<string, Map<string, PushSubscriptionRecord>>();
  private running = 0;
  private closed = false;
  private readonly concurrency: number;

  constructor(private readonly options: PushChannelOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  notify(notice: ReachNotice): void {
    if (this.closed) return;
    this.track(
      this.enqueue(notice).catch((error: unknown) =>
        this.options.logger.error('push: could not queue an alarm', { alertId: notice.alert.id, error: String(error) }),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async enqueue(notice: ReachNotice): Promise<void> {
    const message = pushMessageFor(notice);
    const alertId = notice.alert.id;
    const targets = new Map<string, PushSubscriptionRecord>();
    if (message.type === 'close') {
      for (const [id, s] of this.reached.get(alertId) ?? []) targets.set(id, s);
      this.reached.delete(alertId);
    }
    const userIds = [...new Set(notice.recipients.map((r) => r.userId))];
    for (const s of await this.options.store.push.listSubscriptionsOf(userIds)) targets.set(s.id, s);
    if (message.type === 'alarm') this.remember(alertId, targets);
    for (const subscription of targets.values()) this.queue.push({ subscription, message, notice });
    this.pump();
  }

  private remember(alertId: string, targets: ReadonlyMap<string, PushSubscriptionRecord>): void {
    const known = this.reached.get(alertId) ?? new Map<string, PushSubscriptionRecord>();
    for (const [id, s] of targets) known.set(id, s);
    this.reached.delete(alertId);
    this.reached.set(alertId, known);
    while (this.reached.size > rememberedAlerts) {
      const oldest = this.reached.keys().next().value;
      if (oldest === undefined) break;
      this.reached.delete(oldest);
    }
  }

  private pump(): void {
    while (!this.closed && this.running < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift();
      if (!job) break;
      this.running += 1;
      this.track(
        this.send(job)
          .catch((error: unknown) => this.options.logger.error('push: attempt not recorded', { error: String(error) }))
          .finally(() => {
            this.running -= 1;
            this.pump();
          }),
      );
    }
  }

  private async send({ subscription, message, notice }: PushJob): Promise<void> {
    const { store, clock, vapid } = this.options;
    // The target is the device (its subscription); the detail names its owner and push service.
    const record = (status: 'sent' | 'failed' | 'pruned', detail: string) =>
      store.deliveries.appendDelivery({
        alertId: notice.alert.id,
        sessionId: notice.sessionId,
        channel: 'push',
        target: subscription.id,
        step: message.type === 'close' ? notice.moment : (notice.step ?? notice.moment),
        status,
        detail: `user ${subscription.userId} via ${pushServiceOf(subscription.endpoint)}: ${detail}`,
        at: clock.now(),
      });
    try {
      const result = await webpush.sendNotification(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        JSON.stringify(message),
        {
          vapidDetails: { subject: this.options.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
          TTL: this.options.ttlSec ?? 120,
          urgency: message.type === 'alarm' && message.priority === 'high' ? 'high' : 'normal',
          topic: pushTopicFor(notice.alert.id),
          timeout: 10_000,
          ...(this.options.agent ? { agent: this.options.agent } : {}),
        },
      );
      await store.push.markPushSuccess(subscription.id, clock.now());
      await record('sent', `HTTP ${result.statusCode}`);
    } catch (error) {
      const status = error instanceof webpush.WebPushError ? error.statusCode : null;
      if (status === 404 || status === 410) {
        await store.push.pruneSubscription(subscription.id, subscription.endpoint);
        await record('pruned', `HTTP ${status}: the push service no longer knows this device`);
        return;
      }
      await store.push.markPushFailure(subscription.id);
      await record('failed', status !== null ? `HTTP ${status}` : String(error instanceof Error ? error.message : error).slice(0, 200));
    }
  }
}
