import webpush from 'web-push';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Store } from '../store/store';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const vapidKeysSchema = z.object({ publicKey: z.string().min(1), privateKey: z.string().min(1) });

/**
 * The server's VAPID key pair (RFC 8292), made once and kept in the store: every device subscribed
 * with its public key, so it must outlive restarts, and servers sharing a store must share it. The
 * pair is one value, so two servers starting together never end with halves of different pairs.
 */
export async function loadVapidKeys(store: Pick<Store, 'push'>, clock: Clock): Promise<VapidKeys> {
  const value = await store.push.serverKey('vapid', () => JSON.stringify(webpush.generateVAPIDKeys()), clock.now());
  return vapidKeysSchema.parse(JSON.parse(value));
}
