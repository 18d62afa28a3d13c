import { z } from 'zod';
import type { FieldIssue } from '../schemas/errors';
import { defaultPlausibilityLimits } from '../vitals/plausibility';
import { type VitalField, vitalFieldInfo } from '../vitals/vital-fields';
import { type AlertRule, type StreamedVitalField, limitDirection, defaultAlertRules } from './rules';

/**
 * Per-session limit changes by a clinician (`limits-changed`): thresholds only, never persistence,
 * priorities or the rule set. Keyed by rule id, each value named with its unit.
 */

const fieldUnitSuffix: Record<StreamedVitalField, string> = { heartRate: 'PerMin', spo2: 'Percent', respRate: 'PerMin' };

function limitValue(field: VitalField) {
  const { abbreviation, unit } = vitalFieldInfo[field];
  const { min, max } = defaultPlausibilityLimits.ranges[field];
  return z.number().superRefine((value, ctx) => {
    if (value < 0) {
      ctx.addIssue({ code: 'custom', message: `${abbreviation} limit must not be negative` });
    } else if (value < min || value > max) {
      ctx.addIssue({
        code: 'custom',
        message: `${abbreviation} limit ${value} is outside the plausible range ${min}–${max} ${unit}`,
      });
    }
  });
}

function riseValue(field: 'systolic' | 'diastolic') {
  const { abbreviation } = vitalFieldInfo[field];
  const { min, max } = defaultPlausibilityLimits.ranges[field];
  const largest = max - min;
  return z.number().superRefine((value, ctx) => {
    if (value <= 0) {
      ctx.addIssue({ code: 'custom', message: `the ${abbreviation} rise must be a positive number of mmHg` });
    } else if (value > largest) {
      ctx.addIssue({ code: 'custom', message: `a ${abbreviation} rise of ${value} mmHg is implausible (at most ${largest})` });
    }
  });
}

const bpHighLimits = z
  .object({ systolicMmHg: limitValue('systolic'), diastolicMmHg: limitValue('diastolic') })
  .partial()
  .strict();
const heartRateLimit = z.object({ heartRatePerMin: limitValue('heartRate') }).partial().strict();
const spo2Limit = z.object({ spo2Percent: limitValue('spo2') }).partial().strict();

