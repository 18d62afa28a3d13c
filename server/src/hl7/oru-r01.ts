/**
 * ORU^R01 (IHE PCD-01) → vital-sign readings. Pure: the time zone for times without an offset is
 * an argument, and the result is data (readings, or the reason they cannot be read).
 *
 * - OBX rows with an empty OBX-2 are headers of the containment tree (OBX-4) and carry no value.
 * - Rows whose code (OBX-3) is not a vital we store are ignored; if nothing usable remains, the
 *   message is refused and the ignored codes are named.
 * - Monitors' "no reading" markers are passed on unchanged: ingest stores them as rejected values.
 * - A row's time: its OBX-14, else the OBX-14 of its nearest containing header row (OBX-4 prefix),
 *   else OBR-7, else MSH-7. Rows measured at the same time (per patient) make one reading.
 */
import { createHash } from 'node:crypto';
import { defaultPlausibilityLimits, type VitalField, type VitalValues } from '@chairside/shared';
import {
  componentsOf,
  type Hl7Message,
  type Hl7Segment,
  textOf,
  valueOf,
} from './hl7-message';
import { parseHl7Time } from './hl7-time';
import { mmHgPerKPa, unitOf, unitsOfField, type VitalCode, vitalCodeOf } from './vital-codes';

/** At most this many readings from one message (as many as one HTTP request may carry). */
export const maxReadingsPerMessage = 1000;

/** The MSH fields a reply and the mapping need. */
export interface Hl7Header {
  /** MSH-3 as readable text (`AcmeInc^ACDE48234567ABCD^EUI-64`). */
  sendingApplication: string;
  sendingFacility: string;
  messageCode: string;
  triggerEvent: string;
  /** MSH-10. */
  controlId: string;
  /** MSH-12. */
  version: string;
  /** MSH-7 as sent (first component). */
  messageTime: string;
}

export function readHeader(msh: Hl7Segment): Hl7Header {
  return {
    sendingApplication: textOf(msh, 3),
    sendingFacility: textOf(msh, 4),
    messageCode: valueOf(msh, 9, 1).trim().toUpperCase(),
    triggerEvent: valueOf(msh, 9, 2).trim().toUpperCase(),
    controlId: valueOf(msh, 10).trim(),
    version: valueOf(msh, 12).trim(),
    messageTime: valueOf(msh, 7).trim(),
  };
}

/** PV1-3: point of care ^ room ^ bed (components 4+, e.g. facility, are not part of the bed). */
export interface BedLocation {
  pointOfCare: string;
  room: string;
  bed: string;
  /** PV1-3 as sent, as readable text. */
  text: string;
}

/** One reading: the vitals measured at one time for one patient of the message. */
export interface OruReading {
  measuredAtMs: number;
  values: VitalValues;
}

/** One patient's part of the message (ORU^R01 may carry several, each with its PID/PV1). */
export interface OruPatientResult {
  location: BedLocation | null;
  /** OBX-18 equipment ids as sent, each as its identifying forms (whole, entity id, universal id). */
  equipmentIds: string[];
  readings: OruReading[];
}

export interface OruR01 {
  header: Hl7Header;
  /** MSH-3's identifying forms: the whole field, the namespace id and the universal id. */
  senderIds: string[];
  results: OruPatientResult[];
  /** Codes of value rows that are not vitals we store (for the ACK when nothing usable remains). */
  ignoredCodes: string[];
}

export type OruReadResult =
  | { ok: true; oru: OruR01 }
  /** AR: not a message we take (type, version, control id); AE: an ORU^R01 whose content is wrong. */
  | { ok: false; ack: 'AR' | 'AE'; reason: string };

const skippedStatuses = new Set(['X', 'D', 'W', 'N']);
const numberPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const noReadingMarkers = defaultPlausibilityLimits.noReadingMarkers;

interface Observation {
  field: VitalField;
  rank: number;
  value: number;
  isMarker: boolean;
  measuredAtMs: number;
  order: number;
}

