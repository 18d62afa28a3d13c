import { createHash } from 'node:crypto';
import {
  alertTitle,
  describeClearReason,
  type Alert,
  type AlertPriority,
  type Reading,
  type RecordReport,
  type SessionEventView,
  type SessionReviewInput,
  type VitalField,
  formatClinicTime,
  isSessionEnded,
  recordNumber,
  recordReport,
  recordSettingsOf,
  routeLabels,
  sessionEndedAtMs,
  sessionEventDetails,
  sessionEventLabel,
  toClinicIso,
  vitalFieldInfo,
} from '@chairside/shared';
import type {
  AdverseEvent,
  Bundle,
  BundleEntry,
  CodeableConcept,
  Coding,
  DetectedIssue,
  Encounter,
  EncounterStatus,
  ExportedResource,
  MedicationAdministration,
  MedicationAdministrationStatus,
  Observation,
  ObservationComponent,
  Patient,
  Provenance,
  Quantity,
  QuestionnaireResponse,
  Reference,
  RelatedPerson,
} from './fhir-types';

/*
 * The session as a FHIR R4 Bundle (`GET /api/v1/sessions/:id/export?format=fhir`).
 *
 * Modelling, and why:
 * - Bundle.type `collection`: a set of resources with no processing instruction. A `document` would
 *   need a Composition and means an attested, immutable clinical document; a `transaction` would
 *   tell the receiver to create the resources. A FHIR server accepts a collection as a Bundle
 *   resource (`POST [base]/Bundle`), and an importer can turn its entries into a transaction.
 *   References between entries are `urn:uuid:` fullUrls, made deterministically from our ids (UUID
 *   v5), so exporting the same session twice gives the same URLs; resources carry no `id`.
 * - Patient: pseudonymous (meta.security PSEUDED), the display name as `name.text`, the MRN as an
 *   identifier of type MR when the clinic recorded one.
 * - Encounter: the session (class AMB), status in-progress / finished / cancelled, period from
 *   check-in to discharge or cancellation, the chair as `location.display`, the protocol as `type`.
 * - Observations on the R4 vital-signs profiles (vitalsigns + bp / heartrate / oxygensat / resprate),
 *   LOINC codes and UCUM units, effectiveDateTime with the clinic's offset, `issued` = when the
 *   server received it. A cuff reading is one BP panel (85354-9) with systolic, diastolic and, when
 *   measured, mean components.
 * - Rejected values are not vital signs and are left out: a reading whose every value was rejected
 *   gives no Observation. In a BP panel whose systolic or diastolic was rejected, that component
 *   carries dataAbsentReason `error` and the panel a note with the rejected value and its reason
 *   (the BP profile needs both components). The CSV and PDF exports keep every rejected value.
 * - Simulated readings are tagged HTEST (test health data) so no one takes them for a patient's.
 * - Alerts: `DetectedIssue` (a clinical issue detected about the patient, with severity, the
 *   implicated readings and mitigations), not `Flag`, which is a standing warning ("fall risk")
 *   rather than an event. Each acknowledgement is a `mitigation` (who, when, the note). R4's
 *   DetectedIssue has no encounter element: the R5 cross-version extension links it.
 * - Session events (who did what, when): one `Provenance` per event, targeting the Encounter, with
 *   the event type as `activity`, the user as agent, and a narrative carrying the details (notes,
 *   reasons). AuditEvent is the security log (the server's audit trail), not the clinical record.
 *   A signature is a Provenance with a Signature (verification) by the signing clinician.
 *   A record entry's Provenance also targets the resource made from it (below).
 * - The session record beyond vitals (docs/architecture.md "The session record"), as it stands after its
 *   corrections (every entry, corrected ones included, stays in the Provenance log):
 *   - Ketamine and esketamine as `MedicationAdministration`, coded in RxNorm where the drug's name says which:
 *     ketamine 6130 (the ingredient), esketamine 2201623 ("esketamine Nasal Spray", the clinical drug form: the only
 *     esketamine product is the nasal spray); other drugs, PRNs among them, carry their name as text only. An IV
 *     infusion is one administration over its period (route IV, the set-up's rate in mL/h, the mg infused as its dose,
 *     mg/kg and the plan in `dosage.text`, the weight as a body-weight Observation in `supportingInformation`); each
 *     rate change is an administration of its own, `partOf` the infusion, over the time that rate ran. An esketamine
 *     device is one administration (route nasal, 28 mg); its lot is `batch.lotNumber` of a contained Medication (R4's
 *     MedicationAdministration has no lot), and "Device 2 of 3" is in `dosage.text`.
 *   - A PRN is a MedicationAdministration with its indication as `reasonCode` and its reassessment as a note.
 *   - MOAA/S and CADSS-6 have no LOINC code: Observations (category survey) coded in a code system of our own
 *     (`<systemBase>:score`, display text with the scale's name), the value an integer, CADSS-6 with its six items
 *     as components; a correction's Observation is `corrected`.
 *   - Adverse events as `AdverseEvent` (actuality actual; seriousness and severity from the R4 code systems; the
 *     administrations as suspect entities).
 *   - Readiness answers as one `QuestionnaireResponse` (completed once every item is answered, else in-progress;
 *     linkId = the protocol's item id, the item's label as text); the escort as a `RelatedPerson` (name and phone),
 *     and the hand-off as the Encounter's `hospitalization.dischargeDisposition` text.
 */

