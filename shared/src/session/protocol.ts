import { z } from 'zod';
import { idSchema } from '../schemas/common';

/**
 * Protocol definitions as data (rules are data: docs/architecture.md, "Code conventions"). Every number is a default from
 * docs/clinical-defaults.md ("The session timeline") that a clinic's medical director can change; the tag after each one
 * ([label], [study], [practice], [proposal]) is the source named there.
 *
 * A protocol is versioned: an admin's edit stores a new version, and a session keeps the version it
 * started with, so a finished session is always judged by the rules it ran under.
 */

export const protocolKindSchema = z.enum(['iv-infusion', 'nasal-spray']);
export type ProtocolKind = z.infer<typeof protocolKindSchema>;

/** Where a clock of the protocol starts: the start or the end of the treatment phase. */
export const treatmentMomentSchema = z.enum(['treatment-start', 'treatment-end']);
export type TreatmentMoment = z.infer<typeof treatmentMomentSchema>;

const label = z.string().trim().min(1, 'write a label').max(60, 'keep labels under 60 characters');

/** What the UI calls the treatment phase and its actions, per protocol. */
export const protocolLabelsSchema = z
  .object({
    /** The phase as shown on a tile: "Infusion", "Dosing". */
    treatmentPhase: label,
    startTreatment: label,
    pauseTreatment: label,
    resumeTreatment: label,
    endTreatment: label,
    /** The moments, as they read inside a sentence: "infusion start", "dosing start". */
    treatmentStartMoment: label,
    treatmentEndMoment: label,
  })
  .strict();
export type ProtocolLabels = z.infer<typeof protocolLabelsSchema>;

export const defaultProtocolLabels: Record<ProtocolKind, ProtocolLabels> = {
  'iv-infusion': {
    treatmentPhase: 'Infusion',
    startTreatment: 'Start infusion',
    pauseTreatment: 'Pause infusion',
    resumeTreatment: 'Resume infusion',
    endTreatment: 'End infusion',
    treatmentStartMoment: 'infusion start',
    treatmentEndMoment: 'infusion end',
  },
  'nasal-spray': {
    treatmentPhase: 'Dosing',
    startTreatment: 'First spray given',
    pauseTreatment: 'Pause dosing',
    resumeTreatment: 'Resume dosing',
    endTreatment: 'Dosing complete',
    treatmentStartMoment: 'dosing start',
    treatmentEndMoment: 'dosing end',
  },
};

/** Whole minutes between `min` and `max`, with messages an admin can act on. */
function minutes(min: number, max: number) {
  return z
    .number({ error: 'give a number of minutes' })
    .int('use whole minutes')
    .min(min, min === 1 ? 'must be at least 1 min' : `must be at least ${min} min`)
    .max(max, `must be at most ${max} min`);
}

export const protocolBaselineSchema = z
  .object({
    /** BP readings whose mean is the patient's baseline. */
    bpReadings: z.number().int('give a whole number of readings').min(1, 'take at least 1 baseline BP').max(6, 'at most 6 baseline BPs'),
    /** Least time between two baseline readings that count (0: no spacing). */
    minSpacingMin: minutes(0, 60),
    /**
     * How much shorter than `minSpacingMin` a spacing may be and still count: a cuff cycling every
     * 5 min drifts, so 4 min 30 s counts as 5 min. [practice]
     */
    spacingToleranceSec: z
      .number({ error: 'give a number of seconds' })
      .int('use whole seconds')
      .min(0, 'must be at least 0 s')
      .max(300, 'must be at most 300 s')
      .default(30),
  })
  .strict();

const mmHg = z.number({ error: 'give a pressure in mmHg' }).int('use whole mmHg').min(40, 'must be at least 40 mmHg').max(300, 'must be at most 300 mmHg');

/** A systolic and a diastolic limit, mmHg. */
export const bpLimitSchema = z.object({ systolic: mmHg, diastolic: mmHg }).strict();
export type BpLimit = z.infer<typeof bpLimitSchema>;

/** Severe hypertension: a BP at or above either value (docs/clinical-defaults.md "The session timeline"). [label] */
const severeBp: BpLimit = { systolic: 180, diastolic: 110 };

/**
 * What must be in place before treatment starts (docs/clinical-defaults.md "The session timeline"); a clinician may override
 * it with a written reason. The baseline itself is the protocol's `baseline`.
 */