const alertLimitsShape = z
  .object({
    'baseline-bp-elevated': bpHighLimits,
    'bp-rise': z
      .object({ systolicRiseMmHg: riseValue('systolic'), diastolicRiseMmHg: riseValue('diastolic') })
      .partial()
      .strict(),
    'bp-severe': bpHighLimits,
    'bp-crisis': bpHighLimits,
    'bp-low': z.object({ systolicMmHg: limitValue('systolic'), meanMmHg: limitValue('mean') }).partial().strict(),
    'hr-high': heartRateLimit,
    'hr-very-high': heartRateLimit,
    'hr-extreme': heartRateLimit,
    'hr-low': z
      .object({ heartRatePerMin: limitValue('heartRate'), escalationPerMin: limitValue('heartRate') })
      .partial()
      .strict(),
    'spo2-low': spo2Limit,
    'spo2-very-low': spo2Limit,
    'rr-low': z
      .object({ respRatePerMin: limitValue('respRate'), escalationPerMin: limitValue('respRate') })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

/**
 * A clinician's limit change, e.g. `{ 'bp-crisis': { systolicMmHg: 190 }, 'hr-low': { heartRatePerMin: 45 } }`.
 * Each value must be plausible (§5); where a change gives both a low and a high limit of one vital,
 * the low must be below the high (checked against the session's rules again by `applyAlertLimits`).
 */
export const alertLimitsSchema = alertLimitsShape.superRefine((limits, ctx) => {
  const applied = overrideRules(defaultAlertRules, limits);
  for (const issue of orderingIssues(applied.rules, limits, 'both-changed')) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
});
export type AlertLimits = z.infer<typeof alertLimitsSchema>;

export type ApplyAlertLimitsResult = { ok: true; rules: AlertRule[] } | { ok: false; issues: FieldIssue[] };

/**
 * The session's rules with a clinician's limits applied. Fails, with one message per problem, when
 * a limit names a rule or threshold the rule set does not have, or when the changed limits no
 * longer order sensibly against the others (a low limit at or above a high one of the same vital,
 * an escalation limit that is not beyond its rule's limit, a superseding rule less strict than
 * the rule it supersedes).
 */
export function applyAlertLimits(rules: readonly AlertRule[], limits: AlertLimits): ApplyAlertLimitsResult {
  const applied = overrideRules(rules, limits);
  const issues = [...applied.issues, ...orderingIssues(applied.rules, limits, 'either-changed')];
  return issues.length > 0 ? { ok: false, issues } : { ok: true, rules: applied.rules };
}

/** The limits a rule has, under the keys `alertLimitsSchema` uses for them. */
interface LimitEntry {
  ruleId: string;
  key: string;
  field: VitalField;
  direction: 'high' | 'low';
  /** 'rise' limits are relative to the baseline and are not ordered against absolute ones. */
  role: 'limit' | 'escalation' | 'rise';
  value: number;
}

function limitEntries(rule: AlertRule): LimitEntry[] {
  const base = { ruleId: rule.id };
  switch (rule.kind) {
    case 'bp-threshold':
      return rule.anyOf.map((limit) => ({
        ...base,
        key: `${limit.field}MmHg`,
        field: limit.field,
        direction: limitDirection(limit.comparator),
        role: 'limit',
        value: limit.limitMmHg,
      }));
    case 'baseline-bp': {
      const entries: LimitEntry[] = [];
      if (rule.systolicAboveMmHg !== null) {
        entries.push({ ...base, key: 'systolicMmHg', field: 'systolic', direction: 'high', role: 'limit', value: rule.systolicAboveMmHg });
      }
      if (rule.diastolicAboveMmHg !== null) {
        entries.push({ ...base, key: 'diastolicMmHg', field: 'diastolic', direction: 'high', role: 'limit', value: rule.diastolicAboveMmHg });
      }
      return entries;
    }
    case 'bp-rise': {
      const entries: LimitEntry[] = [];
      if (rule.systolicRiseMmHg !== null) {
        entries.push({ ...base, key: 'systolicRiseMmHg', field: 'systolic', direction: 'high', role: 'rise', value: rule.systolicRiseMmHg });
      }
      if (rule.diastolicRiseMmHg !== null) {
        entries.push({ ...base, key: 'diastolicRiseMmHg', field: 'diastolic', direction: 'high', role: 'rise', value: rule.diastolicRiseMmHg });
      }
      return entries;
    }
    case 'sustained-vital': {
      const suffix = fieldUnitSuffix[rule.field];
      const direction = limitDirection(rule.comparator);
      const entries: LimitEntry[] = [
        { ...base, key: `${rule.field}${suffix}`, field: rule.field, direction, role: 'limit', value: rule.limit },
      ];
      if (rule.escalation !== null) {
        entries.push({ ...base, key: `escalation${suffix}`, field: rule.field, direction, role: 'escalation', value: rule.escalation.limit });
      }
      return entries;
    }
    default:
      return [];
  }
}

function withLimit(rule: AlertRule, key: string, value: number): AlertRule | null {
  switch (rule.kind) {
    case 'bp-threshold': {
      const index = rule.anyOf.findIndex((limit) => `${limit.field}MmHg` === key);
      if (index < 0) return null;
      return { ...rule, anyOf: rule.anyOf.map((limit, i) => (i === index ? { ...limit, limitMmHg: value } : limit)) };
    }
    case 'baseline-bp':
      if (key === 'systolicMmHg') return { ...rule, systolicAboveMmHg: value };
      if (key === 'diastolicMmHg') return { ...rule, diastolicAboveMmHg: value };
      return null;
    case 'bp-rise':
      if (key === 'systolicRiseMmHg') return { ...rule, systolicRiseMmHg: value };
      if (key === 'diastolicRiseMmHg') return { ...rule, diastolicRiseMmHg: value };
      return null;
    case 'sustained-vital': {
      const suffix = fieldUnitSuffix[rule.field];
      if (key === `${rule.field}${suffix}`) return { ...rule, limit: value };
      if (key === `escalation${suffix}` && rule.escalation !== null) {
        return { ...rule, escalation: { ...rule.escalation, limit: value } };
      }
      return null;
    }
    default:
      return null;
  }
}

function changedValues(limits: AlertLimits): Map<string, Map<string, number>> {
  const changed = new Map<string, Map<string, number>>();
  for (const [ruleId, values] of Object.entries(limits)) {
    if (values === undefined) continue;
    const byKey = new Map<string, number>();
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === 'number') byKey.set(key, value);
    }
    changed.set(ruleId, byKey);
  }
  return changed;
}

