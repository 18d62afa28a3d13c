import { alertPrioritySchema, deviceSchema, deviceTokenSchema, hl7UnmappedMessageSchema, userListItemSchema } from '@chairside/shared';
import { z } from 'zod';

// Answers of the admin API (users, device tokens, HL7 devices, audit), validated by the api client.

export const userListSchema = z.array(userListItemSchema);
export const deviceTokenListSchema = z.array(deviceTokenSchema);

/** `POST /api/v1/device-tokens` answer: the token itself, this once. */
export const createdDeviceTokenSchema = deviceTokenSchema.extend({ token: z.string().min(1) });
export type CreatedDeviceToken = z.infer<typeof createdDeviceTokenSchema>;

export const deviceListSchema = z.array(deviceSchema);
export const unmappedMessageListSchema = z.array(hl7UnmappedMessageSchema);

/**
 * What an audit entry's ids stand for, resolved by the server (server/src/audit/audit-names.ts): null
 * where the thing is gone or was never named. A session is named by chair, check-in and protocol,
 * never by its patient (admins do not see patients' identities).
 */
export const auditNamesSchema = z.object({
  actor: z.string().nullable(),
  chair: z.string().nullable(),
  session: z.object({ checkedInAt: z.string(), protocol: z.string().nullable() }).nullable(),
  alert: z.object({ title: z.string(), priority: alertPrioritySchema }).nullable(),
  user: z.object({ displayName: z.string(), username: z.string() }).nullable(),
  deviceToken: z.string().nullable(),
  protocol: z.string().nullable(),
});
export type AuditNames = z.infer<typeof auditNamesSchema>;

/** `GET /api/v1/audit` item (server/src/audit/routes.ts; shared has no schema for it). */
export const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  userId: z.string().nullable(),
  username: z.string(),
  role: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  sessionId: z.string().nullable(),
  details: z.unknown(),
  ip: z.string().nullable(),
  /** Absent from a server older than the names (several servers during an upgrade): the sentence then shows ids. */
  names: auditNamesSchema.optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditEntryListSchema = z.array(auditEntrySchema);

export interface AuditQuery {
  /** ISO instants with an offset. */
  from?: string;
  to?: string;
  /** Username. */
  user?: string;
  action?: string;
  sessionId?: string;
  limit?: number;
  offset?: number;
}

/** `from=…&to=…&user=…`, empty parts left out; `format=csv` for the download. */
export function auditQueryString(query: AuditQuery, format: 'json' | 'csv' = 'json'): string {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'user', 'action', 'sessionId'] as const) {
    const value = query[key]?.trim();
    if (value !== undefined && value !== '') params.set(key, value);
  }
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.offset !== undefined && query.offset > 0) params.set('offset', String(query.offset));
  if (format === 'csv') params.set('format', 'csv');
  return params.toString();
}
