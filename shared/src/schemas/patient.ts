import { z } from 'zod';
import { idSchema, isoInstantSchema } from './common';

/** Risk flags a clinic records for a patient; shown on the chair tile. */
export const riskFlagSchema = z.enum([
  'hypertension',
  'heart-disease',
  'tachyarrhythmia',
  'sleep-apnea',
  'first-sessions',
  'other',
]);
export type RiskFlag = z.infer<typeof riskFlagSchema>;

export const riskFlagLabels: Record<RiskFlag, string> = {
  hypertension: 'Known hypertension',
  'heart-disease': 'Heart disease',
  tachyarrhythmia: 'Tachyarrhythmia',
  'sleep-apnea': 'Sleep apnoea',
  'first-sessions': 'Early in treatment course',
  other: 'Other risk',
};

/** A pseudonymous patient: a display name the clinic chooses, an optional MRN, risk flags. */
export const patientSchema = z.object({
  id: idSchema,
  displayName: z.string(),
  mrn: z.string().nullable(),
  riskFlags: z.array(riskFlagSchema),
  createdAt: isoInstantSchema,
});
export type Patient = z.infer<typeof patientSchema>;

export const createPatientSchema = z
  .object({
    displayName: z.string().trim().min(1, 'enter a display name').max(80),
    mrn: z
      .string()
      .trim()
      .max(40)
      .regex(/^[A-Za-z0-9._/-]+$/, 'use letters, digits, ".", "_", "/" or "-"')
      .nullable()
      .optional(),
    riskFlags: z.array(riskFlagSchema).max(10).default([]),
  })
  .strict();
export type CreatePatient = z.infer<typeof createPatientSchema>;
