import { z } from 'zod';
import { idSchema, isoInstantSchema } from './common';
import { rejectedValueSchema } from './reading';
import { sessionSummarySchema } from './session';

export { sessionPhaseSchema, type SessionPhase } from './common';

export const chairSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(80),
  /** The bed as a bedside monitor names it in HL7 PV1-3, if one is connected. */
  hl7Bed: z.string().max(80).nullable(),
  position: z.number().int(),
});
export type Chair = z.infer<typeof chairSchema>;

export const createChairSchema = z
  .object({
    id: idSchema.optional(),
    name: z.string().trim().min(1).max(80),
    hl7Bed: z.string().trim().min(1).max(80).nullable().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type CreateChair = z.infer<typeof createChairSchema>;

/** When a value was measured, and arrived (it is ordered by the earlier of the two: docs/clinical-defaults.md, "Late data"). */
const stamped = { measuredAt: isoInstantSchema, receivedAt: isoInstantSchema.optional(), seq: z.number().int() };

/** The newest plausible value of each vital on a chair, and the newest rejection. */
export const latestVitalsSchema = z.object({
  bp: z
    .object({
      systolic: z.number().nullable(),
      diastolic: z.number().nullable(),
      mean: z.number().nullable(),
      ...stamped,
    })
    .nullable(),
  heartRate: z.object({ value: z.number(), ...stamped }).nullable(),
  spo2: z.object({ value: z.number(), lowAccuracy: z.boolean(), ...stamped }).nullable(),
  respRate: z.object({ value: z.number(), ...stamped }).nullable(),
  lastRejection: z.object({ rejected: z.array(rejectedValueSchema), ...stamped }).nullable(),
  lastReadingAt: isoInstantSchema.nullable(),
});
export type LatestVitals = z.infer<typeof latestVitalsSchema>;


/** `GET /api/v1/chairs` item: the chair, its newest vitals and its active session. */
export const chairSummarySchema = chairSchema.extend({
  latest: latestVitalsSchema,
  session: sessionSummarySchema.nullable(),
});
export type ChairSummary = z.infer<typeof chairSummarySchema>;
