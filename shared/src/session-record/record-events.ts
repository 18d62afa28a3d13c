import { z } from 'zod';
import { idSchema, isoInstantSchema } from '../schemas/common';

/*
 * The session record beyond vitals (docs/clinical-defaults.md "The session record beyond vitals", docs/architecture.md
 * "The session record"): entries posted to `POST /api/v1/sessions/:id/events` beside the phase events. Each may carry
 * `at`, the moment it happened when it is written down later, and `corrects`, the sequence number of the entry it
 * corrects (nothing is edited in place: the correction is a new entry and the derivations use it instead).
 */

const text = (what: string, max = 200) =>
  z.string({ error: `give ${what}` }).trim().min(1, `give ${what}`).max(max, `keep ${what} under ${max} characters`);
const note = z.string().trim().min(1, 'write a note or leave it out').max(2000, 'keep the note under 2000 characters');
const mg = (what: string) =>
  z.number({ error: `give ${what} in mg` }).positive(`${what} must be more than 0 mg`).max(2000, `${what} must be at most 2000 mg`);

/** Fields every record entry may carry. */
const common = {
  /** When it happened, when written down later (ISO 8601 with offset); the server refuses a moment in the future. */
  at: isoInstantSchema.optional(),
  /** The sequence number of the entry this one corrects (same type, same session). */
  corrects: z.number().int().positive().optional(),
  note: note.optional(),
};

const override = z
  .object({ reason: z.string({ error: 'give a reason for the override' }).trim().min(1, 'give a reason for the override').max(2000) })
  .strict();

export const readinessAnswerSchema = z.union([z.boolean(), z.string().trim().min(1, 'write an answer').max(500)]);
export type ReadinessAnswer = z.infer<typeof readinessAnswerSchema>;

export const scoreScaleSchema = z.enum(['moaa-s', 'cadss-6']);
export type ScoreScale = z.infer<typeof scoreScaleSchema>;

export const roundingStatusSchema = z.enum(['comfortable', 'distressed', 'asleep-rousable', 'other']);
export const adverseEventKindSchema = z.enum(['nausea', 'vomiting', 'emergence-reaction', 'headache', 'dizziness', 'other']);
export const adverseEventSeveritySchema = z.enum(['mild', 'moderate', 'severe']);
export const doseRouteSchema = z.enum(['iv', 'im', 'intranasal', 'oral', 'odt', 'sublingual', 'subcutaneous']);

export const readinessAnsweredSchema = z
  .object({
    type: z.literal('readiness-answered'),
    /** By the protocol's readiness item id: yes/no items true or false, text items a string. */
    answers: z
      .record(idSchema, readinessAnswerSchema)
      .refine((a) => Object.keys(a).length > 0, 'answer at least one item'),
    ...common,
  })
  .strict();

export const escortRecordedSchema = z
  .object({
    type: z.literal('escort-recorded'),
    name: text('the escort’s name', 120),
    phone: z
      .string({ error: 'give the escort’s phone number' })
      .trim()
      .regex(/^[+0-9 ()./-]{5,32}$/, 'give a phone number (digits, spaces, + ( ) - . /)'),
    ...common,
  })
  .strict();

export const infusionSetSchema = z
  .object({
    type: z.literal('infusion-set'),
    drug: text('the drug', 80),
    weightKg: z.number({ error: 'give the weight in kg' }).positive('give the weight in kg').max(1000),
    doseMgPerKg: z.number({ error: 'give the dose in mg/kg' }).positive('the dose must be more than 0 mg/kg').max(10),
    concentrationMgPerMl: z.number({ error: 'give the concentration in mg/mL' }).positive('the concentration must be more than 0 mg/mL').max(500),
    rateMlPerH: z.number({ error: 'give the pump rate in mL/h' }).positive('the rate must be more than 0 mL/h (pause the infusion instead)').max(2000),
    ...common,
  })
  .strict();

export const infusionRateChangedSchema = z
  .object({
    type: z.literal('infusion-rate-changed'),
    rateMlPerH: z.number({ error: 'give the pump rate in mL/h' }).positive('the rate must be more than 0 mL/h (pause the infusion instead)').max(2000),
    reason: text('a reason for the change', 500),
    ...common,
  })
  .strict();

