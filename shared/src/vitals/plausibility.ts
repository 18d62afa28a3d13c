import { type VitalField, type VitalValues, vitalFieldInfo, vitalFields } from './vital-fields';

/** Inclusive plausible range of one vital sign (docs/clinical-defaults.md "Plausibility"). */
export interface PlausibleRange {
  min: number;
  max: number;
}

export interface PlausibilityLimits {
  ranges: Record<VitalField, PlausibleRange>;
  /** Values monitors send to mean "no reading"; never vitals. */
  noReadingMarkers: readonly number[];
  /** SpO₂ below this is kept but flagged as of low accuracy. */
  spo2LowAccuracyBelow: number;
}

/** Defaults from docs/clinical-defaults.md "Plausibility" (device specifications). Data, not constants: callers may pass their own. */
export const defaultPlausibilityLimits: PlausibilityLimits = {
  ranges: {
    systolic: { min: 40, max: 300 },
    diastolic: { min: 15, max: 200 },
    mean: { min: 25, max: 250 },
    heartRate: { min: 20, max: 300 },
    spo2: { min: 50, max: 100 },
    respRate: { min: 0, max: 70 },
  },
  noReadingMarkers: [-999, -99.9, -1, 8388607],
  spo2LowAccuracyBelow: 70,
};

export type RejectionReason = 'no-reading-marker' | 'out-of-range' | 'inconsistent';

/** A value that arrived but is not a vital sign; it is kept with its reason, never shown as a vital. */
export interface RejectedValue {
  field: VitalField;
  value: number;
  reason: RejectionReason;
  message: string;
}

/** `device-clock-ahead`: stamped ahead of the server's clock; ordered as if measured on arrival. */
export type ReadingFlag = 'spo2-low-accuracy' | 'device-clock-ahead';

export interface PlausibilityResult {
  accepted: VitalValues;
  rejected: RejectedValue[];
  flags: ReadingFlag[];
}

function formatValue(field: VitalField, value: number): string {
  const { abbreviation, unit } = vitalFieldInfo[field];
  return `${abbreviation} ${value} ${unit}`;
}

/**
 * Splits a reading's values into plausible ones and rejected ones, each rejection with its reason.
 * Blood pressure is judged as one measurement: a diastolic not below the systolic, or a mean outside
 * them, rejects the values involved.
 */
export function checkPlausibility(
  values: VitalValues,
  limits: PlausibilityLimits = defaultPlausibilityLimits,
): PlausibilityResult {
  const accepted: VitalValues = {};
  const rejected: RejectedValue[] = [];
  const flags: ReadingFlag[] = [];

  for (const field of vitalFields) {
    const value = values[field];
    if (value === undefined) continue;
    if (limits.noReadingMarkers.includes(value)) {
      rejected.push({
        field,
        value,
        reason: 'no-reading-marker',
        message: `${vitalFieldInfo[field].abbreviation}: the monitor sent ${value}, its "no reading" marker`,
      });
      continue;
    }
    const range = limits.ranges[field];
    if (value < range.min || value > range.max) {
      rejected.push({
        field,
        value,
        reason: 'out-of-range',
        message: `${formatValue(field, value)} is outside the plausible range ${range.min}–${range.max}`,
      });
      continue;
    }
    accepted[field] = value;
  }

  const inconsistent = new Map<VitalField, string>();
  const { systolic, diastolic, mean } = accepted;
  if (systolic !== undefined && diastolic !== undefined && diastolic >= systolic) {
    const message = `DBP ${diastolic} is not below SBP ${systolic}`;
    for (const field of ['systolic', 'diastolic', 'mean'] as const) inconsistent.set(field, message);
  } else if (mean !== undefined && systolic !== undefined && mean > systolic) {
    inconsistent.set('mean', `MAP ${mean} is above SBP ${systolic}`);
  } else if (mean !== undefined && diastolic !== undefined && mean < diastolic) {
    inconsistent.set('mean', `MAP ${mean} is below DBP ${diastolic}`);
  }
  for (const [field, message] of inconsistent) {
    const value = accepted[field];
    if (value === undefined) continue;
    accepted[field] = undefined;
    rejected.push({ field, value, reason: 'inconsistent', message });
  }

  if (accepted.spo2 !== undefined && accepted.spo2 < limits.spo2LowAccuracyBelow) {
    flags.push('spo2-low-accuracy');
  }

  return { accepted: withoutUndefined(accepted), rejected, flags };
}

/** The message a form shows for one value, or null when it is plausible. */
export function describeImplausible(
  field: VitalField,
  value: number,
  limits: PlausibilityLimits = defaultPlausibilityLimits,
): string | null {
  const result = checkPlausibility({ [field]: value }, limits);
  return result.rejected[0]?.message ?? null;
}

function withoutUndefined(values: VitalValues): VitalValues {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** One message a nurse reads about one rejected measurement, and the fields it covers. */
export interface RejectionText {
  fields: VitalField[];
  message: string;
}

const bpFields: readonly VitalField[] = ['systolic', 'diastolic', 'mean'];

/**
 * The rejected values of one reading as a nurse reads them: one message per measurement, never
 * one per field. SBP, DBP and MAP are one BP measurement ("BP 320/210 mmHg is outside the
 * plausible range (SBP 40–300, DBP 15–200)", "DBP 120 is not below SBP 110" once); HR, SpO₂ and
 * RR each stand alone.
 */
export function describeRejections(
  rejected: readonly RejectedValue[],
  limits: PlausibilityLimits = defaultPlausibilityLimits,
): RejectionText[] {
  const bp = rejected.filter((r) => bpFields.includes(r.field));
  const others = rejected.filter((r) => !bpFields.includes(r.field)).map((r) => ({ fields: [r.field], message: r.message }));
  if (bp.length === 0) return others;
  const fields = bpFields.filter((field) => bp.some((r) => r.field === field));
  return [{ fields, message: bpRejectionMessage(bp, limits) }, ...others];
}

function bpRejectionMessage(bp: readonly RejectedValue[], limits: PlausibilityLimits): string {
  const [only] = bp;
  if (bp.length === 1 && only !== undefined) return only.message;
  const distinct = [...new Set(bp.map((r) => r.message))];
  if (distinct.length === 1 && distinct[0] !== undefined) return distinct[0];
  const valueOf = (field: VitalField) => bp.find((r) => r.field === field)?.value;
  const [systolic, diastolic, mean] = [valueOf('systolic'), valueOf('diastolic'), valueOf('mean')];
  if (bp.every((r) => r.reason === 'out-of-range')) {
    const reading = `BP ${systolic ?? '–'}/${diastolic ?? '–'}${mean === undefined ? '' : ` (MAP ${mean})`} mmHg`;
    const ranges = bp.map((r) => `${vitalFieldInfo[r.field].abbreviation} ${limits.ranges[r.field].min}–${limits.ranges[r.field].max}`);
    return `${reading} is outside the plausible range (${ranges.join(', ')})`;
  }
  if (bp.every((r) => r.reason === 'no-reading-marker')) {
    const markers = [...new Set(bp.map((r) => r.value))].join(', ');
    return `BP: the monitor sent ${markers}, its "no reading" marker`;
  }
  return distinct.join('; ');
}