export const fhirContentType = 'application/fhir+json; fhirVersion=4.0';

export interface FhirExportOptions {
  /** IANA time zone of the clinic (`config.clinicTimeZone`): every time carries its offset. */
  timeZone: string;
  /** When the bundle was made (`Bundle.timestamp`). */
  generatedAtMs: number;
  /**
   * Base of the identifier and code systems for our own ids and codes, e.g. the clinic's URL
   * ("https://clinic.example/fhir"). Defaults to "urn:chairside".
   */
  systemBase?: string;
  /** The clinic's MRN namespace (`Patient.identifier.system` of the MRN), when it has one. */
  mrnSystem?: string;
}

const loinc = 'http://loinc.org';
const ucum = 'http://unitsofmeasure.org';
const profileBase = 'http://hl7.org/fhir/StructureDefinition';
export const vitalSignsProfiles = {
  vitalsigns: `${profileBase}/vitalsigns`,
  bp: `${profileBase}/bp`,
  heartrate: `${profileBase}/heartrate`,
  oxygensat: `${profileBase}/oxygensat`,
  resprate: `${profileBase}/resprate`,
  bodyweight: `${profileBase}/bodyweight`,
} as const;

export const loincCodes = {
  bpPanel: '85354-9',
  systolic: '8480-6',
  diastolic: '8462-4',
  mean: '8478-0',
  heartRate: '8867-4',
  spo2: '2708-6',
  spo2Pulse: '59408-5',
  respRate: '9279-1',
  bodyWeight: '29463-7',
} as const;

/** A fixed namespace for the name-based UUIDs of exported resources. */
const uuidNamespace = 'c7a1d3e2-5b64-4f0e-9a8d-2f1e6b3c4d59';

/** RFC 4122 name-based UUID (version 5, SHA-1): the same name always gives the same UUID. */
export function uuidV5(name: string, namespace: string = uuidNamespace): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replaceAll('-', ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const urn = (name: string): string => `urn:uuid:${uuidV5(name)}`;

function joinSystem(base: string, name: string): string {
  return base.startsWith('urn:') ? `${base}:${name}` : `${base.replace(/\/+$/, '')}/${name}`;
}

const vitalSignsCategory: CodeableConcept[] = [
  {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }],
    text: 'Vital Signs',
  },
];

const dataAbsent = (code: 'error' | 'unknown'): CodeableConcept => ({
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code, display: code === 'error' ? 'Error' : 'Unknown' }],
});

const testDataTag: Coding = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HTEST', display: 'test health data' };
const pseudonymized: Coding = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'PSEUDED', display: 'pseudonymized' };

const quantity = (value: number, unit: string, code: string): Quantity => ({ value, unit, system: ucum, code });
const mmHg = (value: number): Quantity => quantity(value, 'mmHg', 'mm[Hg]');

const loincConcept = (code: string, display: string): CodeableConcept => ({ coding: [{ system: loinc, code, display }], text: display });

const severityOf: Record<AlertPriority, NonNullable<DetectedIssue['severity']>> = { high: 'high', medium: 'moderate', low: 'low' };

/** Escapes text for the XHTML of a narrative. */
function xhtmlText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

interface Context {
  input: SessionReviewInput;
  timeZone: string;
  systemBase: string;
  patientUrl: string;
  encounterUrl: string;
  patientRef: Reference;
  encounterRef: Reference;
  /** The session record's sections, as the report shows them. */
  record: RecordReport;
  /** The resource made from each record entry in force, by its sequence number. */
  resourceOfEntry: Map<number, Reference>;
}

const time = (ctx: Context, ms: number): string => toClinicIso(ms, ctx.timeZone);
/** A clinic time for a narrative or note ("10:25"). */
const clock = (ctx: Context, ms: number): string => formatClinicTime(ms, ctx.timeZone);
const timeOfIso = (ctx: Context, iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : toClinicIso(ms, ctx.timeZone);
};

function patientResource(ctx: Context, mrnSystem: string | undefined): Patient {
  const { patient } = ctx.input.session;
  const identifier: Patient['identifier'] = [{ system: joinSystem(ctx.systemBase, 'patient'), value: patient.id }];
  if (patient.mrn !== null && patient.mrn.trim() !== '') {
    identifier.unshift({
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] },
      ...(mrnSystem === undefined ? {} : { system: mrnSystem }),
      value: patient.mrn.trim(),
    });
  }
  return { resourceType: 'Patient', meta: { security: [pseudonymized] }, identifier, name: [{ text: patient.displayName }] };
}

function encounterStatus(ctx: Context): EncounterStatus {
  const { phase } = ctx.input.session.state;
  if (phase === 'discharged') return 'finished';
  if (phase === 'cancelled') return 'cancelled';
  return 'in-progress';
}

