import { z } from 'zod';
import { idSchema, isoInstantSchema } from './common';
import { vitalFields } from '../vitals/vital-fields';

export const readingSourceSchema = z.enum(['device', 'manual', 'simulator']);
export type ReadingSource = z.infer<typeof readingSourceSchema>;

/** Upper bound of readings in one POST; larger batches are answered 413. */
export const maxReadingsPerRequest = 1000;

const vitalValue = z.number();

/** A reading as a device, simulator or nurse sends it (README, API: "Readings"). */
export const readingInputSchema = z
  .object({
    id: z.uuid(),
    chairId: idSchema.optional(),
    sessionId: idSchema.optional(),
    measuredAt: isoInstantSchema,
    systolic: vitalValue.optional(),
    diastolic: vitalValue.optional(),
    mean: vitalValue.optional(),
    heartRate: vitalValue.optional(),
    spo2: vitalValue.optional(),
    respRate: vitalValue.optional(),
    source: readingSourceSchema,
    /** A nurse's correction names the reading it replaces; both are kept, the old one is never edited. */
    supersedes: z.uuid().optional(),
  })
  .strict()
  .refine((r) => r.chairId !== undefined || r.sessionId !== undefined, {
    message: 'give chairId or sessionId',
    path: ['chairId'],
  })
  .refine((r) => vitalFields.some((f) => r[f] !== undefined), {
    message: `give at least one of ${vitalFields.join(', ')}`,
    path: ['systolic'],
  });
export type ReadingInput = z.infer<typeof readingInputSchema>;

/** An array of readings in one request (its length is checked first: more than `maxReadingsPerRequest` is a 413). */
export const readingArrayInputSchema = z.array(readingInputSchema).min(1, 'send at least one reading');

/**
 * `POST /api/v1/readings` and the device socket's `readings:ingest` take one reading or an array of
 * them. Servers parse an array with `readingArrayInputSchema` and anything else with
 * `readingInputSchema` (never as this union), so that every error names its field.
 */
export const readingBatchInputSchema = z.union([readingInputSchema, readingArrayInputSchema]);
export type ReadingBatchInput = z.infer<typeof readingBatchInputSchema>;

export const rejectedValueSchema = z.object({
  field: z.enum(vitalFields),
  value: z.number(),
  reason: z.enum(['no-reading-marker', 'out-of-range', 'inconsistent']),
  message: z.string(),
});

const storedValue = z.number().nullable();

/** A reading as stored: plausible values in their fields, implausible ones in `rejected` with a reason. */
export const readingSchema = z.object({
  seq: z.number().int().positive(),
  id: z.uuid(),
  chairId: idSchema,
  sessionId: idSchema.nullable(),
  measuredAt: isoInstantSchema,
  receivedAt: isoInstantSchema,
  source: readingSourceSchema,
  systolic: storedValue,
  diastolic: storedValue,
  mean: storedValue,
  heartRate: storedValue,
  spo2: storedValue,
  respRate: storedValue,
  rejected: z.array(rejectedValueSchema),
  flags: z.array(z.enum(['spo2-low-accuracy', 'device-clock-ahead'])),
  /** Username of the nurse who entered a manual reading; null for devices. */
  enteredBy: z.string().nullable(),
  /** The reading this one corrects (it stays stored, superseded); null or absent for an original reading. */
  supersedes: z.uuid().nullable().optional(),
});
export type Reading = z.infer<typeof readingSchema>;

/** Query of a chair's timeline. */
export const readingRangeQuerySchema = z.object({
  from: isoInstantSchema.optional(),
  to: isoInstantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100_000).optional(),
});
