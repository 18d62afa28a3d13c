import { z } from 'zod';
import type { Reading } from '../schemas/reading';
import { esketamineMonitoringForm, type RemsBp } from '../session/esketamine-form';
import type { Protocol } from '../session/protocol';
import type { SessionState } from '../session/session-state';
import { dosingStartMs, type SessionRecord } from './session-record';

/*
 * The esketamine REMS Patient Monitoring Form drafted from the session (docs/clinical-defaults.md "The session record
 * beyond vitals", "REMS Patient Monitoring Form"): every field Chairside can derive, with its value and where it came
 * from; the rest are listed in `missing` for a clinician to complete. Pure.
 */

export const remsFieldIds = [
  'patient',
  'prescriber',
  'setting',
  'date',
  'dose',
  'lots',
  'concomitantMedications',
  'bpBeforeDosing',
  'bpAt40Min',
  'bpAtCompletion',
  'vitalsAcceptableBeforeDosing',
  'vitalsAcceptableAtCompletion',
  'pulseOximetryUsed',
  'sedation',
  'dissociation',
  'respiratoryDepression',
  'seriousAdverseEvent',
  'totalMonitoringMinutes',
  'readyToLeaveMinutes',
] as const;
export const remsFieldIdSchema = z.enum(remsFieldIds);
export type RemsFieldId = z.infer<typeof remsFieldIdSchema>;

/** The form's questions, in the form's order: the screen and the printable form ask the same. */
export const remsFieldLabels: Record<RemsFieldId, string> = {
  patient: 'Patient',
  prescriber: 'Prescriber',
  setting: 'Healthcare setting',
  date: 'Date of treatment',
  dose: 'Dose administered',
  lots: 'Lot number(s)',
  concomitantMedications: 'Concomitant medications',
  bpBeforeDosing: 'Blood pressure before dosing',
  bpAt40Min: 'Blood pressure ~40 min after dosing',
  bpAtCompletion: 'Blood pressure at completion of monitoring',
  vitalsAcceptableBeforeDosing: 'Vital signs acceptable before dosing',
  vitalsAcceptableAtCompletion: 'Vital signs acceptable at completion',
  pulseOximetryUsed: 'Pulse oximetry used',
  sedation: 'Sedation',
  dissociation: 'Dissociation',
  respiratoryDepression: 'Respiratory depression',
  seriousAdverseEvent: 'Serious adverse event',
  totalMonitoringMinutes: 'Total monitoring time (from the first device)',
  readyToLeaveMinutes: 'Without the 2-hour minimum, ready to leave after',
};

export const remsFieldSchema = z.object({
  /** The answer; null when Chairside cannot derive it (then the field is in `missing`). */
  value: z.unknown(),
  /** Where the value came from, in words ("readings", "dose-given entries 12, 14, 15"). */
  source: z.string(),
});
export type RemsField = z.infer<typeof remsFieldSchema>;

export const remsFormDraftSchema = z.object({
  sessionId: z.string(),
  fields: z.record(remsFieldIdSchema, remsFieldSchema),
  missing: z.array(remsFieldIdSchema),
});
export type RemsFormDraft = z.infer<typeof remsFormDraftSchema>;

export interface RemsFormInput {
  sessionId: string;
  protocol: Protocol;
  state: SessionState;
  readings: readonly Reading[];
  record: SessionRecord;
  patient: { displayName: string; mrn: string | null };
  /** Every alert the session raised (cleared ones too): respiratory depression is read from them. */
  alerts: readonly { ruleId: string }[];
}

/** The concomitant-medication readiness items (ids `med-…`) and their answers. */
const medicationPrefix = 'med-';
/** Alerts that mean respiratory depression was seen: RR low, SpO₂ low. */
const respiratoryRules = new Set(['rr-low', 'spo2-low', 'spo2-very-low']);
/** Start-gate and discharge-gate items about the vital signs (not readiness, scores or the checklist). */
const vitalStartItems = new Set(['baseline-bp', 'bp-below-hold']);
const vitalDischargeItems = new Set(['bp-near-baseline', 'bp-below-severe', 'heart-rate', 'spo2', 'no-active-alarm']);

const msPerMin = 60_000;

