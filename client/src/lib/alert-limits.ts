import {
  type AlertLimits,
  type AlertPriority,
  type AlertRule,
  type Comparator,
  type FieldIssue,
  type VitalField,
  alertLimitsSchema,
  applyAlertLimits,
  defaultAlertRules,
  vitalFieldInfo,
} from '@chairside/shared';

/**
 * The limits a clinician may change for one session (`limits-changed`), as form fields. The keys are
 * those of shared `alertLimitsSchema` (limits.ts): `<field>MmHg`, `<field>RiseMmHg`, `heartRatePerMin`,
 * `spo2Percent`, `respRatePerMin`, `escalation…`; alert-limits.test.ts checks every one against it.
 */

export interface LimitField {
  /** `<ruleId>.<key>`. */
  id: string;
  ruleId: string;
  key: string;
  ruleLabel: string;
  priority: AlertPriority;
  /** "SBP ≥", "ΔSBP ≥", "High if HR <". */
  name: string;
  unit: string;
  value: number;
}

const comparatorText: Record<Comparator, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' };
const streamedSuffix: Record<'heartRate' | 'spo2' | 'respRate', string> = { heartRate: 'PerMin', spo2: 'Percent', respRate: 'PerMin' };

function abbreviation(field: VitalField): string {
  return vitalFieldInfo[field].abbreviation;
}

function fieldsOf(rule: AlertRule): LimitField[] {
  const base = { ruleId: rule.id, ruleLabel: rule.label, priority: rule.priority };
  const make = (key: string, name: string, unit: string, value: number): LimitField => ({ ...base, id: `${rule.id}.${key}`, key, name, unit, value });
  switch (rule.kind) {
    case 'bp-threshold':
      return rule.anyOf.map((limit) => make(`${limit.field}MmHg`, `${abbreviation(limit.field)} ${comparatorText[limit.comparator]}`, 'mmHg', limit.limitMmHg));
    case 'baseline-bp':
      return [
        ...(rule.systolicAboveMmHg === null ? [] : [make('systolicMmHg', 'SBP >', 'mmHg', rule.systolicAboveMmHg)]),
        ...(rule.diastolicAboveMmHg === null ? [] : [make('diastolicMmHg', 'DBP >', 'mmHg', rule.diastolicAboveMmHg)]),
      ];
    case 'bp-rise':
      return [
        ...(rule.systolicRiseMmHg === null ? [] : [make('systolicRiseMmHg', 'ΔSBP ≥', 'mmHg', rule.systolicRiseMmHg)]),
        ...(rule.diastolicRiseMmHg === null ? [] : [make('diastolicRiseMmHg', 'ΔDBP ≥', 'mmHg', rule.diastolicRiseMmHg)]),
      ];
    case 'sustained-vital': {
      const suffix = streamedSuffix[rule.field];
      const { unit } = vitalFieldInfo[rule.field];
      const name = `${abbreviation(rule.field)} ${comparatorText[rule.comparator]}`;
      const fields = [make(`${rule.field}${suffix}`, name, unit, rule.limit)];
      if (rule.escalation !== null) {
        fields.push(make(`escalation${suffix}`, `${rule.escalation.priority === 'high' ? 'High' : 'Escalates'} if ${name}`, unit, rule.escalation.limit));
      }
      return fields;
    }
    default:
      return [];
  }
}

/** Every changeable limit of the rules, in the rule table's order. */
export function limitFields(rules: readonly AlertRule[] = defaultAlertRules): LimitField[] {
  return rules.filter((rule) => rule.enabled).flatMap(fieldsOf);
}

/** The session's limits: the defaults with its `alertLimits` applied (as the server does). */
export function currentLimitFields(alertLimits: unknown): LimitField[] {
  if (alertLimits === null || alertLimits === undefined) return limitFields();
  const parsed = alertLimitsSchema.safeParse(alertLimits);
  if (!parsed.success) return limitFields();
  const applied = applyAlertLimits(defaultAlertRules, parsed.data);
  return applied.ok ? limitFields(applied.rules) : limitFields();
}

/** The session runs on changed limits (a `limits-changed` that changed at least one value). */
export function hasCustomLimits(alertLimits: unknown): boolean {
  if (typeof alertLimits !== 'object' || alertLimits === null) return false;
  return Object.values(alertLimits).some(
    (values) => typeof values === 'object' && values !== null && Object.values(values).some((value) => typeof value === 'number'),
  );
}

