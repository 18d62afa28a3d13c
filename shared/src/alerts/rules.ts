import { z } from 'zod';
import { sessionPhaseSchema, type SessionPhase } from '../schemas/chair';
import { readingSourceSchema } from '../schemas/reading';

/**
 * Alert rules as data (docs/clinical-defaults.md, "Alert rules"). A rule only describes a condition and the priority
 * it requests; the engine's arbiter (engine.ts) decides raising, escalation, latching and clearing.
 * Every number here is a default a clinic's medical director can change.
 */

export const alertPrioritySchema = z.enum(['high', 'medium', 'low']);
export type AlertPriority = z.infer<typeof alertPrioritySchema>;

/** Highest first. */
export const alertPriorities = ['high', 'medium', 'low'] as const satisfies readonly AlertPriority[];

const priorityRank: Record<AlertPriority, number> = { high: 3, medium: 2, low: 1 };

/** Positive when `a` is more urgent than `b`, 0 when equal. */
export function compareAlertPriority(a: AlertPriority, b: AlertPriority): number {
  return priorityRank[a] - priorityRank[b];
}

export function higherAlertPriority(a: AlertPriority, b: AlertPriority): AlertPriority {
  return compareAlertPriority(a, b) >= 0 ? a : b;
}

/** What an alert is about: the patient, the data (technical, §4), or a workflow advisory. */
export const alertCategorySchema = z.enum(['physiological', 'technical', 'advisory']);
export type AlertCategory = z.infer<typeof alertCategorySchema>;

/** How a value is compared with its limit; written as in the rule table. */
export const comparatorSchema = z.enum(['>', '>=', '<', '<=']);
export type Comparator = z.infer<typeof comparatorSchema>;

export function breachesLimit(value: number, comparator: Comparator, limit: number): boolean {
  switch (comparator) {
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
  }
}

/** 'high' limits alarm above them, 'low' limits below them. */
export function limitDirection(comparator: Comparator): 'high' | 'low' {
  return comparator === '>' || comparator === '>=' ? 'high' : 'low';
}

export const alertRuleIdSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and "-"');

export const bpFieldSchema = z.enum(['systolic', 'diastolic', 'mean']);
export type BpField = z.infer<typeof bpFieldSchema>;

/** Vitals that may stream every second; their persistence counts seconds of measurement time. */
export const streamedVitalFieldSchema = z.enum(['heartRate', 'spo2', 'respRate']);
export type StreamedVitalField = z.infer<typeof streamedVitalFieldSchema>;

const ruleBase = {
  id: alertRuleIdSchema,
  /** Short name for the alarm bar and history ("Hypertensive crisis"). */
  label: z.string().min(1).max(80),
  /** The priority the rule requests when its condition holds. */
  priority: alertPrioritySchema,
  category: alertCategorySchema,
  enabled: z.boolean(),
  /** Session phases in which the rule is evaluated; outside them its condition counts as resolved. */
  phases: z.array(sessionPhaseSchema).min(1),
  /**
   * Rules this one makes redundant: while this rule requests an alarm of at least their priority,
   * the arbiter ignores their requests (one tachycardia alarm, not three).
   */
  supersedes: z.array(alertRuleIdSchema),
  /** Where the default comes from (the tags of docs/clinical-defaults.md). */
  source: z.string().max(200),
};

/** Absolute BP limits (any one breached counts), persistence counted in BP readings. */
export const bpThresholdRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('bp-threshold'),
  anyOf: z
    .array(z.object({ field: bpFieldSchema, comparator: comparatorSchema, limitMmHg: z.number() }))
    .min(1),
  /** Consecutive BP readings (each breaching) before the rule's priority is requested. */
  consecutiveReadings: z.number().int().min(1).max(10),
  /**
   * Requested while fewer than `consecutiveReadings` breached ("recheck BP now"), or null. With an
   * escalation, the prompt rises to its priority when no newer BP has arrived within `afterMin`.
   */
  recheckPrompt: z
    .object({
      priority: alertPrioritySchema,
      text: z.string().min(1).max(80),
      escalation: z
        .object({ afterMin: z.number().positive().max(240), priority: alertPrioritySchema, text: z.string().min(1).max(80) })
        .nullable()
        .default(null),
    })
    .nullable(),
});

