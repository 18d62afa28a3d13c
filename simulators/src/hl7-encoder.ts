/**
 * Readings → an HL7 v2.6 ORU^R01 in the style of IHE PCD-01 (docs/clinical-defaults.md "Data standards"), as a bedside
 * monitor sends them. Pure: times, ids and the bed are inputs; the result is the message text with
 * every segment ended by CR, ready for MLLP framing.
 *
 * One message carries one or more readings of one chair. Each reading is its own observation group
 * (OBR, OBR-7 = its time) with a containment tree in OBX-4:
 *
 * ```
 * OBR|1|…|…|528391^MDC_DEV_SPEC_PROFILE_BP^MDC|||T            (a BP reading; else 182777000 monitoring of patient)
 * OBX|1||528391^MDC_DEV_SPEC_PROFILE_BP^MDC|1|…|X|||T|||||DEV  header row: the device (NIBP profile, or the multi-parameter MDS)
 * OBX|2||150020^MDC_PRESS_BLD_NONINV^MDC|1.0.1|…|X|||T         header row: the NIBP channel
 * OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|120|266016^MDC_DIM_MMHG^MDC|||||R|||T|||||DEV
 * …                                                            150022, 150023; then 147842 HR, 150456 SpO₂, 151562 RR
 * ```
 *
 * Every value row has its own OBX-14 (the reading's time with a UTC offset) and OBX-18 (the device
 * id). Values are written as they come, "no reading" markers (−1, −999 …) included: the receiver
 * decides what they mean. Text from outside (device id, bed, patient id) is escaped.
 */
import type { ReadingInput } from '@chairside/shared';

/** HL7 segments end with CR. */
export const segmentTerminator = '\r';

/** IHE PCD-01's message profile id (MSH-21). */
export const pcd01Profile = 'IHE PCD ORU-R01 2006^HL7^1.3.6.1.4.1.19376.1.6.1.1.1^ISO';

export interface OruDevice {
  /** MSH-3 namespace id, the monitor's "application" (e.g. `CHAIRSIDE-SIM`). */
  application: string;
  /** The monitor's own id: MSH-3 universal id and OBX-18 entity id (e.g. `SIM-chair-1`). */
  id: string;
}

export interface OruEncodeInput {
  /** Readings of one chair, each with at least one vital; `measuredAt` is an ISO 8601 instant. */
  readings: readonly ReadingInput[];
  /** MSH-10: unique per message. A resent message keeps it (the receiver dedupes by it). */
  controlId: string;
  /** MSH-7: when the message was made (epoch ms). */
  messageTimeMs: number;
  device: OruDevice;
  /**
   * PV1-3 as `pointOfCare^room^bed` (or fewer parts), `^` separating the components. Each part is
   * escaped; `^` itself cannot be part of a name.
   */
  bed: string;
  /** PID-3: a pseudonymous patient id. Default `<device id>-PATIENT`. */
  patientId?: string;
  /** MSH-5/MSH-6. Default `CHAIRSIDE`. */
  receivingApplication?: string;
  /** The UTC offset written in every time (minutes east of Greenwich). Default 0 (`+0000`). */
  utcOffsetMinutes?: number;
}

/** One vital as an OBX row: code, unit, containment path below the reading's top node. */
interface VitalRow {
  field: 'systolic' | 'diastolic' | 'mean' | 'heartRate' | 'spo2' | 'respRate';
  code: string;
  unit: string;
  path: string;
}

const bpProfile = '528391^MDC_DEV_SPEC_PROFILE_BP^MDC';
const multiParameterMds = '69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC';
const monitoringOfPatient = '182777000^monitoring of patient^SCT';
const nibpChannel = '150020^MDC_PRESS_BLD_NONINV^MDC';
const mmHg = '266016^MDC_DIM_MMHG^MDC';

const bpFields = new Set<VitalRow['field']>(['systolic', 'diastolic', 'mean']);

export const vitalRows: readonly VitalRow[] = [
  { field: 'systolic', code: '150021^MDC_PRESS_BLD_NONINV_SYS^MDC', unit: mmHg, path: '0.1.1' },
  { field: 'diastolic', code: '150022^MDC_PRESS_BLD_NONINV_DIA^MDC', unit: mmHg, path: '0.1.2' },
  { field: 'mean', code: '150023^MDC_PRESS_BLD_NONINV_MEAN^MDC', unit: mmHg, path: '0.1.3' },
  { field: 'heartRate', code: '147842^MDC_ECG_HEART_RATE^MDC', unit: '264864^MDC_DIM_BEAT_PER_MIN^MDC', path: '0.2.1' },
  { field: 'spo2', code: '150456^MDC_PULS_OXIM_SAT_O2^MDC', unit: '262688^MDC_DIM_PERCENT^MDC', path: '0.3.1' },
  { field: 'respRate', code: '151562^MDC_RESP_RATE^MDC', unit: '264928^MDC_DIM_RESP_PER_MIN^MDC', path: '0.4.1' },
];

/**
 * Escapes text for a field or component with the standard delimiters `|^~\&`; control characters
 * (CR, LF …) become spaces, so nothing can end a segment early.
 */