function bpValue(bp: RemsBp | null): { systolic: number; diastolic: number; atMs: number; minutesFromDosing: number | null } | null {
  return bp === null ? null : { systolic: bp.systolic, diastolic: bp.diastolic, atMs: bp.atMs, minutesFromDosing: bp.minutesFromDosing };
}

/** Drafts the form; a field whose value is null is listed in `missing`. */
export function remsFormDraft(input: RemsFormInput): RemsFormDraft {
  const { protocol, state, readings, record, patient, alerts } = input;
  const monitoring = esketamineMonitoringForm({ protocol, state, readings });
  const firstDoseAtMs = dosingStartMs(record, state);
  const devices = record.doses.filter((d) => d.device !== null);
  const meds = record.readiness.items.filter((i) => i.id.startsWith(medicationPrefix));
  const scored = record.sedation.scoredSinceDosing;
  const spo2Measured = readings.some((r) => r.spo2 !== null);
  const rrOrSpo2Measured = spo2Measured || readings.some((r) => r.respRate !== null);
  const endAtMs = state.dischargedAtMs;

  const fields: Record<RemsFieldId, RemsField> = {
    patient: { value: { displayName: patient.displayName, mrn: patient.mrn }, source: 'patient record' },
    prescriber: { value: null, source: 'not kept by Chairside' },
    setting: { value: null, source: 'not kept by Chairside' },
    date: { value: firstDoseAtMs === null ? null : new Date(firstDoseAtMs).toISOString().slice(0, 10), source: 'first device (UTC date)' },
    dose: {
      value: devices.length === 0 ? null : { totalMg: record.totalDoseMg, devices: devices.length },
      source: `dose-given entries ${record.doses.map((d) => d.seq).join(', ') || '(none)'}`,
    },
    lots: {
      value: devices.length === 0 || devices.some((d) => d.lot === null) ? null : [...new Set(devices.map((d) => d.lot))],
      source: 'dose-given entries',
    },
    concomitantMedications: {
      value: meds.length === 0 || meds.some((m) => m.answer === null) ? null : Object.fromEntries(meds.map((m) => [m.id.slice(medicationPrefix.length), m.answer])),
      source: 'readiness answers',
    },
    bpBeforeDosing: { value: bpValue(monitoring.bpBeforeDosing), source: 'readings: the newest BP before dosing' },
    bpAt40Min: { value: bpValue(monitoring.bpAtCheckpoint), source: 'readings: the BP nearest 40 min in its window' },
    bpAtCompletion: { value: endAtMs === null ? null : bpValue(monitoring.bpBeforeDischarge), source: 'readings: the newest BP before discharge' },
    vitalsAcceptableBeforeDosing: {
      value:
        state.treatmentStartedAtMs === null
          ? null
          : state.startOverride === null || !state.startOverride.failingItems.some((i) => vitalStartItems.has(i)),
      source: 'start gate',
    },
    vitalsAcceptableAtCompletion: {
      value:
        endAtMs === null
          ? null
          : state.gateFirstHeldAtMs !== null ||
            (state.dischargeOverride !== null && !state.dischargeOverride.failingItems.some((i) => vitalDischargeItems.has(i))),
      source: 'discharge gate',
    },
    pulseOximetryUsed: { value: spo2Measured ? true : null, source: 'readings with SpO₂' },
    sedation: { value: scored ? record.sedation.sedationSeen : null, source: 'MOAA/S since dosing (below 5)' },
    dissociation: { value: scored ? record.sedation.dissociationSeen : null, source: 'CADSS-6 since dosing (above its pre-dose value)' },
    respiratoryDepression: {
      value: alerts.some((a) => respiratoryRules.has(a.ruleId)) ? true : rrOrSpo2Measured ? false : null,
      source: 'RR and SpO₂ alerts',
    },
    seriousAdverseEvent: { value: record.adverseEvents.some((a) => a.serious), source: 'adverse-event entries' },
    totalMonitoringMinutes: {
      value: endAtMs === null || firstDoseAtMs === null ? null : Math.floor((endAtMs - firstDoseAtMs) / msPerMin),
      source: 'first device to discharge',
    },
    readyToLeaveMinutes: {
      value: state.gateFirstHeldAtMs === null || firstDoseAtMs === null ? null : Math.floor((state.gateFirstHeldAtMs - firstDoseAtMs) / msPerMin),
      source: 'first device to the first moment the discharge criteria (vitals and resolution) held',
    },
  };
  const missing = remsFieldIds.filter((id) => fields[id].value === null);
  return { sessionId: input.sessionId, fields, missing };
}