export const protocolStartGateSchema = z
  .object({
    /**
     * The newest BP before the start at or above either value holds the start. The label names it
     * for esketamine; the same default applies to IV ketamine. [label]
     */
    holdAtOrAboveMmHg: bpLimitSchema.default(severeBp),
  })
  .strict();
export type ProtocolStartGate = z.infer<typeof protocolStartGateSchema>;

export const protocolTreatmentSchema = z
  .object({
    plannedMin: minutes(1, 600),
    /** NIBP cadence while treatment runs. */
    bpIntervalMin: minutes(1, 120),
  })
  .strict();

export const protocolObservationSchema = z
  .object({
    minimumMin: minutes(0, 1440),
    /** What the minimum is measured from. */
    from: treatmentMomentSchema,
    bpIntervalMin: minutes(1, 120),
  })
  .strict();

/** A reading that must be taken in a time window, e.g. Spravato's BP at ~40 min after dosing. */
export const protocolCheckpointSchema = z
  .object({
    id: idSchema,
    label,
    vital: z.literal('bp'),
    from: treatmentMomentSchema,
    /** The target time; the reading nearest it inside the window meets the checkpoint. */
    atMin: minutes(0, 1440),
    windowStartMin: minutes(0, 1440),
    windowEndMin: minutes(0, 1440),
  })
  .strict();
export type ProtocolCheckpoint = z.infer<typeof protocolCheckpointSchema>;

export const checklistItemSchema = z.object({ id: idSchema, label: z.string().trim().min(1, 'write a label').max(120) }).strict();
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const protocolDischargeGateSchema = z
  .object({
    /** Last BP, systolic and diastolic, within this % of the baseline. */
    bpWithinPercentOfBaseline: z.number().gt(0, 'must be more than 0 %').max(100, 'must be at most 100 %'),
    /** The last BP must also lie below both values, whatever the baseline. [label] */
    bpBelowMmHg: bpLimitSchema.default(severeBp),
    /** Heart rate within this % of the baseline heart rate … [study] */
    heartRateWithinPercentOfBaseline: z.number().gt(0, 'must be more than 0 %').max(100, 'must be at most 100 %').default(20),
    /** … or at or below this, per minute. [study] */
    heartRateAtOrBelowPerMin: z.number().int('use whole beats per minute').min(40, 'must be at least 40 /min').max(200, 'must be at most 200 /min').default(100),
    /** SpO₂ must be above this, when SpO₂ is monitored. */
    spo2AbovePercent: z.number().min(50, 'must be at least 50 %').max(100, 'must be at most 100 %'),
    /** … on a reading no older than this. */
    spo2MaxAgeMin: minutes(1, 60).default(5),
    /**
     * SpO₂ is judged even when no SpO₂ was measured (then it fails). Absent: required for a
     * nasal spray (esketamine label), otherwise only when monitored; see `isSpo2Required`.
     */
    spo2Required: z.boolean().optional(),
    /** The nurse's items to tick before the patient leaves. */
    checklist: z.array(checklistItemSchema).max(20, 'at most 20 checklist items'),
  })
  .strict();

/**
 * One question asked before dosing (docs/clinical-defaults.md "The session record beyond vitals"): answered yes/no or with
 * a text; a hard-stop item not answered yes holds the start of treatment.
 */
export const readinessItemSchema = z
  .object({
    id: idSchema,
    label: z.string().trim().min(1, 'write a label').max(160, 'keep labels under 160 characters'),
    kind: z.enum(['yesno', 'text']),
    hardStop: z.boolean().optional(),
  })
  .strict();
export type ReadinessItem = z.infer<typeof readinessItemSchema>;

/**
 * What a session documents beside its vitals, and when (docs/clinical-defaults.md "The session record beyond vitals").
 * Absent in protocols stored before it existed: `recordSettingsOf` gives the kind's defaults.
 */