function encounterResource(ctx: Context): Encounter {
  const { session, chairName } = ctx.input;
  const { state, protocol } = session;
  const endMs = sessionEndedAtMs(state);
  const period = { start: time(ctx, state.checkedInAtMs), ...(endMs === null ? {} : { end: time(ctx, endMs) }) };
  return {
    resourceType: 'Encounter',
    identifier: [{ system: joinSystem(ctx.systemBase, 'session'), value: session.id }],
    status: encounterStatus(ctx),
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ text: `${protocol.name} (protocol ${protocol.id} v${protocol.version})` }],
    subject: ctx.patientRef,
    participant: [
      {
        type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ADM', display: 'admitter' }] }],
        individual: { display: session.checkedInBy },
      },
    ],
    period,
    ...(endMs === null ? {} : { length: quantity(Math.round((endMs - state.checkedInAtMs) / 60_000), 'min', 'min') }),
    location: [
      {
        location: { display: chairName ?? session.chairId },
        status: isSessionEnded(state) ? 'completed' : 'active',
        period,
      },
    ],
    ...(ctx.record.handoff === null
      ? {}
      : { hospitalization: { dischargeDisposition: { text: `Collected by ${ctx.record.handoff.collectedBy}, ${clock(ctx, ctx.record.handoff.atMs)} (recorded by ${ctx.record.handoff.username})` } } }),
  };
}

interface ReadingObservation {
  fullUrl: string;
  resource: Observation;
}

function rejectedNote(r: Reading, fields: readonly VitalField[]): Observation['note'] {
  const rejected = r.rejected.filter((x) => fields.includes(x.field));
  if (rejected.length === 0) return undefined;
  return rejected.map((x) => ({
    text: `${vitalFieldInfo[x.field].label} value ${x.value} rejected (${x.reason}): ${x.message}`,
  }));
}

