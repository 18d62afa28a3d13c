import { z } from 'zod';
import { alertPrioritySchema } from '../alerts/rules';
import { idSchema, isoInstantSchema, sessionPhaseSchema } from '../schemas/common';
import { sessionBaselineSchema } from '../session/baseline';
import type { EsketamineMonitoringForm } from '../session/esketamine-form';
import { dischargeGateItemIdSchema, treatmentPauseSchema } from '../session/session-state';
import { sessionReviewInputSchema } from './review-input';
import type { SessionStats } from './session-stats';

/*
 * The review API's answers (README, API; docs/architecture.md "The contract between server and
 * dashboard"): the server shapes them with these types and the dashboard parses them with these
 * schemas. `SessionStats` is computed here in shared (session-stats.ts); its schema is checked
 * against that type at compile time (`z.ZodType<SessionStats>`), so a change there fails the type
 * check rather than a clinician's screen.
 */

/** One row of `GET /api/v1/sessions` (the review list). */
export const sessionListItemSchema = z.object({
  id: idSchema,
  chairId: idSchema,
  patientId: idSchema,
  patientName: z.string(),
  protocolId: idSchema,
  protocolVersion: z.number().int(),
  phase: sessionPhaseSchema,
  checkedInAt: isoInstantSchema,
  checkedInBy: z.string(),
  endedAt: isoInstantSchema.nullable(),
  alertCount: z.number().int(),
  highAlertCount: z.number().int(),
  signedAt: isoInstantSchema.nullable(),
});
export type SessionListItem = z.infer<typeof sessionListItemSchema>;

export const sessionListPageSchema = z.object({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  items: z.array(sessionListItemSchema),
  /** The clinic's time zone, if the server says it (the report does; the list may one day). */
  timeZone: z.string().optional(),
});
export type SessionListPage = z.infer<typeof sessionListPageSchema>;

const epochMs = z.number();
const byPriority = <T extends z.ZodType>(value: T) => z.object({ high: value, medium: value, low: value });

const vitalPeakSchema = z.object({
  field: z.enum(['systolic', 'diastolic', 'heartRate']),
  value: z.number(),
  atMs: epochMs,
  readingId: z.string(),
  readingSeq: z.number().int(),
  sinceTreatmentStartMs: z.number().nullable(),
  baseline: z.number().nullable(),
  deltaFromBaseline: z.number().nullable(),
});

const acknowledgementSummarySchema = z.object({
  acknowledged: z.number().int(),
  medianMs: z.number().nullable(),
  maxMs: z.number().nullable(),
});

const remsBpSchema = z.object({
  systolic: z.number(),
  diastolic: z.number(),
  atMs: epochMs,
  readingId: z.string(),
  minutesFromDosing: z.number().nullable(),
});

const esketamineFormSchema: z.ZodType<EsketamineMonitoringForm> = z.object({
  dosingStartedAtMs: epochMs.nullable(),
  bpBeforeDosing: remsBpSchema.nullable(),
  bpAtCheckpoint: remsBpSchema.extend({ checkpointId: z.string(), checkpointLabel: z.string() }).nullable(),
  bpBeforeDischarge: remsBpSchema.nullable(),
  monitoringEndedAtMs: epochMs.nullable(),
  totalMonitoringMinutes: z.number().nullable(),
  readyToLeaveAtMs: epochMs.nullable(),
  readyToLeaveMinutesFromDosing: z.number().nullable(),
  dischargeOverrideReason: z.string().nullable(),
  missing: z.array(z.string()),
});