/** `POST /api/v1/sessions/:id/rems-form`: a clinician completes what the draft is missing (or corrects it), attests and signs. */
export const remsFormSignSchema = z
  .object({
    /** Values for fields the draft lacks, or corrections of derived ones, by field id. */
    fields: z.partialRecord(remsFieldIdSchema, z.union([z.string().trim().min(1).max(500), z.number(), z.boolean(), z.record(z.string(), z.unknown())])).default({}),
    attest: z.literal(true, { error: 'attest that the form is complete and correct (attest: true)' }),
  })
  .strict();
export type RemsFormSign = z.infer<typeof remsFormSignSchema>;

/** `POST /api/v1/sessions/:id/rems-form/submitted`: the clinic sent the signed form (how, and when). */
export const remsFormSubmittedSchema = z
  .object({
    via: z.string({ error: 'say how it was submitted (e.g. "REMS portal")' }).trim().min(1, 'say how it was submitted (e.g. "REMS portal")').max(80),
    at: z.iso.datetime({ offset: true, error: 'give the moment it was submitted (ISO 8601 with offset)' }),
  })
  .strict();
export type RemsFormSubmitted = z.infer<typeof remsFormSubmittedSchema>;

export const remsFormStatusSchema = z.enum(['draft', 'signed', 'submitted']);
export type RemsFormStatus = z.infer<typeof remsFormStatusSchema>;

/** The form of one session: the live draft, and what was signed and submitted (from its events). */
export const remsFormViewSchema = remsFormDraftSchema.extend({
  status: remsFormStatusSchema,
  /** 7 days after the session ended (or was checked in, while it runs). */
  dueByMs: z.number(),
  signed: z.object({ by: z.string(), atMs: z.number(), fields: z.record(z.string(), z.unknown()) }).nullable(),
  submitted: z.object({ by: z.string(), via: z.string(), atMs: z.number(), recordedAtMs: z.number() }).nullable(),
});
export type RemsFormView = z.infer<typeof remsFormViewSchema>;

/** The REMS form is due within 7 days of the session. [REMS] */
export const remsFormDueDays = 7;

/** Signed and submitted, from the session's events (the newest of each; they are stored once). */
export function remsFormStatusOf(
  entries: readonly { type: string; atMs: number; username: string; payload: unknown }[],
): Pick<RemsFormView, 'status' | 'signed' | 'submitted'> {
  const signedEntry = entries.filter((e) => e.type === 'rems-form-signed').at(-1);
  const submittedEntry = entries.filter((e) => e.type === 'rems-form-submitted').at(-1);
  const signedFields = (signedEntry?.payload as { fields?: unknown } | undefined)?.fields;
  const signed =
    signedEntry === undefined
      ? null
      : { by: signedEntry.username, atMs: signedEntry.atMs, fields: typeof signedFields === 'object' && signedFields !== null ? (signedFields as Record<string, unknown>) : {} };
  const sub = submittedEntry?.payload as { via?: unknown; at?: unknown } | undefined;
  const submitted =
    submittedEntry === undefined
      ? null
      : {
          by: submittedEntry.username,
          via: typeof sub?.via === 'string' ? sub.via : '',
          atMs: typeof sub?.at === 'string' ? Date.parse(sub.at) : submittedEntry.atMs,
          recordedAtMs: submittedEntry.atMs,
        };
  return { status: submitted !== null ? 'submitted' : signed !== null ? 'signed' : 'draft', signed, submitted };
}

/** `GET /api/v1/rems-forms?status=`: one row of the queue. */
export const remsQueueItemSchema = z.object({
  sessionId: z.string(),
  chairId: z.string(),
  patient: z.object({ displayName: z.string(), mrn: z.string().nullable() }),
  status: remsFormStatusSchema,
  sessionEndedAtMs: z.number().nullable(),
  dueByMs: z.number(),
  /** Whole days left until `dueByMs` (negative: overdue). */
  daysLeft: z.number().int(),
  missing: z.array(remsFieldIdSchema),
});
export type RemsQueueItem = z.infer<typeof remsQueueItemSchema>;

export const remsQueueQuerySchema = z
  .object({
    status: remsFormStatusSchema.default('draft'),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
