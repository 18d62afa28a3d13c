import { z } from 'zod';
import { latestVitalsSchema } from '../schemas/chair';
import { rejectedValueSchema } from '../schemas/reading';
import { vitalFields } from '../vitals/vital-fields';
import { alertCategorySchema, alertPrioritySchema, comparatorSchema } from './rules';

/**
 * What an alert is and what the engine tells the world about it. Wire shapes: the server
 * broadcasts `AlertEvent`s and answers alert lists with `Alert`s; clients validate with these.
 * Times are epoch milliseconds on the server's clock (`…AtMs`), except reading times, which stay
 * the readings' own ISO `measuredAt`.
 */

/** One value beyond one limit. */
export const alertBreachSchema = z.object({
  field: z.enum(vitalFields),
  value: z.number(),
  comparator: comparatorSchema,
  limit: z.number(),
  /** MAP worked out from SBP and DBP because the cuff sent none; shown as "calculated". */
  calculated: z.boolean().optional(),
});
export type AlertBreach = z.infer<typeof alertBreachSchema>;

/** The facts behind an alert, as data; `formatAlertMessage` turns them into text. */
export const alertFactsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('bp-threshold'),
    breaches: z.array(alertBreachSchema),
    /** Consecutive breaching BP readings so far, and how many the rule needs. */
    readings: z.number().int(),
    requiredReadings: z.number().int(),
    /** Set while fewer readings than required breached ("recheck BP now"). */
    prompt: z.string().nullable(),
    /** The whole BP of the reading ("186/100"), breaching or not; absent in alerts raised before it was kept. */
    bp: z.object({ systolic: z.number().nullable(), diastolic: z.number().nullable() }).optional(),
    measuredAt: z.string(),
    /** Set when the reading arrived this long after it was measured (a late entry or a backlog). */
    lateBySec: z.number().optional(),
  }),
  z.object({
    kind: z.literal('bp-rise'),
    rises: z.array(
      z.object({
        field: z.enum(['systolic', 'diastolic']),
        value: z.number(),
        baseline: z.number(),
        rise: z.number(),
        limit: z.number(),
      }),
    ),
    readings: z.number().int(),
    requiredReadings: z.number().int(),
    measuredAt: z.string(),
    /** Set when the reading arrived this long after it was measured (a late entry or a backlog). */
    lateBySec: z.number().optional(),
  }),
  z.object({ kind: z.literal('baseline-bp'), breaches: z.array(alertBreachSchema) }),
  z.object({
    kind: z.literal('sustained-vital'),
    breach: alertBreachSchema,
    /** Measurement time from the first to the latest breaching reading. */
    sustainedSec: z.number(),
    readings: z.number().int(),
    /** Satisfied by two consecutive manual (spot) readings rather than by duration. */
    bySpotReadings: z.boolean(),
    /** Lowest and highest value over the window ("HR 121–131"): one value may be an artefact. */
    range: z.object({ min: z.number(), max: z.number() }).optional(),
    measuredAt: z.string(),
    /** Set when the reading arrived this long after it was measured (a late entry or a backlog). */
    lateBySec: z.number().optional(),
  }),
  z.object({ kind: z.literal('bp-overdue'), minutesWithoutBp: z.number().int(), intervalMin: z.number() }),
  z.object({ kind: z.literal('checkpoint-missed'), checkpointId: z.string(), label: z.string() }),
  z.object({
    kind: z.literal('no-data'),
    silentSec: z.number().int(),
    /** The streamed vitals that went silent. */
    vitals: z.array(z.enum(['heartRate', 'spo2', 'respRate'])).optional(),
  }),
  z.object({
    kind: z.literal('implausible'),
    rejected: z.array(rejectedValueSchema),
    measuredAt: z.string(),
    /** A value below the floor of what a sensor can mean (SpO₂ <50, HR <20, SBP <40): check the patient and the sensor. */
    belowFloor: z.boolean().optional(),
    /** Set when the reading arrived this long after it was measured (a late entry or a backlog). */
    lateBySec: z.number().optional(),
  }),
  z.object({ kind: z.literal('not-ready') }),
  /** No eyes-on check since it was due (docs/clinical-defaults.md "The session record beyond vitals"). */
  z.object({ kind: z.literal('rounding-overdue'), overdueMin: z.number().int() }),
  /** A PRN intervention's reassessment past its due time. */
  z.object({ kind: z.literal('reassessment-overdue'), label: z.string(), overdueMin: z.number().int() }),
]);
export type AlertFacts = z.infer<typeof alertFactsSchema>;

