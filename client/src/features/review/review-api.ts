import {
  type EsketamineMonitoringForm,
  type ReportPaper,
  type ReviewExportFormat,
  type SessionStats,
  alertPrioritySchema,
  dischargeGateItemIdSchema,
  idSchema,
  isoInstantSchema,
  sessionBaselineSchema,
  sessionPhaseSchema,
  sessionReviewInputSchema,
  treatmentPauseSchema,
} from '@chairside/shared';
import { z } from 'zod';

/*
 * The review API's queries and answers (README, API). Answers are validated before they are trusted to
 * have a shape. `SessionStats` is a type in @chairside/shared without a schema; the one here is
 * checked against that type at compile time (`z.ZodType<SessionStats>`), so a change there fails the
 * type check here rather than a clinician's screen.
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

/** The query of `GET /api/v1/sessions`, as the server names it; every field optional. */
export interface SessionListQuery {
  fromDate?: string;
  toDate?: string;
  patientId?: string;
  chairId?: string;
  protocolId?: string;
  hadAlerts?: boolean;
  overrideUsed?: boolean;
  signed?: boolean;
  sort?: 'checkedInAt' | 'chair' | 'protocol';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

const listQueryKeys = [
  'fromDate',
  'toDate',
  'patientId',
  'chairId',
  'protocolId',
  'hadAlerts',
  'overrideUsed',
  'signed',
  'sort',
  'order',
  'limit',
  'offset',
] as const satisfies readonly (keyof SessionListQuery)[];

/** "fromDate=2026-11-16&toDate=2026-11-22&sort=chair…": the list query as the server reads it, in a fixed order. */
export function sessionListQueryString(query: SessionListQuery): string {
  const params = new URLSearchParams();
  for (const key of listQueryKeys) {
    const value = query[key];
    if (value !== undefined) params.set(key, String(value));
  }
  return params.toString();
}

const sessionPath = (sessionId: string) => `/api/v1/sessions/${encodeURIComponent(sessionId)}`;

/**
 * Where a session's export downloads from (`GET /api/v1/sessions/:id/export`). A plain link: the
 * browser sends the session cookie and saves the answer under the server's file name.
 */
export function sessionExportHref(sessionId: string, format: ReviewExportFormat, paper?: ReportPaper): string {
  const query = new URLSearchParams({ format });
  if (format === 'pdf' && paper !== undefined) query.set('paper', paper);
  return `${sessionPath(sessionId)}/export?${query.toString()}`;
}

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
 * its own copy with each signature (`statement`), which is what a signed report shows; this text
 * must match server/src/review/review.service.ts until @chairside/shared exports it.
 */
export const signingStatement =
  'I have reviewed this session record (readings, alerts, acknowledgements and events) and sign it as complete.';