/** Rise over the patient's own baseline (mean of baseline readings), counted in BP readings. */
export const bpRiseRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('bp-rise'),
  /** ΔSBP at or above this breaches; null: not checked. */
  systolicRiseMmHg: z.number().positive().nullable(),
  diastolicRiseMmHg: z.number().positive().nullable(),
  consecutiveReadings: z.number().int().min(1).max(10),
});

/** The baseline itself is elevated (checked when the session's baseline is known). */
export const baselineBpRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('baseline-bp'),
  /** Baseline SBP above this breaches; null: not checked. */
  systolicAboveMmHg: z.number().nullable(),
  diastolicAboveMmHg: z.number().nullable(),
});

/**
 * A streamed vital beyond a limit for `sustainSec` seconds of measurement time, the window covered
 * by readings no more than two send intervals apart (a vital sent once a minute needs readings over
 * the whole window, not two). A manual (spot) reading counts as one reading: two consecutive
 * breaching manual readings satisfy the rule even if they span less than `sustainSec`.
 */
export const sustainedVitalRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('sustained-vital'),
  field: streamedVitalFieldSchema,
  comparator: comparatorSchema,
  limit: z.number(),
  sustainSec: z.number().min(0).max(3600),
  /** A further limit that requests a higher priority when sustained on its own ("high if <40 for 10 s"). */
  escalation: z
    .object({ limit: z.number(), sustainSec: z.number().min(0).max(3600), priority: alertPrioritySchema })
    .nullable(),
});

/** No BP within the protocol interval + grace (clock: the last BP's measurement time against now). */
export const bpOverdueRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('bp-overdue'),
  graceMin: z.number().min(0).max(120),
  /** Minutes after the alarm starts at which it escalates, or null. */
  escalation: z.object({ afterMin: z.number().positive().max(240), priority: alertPrioritySchema }).nullable(),
});

/** A required BP checkpoint (e.g. Spravato's 40-min BP) has no reading by the end of its window. */
export const checkpointMissedRuleSchema = z.object({ ...ruleBase, kind: z.literal('checkpoint-missed') });

/**
 * A device that streams a vital (sends it at least every `silentSec`) has gone silent for
 * `silentSec`, or for two of its send intervals if that is longer (clock: server time of arrival).
 * A vital sent more sparsely (a cuff-only monitor's pulse) is not watched: "BP overdue" covers it.
 * A nurse's "monitor removed" ends the watch until the device sends again.
 */
export const noDataRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('no-data'),
  silentSec: z.number().positive().max(3600),
  /** Reading sources that prove the device is alive. */
  sources: z.array(readingSourceSchema).min(1),
});

/** The latest value of a vital was rejected as implausible (§5). */
export const implausibleRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('implausible'),
  reasons: z.array(z.enum(['no-reading-marker', 'out-of-range', 'inconsistent'])).min(1),
  /**
   * Values below these floors are no physiological reading a sensor can give (SpO₂ <50 %, HR <20,
   * SBP <40): still not stored as vitals, but the patient or the sensor needs a look now.
   */
  belowFloor: z
    .object({
      priority: alertPrioritySchema,
      floors: z.array(z.object({ field: z.enum(['systolic', 'heartRate', 'spo2']), below: z.number() })).min(1),
    })
    .nullable()
    .default(null),
});

/** The discharge gate (§2) fails when the minimum observation ends. */
export const notReadyRuleSchema = z.object({ ...ruleBase, kind: z.literal('not-ready') });

/**
 * An eyes-on check is overdue (docs/clinical-defaults.md "The session record beyond vitals"): the rule's priority once it
 * is overdue by the protocol's first threshold, the escalation's at the second (both come with the session's context).
 */
export const roundingOverdueRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('rounding-overdue'),
  escalationPriority: alertPrioritySchema,
});

/** A PRN intervention's reassessment is past its due time; one alert per open reassessment. */
export const reassessmentOverdueRuleSchema = z.object({ ...ruleBase, kind: z.literal('reassessment-overdue') });