interface PatientDraft {
  hasPid: boolean;
  location: BedLocation | null;
  hasPv1: boolean;
  equipmentIds: string[];
  observations: Observation[];
}

const newPatient = (): PatientDraft => ({ hasPid: false, location: null, hasPv1: false, equipmentIds: [], observations: [] });

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toUpperCase();
    if (v === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function bedLocation(pv1: Hl7Segment): BedLocation | null {
  const [pointOfCare = '', room = '', bed = ''] = componentsOf(pv1, 3).map((c) => c.trim());
  if (pointOfCare === '' && room === '' && bed === '') return null;
  return { pointOfCare, room, bed, text: textOf(pv1, 3) };
}

/** A number from OBX-5 by its value type, or null when the row carries no value, or an error. */
function numericValue(obx: Hl7Segment, valueType: string): { value: number | null } | { error: string } {
  const components = componentsOf(obx, 5).map((c) => c.trim());
  if (components.every((c) => c === '')) return { value: null };
  let text: string;
  if (valueType === 'NM' || valueType === 'ST' || valueType === 'TX') {
    if (components.length > 1) return { error: `OBX-5 "${textOf(obx, 5).slice(0, 30)}" is not a single number` };
    text = components[0] ?? '';
  } else if (valueType === 'SN') {
    // Structured numeric: comparator ^ num1 ^ separator ^ num2. Only an exact number is a reading.
    const [comparator = '', num1 = '', separator = '', num2 = ''] = components;
    if ((comparator !== '' && comparator !== '=') || separator !== '' || num2 !== '') {
      return { error: `OBX-5 "${textOf(obx, 5).slice(0, 30)}" is not an exact number` };
    }
    text = num1;
  } else {
    return { error: `value type "${valueType.slice(0, 10)}" is not numeric (send NM)` };
  }
  if (!numberPattern.test(text) || !Number.isFinite(Number(text))) {
    return { error: `OBX-5 "${text.slice(0, 30)}" is not a number` };
  }
  return { value: Number(text) };
}

/** A row's value in the stored unit, or why it cannot be used. */
function inStoredUnit(code: VitalCode, value: number, obx: Hl7Segment): { value: number } | { error: string } {
  // A "no reading" marker is passed on as sent, whatever the unit: it is not a measurement.
  if (noReadingMarkers.includes(value)) return { value };
  const unit = unitOf(componentsOf(obx, 6));
  const allowed = unitsOfField[code.field];
  if (unit.kind === 'missing') {
    if (allowed.includes('kPa')) return { error: 'OBX-6 (unit) is missing; send mmHg (266016 or mm[Hg]) or kPa' };
    return { value };
  }
  if (unit.kind === null) return { error: `unit "${unit.shown.slice(0, 40)}" is not one we know for ${code.label}` };
  if (!allowed.includes(unit.kind)) return { error: `unit ${unit.kind} does not fit ${code.label}` };
  if (unit.kind === 'kPa') return { value: Math.round(value * mmHgPerKPa) };
  return { value };
}

/** The prefixes of a dotted containment path, longest first: 1.0.1.2 → 1.0.1, 1.0, 1. */
function containers(subId: string): string[] {
  const parts = subId.split('.');
  const out: string[] = [];
  for (let n = parts.length - 1; n >= 1; n -= 1) out.push(parts.slice(0, n).join('.'));
  return out;
}

/** Reads an ORU^R01. Never throws. */
export function readOruR01(message: Hl7Message, options: { timeZone: string }): OruReadResult {
  const msh = message.segments[0];
  if (!msh) return { ok: false, ack: 'AR', reason: 'no MSH segment' };
  const header = readHeader(msh);
  if (header.messageCode !== 'ORU' || header.triggerEvent !== 'R01') {
    const type = [header.messageCode, header.triggerEvent].filter((p) => p !== '').join('^') || '(none)';
    return { ok: false, ack: 'AR', reason: `message type ${type.slice(0, 20)} is not supported; send ORU^R01` };
  }
  if (header.controlId === '') return { ok: false, ack: 'AR', reason: 'MSH-10 (message control id) is missing' };
  if (header.controlId.length > 199) return { ok: false, ack: 'AR', reason: 'MSH-10 (message control id) is too long' };
  if (header.version !== '' && !/^2\.\d/.test(header.version)) {
    return { ok: false, ack: 'AR', reason: `HL7 version ${header.version.slice(0, 10)} is not supported; send 2.x` };
  }

  const patients: PatientDraft[] = [];
  let patient = newPatient();
  const startPatient = (): void => {
    patients.push(patient);
    patient = newPatient();
  };
  const isEmpty = (p: PatientDraft): boolean => !p.hasPid && !p.hasPv1 && p.observations.length === 0;
  let obrTime = '';
  let containerTimes = new Map<string, string>();
  const ignored: string[] = [];
  const errors: string[] = [];
  let obxCount = 0;
  const timeCache = new Map<string, ReturnType<typeof parseHl7Time>>();
  const parseTime = (text: string): ReturnType<typeof parseHl7Time> => {
    let result = timeCache.get(text);
    if (!result) {
      result = parseHl7Time(text, options.timeZone);
      timeCache.set(text, result);
    }
    return result;
  };

  for (const segment of message.segments.slice(1)) {
    switch (segment.id) {
      case 'PID':
        if (!isEmpty(patient)) startPatient();
        patient.hasPid = true;
        break;
      case 'PV1':
        if (patient.hasPv1 || patient.observations.length > 0) startPatient();
        patient.hasPv1 = true;
        patient.location = bedLocation(segment);
        break;
      case 'OBR':
        obrTime = valueOf(segment, 7).trim();
        containerTimes = new Map();
        break;
      case 'OBX': {
        obxCount += 1;
        const where = `OBX ${valueOf(segment, 1).trim() || obxCount}`;
        const valueType = valueOf(segment, 2).trim().toUpperCase();
        const subId = valueOf(segment, 4).trim();
        const ownTime = valueOf(segment, 14).trim();
        if (ownTime !== '' && subId !== '') containerTimes.set(subId, ownTime);
        for (let rep = 1; rep <= (segment.fields[18]?.length ?? 0); rep += 1) {
          const parts = componentsOf(segment, 18, rep);
          const whole = parts.join('^').replace(/\^+$/, '');
          patient.equipmentIds = unique([...patient.equipmentIds, whole, parts[0] ?? '', parts[2] ?? ''].map((s) => s.trim()));
        }
        if (valueType === '') break; // a header row of the containment tree
        const code = vitalCodeOf(componentsOf(segment, 3));
        if (!code) {
          const shown = [valueOf(segment, 3, 1), valueOf(segment, 3, 2)].filter((s) => s !== '').join(' ');
          ignored.push(shown.slice(0, 60) || '(no code)');
          break;
        }
        if (skippedStatuses.has(valueOf(segment, 11).trim().toUpperCase())) break;
        const label = `${where} (${code.label})`;
        const parsed = numericValue(segment, valueType);
        if ('error' in parsed) {
          errors.push(`${label}: ${parsed.error}`);
          break;
        }
        if (parsed.value === null) break;
        const converted = inStoredUnit(code, parsed.value, segment);
        if ('error' in converted) {
          errors.push(`${label}: ${converted.error}`);
          break;
        }
        const inherited = containers(subId)
          .map((c) => containerTimes.get(c))
          .find((t) => t !== undefined);
        const sources: [string, string | undefined][] = [
          ['OBX-14', ownTime],
          ['OBX-14 of its header row', inherited],
          ['OBR-7', obrTime],
          ['MSH-7', header.messageTime],
        ];
        const source = sources.find(([, t]) => t !== undefined && t !== '');
        if (!source || source[1] === undefined) {
          errors.push(`${label}: no observation time (OBX-14, OBR-7 or MSH-7)`);
          break;
        }
        const time = parseTime(source[1]);
        if (!time.ok) {
          errors.push(`${label}: ${source[0]} ${time.message}`);
          break;
        }
        patient.observations.push({
          field: code.field,
          rank: code.rank,
          value: converted.value,
          isMarker: noReadingMarkers.includes(converted.value),
          measuredAtMs: time.ms,
          order: patient.observations.length,
        });
        break;
      }
      default:
        break; // ORC, NTE, SFT, PD1, Z-segments…: nothing we need
    }
  }
  patients.push(patient);

  if (errors.length > 0) {
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
    return { ok: false, ack: 'AE', reason: `${errors.slice(0, 3).join('; ')}${more}` };
  }

  const results: OruPatientResult[] = patients
    .filter((p) => p.observations.length > 0)
    .map((p) => ({ location: p.location, equipmentIds: p.equipmentIds, readings: groupReadings(p.observations) }));
  const readingCount = results.reduce((n, r) => n + r.readings.length, 0);
  if (readingCount === 0) {
    const why = obxCount === 0 ? 'the message has no OBX segments' : 'no usable vital signs in the message';
    const codes = unique(ignored);
    const list = codes.length > 0 ? `; ignored codes: ${codes.slice(0, 5).join(', ')}${codes.length > 5 ? ', ...' : ''}` : '';
    return { ok: false, ack: 'AE', reason: `${why}${list}` };
  }
  if (readingCount > maxReadingsPerMessage) {
    return { ok: false, ack: 'AE', reason: `the message has ${readingCount} readings; send at most ${maxReadingsPerMessage}` };
  }
  const msh3 = componentsOf(msh, 3).map((c) => c.trim());
  const senderIds = unique([header.sendingApplication.trim(), msh3[0] ?? '', msh3[1] ?? '']);
  return { ok: true, oru: { header, senderIds, results, ignoredCodes: unique(ignored) } };
}

/**
 * Rows measured at the same time make one reading. When several rows give the same vital, a real
 * value beats a "no reading" marker, then the preferred code wins (ECG HR, then pulse, then the
 * oximeter's pulse; NIBP before cuff pressure), then the first sent.
 */
function groupReadings(observations: Observation[]): OruReading[] {
  const byTime = new Map<number, Observation[]>();
  for (const o of observations) {
    const list = byTime.get(o.measuredAtMs) ?? [];
    list.push(o);
    byTime.set(o.measuredAtMs, list);
  }
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([measuredAtMs, list]) => {
      const best = new Map<VitalField, Observation>();
      for (const o of list) {
        const current = best.get(o.field);
        if (
          !current ||
          Number(o.isMarker) - Number(current.isMarker) < 0 ||
          (o.isMarker === current.isMarker && (o.rank < current.rank || (o.rank === current.rank && o.order < current.order)))
        ) {
          best.set(o.field, o);
        }
      }
      const values: VitalValues = {};
      for (const [field, o] of best) values[field] = o.value;
      return { measuredAtMs, values };
    });
}

/** Namespace of Chairside's HL7 reading ids (a fixed, random UUID). */
const readingIdNamespace = Buffer.from('6b3f2a1c9e8d4c7fa15b0d2e4f6a8c91', 'hex');

/**
 * A reading's id, derived from the message (sender, control id, patient, time): a monitor re-sending
 * the same message produces the same ids, and ingest stores them once. A name-based UUID (v5 layout,
 * SHA-1).
 */
export function hl7ReadingId(header: Hl7Header, patientIndex: number, measuredAtMs: number): string {
  const name = JSON.stringify(['hl7', header.sendingApplication, header.sendingFacility, header.controlId, patientIndex, measuredAtMs]);
  const hash = createHash('sha1').update(readingIdNamespace).update(name).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