export const alertStatusSchema = z.enum(['active', 'acknowledged', 'cleared']);
export type AlertStatus = z.infer<typeof alertStatusSchema>;

export const alertActorSchema = z.object({ userId: z.string().min(1), username: z.string().min(1) });
export type AlertActor = z.infer<typeof alertActorSchema>;

export const acknowledgementSchema = z.object({
  by: alertActorSchema,
  atMs: z.number(),
  note: z.string().nullable(),
  /** The alert's priority and text as the person saw them. */
  priority: alertPrioritySchema,
  message: z.string(),
  /** The chair's newest values when it was acknowledged (the triggering values are in `facts`). */
  vitals: latestVitalsSchema,
});
export type Acknowledgement = z.infer<typeof acknowledgementSchema>;

export const alertSchema = z.object({
  /** Stable and deterministic: `<idPrefix>.<ruleId>.<n>`, n counting the session's alerts. */
  id: z.string(),
  ruleId: z.string(),
  /** What within the rule, when a rule can have several at once (a checkpoint id, a vital). */
  subject: z.string().nullable(),
  label: z.string(),
  category: alertCategorySchema,
  /** Current priority; it only rises within an episode. */
  priority: alertPrioritySchema,
  status: alertStatusSchema,
  message: z.string(),
  facts: alertFactsSchema,
  /** The reading that raised or last escalated it, if a reading did. */
  readingSeq: z.number().int().nullable(),
  raisedAtMs: z.number(),
  escalatedAtMs: z.number().nullable(),
  /** When its condition stopped holding while it stayed (a latched high alarm, or the 5-s minimum). */
  conditionResolvedAtMs: z.number().nullable(),
  clearedAtMs: z.number().nullable(),
  /**
   * Why it cleared: its condition resolved, a more urgent alert took it over, or the session ended
   * while it was open (then its facts keep the last value; it never counts as resolved).
   */
  clearReason: z.enum(['resolved', 'superseded', 'session-ended']).nullable(),
  /**
   * Raised by a reading that arrived after newer ones (its condition held in the past): it stays
   * until someone acknowledges it, whatever its priority, because no one saw it while it held.
   */
  late: z.boolean().optional(),
  acknowledgements: z.array(acknowledgementSchema),
});
export type Alert = z.infer<typeof alertSchema>;

/** A high alarm whose condition has resolved but that waits for someone to acknowledge it. */
export function isLatched(alert: Alert): boolean {
  return alert.status === 'active' && alert.priority === 'high' && alert.conditionResolvedAtMs !== null;
}

export const alertEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('alert-raised'), atMs: z.number(), alert: alertSchema }),
  z.object({
    type: z.literal('alert-escalated'),
    atMs: z.number(),
    fromPriority: alertPrioritySchema,
    alert: alertSchema,
  }),
  z.object({ type: z.literal('alert-cleared'), atMs: z.number(), alert: alertSchema }),
  z.object({
    type: z.literal('alert-acknowledged'),
    atMs: z.number(),
    acknowledgement: acknowledgementSchema,
    alert: alertSchema,
  }),
]);
export type AlertEvent = z.infer<typeof alertEventSchema>;
export type AlertEventType = AlertEvent['type'];