export function escapeHl7(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (c === '\\') out += '\\E\\';
    else if (c === '|') out += '\\F\\';
    else if (c === '^') out += '\\S\\';
    else if (c === '~') out += '\\R\\';
    else if (c === '&') out += '\\T\\';
    else if (code < 0x20 || code === 0x7f) out += ' ';
    else out += c;
  }
  return out;
}

/** A `^`-separated location or id: each part escaped, the separators kept. */
export function escapeComponents(text: string): string {
  return text.split('^').map(escapeHl7).join('^');
}

const pad = (n: number, width = 2): string => String(Math.trunc(n)).padStart(width, '0');

/**
 * An instant as an HL7 DTM with an explicit offset: `YYYYMMDDHHMMSS[.SSS]±HHMM`, the milliseconds
 * only when there are any, so the receiver reads back the exact instant.
 */
export function formatHl7Time(ms: number, utcOffsetMinutes = 0): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${ms}`);
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60) {
    throw new RangeError(`not a UTC offset: ${utcOffsetMinutes} min`);
  }
  const wholeMs = Math.round(ms);
  const local = new Date(wholeMs + utcOffsetMinutes * 60_000);
  const millis = local.getUTCMilliseconds();
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  return (
    `${pad(local.getUTCFullYear(), 4)}${pad(local.getUTCMonth() + 1)}${pad(local.getUTCDate())}` +
    `${pad(local.getUTCHours())}${pad(local.getUTCMinutes())}${pad(local.getUTCSeconds())}` +
    `${millis === 0 ? '' : `.${pad(millis, 3)}`}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

/** A number as HL7 NM: plain decimal notation, never exponents. */
export function formatNm(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a number to send: ${value}`);
  const plain = String(value);
  if (/^-?\d+(\.\d+)?$/.test(plain)) return plain;
  return value.toFixed(6).replace(/\.?0+$/, '');
}

function segment(...fields: string[]): string {
  // Trailing empty fields are left out, as senders usually do.
  let end = fields.length;
  while (end > 1 && fields[end - 1] === '') end -= 1;
  return fields.slice(0, end).join('|');
}

/** OBX with fields by their HL7 number (1-based); unset ones are empty. */
function obx(values: Record<number, string>): string {
  const fields = ['OBX'];
  for (let n = 1; n <= 18; n += 1) fields.push(values[n] ?? '');
  return segment(...fields);
}

/** The ORU^R01 for the readings. Throws on input it cannot encode (no readings, bad times). */
export function encodeOruR01(input: OruEncodeInput): string {
  if (input.readings.length === 0) throw new Error('an ORU^R01 needs at least one reading');
  if (input.controlId.trim() === '') throw new Error('an ORU^R01 needs a control id (MSH-10)');
  const offset = input.utcOffsetMinutes ?? 0;
  const app = escapeHl7(input.device.application);
  const deviceId = escapeHl7(input.device.id);
  const receiver = escapeHl7(input.receivingApplication ?? 'CHAIRSIDE');
  const controlId = escapeHl7(input.controlId);
  const equipment = `${deviceId}^${app}`;

  const segments = [
    segment(
      'MSH',
      '^~\\&',
      `${app}^${deviceId}^L`,
      '',
      receiver,
      receiver,
      formatHl7Time(input.messageTimeMs, offset),
      '',
      'ORU^R01^ORU_R01',
      controlId,
      'P',
      '2.6',
      '',
      '',
      'NE',
      'AL',
      '',
      '',
      '',
      '',
      pcd01Profile,
    ),
    segment('PID', '', '', `${escapeHl7(input.patientId ?? `${input.device.id}-PATIENT`)}^^^${app}^PI`, '', 'Simulated^Patient^^^^^S'),
    segment('PV1', '', 'O', escapeComponents(input.bed)),
  ];

  for (const [index, reading] of input.readings.entries()) {
    const measuredMs = Date.parse(reading.measuredAt);
    if (!Number.isFinite(measuredMs)) throw new Error(`reading ${index + 1}: measuredAt "${reading.measuredAt}" is not a time`);
    const time = formatHl7Time(measuredMs, offset);
    const rows = vitalRows.filter((row) => reading[row.field] !== undefined);
    const hasBp = rows.some((row) => bpFields.has(row.field));
    const bpOnly = hasBp && rows.every((row) => bpFields.has(row.field));
    const order = `${controlId}-${index + 1}^${app}`;
    segments.push(segment('OBR', String(index + 1), order, order, bpOnly ? bpProfile : monitoringOfPatient, '', '', time));
    // Header rows (empty OBX-2): the device, then the NIBP channel; then one NM row per vital.
    const obxRows: Record<number, string>[] = [{ 3: bpOnly ? bpProfile : multiParameterMds, 4: '1', 11: 'X', 14: time, 18: equipment }];
    if (hasBp) obxRows.push({ 3: nibpChannel, 4: '1.0.1', 11: 'X', 14: time });
    for (const row of rows) {
      const value = reading[row.field];
      if (value === undefined) continue;
      obxRows.push({ 2: 'NM', 3: row.code, 4: `1.${row.path}`, 5: formatNm(value), 6: row.unit, 11: 'R', 14: time, 18: equipment });
    }
    for (const [i, fields] of obxRows.entries()) segments.push(obx({ ...fields, 1: String(i + 1) }));
  }
  return segments.map((s) => `${s}${segmentTerminator}`).join('');
}
