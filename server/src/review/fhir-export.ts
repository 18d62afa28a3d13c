import { createHash } from 'node:crypto';
import {
  alertTitle,
  describeClearReason,
  type Alert,
  type AlertPriority,
  type Reading,
  type SessionEventView,
  type SessionReviewInput,
  type VitalField,
  formatClinicTime,
  isSessionEnded,
  sessionEndedAtMs,
  sessionEventDetails,
  sessionEventLabel,
  toClinicIso,
  vitalFieldInfo,
} from '@chairside/shared';
import type {
  Bundle,
  BundleEntry,
  CodeableConcept,
  Coding,
  DetectedIssue,
  Encounter,
  EncounterStatus,
  ExportedResource,
  Observation,
  ObservationComponent,
  Patient,
  Provenance,
  Quantity,
  Reference,
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
}

const time = (ctx: Context, ms: number): string => toClinicIso(ms, ctx.timeZone);
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
  return {
    resourceType: 'Provenance',
    text: {
      status: details.length > 0 ? 'additional' : 'generated',
      div: narrative([`${label} — ${e.username}${system ? '' : ` (${e.role})`}, ${when}`, ...details]),
    },
    target: [ctx.encounterRef],
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
  };

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