/** The vital-sign Observations of one reading; rejected values are left out (see above). */
function readingObservations(ctx: Context, r: Reading): ReadingObservation[] {
  const base = (kind: string, profile: string | null): { fullUrl: string; resource: Omit<Observation, 'code'> } => {
    const fullUrl = urn(`reading/${r.id}/${kind}`);
    const isManual = r.source === 'manual';
    const resource: Omit<Observation, 'code'> = {
      resourceType: 'Observation',
      meta: {
        profile: profile === null ? [vitalSignsProfiles.vitalsigns] : [vitalSignsProfiles.vitalsigns, profile],
        ...(r.source === 'simulator' ? { tag: [testDataTag] } : {}),
      },
      identifier: [{ system: 'urn:ietf:rfc:3986', value: fullUrl }],
      status: 'final',
      category: vitalSignsCategory,
      subject: ctx.patientRef,
      encounter: ctx.encounterRef,
      effectiveDateTime: timeOfIso(ctx, r.measuredAt),
      issued: timeOfIso(ctx, r.receivedAt),
      ...(isManual && r.enteredBy !== null ? { performer: [{ display: r.enteredBy }] } : {}),
      ...(isManual ? {} : { device: { display: r.source === 'simulator' ? 'Simulated monitor (demo)' : `Bedside monitor, ${ctx.input.chairName ?? r.chairId}` } }),
    };
    return { fullUrl, resource };
  };
  const out: ReadingObservation[] = [];

  if (r.systolic !== null || r.diastolic !== null) {
    const rejectedField = (f: VitalField): boolean => r.rejected.some((x) => x.field === f);
    const component = (field: 'systolic' | 'diastolic' | 'mean', code: string, display: string): ObservationComponent => {
      const value = r[field];
      return value !== null
        ? { code: loincConcept(code, display), valueQuantity: mmHg(value) }
        : { code: loincConcept(code, display), dataAbsentReason: dataAbsent(rejectedField(field) ? 'error' : 'unknown') };
    };
    const components = [component('systolic', loincCodes.systolic, 'Systolic blood pressure'), component('diastolic', loincCodes.diastolic, 'Diastolic blood pressure')];
    if (r.mean !== null) components.push(component('mean', loincCodes.mean, 'Mean blood pressure'));
    const { fullUrl, resource } = base('bp', vitalSignsProfiles.bp);
    const note = rejectedNote(r, ['systolic', 'diastolic', 'mean']);
    out.push({
      fullUrl,
      resource: { ...resource, code: loincConcept(loincCodes.bpPanel, 'Blood pressure panel with all children optional'), component: components, ...(note ? { note } : {}) },
    });
  } else if (r.mean !== null) {
    // A mean arterial pressure alone: on the base vital-signs profile (the BP profile needs systolic and diastolic).
    const { fullUrl, resource } = base('map', null);
    out.push({ fullUrl, resource: { ...resource, code: loincConcept(loincCodes.mean, 'Mean blood pressure'), valueQuantity: mmHg(r.mean) } });
  }

  if (r.heartRate !== null) {
    const { fullUrl, resource } = base('hr', vitalSignsProfiles.heartrate);
    out.push({ fullUrl, resource: { ...resource, code: loincConcept(loincCodes.heartRate, 'Heart rate'), valueQuantity: quantity(r.heartRate, 'beats/minute', '/min') } });
  }
  if (r.spo2 !== null) {
    const { fullUrl, resource } = base('spo2', vitalSignsProfiles.oxygensat);
    const lowAccuracy = r.flags.includes('spo2-low-accuracy');
    out.push({
      fullUrl,
      resource: {
        ...resource,
        code: {
          coding: [
            { system: loinc, code: loincCodes.spo2, display: 'Oxygen saturation in Arterial blood' },
            { system: loinc, code: loincCodes.spo2Pulse, display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
          ],
          text: 'SpO₂',
        },
        valueQuantity: quantity(r.spo2, '%', '%'),
        ...(lowAccuracy ? { note: [{ text: 'SpO₂ below 70 %: pulse oximetry is of low accuracy in this range' }] } : {}),
      },
    });
  }
  if (r.respRate !== null) {
    const { fullUrl, resource } = base('rr', vitalSignsProfiles.resprate);
    out.push({ fullUrl, resource: { ...resource, code: loincConcept(loincCodes.respRate, 'Respiratory rate'), valueQuantity: quantity(r.respRate, 'breaths/minute', '/min') } });
  }
  return out;
}

/**
 * The alert's rule as a code, and what the alert was called on the dashboard as its text. A "recheck
 * BP now" prompt is its rule's first step, not yet that condition: its text is "Recheck BP now:
 * 186/100", and the rule's name ("Severe hypertension") is not given as its display either.
 */
function alertCode(ctx: Context, alert: Alert): CodeableConcept {
  const title = alertTitle(alert);
  const coding: Coding = { system: joinSystem(ctx.systemBase, 'alert-rule'), code: alert.ruleId };
  return { coding: [title === alert.label ? { ...coding, display: alert.label } : coding], text: title };
}

function detectedIssue(ctx: Context, alert: Alert, observationsBySeq: Map<number, string[]>): DetectedIssue {
  const ended = isSessionEnded(ctx.input.session.state);
  const implicated = alert.readingSeq === null ? [] : (observationsBySeq.get(alert.readingSeq) ?? []);
  const cleared =
    alert.clearedAtMs === null ? '' : ` Cleared ${formatClinicTime(alert.clearedAtMs, ctx.timeZone)}${alert.clearReason === null ? '' : ` (${describeClearReason(alert.clearReason)})`}.`;
  return {
    resourceType: 'DetectedIssue',
    extension: [{ url: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-DetectedIssue.encounter', valueReference: ctx.encounterRef }],
    identifier: [{ system: joinSystem(ctx.systemBase, 'alert'), value: alert.id }],
    status: ended || alert.status !== 'active' ? 'final' : 'preliminary',
    code: alertCode(ctx, alert),
    severity: severityOf[alert.priority],
    patient: ctx.patientRef,
    identifiedDateTime: time(ctx, alert.raisedAtMs),
    author: { display: 'Chairside alert engine (secondary notification)' },
    ...(implicated.length > 0 ? { implicated: implicated.map((reference) => ({ reference, type: 'Observation' })) } : {}),
    detail: `${alert.message}. Priority ${alert.priority}, ${alert.category}.${cleared}`,
    ...(alert.acknowledgements.length > 0
      ? {
          mitigation: alert.acknowledgements.map((a) => ({
            action: {
              coding: [{ system: joinSystem(ctx.systemBase, 'alert-action'), code: 'acknowledged', display: 'Acknowledged' }],
              text: a.note === null || a.note.trim() === '' ? 'Acknowledged' : `Acknowledged: ${a.note.trim()}`,
            },
            date: time(ctx, a.atMs),
            author: { display: a.by.username },
          })),
        }
      : {}),
  };
}

function narrative(lines: readonly string[]): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml">${lines.map((l) => `<p>${xhtmlText(l)}</p>`).join('')}</div>`;
}

function eventProvenance(ctx: Context, e: SessionEventView): Provenance {
  const { protocol } = ctx.input.session;
  const label = sessionEventLabel(e, protocol);
  const details = sessionEventDetails(e, protocol);
  const atMs = Date.parse(e.at);
  const when = Number.isNaN(atMs) ? e.at : time(ctx, atMs);
  const system = e.role === 'system';
  const made = ctx.resourceOfEntry.get(e.seq);
  return {
    resourceType: 'Provenance',
    text: {
      status: details.length > 0 ? 'additional' : 'generated',
      div: narrative([`${label} — ${e.username}${system ? '' : ` (${e.role})`}, ${when}`, ...details]),
    },
    target: made === undefined ? [ctx.encounterRef] : [ctx.encounterRef, made],
    occurredDateTime: when,
    recorded: when,
    activity: { coding: [{ system: joinSystem(ctx.systemBase, 'session-event'), code: e.type, display: label }], text: label },
    agent: [
      {
        type: {
          coding: [
            system
              ? { system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'assembler', display: 'Assembler' }
              : { system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'performer', display: 'Performer' },
          ],
        },
        ...(system ? {} : { role: [{ text: e.role }] }),
        who: { display: system ? 'Chairside' : e.username },
      },
    ],
  };
}

function signatureProvenance(ctx: Context, signedBy: string, signedAtMs: number): Provenance {
  const when = time(ctx, signedAtMs);
  return {
    resourceType: 'Provenance',
    text: { status: 'generated', div: narrative([`Session log signed by ${signedBy}, ${when}`]) },
    target: [ctx.encounterRef],
    occurredDateTime: when,
    recorded: when,
    activity: { coding: [{ system: joinSystem(ctx.systemBase, 'session-event'), code: 'signed', display: 'Session log signed' }], text: 'Session log signed' },
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'verifier', display: 'Verifier' }] },
        role: [{ text: 'clinician' }],
        who: { display: signedBy },
      },
    ],
    signature: [
      {
        type: [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.5', display: 'Verification Signature' }],
        when,
        who: { display: signedBy },
      },
    ],
  };
}

