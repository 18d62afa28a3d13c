import { z } from 'zod';

/** Identifier chosen by the server or an admin: short, URL-safe. */
export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" or "-"');

/** An instant as ISO 8601 with an explicit offset (`Z` or `±hh:mm`). */
export const isoInstantSchema = z.iso.datetime({ offset: true });

export const roleSchema = z.enum(['nurse', 'clinician', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export const sessionPhaseSchema = z.enum(['baseline', 'treatment', 'observation', 'discharged', 'cancelled']);
export type SessionPhase = z.infer<typeof sessionPhaseSchema>;
