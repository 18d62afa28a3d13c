import { z } from 'zod';

/**
 * A device's Web Push subscription as the browser's `PushSubscription.toJSON()` gives it, for the
 * logged-in user (RFC 8030 endpoint, RFC 8291 keys). The keys are base64url (padding tolerated):
 * p256dh an uncompressed P-256 point (65 bytes), auth a 16-byte secret.
 */
const base64url = /^[A-Za-z0-9_-]+={0,2}$/;

/** Bytes a base64url text decodes to, or -1 when it is not base64url. */
export function base64urlByteLength(text: string): number {
  if (!base64url.test(text)) return -1;
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) return -1;
  return Math.floor((bare.length * 3) / 4);
}

const keyOf = (bytes: number, what: string) =>
  z
    .string()
    .max(200)
    .refine((text) => base64urlByteLength(text) === bytes, `must be ${what}: base64url of ${bytes} bytes`);

export const pushSubscriptionInputSchema = z
  .object({
    endpoint: z.url({ protocol: /^https$/, error: 'must be an https URL' }).max(2000),
    /** The browser may send `expirationTime: null`; it is not kept. */
    expirationTime: z.number().nullable().optional(),
    keys: z.object({
      p256dh: keyOf(65, 'an uncompressed P-256 public key'),
      auth: keyOf(16, 'the auth secret'),
    }),
    /** What the user calls this device ("Ward phone"). */
    label: z.string().trim().max(80).optional(),
  })
  .strict();
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionInputSchema>;

/** A subscribed device as its owner sees it (no keys). */
export const pushDeviceSchema = z.object({
  id: z.string(),
  label: z.string().nullable(),
  /** The push service's host (fcm.googleapis.com, web.push.apple.com…), to tell devices apart. */
  service: z.string(),
  /** The subscription's endpoint, so a device can recognise its own. */
  endpoint: z.string(),
  createdAtMs: z.number(),
  lastSuccessAtMs: z.number().nullable(),
  failures: z.number().int(),
});
export type PushDevice = z.infer<typeof pushDeviceSchema>;

export const pushPublicKeySchema = z.object({ publicKey: z.string() });

/**
 * What a push carries to the service worker: an alarm to show, or word that it was answered and its
 * notification should close on every other device. Never a patient's name: it shows on a lock screen.
 */
export const pushMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('alarm'),
    alertId: z.string(),
    chairId: z.string(),
    title: z.string(),
    body: z.string(),
    priority: z.enum(['high', 'medium', 'low']),
    url: z.string(),
    atMs: z.number(),
  }),
  z.object({ type: z.literal('close'), alertId: z.string(), reason: z.enum(['acknowledged', 'cleared']) }),
]);
export type PushMessage = z.infer<typeof pushMessageSchema>;
