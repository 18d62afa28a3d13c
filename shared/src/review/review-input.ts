import { z } from 'zod';
import { alertSchema } from '../alerts/alert';
import { escalationStepSchema } from '../schemas/reach';
import { sessionDetailSchema } from '../schemas/session';

/** A clinician's signature of a finished session (`POST /api/v1/sessions/:id/sign`). */
export const reviewSignatureSchema = z.object({
  signedBy: z.string().min(1),
  signedAtMs: z.number().int(),
});
export type ReviewSignature = z.infer<typeof reviewSignatureSchema>;

/** A later correction to a signed session, kept beside the record (`POST /api/v1/sessions/:id/addenda`). */
export const reviewAddendumSchema = z.object({
  text: z.string(),
  by: z.string().min(1),
  atMs: z.number().int(),
});
export type ReviewAddendum = z.infer<typeof reviewAddendumSchema>;

/** Everything a report or export of one session is made from; the server gathers it from the store. */
export const sessionReviewInputSchema = z.object({
  session: sessionDetailSchema,
  alerts: z.array(alertSchema),
  /** The chair's display name ("Chair 3"); null when the chair is gone. */
  chairName: z.string().nullable(),
  signature: reviewSignatureSchema.nullable(),
  addenda: z.array(reviewAddendumSchema),
  /**
   * Whom the session's unacknowledged alarms reached, step by step, oldest first (alert events `escalated-to`); absent
   * from a server older than alarm reach.
   */
  escalations: z.array(escalationStepSchema).optional(),
});
export type SessionReviewInput = z.infer<typeof sessionReviewInputSchema>;