export const doseGivenSchema = z
  .object({
    type: z.literal('dose-given'),
    drug: text('the drug', 80),
    doseMg: mg('the dose'),
    route: doseRouteSchema,
    lot: z.string().trim().min(1, 'give the lot number or leave it out').max(40).optional(),
    /** Esketamine: the device's number, 1 to the protocol's maximum, in order. */
    device: z.number({ error: 'give the device number' }).int('give the device number').min(1, 'devices are numbered from 1').max(6).optional(),
    /** A device less than the rest time after the previous one; clinicians only. */
    override: override.optional(),
    ...common,
  })
  .strict();

export const prnGivenSchema = z
  .object({
    type: z.literal('prn-given'),
    drug: text('the drug', 80),
    doseMg: mg('the dose'),
    route: doseRouteSchema,
    indication: text('the indication', 200),
    /** Minutes until its reassessment is due (default: the protocol's). */
    reassessInMin: z.number().int('use whole minutes').min(1, 'must be at least 1 min').max(240, 'must be at most 240 min').optional(),
    ...common,
  })
  .strict();

export const prnReassessedSchema = z
  .object({
    type: z.literal('prn-reassessed'),
    /** The `prn-given` entry this reassesses. */
    prnSeq: z.number({ error: 'name the PRN entry (prnSeq)' }).int().positive(),
    response: text('the response', 500),
    ...common,
  })
  .strict();

const cadssItem = z.number({ error: 'score each item 0–4' }).int('score each item 0–4').min(0, 'score each item 0–4').max(4, 'score each item 0–4');

export const scoreRecordedSchema = z.discriminatedUnion('scale', [
  z
    .object({
      type: z.literal('score-recorded'),
      scale: z.literal('moaa-s'),
      value: z.number({ error: 'give the MOAA/S score 0–5' }).int('give the MOAA/S score 0–5').min(0, 'give the MOAA/S score 0–5').max(5, 'give the MOAA/S score 0–5'),
      ...common,
    })
    .strict(),
  z
    .object({
      type: z.literal('score-recorded'),
      scale: z.literal('cadss-6'),
      items: z.array(cadssItem).length(6, 'give all 6 CADSS-6 items'),
      ...common,
    })
    .strict(),
]);

export const roundingCheckSchema = z
  .object({ type: z.literal('rounding-check'), status: roundingStatusSchema, ...common })
  .strict();

export const adverseEventSchema = z
  .object({
    type: z.literal('adverse-event'),
    kind: adverseEventKindSchema,
    severity: adverseEventSeveritySchema,
    serious: z.boolean({ error: 'say whether it is serious (true or false)' }),
    ...common,
  })
  .strict();

export const escortHandoffSchema = z
  .object({ type: z.literal('escort-handoff'), collectedBy: text('who collected the patient', 120), ...common })
  .strict();

/** Every record entry's schema, by type (score-recorded is itself a union on `scale`). */
export const recordEventSchemas = {
  'readiness-answered': readinessAnsweredSchema,
  'escort-recorded': escortRecordedSchema,
  'infusion-set': infusionSetSchema,
  'infusion-rate-changed': infusionRateChangedSchema,
  'dose-given': doseGivenSchema,
  'prn-given': prnGivenSchema,
  'prn-reassessed': prnReassessedSchema,
  'score-recorded': scoreRecordedSchema,
  'rounding-check': roundingCheckSchema,
  'adverse-event': adverseEventSchema,
  'escort-handoff': escortHandoffSchema,
} as const;

export type RecordEventType = keyof typeof recordEventSchemas;
export const recordEventTypes = Object.keys(recordEventSchemas) as RecordEventType[];

export function isRecordEventType(type: unknown): type is RecordEventType {
  return typeof type === 'string' && Object.hasOwn(recordEventSchemas, type);
}

/** One record entry as posted. */
export const recordEventInputSchema = z.union([
  readinessAnsweredSchema,
  escortRecordedSchema,
  infusionSetSchema,
  infusionRateChangedSchema,
  doseGivenSchema,
  prnGivenSchema,
  prnReassessedSchema,
  scoreRecordedSchema,
  roundingCheckSchema,
  adverseEventSchema,
  escortHandoffSchema,
]);
export type RecordEventInput = z.infer<typeof recordEventInputSchema>;

/** Parses a record entry by its type, so that errors name the fields of that type only. */
export function parseRecordEvent(body: { type: RecordEventType } & Record<string, unknown>): ReturnType<(typeof recordEventInputSchema)['safeParse']> {
  return recordEventSchemas[body.type].safeParse(body) as ReturnType<(typeof recordEventInputSchema)['safeParse']>;
}
