import { randomUUID } from 'node:crypto';
import type { PublicUser, PushDevice, PushSubscriptionInput } from '@chairside/shared';
import type { Clock } from '../clock';
import { forbidden, notFound } from '../http/app-error';
import type { PushSubscriptionRecord, Store } from '../store/store';

export function pushServiceOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return 'unknown';
  }
}

export function toPushDevice(s: PushSubscriptionRecord): PushDevice {
  return {
    id: s.id,
    label: s.label,
    service: pushServiceOf(s.endpoint),
    endpoint: s.endpoint,
    createdAtMs: s.createdAt,
    lastSuccessAtMs: s.lastSuccessAt,
    failures: s.failures,
  };
}

/** The logged-in user's devices that receive alarms by Web Push. */
export class PushDevicesService {
  constructor(
    private readonly store: Pick<Store, 'push'>,
    private readonly clock: Clock,
  ) {}

  async subscribe(user: PublicUser, input: PushSubscriptionInput): Promise<PushDevice> {
    const saved = await this.store.push.saveSubscription({
      id: randomUUID(),
      userId: user.id,
      endpoint: input.endpoint,
      p256dh: input.keys.p256dh,
      auth: input.keys.auth,
      label: input.label === undefined || input.label === '' ? null : input.label,
      createdAt: this.clock.now(),
      lastSuccessAt: null,
      failures: 0,
    });
    return toPushDevice(saved);
  }

  async list(user: PublicUser): Promise<PushDevice[]> {
    return (await this.store.push.listSubscriptionsOf([user.id])).map(toPushDevice);
  }

  /** A user removes their own devices; an admin may remove anyone's (a lost phone). */
  async remove(user: PublicUser, id: string): Promise<PushDevice> {
    const found = await this.store.push.findSubscription(id);
    if (!found) throw notFound('There is no such push subscription.');
    if (found.userId !== user.id && user.role !== 'admin') throw forbidden('This device belongs to someone else.');
    await this.store.push.deleteSubscription(id);
    return toPushDevice(found);
  }
}