function addendumProvenance(ctx: Context, index: number, text: string, by: string, atMs: number): Provenance {
  const when = time(ctx, atMs);
  return {
    resourceType: 'Provenance',
    text: { status: 'additional', div: narrative([`Addendum ${index + 1} by ${by}, ${when}`, text]) },
    target: [ctx.encounterRef],
    occurredDateTime: when,
    recorded: when,
    activity: { coding: [{ system: joinSystem(ctx.systemBase, 'session-event'), code: 'addendum', display: 'Addendum' }], text: 'Addendum' },
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }] },
        who: { display: by },
      },
    ],
  };
}

// ——— the session record beyond vitals ———

const rxnorm = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const snomed = 'http://snomed.info/sct';

/** RxNorm concepts of the drugs a session documents (see the modelling notes above). */
export const rxnormCodes = {
  ketamine: { code: '6130', display: 'ketamine' },
  esketamineNasalSpray: { code: '2201623', display: 'esketamine Nasal Spray' },
} as const;

/** SNOMED CT route codes (the R4 route-codes value set). ODT is taken by mouth; its text says ODT. */
const routeCodings: Record<string, Coding> = {
  iv: { system: snomed, code: '47625008', display: 'Intravenous route' },
  im: { system: snomed, code: '78421000', display: 'Intramuscular route' },
  intranasal: { system: snomed, code: '46713006', display: 'Nasal route' },
  oral: { system: snomed, code: '26643006', display: 'Oral route' },
  odt: { system: snomed, code: '26643006', display: 'Oral route' },
  sublingual: { system: snomed, code: '37839007', display: 'Sublingual route' },
  subcutaneous: { system: snomed, code: '34206005', display: 'Subcutaneous route' },
};

function routeConcept(route: string): CodeableConcept {
  const coding = routeCodings[route];
  return coding === undefined ? { text: route } : { coding: [coding], text: routeLabels[route] ?? route };
}

/** The drug as a concept: RxNorm when its name is ketamine or esketamine, its name as text always. */
export function medicationConcept(drug: string): CodeableConcept {
  const name = drug.toLowerCase();
  const concept = /\besketamine\b/.test(name) ? rxnormCodes.esketamineNasalSpray : /\bketamine\b/.test(name) ? rxnormCodes.ketamine : null;
  return concept === null ? { text: drug } : { coding: [{ system: rxnorm, ...concept }], text: drug };
}

const mg = (value: number): Quantity => quantity(value, 'mg', 'mg');
const mlPerH = (value: number): Quantity => quantity(value, 'mL/h', 'mL/h');
const performer = (username: string): { actor: Reference }[] => (username === '' ? [] : [{ actor: { display: username } }]);

const surveyCategory: CodeableConcept[] = [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' }], text: 'Survey' },
];

export const scoreDisplays = {
  'moaa-s': "MOAA/S (Modified Observer's Assessment of Alertness/Sedation, 0-5)",
  'cadss-6': 'CADSS-6 total (Clinician-Administered Dissociative States Scale, 6 items, 0-24)',
} as const;

type Entry = BundleEntry<ExportedResource>;

function readinessResponse(ctx: Context): Entry[] {
  const { readiness } = ctx.record;
  const answered = readiness.items.filter((i) => i.answer !== null);
  if (answered.length === 0) return [];
  const latest = answered.reduce((a, b) => ((b.answeredAtMs ?? 0) > (a.answeredAtMs ?? 0) ? b : a));
  const fullUrl = urn(`readiness/${ctx.input.session.id}`);
  const resource: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    identifier: { system: joinSystem(ctx.systemBase, 'readiness'), value: ctx.input.session.id },
    status: answered.length === readiness.items.length ? 'completed' : 'in-progress',
    subject: ctx.patientRef,
    encounter: ctx.encounterRef,
    ...(latest.answeredAtMs === null ? {} : { authored: time(ctx, latest.answeredAtMs) }),
    ...(latest.answeredBy === null ? {} : { author: { display: latest.answeredBy } }),
    item: answered.map((i) => ({
      linkId: i.id,
      text: i.hardStop ? `${i.label} (hard stop)` : i.label,
      answer: [typeof i.answer === 'boolean' ? { valueBoolean: i.answer } : { valueString: String(i.answer) }],
    })),
  };
  for (const e of ctx.record.entries) if (e.type === 'readiness-answered' && e.correctedBy === null) ctx.resourceOfEntry.set(e.seq, { reference: fullUrl, type: 'QuestionnaireResponse' });
  return [{ fullUrl, resource }];
}

function escortPerson(ctx: Context): Entry[] {
  const { escort } = ctx.record;
  if (escort === null) return [];
  const fullUrl = urn(`escort/${ctx.input.session.id}`);
  const resource: RelatedPerson = {
    resourceType: 'RelatedPerson',
    identifier: [{ system: joinSystem(ctx.systemBase, 'escort'), value: ctx.input.session.id }],
    patient: ctx.patientRef,
    relationship: [{ text: 'Escort (takes the patient home after the session)' }],
    name: [{ text: escort.name }],
    telecom: [{ system: 'phone', value: escort.phone }],
  };
  const seq = ctx.record.record.escort?.seq;
  if (seq !== undefined) ctx.resourceOfEntry.set(seq, { reference: fullUrl, type: 'RelatedPerson' });
  return [{ fullUrl, resource }];
}

/** An administration's status from the session: finished sessions' are completed, a cancelled one's stopped. */
function administrationStatus(ctx: Context, ended: boolean): MedicationAdministrationStatus {
  if (ended) return 'completed';
  return ctx.input.session.state.phase === 'cancelled' ? 'stopped' : 'in-progress';
}

