import { z } from 'zod';
import { alertPrioritySchema } from '../alerts/rules';
import { deviceTokenSchema, userListItemSchema } from './auth';
import { deviceSchema, hl7UnmappedMessageSchema } from './device';

// Answers of the admin API (users, device tokens, HL7 devices, audit): the server shapes them, the
// dashboard's api client parses them (docs/architecture.md, "The contract between server and dashboard").

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

/** `GET /api/v1/audit` item (server/src/audit/routes.ts). */
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
