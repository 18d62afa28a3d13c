/**
 * What an OBX row measures (OBX-3) and in which unit (OBX-6): IEEE 11073 MDC codes as IHE PCD-01
 * sends them (docs/clinical-defaults.md "Data standards"), LOINC vital-sign codes as some gateways send them, and the
 * unit spellings real monitors use (MDC, UCUM, plain text).
 */
import type { VitalField } from '@chairside/shared';

export interface VitalCode {
  code: string;
  /** MDC reference id or LOINC name. */
  name: string;
  field: VitalField;
  /** Shown in error messages and ACK texts. */
  label: string;
  /** Preference when one reading gets the same vital from several codes: lower wins (ECG HR over pulse). */
  rank: number;
}

export const mdcVitalCodes: readonly VitalCode[] = [
  { code: '150021', name: 'MDC_PRESS_BLD_NONINV_SYS', field: 'systolic', label: 'NIBP systolic', rank: 0 },
  { code: '150022', name: 'MDC_PRESS_BLD_NONINV_DIA', field: 'diastolic', label: 'NIBP diastolic', rank: 0 },
  { code: '150023', name: 'MDC_PRESS_BLD_NONINV_MEAN', field: 'mean', label: 'NIBP mean', rank: 0 },
  { code: '150301', name: 'MDC_PRESS_CUFF_SYS', field: 'systolic', label: 'cuff systolic', rank: 1 },
  { code: '150302', name: 'MDC_PRESS_CUFF_DIA', field: 'diastolic', label: 'cuff diastolic', rank: 1 },
  { code: '150303', name: 'MDC_PRESS_CUFF_MEAN', field: 'mean', label: 'cuff mean', rank: 1 },
  { code: '147842', name: 'MDC_ECG_HEART_RATE', field: 'heartRate', label: 'ECG heart rate', rank: 0 },
  { code: '149514', name: 'MDC_PULS_RATE', field: 'heartRate', label: 'pulse rate', rank: 1 },
  { code: '149530', name: 'MDC_PULS_OXIM_PULS_RATE', field: 'heartRate', label: 'SpO2 pulse rate', rank: 2 },
  { code: '150456', name: 'MDC_PULS_OXIM_SAT_O2', field: 'spo2', label: 'SpO2', rank: 0 },
  { code: '151562', name: 'MDC_RESP_RATE', field: 'respRate', label: 'respiratory rate', rank: 0 },
];

export const loincVitalCodes: readonly VitalCode[] = [
  { code: '8480-6', name: 'Systolic blood pressure', field: 'systolic', label: 'systolic (LOINC)', rank: 2 },
  { code: '8462-4', name: 'Diastolic blood pressure', field: 'diastolic', label: 'diastolic (LOINC)', rank: 2 },
  { code: '8478-0', name: 'Mean blood pressure', field: 'mean', label: 'mean (LOINC)', rank: 2 },
  { code: '8867-4', name: 'Heart rate', field: 'heartRate', label: 'heart rate (LOINC)', rank: 1 },
  { code: '59408-5', name: 'Oxygen saturation by pulse oximetry', field: 'spo2', label: 'SpO2 (LOINC)', rank: 1 },
  { code: '2708-6', name: 'Oxygen saturation in arterial blood', field: 'spo2', label: 'SpO2 (LOINC)', rank: 2 },
  { code: '9279-1', name: 'Respiratory rate', field: 'respRate', label: 'respiratory rate (LOINC)', rank: 1 },
];

const upper = (s: string): string => s.trim().toUpperCase();

const mdcByKey = new Map<string, VitalCode>();
for (const c of mdcVitalCodes) {
  mdcByKey.set(c.code, c);
  mdcByKey.set(c.name, c);
}
const loincByKey = new Map(loincVitalCodes.map((c) => [c.code, c]));

/**
 * The vital a coded element (CE/CWE: identifier^text^system^altId^altText^altSystem) stands for.
 * The primary triplet is tried first, then the alternate (e.g. a local code with the MDC code as
 * its alternate). Systems other than MDC and LOINC (`LN`) are vendor-local and not guessed at.
 */