function overrideRules(rules: readonly AlertRule[], limits: AlertLimits): { rules: AlertRule[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const result = [...rules];
  for (const [ruleId, values] of changedValues(limits)) {
    const index = result.findIndex((rule) => rule.id === ruleId);
    const rule = result[index];
    if (rule === undefined) {
      if (values.size > 0) issues.push({ path: [ruleId], message: `this session has no rule "${ruleId}"` });
      continue;
    }
    let next: AlertRule = rule;
    for (const [key, value] of values) {
      const changed = withLimit(next, key, value);
      if (changed === null) {
        issues.push({ path: [ruleId, key], message: `rule "${ruleId}" has no limit "${key}"` });
      } else {
        next = changed;
      }
    }
    result[index] = next;
  }
  return { rules: result, issues };
}

function describe(entry: LimitEntry): string {
  const abbreviation = vitalFieldInfo[entry.field].abbreviation;
  const what = entry.role === 'escalation' ? `escalation ${abbreviation} limit` : `${abbreviation} limit`;
  return `${entry.ruleId} ${what} (${entry.value})`;
}

/**
 * Limits that no longer order sensibly. `scope` says which pairs to report: those where both
 * values were changed (a change checked on its own), or where either was (a change against the
 * session's other limits).
 */
function orderingIssues(
  rules: readonly AlertRule[],
  limits: AlertLimits,
  scope: 'both-changed' | 'either-changed',
): FieldIssue[] {
  const changed = changedValues(limits);
  const isChanged = (entry: LimitEntry): boolean => changed.get(entry.ruleId)?.has(entry.key) ?? false;
  const inScope = (a: LimitEntry, b: LimitEntry): boolean =>
    scope === 'both-changed' ? isChanged(a) && isChanged(b) : isChanged(a) || isChanged(b);
  const pathOf = (a: LimitEntry, b: LimitEntry): string[] => {
    const entry = isChanged(a) || !isChanged(b) ? a : b;
    return [entry.ruleId, entry.key];
  };

  const active = rules.filter((rule) => rule.enabled);
  const entries = active.flatMap(limitEntries);
  const absolute = entries.filter((entry) => entry.role !== 'rise');
  const issues: FieldIssue[] = [];

  // A low limit of a vital below every high limit of it.
  for (const low of absolute.filter((entry) => entry.direction === 'low')) {
    for (const high of absolute.filter((entry) => entry.direction === 'high' && entry.field === low.field)) {
      if (low.value < high.value || !inScope(low, high)) continue;
      issues.push({ path: pathOf(low, high), message: `${describe(low)} must be below ${describe(high)}` });
    }
  }

  // An escalation limit beyond its own rule's limit.
  for (const escalation of entries.filter((entry) => entry.role === 'escalation')) {
    const limit = entries.find((entry) => entry.ruleId === escalation.ruleId && entry.role === 'limit');
    if (limit === undefined || !inScope(escalation, limit)) continue;
    const beyond = escalation.direction === 'low' ? escalation.value < limit.value : escalation.value > limit.value;
    if (!beyond) {
      const relation = escalation.direction === 'low' ? 'below' : 'above';
      issues.push({ path: pathOf(escalation, limit), message: `${describe(escalation)} must be ${relation} ${describe(limit)}` });
    }
  }

  // A superseding rule at least as strict as the rule it supersedes.
  for (const rule of active) {
    for (const otherId of rule.supersedes) {
      for (const strict of absolute.filter((entry) => entry.ruleId === rule.id && entry.role === 'limit')) {
        for (const lenient of absolute.filter(
          (entry) =>
            entry.ruleId === otherId &&
            entry.role === 'limit' &&
            entry.field === strict.field &&
            entry.direction === strict.direction,
        )) {
          const ordered = strict.direction === 'high' ? strict.value >= lenient.value : strict.value <= lenient.value;
          if (ordered || !inScope(strict, lenient)) continue;
          const relation = strict.direction === 'high' ? 'below' : 'above';
          issues.push({
            path: pathOf(strict, lenient),
            message: `${describe(strict)} must not be ${relation} ${describe(lenient)}, the rule it supersedes`,
          });
        }
      }
    }
  }
  return issues;
}