export const protocolRecordSchema = z
  .object({
    readiness: z.array(readinessItemSchema).max(30, 'at most 30 readiness items'),
    scores: z
      .object({
        /** MOAA/S and CADSS-6 after dosing starts (esketamine: from the first device), besides before dosing and at the end. */
        atMinFromDosing: z.array(minutes(1, 600)).max(10),
        /** Then every this many minutes in observation until resolved. */
        observationEveryMin: minutes(5, 240),
        /** A score taken up to this much before its due time counts for it. */
        earlyToleranceMin: minutes(0, 30),
      })
      .strict(),
    rounding: z
      .object({
        /** Eyes-on checks every this many minutes during treatment and observation. */
        intervalMin: minutes(1, 120),
        /** Overdue by this much: low alert … */
        lowAfterMin: minutes(0, 120),
        /** … and by this much: medium. */
        mediumAfterMin: minutes(0, 240),
      })
      .strict(),
    /** A PRN intervention's reassessment is due this long after it, unless the entry says otherwise. */
    prnReassessMin: minutes(1, 240),
    /** Esketamine devices; null for an IV protocol. */
    devices: z
      .object({ mgPerDevice: z.number().positive().max(200), restMin: minutes(0, 60), maxDevices: z.number().int().min(1).max(6) })
      .strict()
      .nullable(),
    /** IV infusion set-up limits; null for a nasal-spray protocol. */
    infusion: z
      .object({
        maxMgPerKg: z.number().positive().max(5),
        /** A rate that would give the whole dose faster than this is refused. */
        minInfusionMin: minutes(1, 600),
        minWeightKg: z.number().positive(),
        maxWeightKg: z.number().positive(),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type ProtocolRecordSettings = z.infer<typeof protocolRecordSchema>;

const protocolFields = {
  id: idSchema,
  version: z.number().int().min(1),
  name: z.string().trim().min(1, 'give the protocol a name').max(80),
  kind: protocolKindSchema,
  labels: protocolLabelsSchema,
  baseline: protocolBaselineSchema,
  treatment: protocolTreatmentSchema,
  observation: protocolObservationSchema,
  checkpoints: z.array(protocolCheckpointSchema).max(10, 'at most 10 checkpoints'),
  /** Absent in protocols stored before the start gate existed: its defaults. */
  startGate: protocolStartGateSchema.default({ holdAtOrAboveMmHg: severeBp }),
  dischargeGate: protocolDischargeGateSchema,
  /** Absent in protocols stored before the session record existed: the kind's defaults (`recordSettingsOf`). */
  record: protocolRecordSchema.optional(),
};

type ConsistencyFields = Pick<z.infer<z.ZodObject<typeof protocolFields>>, 'treatment' | 'observation' | 'checkpoints' | 'dischargeGate'>;

/** Rules across fields; each issue names the field to fix. */
function checkConsistency(p: ConsistencyFields, ctx: z.RefinementCtx): void {
  const seenCheckpoints = new Set<string>();
  p.checkpoints.forEach((c, i) => {
    if (c.windowStartMin >= c.windowEndMin) {
      ctx.addIssue({
        code: 'custom',
        path: ['checkpoints', i, 'windowEndMin'],
        message: `the window must end after it starts (${c.windowStartMin}–${c.windowEndMin} min)`,
      });
    } else if (c.atMin < c.windowStartMin || c.atMin > c.windowEndMin) {
      ctx.addIssue({
        code: 'custom',
        path: ['checkpoints', i, 'atMin'],
        message: `the target time (${c.atMin} min) must lie inside its window (${c.windowStartMin}–${c.windowEndMin} min)`,
      });
    }
    if (seenCheckpoints.has(c.id)) {
      ctx.addIssue({ code: 'custom', path: ['checkpoints', i, 'id'], message: `checkpoint id "${c.id}" is used twice` });
    }
    seenCheckpoints.add(c.id);
  });

  const seenItems = new Set<string>();
  p.dischargeGate.checklist.forEach((item, i) => {
    if (seenItems.has(item.id)) {
      ctx.addIssue({ code: 'custom', path: ['dischargeGate', 'checklist', i, 'id'], message: `checklist id "${item.id}" is used twice` });
    }
    seenItems.add(item.id);
  });

  if (p.observation.from === 'treatment-start' && p.observation.minimumMin < p.treatment.plannedMin) {
    ctx.addIssue({
      code: 'custom',
      path: ['observation', 'minimumMin'],
      message: `observation measured from treatment start must last at least the planned treatment (${p.treatment.plannedMin} min)`,
    });
  }
}

/** A stored protocol definition. */
export const protocolSchema = z.object(protocolFields).strict().superRefine(checkConsistency);
export type Protocol = z.infer<typeof protocolSchema>;

/**
 * `POST /api/v1/protocols` (admin): a new protocol, or a new version of one (same `id`). The server
 * assigns the version; labels default to the kind's (`defaultProtocolLabels`) and may be partly
 * overridden. Turn it into a `Protocol` with `protocolFromInput`.
 */
export const protocolInputSchema = z
  .object({
    ...protocolFields,
    id: idSchema.optional(),
    labels: protocolLabelsSchema.partial().optional(),
    checkpoints: protocolFields.checkpoints.optional(),
  })
  .omit({ version: true })
  .strict()
  .superRefine((p, ctx) => checkConsistency({ ...p, checkpoints: p.checkpoints ?? [] }, ctx));
export type ProtocolInput = z.infer<typeof protocolInputSchema>;

export function protocolFromInput(input: ProtocolInput, assigned: { id: string; version: number }): Protocol {
  return {
    id: assigned.id,
    version: assigned.version,
    name: input.name,
    kind: input.kind,
    labels: { ...defaultProtocolLabels[input.kind], ...input.labels },
    baseline: input.baseline,
    treatment: input.treatment,
    observation: input.observation,
    checkpoints: input.checkpoints ?? [],
    startGate: input.startGate,
    dischargeGate: input.dischargeGate,
    ...(input.record === undefined ? {} : { record: input.record }),
  };
}

/**
 * Whether the discharge gate judges SpO₂ even when none was measured: the protocol's
 * `spo2Required`, or by default for a nasal spray (the esketamine label asks for pulse oximetry),
 * while an IV protocol judges it only when SpO₂ is monitored.
 */
export function isSpo2Required(protocol: Pick<Protocol, 'kind' | 'dischargeGate'>): boolean {
  return protocol.dischargeGate.spo2Required ?? protocol.kind === 'nasal-spray';
}

/** The nurse's discharge checklist (docs/clinical-defaults.md "The session timeline" discharge gate). [practice] */
const standardChecklist: ChecklistItem[] = [
  { id: 'alert-oriented', label: 'Alert and oriented' },
  { id: 'steady-walking', label: 'Walks steadily' },
  { id: 'escort-present', label: 'Escort present' },
];

/** Discharge gate defaults shared by both protocols (docs/clinical-defaults.md "The session timeline"). */
const standardGate = {
  /** PADSS / modified Aldrete vital-sign item. [study] */
  bpWithinPercentOfBaseline: 20,
  /** And below severe hypertension whatever the baseline. [label] */
  bpBelowMmHg: severeBp,
  /** PADSS pulse item: within 20 % of baseline, or ≤100 /min. [study] */
  heartRateWithinPercentOfBaseline: 20,
  heartRateAtOrBelowPerMin: 100,
  /** Modified Aldrete. [study] */
  spo2AbovePercent: 92,
  /** A reading of the last 5 min. [practice] */
  spo2MaxAgeMin: 5,
};

/** A pre-treatment BP ≥180/110 holds the start. [label] */
const standardStartGate: ProtocolStartGate = { holdAtOrAboveMmHg: severeBp };

/** Rounding and PRN defaults shared by both kinds (docs/clinical-defaults.md "The session record beyond vitals"). [REMS/practice] */
const standardRounding = { intervalMin: 15, lowAfterMin: 5, mediumAfterMin: 10 };
/** MOAA/S and CADSS-6 before dosing, at ~20 and ~40 min, at the end, then every 30 min until resolved. [label/REMS/study] */
const standardScores = { atMinFromDosing: [20, 40], observationEveryMin: 30, earlyToleranceMin: 5 };

/** The record's defaults per kind; a stored protocol without `record` uses its kind's. */
export const defaultRecordSettings: Record<ProtocolKind, ProtocolRecordSettings> = {
  'iv-infusion': {
    readiness: [
      { id: 'weight-today', label: 'Weight measured today', kind: 'yesno', hardStop: true },
      { id: 'consent-on-file', label: 'Consent on file', kind: 'yesno', hardStop: true },
      { id: 'iv-site-checked', label: 'IV site checked', kind: 'yesno' },
      { id: 'fasting', label: 'Fasting as the clinic requires', kind: 'yesno' },
      { id: 'transport-arranged', label: 'Transport home arranged', kind: 'yesno' },
    ],
    scores: standardScores,
    rounding: standardRounding,
    prnReassessMin: 15,
    devices: null,
    // 0.5 mg/kg over 40 min is the common regimen; above 1 mg/kg or faster than 20 min is refused. [practice]
    infusion: { maxMgPerKg: 1, minInfusionMin: 20, minWeightKg: 30, maxWeightKg: 250 },
  },
  'nasal-spray': {
    readiness: [
      { id: 'rems-enrolled', label: 'Patient enrolled in the REMS (enrolment on file)', kind: 'yesno', hardStop: true },
      { id: 'fasting', label: 'No food for 2 h and no liquids for 30 min', kind: 'yesno' },
      { id: 'nasal-steroid-decongestant', label: 'Nasal corticosteroid or decongestant, if used, at least 1 h before', kind: 'yesno' },
      { id: 'med-benzodiazepines', label: 'Takes benzodiazepines', kind: 'yesno' },
      { id: 'med-sedative-hypnotics', label: 'Takes non-benzodiazepine sedative hypnotics', kind: 'yesno' },
      { id: 'med-psychostimulants', label: 'Takes psychostimulants', kind: 'yesno' },
      { id: 'med-maois', label: 'Takes MAOIs', kind: 'yesno' },
      { id: 'med-opioids', label: 'Takes opioids', kind: 'yesno' },
      { id: 'transport-arranged', label: 'Transport home arranged (no driving until the next day)', kind: 'yesno', hardStop: true },
    ],
    scores: standardScores,
    rounding: standardRounding,
    prnReassessMin: 15,
    // 28 mg per device (2 sprays), up to 3 devices (84 mg), 5 min rest after each. [label]
    devices: { mgPerDevice: 28, restMin: 5, maxDevices: 3 },
    infusion: null,
  },
};

/** The protocol's record settings, or its kind's defaults when it was stored before they existed. */
export function recordSettingsOf(protocol: Pick<Protocol, 'kind' | 'record'>): ProtocolRecordSettings {
  return protocol.record ?? defaultRecordSettings[protocol.kind];
}

export const ivKetamineProtocol: Protocol = {
  id: 'iv-ketamine',
  version: 1,
  name: 'IV ketamine',
  kind: 'iv-infusion',
  labels: defaultProtocolLabels['iv-infusion'],
  // 2 seated BP readings ≥5 min apart (4 min 30 s counts: cuffs drift); their mean is the baseline. [practice]
  baseline: { bpReadings: 2, minSpacingMin: 5, spacingToleranceSec: 30 },
  // Planned 40 min (configurable 40–60) [practice]; NIBP every 5 min [practice: sedation monitoring standard].
  treatment: { plannedMin: 40, bpIntervalMin: 5 },
  // At least 60 min after the infusion ends, BP every 15 min. [proposal; no authoritative figure]
  observation: { minimumMin: 60, from: 'treatment-end', bpIntervalMin: 15 },
  checkpoints: [],
  // The esketamine label's hold, applied to IV as well. [label]
  startGate: standardStartGate,
  // SpO₂ only if monitored. [study]
  dischargeGate: { ...standardGate, spo2Required: false, checklist: standardChecklist },
  record: defaultRecordSettings['iv-infusion'],
};

export const esketamineProtocol: Protocol = {
  id: 'esketamine',
  version: 1,
  name: 'Esketamine (Spravato)',
  kind: 'nasal-spray',
  labels: defaultProtocolLabels['nasal-spray'],
  // BP before dosing (required). [label]
  baseline: { bpReadings: 1, minSpacingMin: 0, spacingToleranceSec: 30 },
  // Devices 5 min apart, so 2–3 devices take ~10 min; a BP every 15 min while dosing. [proposal]
  treatment: { plannedMin: 10, bpIntervalMin: 15 },
  // At least 120 min from dosing start, and until sedation/dissociation resolve [label/REMS];
  // BP every 15 min meanwhile [proposal].
  observation: { minimumMin: 120, from: 'treatment-start', bpIntervalMin: 15 },
  // BP at 40 min after dosing start, in a 35–50 min window: the rise peaks about then. [label]
  checkpoints: [
    { id: 'bp-40-min', label: 'BP at 40 min', vital: 'bp', from: 'treatment-start', atMin: 40, windowStartMin: 35, windowEndMin: 50 },
  ],
  startGate: standardStartGate,
  dischargeGate: {
    ...standardGate,
    // Pulse oximetry during esketamine monitoring. [label]
    spo2Required: true,
    checklist: [
      // Sedation and dissociation resolved. [label/REMS]
      { id: 'sedation-resolved', label: 'Sedation and dissociation resolved' },
      ...standardChecklist,
    ],
  },
  record: defaultRecordSettings['nasal-spray'],
};

/** The built-in protocols a fresh install offers. */
export const defaultProtocols: readonly Protocol[] = [ivKetamineProtocol, esketamineProtocol];
