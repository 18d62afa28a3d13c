import {
  type RemsFieldId,
  type RemsFormSign,
  type RemsFormView,
  type RemsQueueItem,
  defaultRecordSettings,
  formatClinicDate,
  formatClinicTime,
  remsFieldIds,
  remsFieldLabels,
  remsFormSignSchema,
} from '@chairside/shared';
import { z } from 'zod';

/*
 * The REMS Patient Monitoring Form on screen: each field's question, its value in words and where the value came
 * from; the inputs a clinician fills for the fields the draft lacks, checked before anything is sent (with the
 * shared sign schema last, so the body is exactly what the server accepts). Pure.
 */

/** How a missing field is entered. */
export type RemsInputKind = 'text' | 'date' | 'bp' | 'yesno' | 'minutes' | 'medications';

export const remsInputKinds: Record<RemsFieldId, RemsInputKind> = {
  patient: 'text',
  prescriber: 'text',
  setting: 'text',
  date: 'date',
  dose: 'text',
  lots: 'text',
  concomitantMedications: 'medications',
  bpBeforeDosing: 'bp',
  bpAt40Min: 'bp',
  bpAtCompletion: 'bp',
  vitalsAcceptableBeforeDosing: 'yesno',
  vitalsAcceptableAtCompletion: 'yesno',
  pulseOximetryUsed: 'yesno',
  sedation: 'yesno',
  dissociation: 'yesno',
  respiratoryDepression: 'yesno',
  seriousAdverseEvent: 'yesno',
  totalMonitoringMinutes: 'minutes',
  readyToLeaveMinutes: 'minutes',
};

/** The concomitant medications the form asks about: the esketamine readiness items `med-…`, by their short id. */
export const remsMedications: readonly { id: string; label: string }[] = defaultRecordSettings['nasal-spray'].readiness
  .filter((item) => item.id.startsWith('med-'))
  .map((item) => ({ id: item.id.slice('med-'.length), label: item.label.replace(/^Takes /, '') }));

/** The device's own time zone: the form's times are shown as this screen's clock shows them. */
export function deviceTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const yesNo = (v: boolean): string => (v ? 'Yes' : 'No');
const medicationName = (id: string): string => remsMedications.find((m) => m.id === id)?.label ?? id;