function administrations(ctx: Context): { entries: Entry[]; suspects: Reference[] } {
  const { session } = ctx.input;
  const { state } = session;
  const { record, administration } = ctx.record;
  const entries: Entry[] = [];
  const suspects: Reference[] = [];
  const endedAt = state.treatmentEndedAtMs ?? sessionEndedAtMs(state);
  const { infusion } = record;
  if (infusion !== null) {
    const setRow = administration.find((r) => r.key === `set:${infusion.seq}`);
    const setAt = setRow?.atMs ?? state.checkedInAtMs;
    const weightUrl = urn(`weight/${session.id}/${infusion.seq}`);
    const weight: Observation = {
      resourceType: 'Observation',
      meta: { profile: [vitalSignsProfiles.vitalsigns, vitalSignsProfiles.bodyweight] },
      status: 'final',
      category: vitalSignsCategory,
      code: loincConcept(loincCodes.bodyWeight, 'Body weight'),
      subject: ctx.patientRef,
      encounter: ctx.encounterRef,
      effectiveDateTime: time(ctx, setAt),
      ...(setRow === undefined || setRow.username === '' ? {} : { performer: [{ display: setRow.username }] }),
      valueQuantity: quantity(infusion.weightKg, 'kg', 'kg'),
    };
    entries.push({ fullUrl: weightUrl, resource: weight });

    const start = state.treatmentStartedAtMs;
    const infusionUrl = urn(`infusion/${session.id}/${infusion.seq}`);
    const infusionRef: Reference = { reference: infusionUrl, type: 'MedicationAdministration' };
    const endRow = administration.find((r) => r.key === 'end');
    const startRow = administration.find((r) => r.key === 'start');
    const infusedMg = endRow?.cumulativeMg ?? ctx.record.totalMg;
    const plan = `${recordNumber(infusion.doseMgPerKg)} mg/kg × ${recordNumber(infusion.weightKg)} kg = ${recordNumber(infusion.totalMg)} mg planned over ${recordNumber(infusion.plannedMin)} min, ${recordNumber(infusion.concentrationMgPerMl)} mg/mL at ${recordNumber(infusion.rateMlPerH)} mL/h`;
    const mgPerKg = Math.round((infusedMg / infusion.weightKg) * 100) / 100;
    const main: MedicationAdministration = {
      resourceType: 'MedicationAdministration',
      identifier: [{ system: joinSystem(ctx.systemBase, 'record-entry'), value: `${session.id}/${infusion.seq}` }],
      status: start === null ? 'not-done' : administrationStatus(ctx, state.treatmentEndedAtMs !== null),
      medicationCodeableConcept: medicationConcept(infusion.drug),
      subject: ctx.patientRef,
      context: ctx.encounterRef,
      supportingInformation: [{ reference: weightUrl, type: 'Observation' }],
      ...(start === null
        ? { effectiveDateTime: time(ctx, setAt) }
        : { effectivePeriod: { start: time(ctx, start), ...(state.treatmentEndedAtMs === null ? {} : { end: time(ctx, state.treatmentEndedAtMs) }) } }),
      performer: performer(startRow?.username ?? setRow?.username ?? ''),
      dosage: {
        text: start === null ? `${plan}; not started` : `${plan}; ${recordNumber(infusedMg)} mg infused (${mgPerKg} mg/kg)${state.treatmentEndedAtMs === null ? ' so far' : ''}`,
        route: routeConcept('iv'),
        dose: mg(infusedMg),
        rateQuantity: mlPerH(infusion.rateMlPerH),
      },
      ...(state.pauses.length === 0
        ? {}
        : { note: state.pauses.map((p) => ({ text: `Paused ${clock(ctx, p.fromMs)}${p.toMs === null ? '' : ` to ${clock(ctx, p.toMs)}`}${p.reason === null ? '' : `: ${p.reason}`}` })) }),
    };
    entries.push({ fullUrl: infusionUrl, resource: main });
    ctx.resourceOfEntry.set(infusion.seq, infusionRef);
    suspects.push(infusionRef);

    const changes = [...infusion.rateChanges].sort((a, b) => a.atMs - b.atMs);
    changes.forEach((c, i) => {
      const until = changes[i + 1]?.atMs ?? endedAt;
      const url = urn(`infusion-rate/${session.id}/${c.seq}`);
      const perKgPerH = Math.round(((c.rateMlPerH * infusion.concentrationMgPerMl) / infusion.weightKg) * 100) / 100;
      const resource: MedicationAdministration = {
        resourceType: 'MedicationAdministration',
        identifier: [{ system: joinSystem(ctx.systemBase, 'record-entry'), value: `${session.id}/${c.seq}` }],
        partOf: [infusionRef],
        status: administrationStatus(ctx, until !== null),
        medicationCodeableConcept: medicationConcept(infusion.drug),
        subject: ctx.patientRef,
        context: ctx.encounterRef,
        effectivePeriod: { start: time(ctx, c.atMs), ...(until === null ? {} : { end: time(ctx, until) }) },
        performer: performer(administration.find((r) => r.key === `rate:${c.seq}`)?.username ?? ''),
        note: [{ text: `Rate changed to ${recordNumber(c.rateMlPerH)} mL/h: ${c.reason}` }],
        dosage: { text: `${recordNumber(c.rateMlPerH)} mL/h (${perKgPerH} mg/kg/h) at ${recordNumber(infusion.concentrationMgPerMl)} mg/mL`, route: routeConcept('iv'), rateQuantity: mlPerH(c.rateMlPerH) },
      };
      entries.push({ fullUrl: url, resource });
      ctx.resourceOfEntry.set(c.seq, { reference: url, type: 'MedicationAdministration' });
    });
  }

  const maxDevices = recordSettingsOf(session.protocol).devices?.maxDevices ?? null;
  for (const d of record.doses) {
    const url = urn(`dose/${session.id}/${d.seq}`);
    const row = administration.find((r) => r.key === `dose:${d.seq}`);
    const concept = medicationConcept(d.drug);
    const device = d.device === null ? '' : `Device ${d.device}${maxDevices === null ? '' : ` of ${maxDevices}`}, `;
    const resource: MedicationAdministration = {
      resourceType: 'MedicationAdministration',
      identifier: [{ system: joinSystem(ctx.systemBase, 'record-entry'), value: `${session.id}/${d.seq}` }],
      ...(d.lot === null
        ? { medicationCodeableConcept: concept }
        : { contained: [{ resourceType: 'Medication', id: 'med', code: concept, batch: { lotNumber: d.lot } }], medicationReference: { reference: '#med', display: d.drug } }),
      status: 'completed',
      subject: ctx.patientRef,
      context: ctx.encounterRef,
      effectiveDateTime: time(ctx, d.atMs),
      performer: performer(row?.username ?? ''),
      ...(d.overrideReason === null ? {} : { note: [{ text: `Given within the rest time by a clinician's override: ${d.overrideReason}` }] }),
      dosage: {
        text: `${device}${recordNumber(d.doseMg)} mg ${routeLabels[d.route] ?? d.route}${d.lot === null ? '' : `, lot ${d.lot}`}; ${recordNumber(row?.cumulativeMg ?? d.doseMg)} mg in all by then`,
        route: routeConcept(d.route),
        dose: mg(d.doseMg),
      },
    };
    entries.push({ fullUrl: url, resource });
    const ref: Reference = { reference: url, type: 'MedicationAdministration' };
    ctx.resourceOfEntry.set(d.seq, ref);
    suspects.push(ref);
  }

  for (const p of ctx.record.interventions) {
    const url = urn(`prn/${session.id}/${p.seq}`);
    const reassessed =
      p.reassessment === null
        ? `Not reassessed (due ${clock(ctx, p.reassessDueAtMs)})`
        : `Reassessed ${clock(ctx, p.reassessment.atMs)} by ${p.reassessment.username}${p.reassessment.late ? ' (after its due time)' : ''}: ${p.reassessment.response}`;
    const resource: MedicationAdministration = {
      resourceType: 'MedicationAdministration',
      identifier: [{ system: joinSystem(ctx.systemBase, 'record-entry'), value: `${session.id}/${p.seq}` }],
      status: 'completed',
      medicationCodeableConcept: medicationConcept(p.drug),
      subject: ctx.patientRef,
      context: ctx.encounterRef,
      effectiveDateTime: time(ctx, p.atMs),
      performer: performer(p.username),
      reasonCode: [{ text: p.indication }],
      note: [{ text: `PRN. ${reassessed}` }],
      dosage: { text: `${recordNumber(p.doseMg)} mg ${p.route} for ${p.indication} (PRN)`, route: routeConcept(record.prns.find((x) => x.seq === p.seq)?.route ?? ''), dose: mg(p.doseMg) },
    };
    entries.push({ fullUrl: url, resource });
    const ref: Reference = { reference: url, type: 'MedicationAdministration' };
    ctx.resourceOfEntry.set(p.seq, ref);
    const reassessedSeq = record.prns.find((x) => x.seq === p.seq)?.reassessment?.seq;
    if (reassessedSeq !== undefined) ctx.resourceOfEntry.set(reassessedSeq, ref);
  }
  return { entries, suspects };
}