/** shared `SessionStats` (review/session-stats.ts). */
export const sessionStatsSchema: z.ZodType<SessionStats> = z.object({
  sessionId: z.string(),
  asOfMs: epochMs,
  baseline: sessionBaselineSchema,
  peakWindow: z.enum(['since-treatment-start', 'whole-session']),
  peaks: z.object({
    systolic: vitalPeakSchema.nullable(),
    diastolic: vitalPeakSchema.nullable(),
    heartRate: vitalPeakSchema.nullable(),
  }),
  lowestSpo2: z
    .object({
      value: z.number(),
      atMs: epochMs,
      readingId: z.string(),
      readingSeq: z.number().int(),
      sinceTreatmentStartMs: z.number().nullable(),
    })
    .nullable(),
  readings: z.object({
    total: z.number().int(),
    bloodPressures: z.number().int(),
    withRejectedValues: z.number().int(),
    rejectedValues: z.number().int(),
  }),
  alerts: z.object({
    total: z.number().int(),
    byPriority: byPriority(z.number().int()),
    byCategory: z.object({ physiological: z.number().int(), technical: z.number().int(), advisory: z.number().int() }),
    unacknowledged: z.number().int(),
    active: z.number().int(),
  }),
  acknowledgement: acknowledgementSummarySchema.extend({
    perAlert: z.array(
      z.object({
        alertId: z.string(),
        ruleId: z.string(),
        label: z.string(),
        priority: alertPrioritySchema,
        raisedAtMs: epochMs,
        acknowledgedAtMs: epochMs.nullable(),
        acknowledgedBy: z.string().nullable(),
        timeToAcknowledgeMs: z.number().nullable(),
      }),
    ),
    byPriority: byPriority(acknowledgementSummarySchema),
  }),
  phases: z.object({
    checkedInAtMs: epochMs,
    treatmentStartedAtMs: epochMs.nullable(),
    treatmentEndedAtMs: epochMs.nullable(),
    dischargedAtMs: epochMs.nullable(),
    cancelledAtMs: epochMs.nullable(),
    endedAtMs: epochMs.nullable(),
    baselineMs: z.number(),
    treatmentMs: z.number(),
    pausedMs: z.number(),
    pauses: z.array(treatmentPauseSchema),
    observationMs: z.number(),
    totalMs: z.number(),
    sinceTreatmentStartMs: z.number().nullable(),
  }),
  observation: z
    .object({
      from: z.enum(['treatment-start', 'treatment-end']),
      referenceAtMs: epochMs,
      elapsedMs: z.number(),
      minimumMs: z.number(),
      minimumReached: z.boolean(),
    })
    .nullable(),
  gate: z.object({
    firstHeldAtMs: epochMs.nullable(),
    firstHeldAfterReferenceMs: z.number().nullable(),
    dischargedVia: z.enum(['gate', 'override']).nullable(),
    overrideReason: z.string().nullable(),
    overrideFailingItems: z.array(dischargeGateItemIdSchema),
  }),
  esketamineForm: esketamineFormSchema.nullable(),
});

/** A clinician's signature as stored (`POST /api/v1/sessions/:id/sign` answers it). */
export const sessionSignatureSchema = z.object({
  sessionId: z.string(),
  signedBy: z.string(),
  signedByName: z.string(),
  signedAt: epochMs,
  statement: z.string(),
});
export type SessionSignature = z.infer<typeof sessionSignatureSchema>;

/** A later correction to a signed session (`POST /api/v1/sessions/:id/addenda` answers it). */
export const sessionAddendumSchema = z.object({
  seq: z.number().int(),
  text: z.string(),
  username: z.string(),
  displayName: z.string(),
  at: epochMs,
});
export type SessionAddendum = z.infer<typeof sessionAddendumSchema>;

/** `GET /api/v1/sessions/:id/report`. */
export const sessionReportSchema = z.object({
  input: sessionReviewInputSchema,
  stats: sessionStatsSchema,
  signature: sessionSignatureSchema.nullable(),
  addenda: z.array(sessionAddendumSchema),
  timeZone: z.string(),
});
export type SessionReport = z.infer<typeof sessionReportSchema>;

/** One session of `GET /api/v1/patients/:id/history`, oldest first. */
export const patientHistoryItemSchema = z.object({
  sessionId: z.string(),
  checkedInAt: isoInstantSchema,
  protocolName: z.string(),
  phase: sessionPhaseSchema,
  stats: sessionStatsSchema,
  /** BP points on treatment-relative time: minutes since treatment start (negative before it). */
  bpCurve: z.array(z.object({ minutes: z.number(), systolic: z.number(), diastolic: z.number() })),
});
export type PatientHistoryItem = z.infer<typeof patientHistoryItemSchema>;
export const patientHistorySchema = z.array(patientHistoryItemSchema);

/**
 * What a clinician's signature states, quoted in the confirmation before signing. The server stores
 * this text with each signature (`statement`), which is what a signed report shows.
 */
export const signingStatement =
  'I have reviewed this session record (readings, alerts, acknowledgements and events) and sign it as complete.';