/** A field's value in words; null when it has none. */
export function remsValueText(id: RemsFieldId, value: unknown, timeZone: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return yesNo(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return remsInputKinds[id] === 'minutes' ? `${value} min` : String(value);
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (!isObject(value)) return String(value);
  if (id === 'patient') return `${String(value.displayName)}${typeof value.mrn === 'string' ? ` · MRN ${value.mrn}` : ''}`;
  if (id === 'dose' && typeof value.totalMg === 'number') {
    return `${value.totalMg} mg${typeof value.devices === 'number' ? ` (${value.devices} device${value.devices === 1 ? '' : 's'})` : ''}`;
  }
  if (typeof value.systolic === 'number' && typeof value.diastolic === 'number') {
    const fromDosing =
      typeof value.minutesFromDosing === 'number'
        ? value.minutesFromDosing < 0
          ? `, ${-value.minutesFromDosing} min before the first device`
          : `, ${value.minutesFromDosing} min after the first device`
        : '';
    return `${value.systolic}/${value.diastolic} mmHg${typeof value.atMs === 'number' ? ` at ${formatClinicTime(value.atMs, timeZone)}` : ''}${fromDosing}`;
  }
  if (id === 'concomitantMedications') {
    return Object.entries(value)
      .map(([name, answer]) => `${medicationName(name)}: ${typeof answer === 'boolean' ? yesNo(answer).toLowerCase() : String(answer)}`)
      .join('; ');
  }
  return JSON.stringify(value);
}

export interface RemsFieldView {
  id: RemsFieldId;
  label: string;
  /** The value in words; null when the draft lacks it (and it was not signed). */
  text: string | null;
  /** "from readings 10:42 (the newest BP before dosing)", "entered by dr-smith", "not kept by Chairside". */
  source: string;
  missing: boolean;
}

/** "from readings 10:42 (the newest BP before dosing)": the draft's source, with the time of a reading. */
function derivedFrom(source: string, value: unknown, timeZone: string): string {
  const atMs = isObject(value) && typeof value.atMs === 'number' ? value.atMs : null;
  if (atMs === null) return `from ${source}`;
  const [what, detail] = source.split(/:\s*/, 2);
  return `from ${what} ${formatClinicTime(atMs, timeZone)}${detail === undefined ? '' : ` (${detail})`}`;
}

/** Every field of the form as shown: the signed values once signed, else the draft's. */
export function remsFieldViews(form: RemsFormView, timeZone: string): RemsFieldView[] {
  return remsFieldIds.map((id) => {
    const draft = form.fields[id] ?? { value: null, source: '' };
    const signedValue = form.signed?.fields[id];
    const signed = form.signed !== null && signedValue !== undefined;
    const entered = signed && JSON.stringify(signedValue) !== JSON.stringify(draft.value);
    const text = remsValueText(id, signed ? signedValue : draft.value, timeZone);
    const source = entered ? `entered by ${form.signed?.by ?? 'the clinician'}` : draft.value === null || draft.value === undefined ? draft.source : derivedFrom(draft.source, draft.value, timeZone);
    return { id, label: remsFieldLabels[id], text, source, missing: text === null };
  });
}

/** What a clinician has typed or chosen for a missing field. */
export type RemsInput = string | boolean | null | { systolic: string; diastolic: string } | Record<string, boolean | null>;

export function emptyInput(id: RemsFieldId): RemsInput {
  switch (remsInputKinds[id]) {
    case 'yesno':
      return null;
    case 'bp':
      return { systolic: '', diastolic: '' };
    case 'medications':
      return Object.fromEntries(remsMedications.map((m) => [m.id, null]));
    default:
      return '';
  }
}

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .min(1, `give the ${what}`)
    .regex(/^\d+$/, `the ${what} is a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `the ${what} is between ${min} and ${max}`);

const inputSchemas: Record<RemsInputKind, z.ZodType<unknown>> = {
  text: z.string().trim().min(1, 'give a value').max(500, 'at most 500 characters'),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'give the date').refine((d) => !Number.isNaN(Date.parse(d)), 'not a date'),
  minutes: wholeNumber('minutes', 0, 24 * 60),
  yesno: z.boolean({ error: 'answer yes or no' }),
  bp: z
    .object({ systolic: wholeNumber('systolic', 40, 300), diastolic: wholeNumber('diastolic', 20, 200) })
    .refine((bp) => bp.systolic > bp.diastolic, 'the systolic is above the diastolic'),
  medications: z.record(z.string(), z.boolean().nullable()).refine((answers) => Object.values(answers).every((a) => a !== null), 'answer yes or no for each medication') as z.ZodType<unknown>,
};

export type RemsSignCheck = { ok: true; body: RemsFormSign } | { ok: false; errors: Partial<Record<RemsFieldId | 'attest', string>> };

/**
 * The body of the signing request from what was entered for the `missing` fields and the attestation; or, per
 * field, what is wrong (nothing is sent then).
 */
export function checkRemsSign(missing: readonly RemsFieldId[], inputs: Partial<Record<RemsFieldId, RemsInput>>, attest: boolean): RemsSignCheck {
  const errors: Partial<Record<RemsFieldId | 'attest', string>> = {};
  const fields: Record<string, unknown> = {};
  for (const id of missing) {
    const parsed = inputSchemas[remsInputKinds[id]].safeParse(inputs[id] ?? emptyInput(id));
    if (parsed.success) fields[id] = parsed.data;
    else errors[id] = parsed.error.issues[0]?.message ?? 'give a value';
  }
  if (!attest) errors.attest = 'tick the attestation to sign';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const body = remsFormSignSchema.safeParse({ fields, attest: true });
  if (!body.success) {
    for (const issue of body.error.issues) {
      const [where, id] = issue.path;
      if (where === 'fields' && typeof id === 'string') errors[id as RemsFieldId] = issue.message;
      else errors.attest = issue.message;
    }
    return { ok: false, errors };
  }
  return { ok: true, body: body.data };
}

/** "5 days left", "due today", "overdue by 2 days": the days left said in words, never colour alone. */
export function daysLeftText(daysLeft: number): string {
  if (daysLeft < 0) return `Overdue by ${-daysLeft} day${daysLeft === -1 ? '' : 's'}`;
  if (daysLeft === 0) return 'Due today';
  return `${daysLeft} day${daysLeft === 1 ? '' : 's'} left`;
}

/** The queue, the soonest due first (the oldest session first). */
export function queueOrder(items: readonly RemsQueueItem[]): RemsQueueItem[] {
  return [...items].sort((a, b) => a.dueByMs - b.dueByMs || (a.sessionEndedAtMs ?? 0) - (b.sessionEndedAtMs ?? 0));
}

export const dueDate = (ms: number, timeZone: string): string => formatClinicDate(ms, timeZone);

/** Told (on window) when a form was signed or submitted on this screen, so the header's count follows without a reload. */
export const remsChangedEvent = 'chairside:rems-changed';