export function vitalCodeOf(components: readonly string[]): VitalCode | null {
  for (const offset of [0, 3]) {
    const id = upper(components[offset] ?? '');
    const system = upper(components[offset + 2] ?? '');
    if (id === '') continue;
    if (system === 'MDC' || system === '') {
      const hit = mdcByKey.get(id);
      if (hit) return hit;
    }
    if (system === 'LN' || system === 'LOINC' || system === '') {
      const hit = loincByKey.get(id);
      if (hit) return hit;
    }
  }
  return null;
}

export type UnitKind = 'mmHg' | 'kPa' | 'perMinute' | 'percent';

const mdcUnits = new Map<string, UnitKind>([
  ['266016', 'mmHg'],
  ['MDC_DIM_MMHG', 'mmHg'],
  ['265987', 'kPa'],
  ['MDC_DIM_KILO_PASCAL', 'kPa'],
  ['264864', 'perMinute'],
  ['MDC_DIM_BEAT_PER_MIN', 'perMinute'],
  ['264928', 'perMinute'],
  ['MDC_DIM_RESP_PER_MIN', 'perMinute'],
  ['262688', 'percent'],
  ['MDC_DIM_PERCENT', 'percent'],
]);

/** UCUM codes (and the case-insensitive forms of them senders use). */
const ucumUnits = new Map<string, UnitKind>([
  ['MM[HG]', 'mmHg'],
  ['KPA', 'kPa'],
  ['/MIN', 'perMinute'],
  ['1/MIN', 'perMinute'],
  ['MIN-1', 'perMinute'],
  ['{BEAT}/MIN', 'perMinute'],
  ['{BEATS}/MIN', 'perMinute'],
  ['{BREATH}/MIN', 'perMinute'],
  ['{BREATHS}/MIN', 'perMinute'],
  ['{RESP}/MIN', 'perMinute'],
  ['%', 'percent'],
]);

/** Plain-text spellings seen from older gateways. */
const textUnits = new Map<string, UnitKind>([
  ['MMHG', 'mmHg'],
  ['MM HG', 'mmHg'],
  ['BPM', 'perMinute'],
  ['BEATS/MIN', 'perMinute'],
  ['BREATHS/MIN', 'perMinute'],
  ['RPM', 'perMinute'],
  ['BRPM', 'perMinute'],
  ['PERCENT', 'percent'],
]);

export type UnitResult = { kind: UnitKind } | { kind: null; shown: string } | { kind: 'missing' };

/** The unit of an OBX-6 coded element, or what was sent when it is not one we know. */
export function unitOf(components: readonly string[]): UnitResult {
  if (components.every((c) => c.trim() === '')) return { kind: 'missing' };
  for (const offset of [0, 3]) {
    const id = upper(components[offset] ?? '');
    const text = upper(components[offset + 1] ?? '');
    const system = upper(components[offset + 2] ?? '');
    const candidates = [id, text].filter((c) => c !== '');
    for (const candidate of candidates) {
      const kind =
        system === 'MDC'
          ? mdcUnits.get(candidate)
          : system === 'UCUM'
            ? ucumUnits.get(candidate)
            : (mdcUnits.get(candidate) ?? ucumUnits.get(candidate) ?? textUnits.get(candidate));
      if (kind) return { kind };
    }
  }
  const shown = components.filter((c) => c.trim() !== '').slice(0, 3).join('^');
  return { kind: null, shown };
}

/** The unit kinds a vital may come in. The first is the one stored. */
export const unitsOfField: Record<VitalField, readonly UnitKind[]> = {
  systolic: ['mmHg', 'kPa'],
  diastolic: ['mmHg', 'kPa'],
  mean: ['mmHg', 'kPa'],
  heartRate: ['perMinute'],
  spo2: ['percent'],
  respRate: ['perMinute'],
};

/** mmHg per kPa (1 mmHg = 133.322 Pa). */
export const mmHgPerKPa = 1000 / 133.322387415;
