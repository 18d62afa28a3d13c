import { type FieldIssue, type VitalValues, describeImplausible } from '@chairside/shared';
import { parseDateTimeLocal, toIsoWithOffset } from '../../lib/local-time';

/** The vitals a nurse types in, in form order. MAP is left to the monitor. */
export const manualVitalFields = ['systolic', 'diastolic', 'heartRate', 'spo2', 'respRate'] as const;
export type ManualVitalField = (typeof manualVitalFields)[number];
export type ManualEntryField = ManualVitalField | 'time';

export type ManualEntryDraft = Record<ManualEntryField, string>;

export type ManualEntryErrors = Partial<Record<ManualEntryField, string>> & {
  /** A problem with the whole entry rather than one field. */
  form?: string;
};

export type ManualEntryResult =
  | { ok: true; values: VitalValues; measuredAt: string; measuredAtMs: number }
  | { ok: false; errors: ManualEntryErrors };

/** The API refuses readings more than 5 minutes in the future (README, Readings). */
export const maxFutureMs = 5 * 60 * 1000;

/** A reading measured longer ago than this is saved only after the nurse confirms its time. */
export const confirmOlderThanMs = 60 * 60 * 1000;

/** "90 min", "5 h", "6 days": how long ago a reading was measured, for the confirmation. */
export function formatMeasuredAgo(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

export const emptyDraft = (time: string): ManualEntryDraft => ({
  systolic: '',
  diastolic: '',
  heartRate: '',
  spo2: '',
  respRate: '',
  time,
});

const wholeNumberPattern = /^\d{1,4}$/;
const decimalPattern = /^\d{1,4}[.,]\d+$/;

/**
 * Checks a manual entry before it is sent: whole numbers (cuffs, monitors and counts give no decimals), the plausible ranges of docs/clinical-defaults.md "Plausibility"
 * (with the shared wording, "SBP 320 mmHg is outside the plausible range 40–300"), diastolic below
 * systolic, at least one value, and a time that is not in the future.
 */
export function validateManualEntry(draft: ManualEntryDraft, nowMs: number): ManualEntryResult {
  const errors: ManualEntryErrors = {};
  const values: VitalValues = {};

  for (const field of manualVitalFields) {
    const text = draft[field].trim();
    if (text === '') continue;
    if (decimalPattern.test(text)) {
      errors[field] = `Whole numbers only: ${text} has a decimal part`;
      continue;
    }
    if (!wholeNumberPattern.test(text)) {
      errors[field] = 'Enter a whole number, digits only';
      continue;
    }
    const value = Number(text);
    const implausible = describeImplausible(field, value);
    if (implausible !== null) errors[field] = implausible;
    else values[field] = value;
  }

  const { systolic, diastolic } = values;
  if (systolic !== undefined && diastolic !== undefined && diastolic >= systolic) {
    errors.diastolic = `Diastolic ${diastolic} must be below systolic ${systolic}`;
  }

  const entered = manualVitalFields.some((field) => draft[field].trim() !== '');
  if (!entered) errors.form = 'Enter at least one value';

  const measuredAtMs = parseDateTimeLocal(draft.time);
  if (measuredAtMs === null) errors.time = 'Enter the date and time of the reading';
  else if (measuredAtMs - nowMs > maxFutureMs) errors.time = 'The time is in the future';

  if (Object.keys(errors).length > 0 || measuredAtMs === null) return { ok: false, errors };
  return { ok: true, values, measuredAt: toIsoWithOffset(measuredAtMs), measuredAtMs };
}

const apiFieldToFormField: Record<string, ManualEntryField> = {
  systolic: 'systolic',
  diastolic: 'diastolic',
  heartRate: 'heartRate',
  spo2: 'spo2',
  respRate: 'respRate',
  measuredAt: 'time',
};

/** Places the server's 400 details next to the fields they name; the rest go to the form. */
export function errorsFromIssues(issues: readonly FieldIssue[], fallback: string): ManualEntryErrors {
  const errors: ManualEntryErrors = {};
  const unplaced: string[] = [];
  for (const issue of issues) {
    const field = issue.path.map((part) => (typeof part === 'string' ? apiFieldToFormField[part] : undefined)).find((f) => f !== undefined);
    if (field === undefined) unplaced.push(issue.message);
    else errors[field] = errors[field] === undefined ? issue.message : `${errors[field]}; ${issue.message}`;
  }
  if (unplaced.length > 0 || Object.keys(errors).length === 0) errors.form = unplaced.length > 0 ? unplaced.join('; ') : fallback;
  return errors;
}