export const alertRuleSchema = z.discriminatedUnion('kind', [
  bpThresholdRuleSchema,
  bpRiseRuleSchema,
  baselineBpRuleSchema,
  sustainedVitalRuleSchema,
  bpOverdueRuleSchema,
  checkpointMissedRuleSchema,
  noDataRuleSchema,
  implausibleRuleSchema,
  notReadyRuleSchema,
  roundingOverdueRuleSchema,
  reassessmentOverdueRuleSchema,
]);
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertRuleKind = AlertRule['kind'];

/** A rule set: ids unique, `supersedes` naming rules of the set. */
export const alertRulesSchema = z.array(alertRuleSchema).superRefine((rules, ctx) => {
  const ids = new Set<string>();
  rules.forEach((rule, index) => {
    if (ids.has(rule.id)) {
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `rule id "${rule.id}" is used twice` });
    }
    ids.add(rule.id);
  });
  rules.forEach((rule, index) => {
    for (const other of rule.supersedes) {
      if (!ids.has(other) || other === rule.id) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'supersedes'],
          message: `rule "${rule.id}" supersedes "${other}", which is not another rule of this set`,
        });
      }
    }
  });
});

const whileInChair: SessionPhase[] = ['baseline', 'treatment', 'observation'];
const whileMonitored: SessionPhase[] = ['treatment', 'observation'];

