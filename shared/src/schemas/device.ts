import { z } from 'zod';
import { idSchema, isoInstantSchema } from './common';

/**
 * A bedside monitor's id as it sends it in HL7 MSH-3 or OBX-18: the whole field
 * (`AcmeInc^ACDE48234567ABCD^EUI-64`) or one identifying component (`ACDE48234567ABCD`).
 * Compared case-insensitively.
 */
export const deviceIdSchema = z
  .string()
  .trim()
  .min(1, 'enter the device id')
  .max(200)
  .refine((id) => ![...id].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c === '|'), 'no control characters and no "|"');

/** `POST /api/v1/devices`: binds a monitor to a chair. */
export const createDeviceSchema = z.object({ deviceId: deviceIdSchema, chairId: idSchema }).strict();
export type CreateDevice = z.infer<typeof createDeviceSchema>;

export const deviceSchema = z.object({
  deviceId: z.string(),
  chairId: idSchema,
  createdAt: isoInstantSchema,
  /** Username of the admin who registered it. */
  createdBy: z.string().nullable(),
});
export type Device = z.infer<typeof deviceSchema>;

/** `GET /api/v1/hl7/unmapped` item: an HL7 message that mapped to no chair, kept for admins. */
export const hl7UnmappedMessageSchema = z.object({
  id: z.number().int().positive(),
  receivedAt: isoInstantSchema,
  /** MSH-3 as sent. */
  sendingDevice: z.string().nullable(),
  /** PV1-3 as sent. */
  bed: z.string().nullable(),
  /** MSH-10. */
  controlId: z.string().nullable(),
  reason: z.string(),
  /** The message as received (segments separated by CR); cut at 64 KiB when `rawTruncated`. */
  raw: z.string(),
  rawTruncated: z.boolean(),
});
export type Hl7UnmappedMessage = z.infer<typeof hl7UnmappedMessageSchema>;
