import { type Alert, type AlertMessage, type AudioPauseMessage, alertMessageSchema, alertSchema, audioPauseMessageSchema, errorBodySchema } from '@chairside/shared';
import type { z } from 'zod';

/* The alert messages checked at the edge with shared's schemas (shared/src/events/socket-events.ts), as socket-payloads.ts does for readings. */

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
