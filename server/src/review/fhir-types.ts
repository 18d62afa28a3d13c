/*
 * The slice of FHIR R4 (4.0.1) that the session export writes: just the elements it uses, so that
 * the compiler checks the shapes we build. Validation against the full specification happens in
 * the tests (official R4 JSON Schema and the R4 StructureDefinitions with the vital-signs profiles).
 */

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Identifier {
  type?: CodeableConcept;
  system?: string;
  value: string;
}

export interface Reference {
  reference?: string;
  /** The target's resource type, so that a reader (or validator) knows it without resolving a urn:uuid. */
  type?: string;
  display?: string;
}

export interface Period {
  start?: string;
  end?: string;
}

export interface Quantity {
  value: number;
  unit: string;
  system: string;
  code: string;
}

export interface Meta {
  profile?: string[];
  security?: Coding[];
  tag?: Coding[];
}

export interface Extension {
  url: string;
  valueReference?: Reference;
  valueString?: string;
}

export interface Narrative {
  status: 'generated' | 'extensions' | 'additional' | 'empty';
  div: string;
}

export interface Annotation {
  text: string;
  time?: string;
  authorString?: string;
}

export interface Patient {
  resourceType: 'Patient';
  meta?: Meta;
  identifier?: Identifier[];
  name?: { text: string }[];
}

export type EncounterStatus = 'planned' | 'arrived' | 'triaged' | 'in-progress' | 'onleave' | 'finished' | 'cancelled' | 'entered-in-error' | 'unknown';

export interface Encounter {
  resourceType: 'Encounter';
  identifier?: Identifier[];
  status: EncounterStatus;
  class: Coding;
  type?: CodeableConcept[];
  subject: Reference;
  participant?: { type?: CodeableConcept[]; period?: Period; individual?: Reference }[];
  period?: Period;
  length?: Quantity;
  location?: { location: Reference; status?: 'planned' | 'active' | 'reserved' | 'completed'; period?: Period }[];
  hospitalization?: { dischargeDisposition?: CodeableConcept };
}

export interface ObservationComponent {
  code: CodeableConcept;
  valueQuantity?: Quantity;
  valueInteger?: number;
  dataAbsentReason?: CodeableConcept;
}

export interface Observation {
  resourceType: 'Observation';
  meta?: Meta;
  identifier?: Identifier[];
  status: 'registered' | 'preliminary' | 'final' | 'amended' | 'corrected' | 'cancelled' | 'entered-in-error' | 'unknown';
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  encounter?: Reference;
  effectiveDateTime: string;
  issued?: string;
  performer?: Reference[];
  valueQuantity?: Quantity;
  valueInteger?: number;
  dataAbsentReason?: CodeableConcept;
  note?: Annotation[];
  device?: Reference;
  derivedFrom?: Reference[];
  component?: ObservationComponent[];
}

export interface DetectedIssue {
  resourceType: 'DetectedIssue';
  extension?: Extension[];
  identifier?: Identifier[];
  status: 'registered' | 'preliminary' | 'final' | 'amended' | 'corrected' | 'cancelled' | 'entered-in-error' | 'unknown';
  code?: CodeableConcept;
  severity?: 'high' | 'moderate' | 'low';
  patient?: Reference;
  identifiedDateTime?: string;
  author?: Reference;
  implicated?: Reference[];
  detail?: string;
  mitigation?: { action: CodeableConcept; date?: string; author?: Reference }[];
}

export interface Signature {
  type: Coding[];
  when: string;
  who: Reference;
}

export interface Provenance {
  resourceType: 'Provenance';
  text?: Narrative;
  target: Reference[];
  occurredDateTime?: string;
  recorded: string;
  activity?: CodeableConcept;
  agent: { type?: CodeableConcept; role?: CodeableConcept[]; who: Reference }[];
  signature?: Signature[];
}

export interface Medication {
  resourceType: 'Medication';
  /** A contained resource's local id ("#med"). */
  id?: string;
  code?: CodeableConcept;
  form?: CodeableConcept;
  batch?: { lotNumber?: string };
}

export type MedicationAdministrationStatus = 'in-progress' | 'not-done' | 'on-hold' | 'completed' | 'entered-in-error' | 'stopped' | 'unknown';

export interface MedicationAdministration {
  resourceType: 'MedicationAdministration';
  identifier?: Identifier[];
  contained?: Medication[];
  partOf?: Reference[];
  status: MedicationAdministrationStatus;
  medicationCodeableConcept?: CodeableConcept;
  medicationReference?: Reference;
  subject: Reference;
  context?: Reference;
  supportingInformation?: Reference[];
  effectiveDateTime?: string;
  effectivePeriod?: Period;
  performer?: { function?: CodeableConcept; actor: Reference }[];
  reasonCode?: CodeableConcept[];
  note?: Annotation[];
  dosage?: MedicationAdministrationDosage;
}

export interface MedicationAdministrationDosage {
  text?: string;
  route?: CodeableConcept;
  dose?: Quantity;
  rateQuantity?: Quantity;
}

export interface AdverseEvent {
  resourceType: 'AdverseEvent';
  identifier?: Identifier;
  actuality: 'actual' | 'potential';
  event?: CodeableConcept;
  subject: Reference;
  encounter?: Reference;
  date?: string;
  recordedDate?: string;
  recorder?: Reference;
  seriousness?: CodeableConcept;
  severity?: CodeableConcept;
  suspectEntity?: { instance: Reference }[];
}

export interface QuestionnaireResponseItem {
  linkId: string;
  text?: string;
  answer?: { valueBoolean?: boolean; valueString?: string }[];
}

export interface QuestionnaireResponse {
  resourceType: 'QuestionnaireResponse';
  identifier?: Identifier;
  status: 'in-progress' | 'completed' | 'amended' | 'entered-in-error' | 'stopped';
  subject?: Reference;
  encounter?: Reference;
  authored?: string;
  author?: Reference;
  item?: QuestionnaireResponseItem[];
}

export interface RelatedPerson {
  resourceType: 'RelatedPerson';
  identifier?: Identifier[];
  patient: Reference;
  relationship?: CodeableConcept[];
  name?: { text: string }[];
  telecom?: { system: 'phone'; value: string; use?: 'home' | 'work' | 'temp' | 'old' | 'mobile' }[];
  period?: Period;
}

export type ExportedResource =
  | Patient
  | Encounter
  | Observation
  | DetectedIssue
  | Provenance
  | MedicationAdministration
  | AdverseEvent
  | QuestionnaireResponse
  | RelatedPerson;

export interface BundleEntry<R = ExportedResource> {
  fullUrl: string;
  resource: R;
}

export interface Bundle {
  resourceType: 'Bundle';
  identifier?: Identifier;
  type: 'collection';
  timestamp: string;
  entry: BundleEntry[];
}