/** "Hypertensive crisis SBP ≥ 190, Tachycardia HR > 115": the limits that differ from the defaults. */
export function describeCustomLimits(alertLimits: unknown): string {
  const defaults = new Map(limitFields().map((field) => [field.id, field.value]));
  return currentLimitFields(alertLimits)
    .filter((field) => defaults.get(field.id) !== field.value)
    .map((field) => `${field.ruleLabel} ${field.name} ${field.value}`)
    .join(', ');
}

export type LimitsDraft = Record<string, string>;
export type LimitsErrors = Partial<Record<string, string>> & { form?: string; reason?: string };

export function draftOf(fields: readonly LimitField[]): LimitsDraft {
  return Object.fromEntries(fields.map((field) => [field.id, String(field.value)]));
}

/** Maps issues whose path is `[ruleId, key]` (optionally after a prefix like `limits`) to fields. */
export function errorsFromLimitIssues(issues: readonly FieldIssue[], prefix: readonly string[] = []): LimitsErrors {
  const fields = limitFields();
  const errors: LimitsErrors = {};
  const unplaced: string[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (prefix.length > 0 && path[0] === 'reason') {
      errors.reason ??= issue.message;
      continue;
    }
    const rest = prefix.every((part, index) => path[index] === part) ? path.slice(prefix.length) : null;
    const [ruleId, key] = rest ?? [];
    const field = fields.find((f) => f.ruleId === ruleId && (key === undefined || f.key === key));
    if (field === undefined) unplaced.push(issue.message);
    else errors[field.id] ??= issue.message;
  }
  if (unplaced.length > 0) errors.form = unplaced.join('; ');
  return errors;
}

export type LimitsValidation = { ok: true; limits: AlertLimits } | { ok: false; errors: LimitsErrors };

/**
 * Checks the form with the shared rules (plausible values, low below high, escalation beyond its
 * limit, a superseding rule at least as strict) and builds the change: every value that differs from
 * the defaults, since a `limits-changed` replaces the session's limits whole.
 */
export function validateLimits(draft: LimitsDraft, reason: string, current: readonly LimitField[]): LimitsValidation {
  const errors: LimitsErrors = {};
  const values = new Map<string, number>();
  for (const field of limitFields()) {
    const text = (draft[field.id] ?? '').trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) errors[field.id] = 'Enter a number';
    else values.set(field.id, value);
  }
  if (reason.trim() === '') errors.reason = 'Give a reason for changing the alert limits';
  if (Object.keys(errors).some((key) => key !== 'reason')) return { ok: false, errors };

  const limits: Record<string, Record<string, number>> = {};
  for (const field of limitFields()) {
    const value = values.get(field.id);
    if (value === undefined || value === field.value) continue;
    (limits[field.ruleId] ??= {})[field.key] = value;
  }
  const parsed = alertLimitsSchema.safeParse(limits);
  if (!parsed.success) {
    const found = errorsFromLimitIssues(parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })));
    // The values that passed may still clash with the session's other limits: say so in the same go.
    const rest = Object.fromEntries(
      Object.entries(limits).map(([ruleId, values]) => [ruleId, Object.fromEntries(Object.entries(values).filter(([key]) => found[`${ruleId}.${key}`] === undefined))]),
    );
    const restParsed = alertLimitsSchema.safeParse(rest);
    const applied = restParsed.success ? applyAlertLimits(defaultAlertRules, restParsed.data) : null;
    const ordering = applied !== null && !applied.ok ? errorsFromLimitIssues(applied.issues) : {};
    return { ok: false, errors: { ...errors, ...ordering, ...found } };
  }
  const applied = applyAlertLimits(defaultAlertRules, parsed.data);
  if (!applied.ok) return { ok: false, errors: { ...errors, ...errorsFromLimitIssues(applied.issues) } };

  if (current.every((field) => values.get(field.id) === field.value)) {
    return { ok: false, errors: { ...errors, form: 'No limit was changed.' } };
  }
  if (errors.reason !== undefined) return { ok: false, errors };
  return { ok: true, limits: parsed.data };
}