function scoreObservations(ctx: Context): Entry[] {
  const { session } = ctx.input;
  const byEntry = new Map(ctx.record.entries.map((e) => [e.seq, e]));
  return ctx.record.scores.map((s) => {
    const url = urn(`score/${session.id}/${s.seq}`);
    const entry = byEntry.get(s.seq);
    const code: CodeableConcept = { coding: [{ system: joinSystem(ctx.systemBase, 'score'), code: s.scale, display: scoreDisplays[s.scale] }], text: scoreDisplays[s.scale] };
    const resource: Observation = {
      resourceType: 'Observation',
      identifier: [{ system: joinSystem(ctx.systemBase, 'record-entry'), value: `${session.id}/${s.seq}` }],
      status: s.corrected ? 'corrected' : 'final',
      category: surveyCategory,
      code,
      subject: ctx.patientRef,
      encounter: ctx.encounterRef,
      effectiveDateTime: time(ctx, s.atMs),
      ...(entry === undefined ? {} : { issued: time(ctx, entry.recordedAtMs) }),
      performer: s.username === '' ? [] : [{ display: s.username }],
      valueInteger: s.value,
      ...(entry?.note == null ? {} : { note: [{ text: entry.note }] }),
      ...(s.items === null
        ? {}
        : {
            component: s.items.map(
              (v, i): ObservationComponent => ({
                code: { coding: [{ system: joinSystem(ctx.systemBase, 'score'), code: `cadss-6-item-${i + 1}`, display: `CADSS-6 item ${i + 1} (0-4)` }], text: `CADSS-6 item ${i + 1}` },
                valueInteger: v,
              }),
            ),
          }),
    };
    if (resource.performer?.length === 0) delete resource.performer;
    ctx.resourceOfEntry.set(s.seq, { reference: url, type: 'Observation' });
    return { fullUrl: url, resource };
  });
}

