import {
  type Alert,
  type AlertListItem,
  type AlertMessage,
  type AudioPauseMessage,
  alertEventSchema,
  alertSchema,
  audioPauseSchema,
  errorBodySchema,
} from '@chairside/shared';
import { z } from 'zod';

/**
 * Shapes of the alert messages. shared/ declares them as interfaces (socket-events.ts); these
 * schemas check them at the edge, as socket-payloads.ts does for readings.
 */

export const alertMessageSchema = z.object({ chairId: z.string().min(1), sessionId: z.string().min(1), event: alertEventSchema });
export const alertListItemSchema = z.object({ chairId: z.string().min(1), sessionId: z.string().min(1), alert: alertSchema });
export const alertListSchema = z.array(alertListItemSchema);
export const audioPauseMessageSchema = z.object({ chairId: z.string().min(1), pause: audioPauseSchema, by: z.string() });

// The schemas must stay assignable to the shared interfaces the server emits.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameMessage: Same<z.infer<typeof alertMessageSchema>, AlertMessage> = true;
const _sameItem: Same<z.infer<typeof alertListItemSchema>, AlertListItem> = true;
const _samePause: Same<z.infer<typeof audioPauseMessageSchema>, AudioPauseMessage> = true;

export function parseAlertMessage(payload: unknown): AlertMessage | null {
  const parsed = alertMessageSchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

export function parseAudioPauseMessage(payload: unknown): AudioPauseMessage | null {
  const parsed = audioPauseMessageSchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

export type AckAnswer<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** A socket acknowledgement: the value, or the server's `{ error }`, or something unreadable. */
export function parseAck<T>(payload: unknown, schema: z.ZodType<T>): AckAnswer<T> {
  const error = errorBodySchema.safeParse(payload);
  if (error.success) return { ok: false, code: error.data.error.code, message: error.data.error.message };
  const value = schema.safeParse(payload);
  return value.success ? { ok: true, value: value.data } : { ok: false, code: 'unexpected', message: 'The server answered something unexpected.' };
}

export const alertAckSchema: z.ZodType<Alert> = alertSchema;