/** Every row of the default rule table (docs/clinical-defaults.md), in order of severity within each vital. */
export const defaultAlertRules: readonly AlertRule[] = [
  {
    id: 'baseline-bp-elevated',
    label: 'Elevated baseline BP',
    kind: 'baseline-bp',
    priority: 'low',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: [],
    source: '[label]',
    systolicAboveMmHg: 140,
    diastolicAboveMmHg: 90,
  },
  {
    id: 'bp-rise',
    label: 'BP rise over baseline',
    kind: 'bp-rise',
    priority: 'medium',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: [],
    source: '[label] trial metric',
    systolicRiseMmHg: 40,
    diastolicRiseMmHg: 25,
    consecutiveReadings: 1,
  },
  {
    id: 'bp-severe',
    label: 'Severe hypertension',
    kind: 'bp-threshold',
    priority: 'medium',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: [],
    source: '[practice]',
    anyOf: [
      { field: 'systolic', comparator: '>=', limitMmHg: 180 },
      { field: 'diastolic', comparator: '>=', limitMmHg: 110 },
    ],
    consecutiveReadings: 2,
    recheckPrompt: {
      priority: 'low',
      text: 'recheck BP now',
      escalation: { afterMin: 5, priority: 'medium', text: 'no recheck BP within 5 min' },
    },
  },
  {
    id: 'bp-crisis',
    label: 'Hypertensive crisis',
    kind: 'bp-threshold',
    priority: 'high',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: ['bp-severe', 'bp-rise'],
    source: '[practice]',
    anyOf: [
      { field: 'systolic', comparator: '>=', limitMmHg: 200 },
      { field: 'diastolic', comparator: '>=', limitMmHg: 120 },
    ],
    consecutiveReadings: 1,
    recheckPrompt: null,
  },
  {
    id: 'bp-low',
    label: 'Hypotension',
    kind: 'bp-threshold',
    priority: 'medium',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: [],
    source: '[proposal]',
    anyOf: [
      { field: 'systolic', comparator: '<', limitMmHg: 90 },
      { field: 'mean', comparator: '<', limitMmHg: 65 },
    ],
    consecutiveReadings: 1,
    recheckPrompt: null,
  },
  {
    id: 'hr-high',
    label: 'Tachycardia',
    kind: 'sustained-vital',
    priority: 'low',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: [],
    source: '[practice]',
    field: 'heartRate',
    comparator: '>',
    limit: 110,
    sustainSec: 120,
    escalation: null,
  },
  {
    id: 'hr-very-high',
    label: 'Marked tachycardia',
    kind: 'sustained-vital',
    priority: 'medium',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: ['hr-high'],
    source: '[practice]',
    field: 'heartRate',
    comparator: '>',
    limit: 120,
    sustainSec: 300,
    escalation: null,
  },
  {
    id: 'hr-extreme',
    label: 'Extreme tachycardia',
    kind: 'sustained-vital',
    priority: 'high',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: ['hr-very-high', 'hr-high'],
    source: '[proposal]',
    field: 'heartRate',
    comparator: '>=',
    limit: 150,
    sustainSec: 15,
    escalation: null,
  },
  {
    id: 'hr-low',
    label: 'Bradycardia',
    kind: 'sustained-vital',
    priority: 'medium',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: [],
    source: '[proposal]',
    field: 'heartRate',
    comparator: '<',
    limit: 50,
    sustainSec: 30,
    escalation: { limit: 40, sustainSec: 10, priority: 'high' },
  },
  {
    id: 'spo2-low',
    label: 'Desaturation',
    kind: 'sustained-vital',
    priority: 'medium',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: [],
    source: '[study] Aldrete; alarm-delay studies',
    field: 'spo2',
    comparator: '<',
    limit: 92,
    sustainSec: 15,
    escalation: null,
  },
  {
    id: 'spo2-very-low',
    label: 'Severe desaturation',
    kind: 'sustained-vital',
    priority: 'high',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: ['spo2-low'],
    source: '[study]',
    field: 'spo2',
    comparator: '<',
    limit: 88,
    sustainSec: 10,
    escalation: null,
  },
  {
    id: 'rr-low',
    label: 'Respiratory depression',
    kind: 'sustained-vital',
    priority: 'medium',
    category: 'physiological',
    enabled: true,
    phases: whileInChair,
    supersedes: [],
    source: '[proposal]',
    field: 'respRate',
    comparator: '<',
    limit: 8,
    sustainSec: 30,
    // §3 gives no separate duration for "high if <6": the row's 30 s applies.
    escalation: { limit: 6, sustainSec: 30, priority: 'high' },
  },
  {
    id: 'bp-overdue',
    label: 'BP overdue',
    kind: 'bp-overdue',
    priority: 'low',
    category: 'technical',
    enabled: true,
    phases: whileMonitored,
    supersedes: [],
    source: '[practice]',
    graceMin: 2,
    escalation: { afterMin: 5, priority: 'medium' },
  },
  {
    id: 'checkpoint-missed',
    label: 'Checkpoint missed',
    kind: 'checkpoint-missed',
    priority: 'medium',
    category: 'technical',
    enabled: true,
    phases: whileMonitored,
    supersedes: [],
    source: '[label]',
  },
  {
    id: 'no-data',
    label: 'No data',
    kind: 'no-data',
    priority: 'medium',
    category: 'technical',
    enabled: true,
    phases: whileMonitored,
    supersedes: [],
    source: '[practice]',
    silentSec: 60,
    sources: ['device', 'simulator'],
  },
  {
    id: 'implausible',
    label: 'Implausible value',
    kind: 'implausible',
    priority: 'low',
    category: 'technical',
    enabled: true,
    phases: whileInChair,
    supersedes: [],
    source: 'device specs',
    // A monitor's "no reading" marker (-1, -999 …) is not a wrong value; it is kept in the log only.
    reasons: ['out-of-range', 'inconsistent'],
    belowFloor: {
      priority: 'medium',
      floors: [
        { field: 'spo2', below: 50 },
        { field: 'heartRate', below: 20 },
        { field: 'systolic', below: 40 },
      ],
    },
  },
  {
    id: 'not-ready',
    label: 'Discharge criteria not met',
    kind: 'not-ready',
    priority: 'low',
    category: 'advisory',
    enabled: true,
    phases: ['observation'],
    supersedes: [],
    source: '[study]',
  },
  {
    id: 'rounding-overdue',
    label: 'Eyes-on check overdue',
    kind: 'rounding-overdue',
    priority: 'low',
    escalationPriority: 'medium',
    category: 'technical',
    enabled: true,
    phases: whileMonitored,
    supersedes: [],
    source: '[REMS/practice]',
  },
  {
    id: 'reassessment-overdue',
    label: 'Reassessment overdue',
    kind: 'reassessment-overdue',
    priority: 'low',
    category: 'technical',
    enabled: true,
    phases: whileInChair,
    supersedes: [],
    source: '[practice]',
  },
];