function adverseEvents(ctx: Context, suspects: readonly Reference[]): Entry[] {
  const { session } = ctx.input;
  const byEntry = new Map(ctx.record.entries.map((e) => [e.seq, e]));
  return ctx.record.adverseEvents.map((a) => {
    const url = urn(`adverse-event/${session.id}/${a.seq}`);
    const kind = ctx.record.record.adverseEvents.find((x) => x.seq === a.seq)?.kind ?? a.kind;
    const entry = byEntry.get(a.seq);
    const resource: AdverseEvent = {
      resourceType: 'AdverseEvent',
      identifier: { system: joinSystem(ctx.systemBase, 'record-entry'), value: `${session.id}/${a.seq}` },
      actuality: 'actual',
      event: { coding: [{ system: joinSystem(ctx.systemBase, 'adverse-event'), code: kind, display: a.kind }], text: a.note === null ? a.kind : `${a.kind}: ${a.note}` },
      subject: ctx.patientRef,
      encounter: ctx.encounterRef,
      date: time(ctx, a.atMs),
      ...(entry === undefined ? {} : { recordedDate: time(ctx, entry.recordedAtMs) }),
      ...(a.username === '' ? {} : { recorder: { display: a.username } }),
      seriousness: {
        coding: [
          a.serious
            ? { system: 'http://terminology.hl7.org/CodeSystem/adverse-event-seriousness', code: 'Serious', display: 'Serious' }
            : { system: 'http://terminology.hl7.org/CodeSystem/adverse-event-seriousness', code: 'Non-serious', display: 'Non-serious' },
        ],
        text: a.serious ? 'Serious' : 'Not serious',
      },
      severity: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adverse-event-severity', code: a.severity, display: a.severity.charAt(0).toUpperCase() + a.severity.slice(1) }],
        text: a.severity,
      },
      ...(suspects.length === 0 ? {} : { suspectEntity: suspects.map((instance) => ({ instance })) }),
    };
    ctx.resourceOfEntry.set(a.seq, { reference: url, type: 'AdverseEvent' });
    return { fullUrl: url, resource };
  });
}

/** The session record's resources, in the order a reader meets them; fills `ctx.resourceOfEntry`. */
function recordResources(ctx: Context): Entry[] {
  const { entries: given, suspects } = administrations(ctx);
  return [...readinessResponse(ctx), ...escortPerson(ctx), ...given, ...scoreObservations(ctx), ...adverseEvents(ctx, suspects)];
}

/** The session, its readings, alerts and timeline as a FHIR R4 collection Bundle. */
export function sessionFhirBundle(input: SessionReviewInput, options: FhirExportOptions): Bundle {
  const { session } = input;
  const patientUrl = urn(`patient/${session.patient.id}`);
  const encounterUrl = urn(`session/${session.id}`);
  const ctx: Context = {
    input,
    timeZone: options.timeZone,
    systemBase: options.systemBase ?? 'urn:chairside',
    patientUrl,
    encounterUrl,
    patientRef: { reference: patientUrl, type: 'Patient', display: session.patient.displayName },
    encounterRef: { reference: encounterUrl, type: 'Encounter' },
    record: recordReport(session, options.generatedAtMs),
    resourceOfEntry: new Map(),
  };
  const record = recordResources(ctx);

  const entries: BundleEntry<ExportedResource>[] = [
    { fullUrl: patientUrl, resource: patientResource(ctx, options.mrnSystem) },
    { fullUrl: encounterUrl, resource: encounterResource(ctx) },
  ];

  const readings = [...session.readings].sort((a, b) => Date.parse(a.measuredAt) - Date.parse(b.measuredAt) || a.seq - b.seq);
  const observationsBySeq = new Map<number, string[]>();
  for (const r of readings) {
    const observations = readingObservations(ctx, r);
    observationsBySeq.set(r.seq, observations.map((o) => o.fullUrl));
    entries.push(...observations);
  }
  entries.push(...record);

  for (const alert of [...input.alerts].sort((a, b) => a.raisedAtMs - b.raisedAtMs)) {
    entries.push({ fullUrl: urn(`alert/${session.id}/${alert.id}`), resource: detectedIssue(ctx, alert, observationsBySeq) });
  }

  for (const e of [...session.events].sort((a, b) => a.seq - b.seq)) {
    entries.push({ fullUrl: urn(`session-event/${session.id}/${e.seq}`), resource: eventProvenance(ctx, e) });
  }
  if (input.signature !== null) {
    entries.push({ fullUrl: urn(`signature/${session.id}`), resource: signatureProvenance(ctx, input.signature.signedBy, input.signature.signedAtMs) });
  }
  input.addenda.forEach((a, i) => {
    entries.push({ fullUrl: urn(`addendum/${session.id}/${i}`), resource: addendumProvenance(ctx, i, a.text, a.by, a.atMs) });
  });

  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: toClinicIso(options.generatedAtMs, options.timeZone),
    entry: entries,
  };
}
