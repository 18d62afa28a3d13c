import { z } from 'zod';
import { idSchema, isoInstantSchema, roleSchema, sessionPhaseSchema } from './common';
import { patientSchema } from './patient';
import { readingSchema } from './reading';
import { protocolSchema } from '../session/protocol';
import { sessionStateSchema } from '../session/session-state';
import { sessionBaselineSchema } from '../session/baseline';
import { startGateResultSchema } from '../session/start-gate';
import { sessionRecordSchema } from '../session-record/session-record';

/** `POST /api/v1/sessions`: check a patient into a free chair under a protocol. */
export const checkInSchema = z
  .object({
    patientId: idSchema,
    chairId: idSchema,
    protocolId: idSchema,
    /** The nurse confirmed the patient's identity (name and date of birth / wristband) at the chair. */
    identityConfirmed: z.literal(true, { error: 'confirm the patient’s identity before check-in' }).optional(),
  })
  .strict();
export type CheckIn = z.infer<typeof checkInSchema>;

/** Everything a tile needs to run a session's clocks and gate locally. */
export const sessionSummarySchema = z.object({
  id: idSchema,
  chairId: idSchema,
  patient: patientSchema.pick({ id: true, displayName: true, mrn: true, riskFlags: true }),
  /** The protocol version the session started with. */
  protocol: protocolSchema,
  state: sessionStateSchema,
  baseline: sessionBaselineSchema,
  /** Times of the session's plausible BP readings (epoch ms), for the BP cadence and checkpoints. */
  bpTimesMs: z.array(z.number()),
  /**
   * What the start of treatment waits for, while the session is in its baseline phase (the server
   * sends null after it; absent in summaries built elsewhere, e.g. review fixtures).
   */
  startGate: startGateResultSchema.nullable().optional(),
  checkedInBy: z.string(),
  revision: z.number().int(),
  /**
   * The session record beyond vitals derived from its events: readiness, doses, scores, rounding, PRNs, escort and
   * what is due next (the server always sends it; absent in summaries built elsewhere).
   */
  record: sessionRecordSchema.optional(),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

/** One entry of a session's timeline: who did what, when, moving from which phase. */
export const sessionEventViewSchema = z.object({
  seq: z.number().int(),
  type: z.string(),
  at: isoInstantSchema,
  username: z.string(),
  role: z.union([roleSchema, z.literal('system')]),
  fromPhase: sessionPhaseSchema.nullable(),
  toPhase: sessionPhaseSchema.nullable(),
  payload: z.record(z.string(), z.unknown()),
});
export type SessionEventView = z.infer<typeof sessionEventViewSchema>;

/** `GET /api/v1/sessions/:id`: the session with its timeline and readings. */
export const sessionDetailSchema = sessionSummarySchema.extend({
  events: z.array(sessionEventViewSchema),
  readings: z.array(readingSchema),
});
export type SessionDetail = z.infer<typeof sessionDetailSchema>;

/** `POST /api/v1/sessions/:id/readings`: attach readings of the chair that belong to no session. */
export const attachReadingsSchema = z
  .object({ readingIds: z.array(z.uuid()).min(1, 'pick at least one reading').max(1000) })
  .strict();
