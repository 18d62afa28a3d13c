import type https from 'node:https';
import type { Router } from 'express';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ReachChannel } from '../reach/alarm-reach';
import type { AuditService } from '../audit/audit.service';
import { PushChannel } from '../push/push-channel';
import { PushDevicesService } from '../push/push-devices.service';
import { pushKeyRoutes, pushSubscriptionRoutes } from '../push/routes';
import { loadVapidKeys } from '../push/vapid';
import type { Store } from '../store/store';

/** Web Push's settings (AppOptions.push). */
export interface PushOptions {
  /** VAPID subject: a mailto: or https: contact for the push services. */
  subject?: string;
  /** TLS agent for reaching push services; tests pass one that trusts their own receiver. */
  agent?: https.Agent;
}

export const defaultVapidSubject = 'mailto:chairside@localhost.localdomain';

export interface PushWiring {
  channel: PushChannel;
  /** `/api/v1/push` (the public key). */
  keyRoutes: Router;
  /** `/api/v1/push-subscriptions`. */
  subscriptionRoutes: Router;
}

/** The server's VAPID keys (made once, kept in the store), the devices' routes and the push channel, which joins the reach channels. */
export async function startPush(deps: {
  store: Pick<Store, 'push' | 'deliveries'>;
  clock: Clock;
  logger: Logger;
  options?: PushOptions;
  /** The reach channels: the push channel joins them. */
  channels: ReachChannel[];
  /** Subscribing and removing a device are audited. */
  audit: AuditService;
}): Promise<PushWiring> {
  const { store, clock, logger, options = {} } = deps;
  const vapid = await loadVapidKeys(store, clock);
  const channel = new PushChannel({
    store,
    clock,
    logger,
    vapid,
    subject: options.subject ?? defaultVapidSubject,
    ...(options.agent ? { agent: options.agent } : {}),
  });
  deps.channels.push(channel);
  return {
    channel,
    keyRoutes: pushKeyRoutes(vapid.publicKey),
    subscriptionRoutes: pushSubscriptionRoutes(new PushDevicesService(store, clock), deps.audit),
  };
}
