import { describe, expect, it } from 'vitest';
import { parseHl7 } from './hl7-message';
import { hl7ReadingId, maxReadingsPerMessage, type OruR01, readOruR01 } from './oru-r01';
import {
  geStyle,
  hl7,
  kPaStyle,
  loincStyle,
  mindrayStyle,
  oddDelimiters,
  pcd01At,
  pcd01Published,
  philipsStyle,
  twoPatients,
} from './test-fixtures';

function read(segments: readonly string[], timeZone = 'UTC', separator = '\r') {
  const parsed = parseHl7(hl7(segments, separator));
  if (!parsed.ok) throw new Error(`not HL7: ${parsed.error.message}`);
  return readOruR01(parsed.message, { timeZone });
}

function oru(segments: readonly string[], timeZone = 'UTC', separator = '\r'): OruR01 {
  const result = read(segments, timeZone, separator);
  if (!result.ok) throw new Error(`refused (${result.ack}): ${result.reason}`);
  return result.oru;
}

/** The readings of a message as [ISO time, values] per patient. */
function readings(message: OruR01): [string, Record<string, number>][][] {
  return message.results.map((r) => r.readings.map((g) => [new Date(g.measuredAtMs).toISOString(), g.values]));
}

const msh = 'MSH|^~\\&|DEV^AA11^EUI-64||||20261122101500+0000||ORU^R01^ORU_R01|C-1|P|2.6';
const obr = 'OBR|1||||||20261122101400+0000';
const obxRow = (n: number, code: string, value: string, unit: string, extra = ''): string =>
  `OBX|${n}|NM|${code}||${value}|${unit}|||||F${extra}`;

describe('readOruR01: vendor styles', () => {
  it('reads the published PCD-01 message: NIBP 120/80/100 at the header row time, EUI-64s as ids', () => {
    const m = oru(pcd01Published);
    expect(readings(m)).toEqual([[['2009-08-13T04:57:15.000Z', { systolic: 120, diastolic: 80, mean: 100 }]]]);
    expect(m.header).toMatchObject({ controlId: 'MSGID1234', sendingApplication: 'AcmeInc^ACDE48234567ABCD^EUI-64', version: '2.6' });
    expect(m.senderIds).toEqual(['AcmeInc^ACDE48234567ABCD^EUI-64', 'AcmeInc', 'ACDE48234567ABCD']);
    expect(m.results[0]?.equipmentIds).toEqual(['0123456789ABCDEF^EUI-64', '0123456789ABCDEF']);
    expect(m.results[0]?.location).toBeNull();
    expect(m.ignoredCodes).toEqual([]);
  });

  it('Philips style: BP and continuous vitals at their own OBX-14 times; ECG HR beats the SpO2 pulse', () => {
    const m = oru(philipsStyle);
    expect(readings(m)).toEqual([
      [
        ['2026-11-22T09:14:00.000Z', { systolic: 128, diastolic: 82, mean: 97 }],
        ['2026-11-22T09:14:55.000Z', { heartRate: 72, spo2: 97, respRate: 14 }],
      ],
    ]);
    expect(m.results[0]?.location).toEqual({ pointOfCare: 'KETA', room: '102', bed: '1', text: 'KETA^102^1' });
    expect(m.results[0]?.equipmentIds).toEqual(['00095CFFFE7A2B1C^EUI-64', '00095CFFFE7A2B1C']);
  });

  it('GE style: LF line endings, local codes with MDC alternates, text units, OBR-7 only, clinic time zone', () => {
    const m = oru(geStyle, 'Europe/Berlin', '\n');
    expect(readings(m)).toEqual([
      [['2026-11-22T08:14:55.000Z', { heartRate: 68, spo2: 99, systolic: 135, diastolic: 85, mean: 101, respRate: 16 }]],
    ]);
    expect(m.results[0]?.location).toEqual({ pointOfCare: '', room: '', bed: 'BED04', text: '^^BED04' });
    expect(m.senderIds).toEqual(['CARESCAPE']);
  });

  it('Mindray style: cuff-pressure codes, UCUM units, minute precision at -0500; markers passed on; temperature ignored', () => {
    const m = oru(mindrayStyle);
    expect(readings(m)).toEqual([
      [['2026-11-22T09:15:00.000Z', { systolic: 118, diastolic: 76, mean: 90, heartRate: -999, spo2: -99.9 }]],
    ]);
    expect(m.ignoredCodes).toEqual(['150344 MDC_TEMP']);
    expect(m.results[0]?.location?.text).toBe('ICU^^7');
  });

  it('kPa: converts NIBP to mmHg (MDC and UCUM spellings); no PV1 is fine', () => {
    const m = oru(kPaStyle);
    expect(readings(m)).toEqual([[['2026-11-22T10:59:00.000Z', { systolic: 120, diastolic: 80, mean: 94 }]]]);
    expect(m.results[0]?.location).toBeNull();
  });

  it('keeps a "no reading" marker sent in kPa as sent, unconverted', () => {
    const m = oru([msh, obr, obxRow(1, '150021^^MDC', '8388607', 'kPa^^UCUM'), obxRow(2, '150022^^MDC', '10.7', 'kPa^^UCUM')]);
    expect(readings(m)).toEqual([[['2026-11-22T10:14:00.000Z', { systolic: 8388607, diastolic: 80 }]]]);
  });

  it('odd delimiters, an escaped component separator in the bed, a structured-numeric value', () => {
    const m = oru(oddDelimiters);
    expect(readings(m)).toEqual([[['2026-11-22T10:14:00.000Z', { spo2: 96 }]]]);
    expect(m.results[0]?.location).toEqual({ pointOfCare: 'WARD$A', room: '3', bed: '2', text: 'WARD$A^3^2' });
    expect(m.senderIds).toEqual(['ODD^DEV-9', 'ODD', 'DEV-9']);
  });

  it('LOINC-coded vitals with UCUM units', () => {
    expect(readings(oru(loincStyle))).toEqual([
      [['2026-11-22T10:14:00.000Z', { systolic: 142, diastolic: 91, heartRate: 88, spo2: 95, respRate: 12 }]],
    ]);
  });

  it('two patients in one message: a result per PID/PV1 group', () => {
    const m = oru(twoPatients);
    expect(m.results.map((r) => r.location?.text)).toEqual(['KETA^101^1', 'KETA^101^2']);
    expect(readings(m)).toEqual([
      [['2026-11-22T10:14:00.000Z', { heartRate: 70 }]],
      [['2026-11-22T10:14:00.000Z', { heartRate: 90 }]],
    ]);
  });

  it('a PV1 without PID, after observations, starts a new patient', () => {
    const m = oru([msh, 'PV1||I|A^1^1', obr, obxRow(1, '147842^^MDC', '60', '264864^^MDC'), 'PV1||I|A^1^2', obxRow(2, '147842^^MDC', '61', '264864^^MDC')]);
    expect(m.results.map((r) => [r.location?.bed, r.readings[0]?.values.heartRate])).toEqual([
      ['1', 60],
      ['2', 61],
    ]);
  });
});

describe('readOruR01: times', () => {
  it.each([
    ['OBX-14 first', [msh, obr, obxRow(1, '147842^^MDC', '70', '264864^^MDC', '|||20261122101300+0000')], '2026-11-22T10:13:00.000Z'],
    ['then OBR-7', [msh, obr, obxRow(1, '147842^^MDC', '70', '264864^^MDC')], '2026-11-22T10:14:00.000Z'],
    ['then MSH-7', [msh, 'OBR|1', obxRow(1, '147842^^MDC', '70', '264864^^MDC')], '2026-11-22T10:15:00.000Z'],
    ['without an OBR at all', [msh, obxRow(1, '147842^^MDC', '70', '264864^^MDC')], '2026-11-22T10:15:00.000Z'],
    [
      'the nearest containing header row (OBX-4) before OBR-7',
      [
        msh,
        obr,
        'OBX|1||150020^MDC_PRESS_BLD_NONINV^MDC|1.0.1|||||||R|||20261122100500+0000',
        'OBX|2||150000^CHANNEL^MDC|1.0.1.9|||||||R|||20261122100600+0000',
        'OBX|3|NM|150021^^MDC|1.0.1.1|120|266016^^MDC|||||R',
      ],
      '2026-11-22T10:05:00.000Z',
    ],
    [
      'an OBX-14 of its own over the header row',
      [msh, obr, 'OBX|1||150020^^MDC|1.0.1|||||||R|||20261122100500+0000', 'OBX|2|NM|150021^^MDC|1.0.1.1|120|266016^^MDC|||||R|||20261122100700+0000'],
      '2026-11-22T10:07:00.000Z',
    ],
    ['a TS with a precision component', [msh, obr, obxRow(1, '147842^^MDC', '70', '264864^^MDC', '|||20261122101300+0000^S')], '2026-11-22T10:13:00.000Z'],
  ])('%s', (_name, segments, expected) => {
    expect(readings(oru(segments))[0]?.[0]?.[0]).toBe(expected);
  });

  it('header row times do not leak into the next OBR', () => {
    const m = oru([
      msh,
      obr,
      'OBX|1||150020^^MDC|1.0.1|||||||R|||20261122100500+0000',
      'OBR|2||||||20261122101000+0000',
      'OBX|2|NM|150021^^MDC|1.0.1.1|120|266016^^MDC|||||R',
    ]);
    expect(readings(m)[0]?.[0]?.[0]).toBe('2026-11-22T10:10:00.000Z');
  });

  it('reads the same wall-clock time in different zones and offsets as the instants they are', () => {
    const at = (t: string, zone: string): string | undefined =>
      readings(oru([msh, obr, obxRow(1, '147842^^MDC', '70', '264864^^MDC', `|||${t}`)], zone))[0]?.[0]?.[0];
    expect(at('20261122101300', 'America/Chicago')).toBe('2026-11-22T16:13:00.000Z');
    expect(at('20261122101300', 'Australia/Sydney')).toBe('2026-11-21T23:13:00.000Z');
    expect(at('20261122101300+0900', 'America/Chicago')).toBe('2026-11-22T01:13:00.000Z');
  });

  it('groups rows of the same instant into one reading even when written with different offsets', () => {
    const m = oru([
      msh,
      obr,
      obxRow(1, '150021^^MDC', '130', '266016^^MDC', '|||20261122111300+0100'),
      obxRow(2, '150022^^MDC', '85', '266016^^MDC', '|||20261122101300+0000'),
      obxRow(3, '147842^^MDC', '77', '264864^^MDC', '|||20261122101301+0000'),
    ]);
    expect(readings(m)).toEqual([
      [
        ['2026-11-22T10:13:00.000Z', { systolic: 130, diastolic: 85 }],
        ['2026-11-22T10:13:01.000Z', { heartRate: 77 }],
      ],
    ]);
  });
});

describe('readOruR01: choosing among rows', () => {
  it.each([
    ['ECG HR over pulse over SpO2 pulse, whatever the order', ['149530', '149514', '147842'], ['81', '82', '83'], 83],
    ['pulse over SpO2 pulse', ['149530', '149514'], ['81', '82'], 82],
    ['a real value over a "no reading" marker of a preferred code', ['147842', '149530'], ['-1', '75'], 75],
    ['the preferred code when all are markers', ['149530', '147842'], ['8388607', '-999'], -999],
    ['the first of the same code', ['147842', '147842'], ['70', '71'], 70],
  ])('heart rate: %s', (_name, codes, values, expected) => {
    const rows = codes.map((code, i) => obxRow(i + 1, `${code}^^MDC`, values[i] ?? '', '264864^^MDC'));
    expect(oru([msh, obr, ...rows]).results[0]?.readings[0]?.values.heartRate).toBe(expected);
  });

  it('NIBP (15002x) over cuff pressure (15030x)', () => {
    const m = oru([msh, obr, obxRow(1, '150301^^MDC', '140', '266016^^MDC'), obxRow(2, '150021^^MDC', '141', '266016^^MDC')]);
    expect(m.results[0]?.readings[0]?.values.systolic).toBe(141);
  });

  it('skips header rows, rows without a value, and rows marked not obtained, deleted or wrong', () => {
    const m = oru([
      msh,
      obr,
      'OBX|1||150021^^MDC||999|266016^^MDC|||||F',
      'OBX|2|NM|150022^^MDC|||266016^^MDC|||||F',
      'OBX|3|NM|150023^^MDC||100|266016^^MDC|||||X',
      'OBX|4|NM|147842^^MDC||100|264864^^MDC|||||D',
      'OBX|5|NM|150456^^MDC||100|262688^^MDC|||||W',
      'OBX|6|NM|151562^^MDC||12|264928^^MDC|||||C',
    ]);
    expect(readings(m)).toEqual([[['2026-11-22T10:14:00.000Z', { respRate: 12 }]]]);
  });

  it('accepts a heart rate or SpO2 without a unit (they have one possible unit)', () => {
    const m = oru([msh, obr, obxRow(1, '147842^^MDC', '66', ''), obxRow(2, '150456^^MDC', '98', '')]);
    expect(m.results[0]?.readings[0]?.values).toEqual({ heartRate: 66, spo2: 98 });
  });

  it.each([
    ['ST with a number', 'ST', '88', 88],
    ['NM with spaces and a plus sign', 'NM', ' +88 ', 88],
    ['NM with a leading dot', 'NM', '.5', 0.5],
    ['NM with a trailing dot', 'NM', '88.', 88],
    ['SN with =', 'SN', '=^88', 88],
  ])('value type %s', (_name, type, value, expected) => {
    const m = oru([msh, obr, `OBX|1|${type}|147842^^MDC||${value}|264864^^MDC|||||F`]);
    expect(m.results[0]?.readings[0]?.values.heartRate).toBe(expected);
  });

  it('derives reading ids from sender, control id, patient and time: stable on resend, distinct otherwise', () => {
    const a = oru(pcd01At('20261122101400+0000', 'C-9'));
    const again = oru(pcd01At('20261122101400+0000', 'C-9'));
    const other = oru(pcd01At('20261122101400+0000', 'C-10'));
    const later = oru(pcd01At('20261122101500+0000', 'C-9'));
    const id = (m: OruR01, patient = 0): string => hl7ReadingId(m.header, patient, m.results[0]?.readings[0]?.measuredAtMs ?? 0);
    expect(id(a)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id(again)).toBe(id(a));
    expect(new Set([id(a), id(other), id(later), id(a, 1)]).size).toBe(4);
  });
});

describe('readOruR01: refusals', () => {
  it.each([
    ['another message type', [msh.replace('ORU^R01^ORU_R01', 'ADT^A01'), 'PID|||1'], 'AR', 'message type ADT^A01 is not supported'],
    ['ORU with another event', [msh.replace('ORU^R01^ORU_R01', 'ORU^R40'), obr], 'AR', 'ORU^R40 is not supported'],
    ['no message type', [msh.replace('ORU^R01^ORU_R01', ''), obr], 'AR', 'message type (none)'],
    ['no control id', [msh.replace('|C-1|', '||'), obr], 'AR', 'MSH-10'],
    ['HL7 version 3', [msh.replace('|2.6', '|3.0'), obr], 'AR', 'version 3.0'],
    ['no OBX', [msh, obr], 'AE', 'no OBX segments'],
    [
      'only codes we do not store',
      [msh, obr, obxRow(1, '150344^MDC_TEMP^MDC', '36.6', '268192^^MDC'), obxRow(2, '99999^LOCAL^99XYZ', '1', '')],
      'AE',
      'no usable vital signs in the message; ignored codes: 150344 MDC_TEMP, 99999 LOCAL',
    ],
    ['a local code system is not guessed at', [msh, obr, obxRow(1, '150021^NIBP^99LOCAL', '120', 'mmHg')], 'AE', 'ignored codes: 150021 NIBP'],
    ['a value that is not a number', [msh, obr, obxRow(1, '150021^^MDC', '12O', '266016^^MDC')], 'AE', 'OBX 1 (NIBP systolic): OBX-5 "12O" is not a number'],
    ['a number too large to be one', [msh, obr, obxRow(1, '150021^^MDC', '9'.repeat(400), '266016^^MDC')], 'AE', 'is not a number'],
    ['an exponent', [msh, obr, obxRow(1, '147842^^MDC', '1e2', '264864^^MDC')], 'AE', 'is not a number'],
    ['a range in NM', [msh, obr, obxRow(1, '147842^^MDC', '70^80', '264864^^MDC')], 'AE', 'not a single number'],
    ['SN with a comparator', [msh, obr, 'OBX|1|SN|147842^^MDC||>^200|264864^^MDC|||||F'], 'AE', 'not an exact number'],
    ['a coded value for a vital', [msh, obr, 'OBX|1|CWE|147842^^MDC||HIGH|264864^^MDC|||||F'], 'AE', 'value type "CWE" is not numeric'],
    ['BP without a unit', [msh, obr, obxRow(1, '150021^^MDC', '120', '')], 'AE', 'OBX-6 (unit) is missing; send mmHg'],
    ['BP in cmH2O', [msh, obr, obxRow(1, '150021^^MDC', '120', 'cm[H2O]^^UCUM')], 'AE', 'unit "cm[H2O]^UCUM" is not one we know for NIBP systolic'],
    ['BP in percent', [msh, obr, obxRow(1, '150022^^MDC', '80', '262688^^MDC')], 'AE', 'unit percent does not fit NIBP diastolic'],
    ['SpO2 in mmHg', [msh, obr, obxRow(1, '150456^^MDC', '97', 'mmHg')], 'AE', 'unit mmHg does not fit SpO2'],
    ['a time without minutes', [msh, obr, obxRow(1, '147842^^MDC', '70', '264864^^MDC', '|||2026112210')], 'AE', 'OBX-14 "2026112210" is not an HL7 time'],
    ['an impossible OBR-7', [msh, 'OBR|1||||||20261340101400', obxRow(1, '147842^^MDC', '70', '264864^^MDC')], 'AE', 'OBR-7 "20261340101400" is not a valid date'],
    ['no time anywhere', [msh.replace('20261122101500+0000', ''), obxRow(1, '147842^^MDC', '70', '264864^^MDC')], 'AE', 'no observation time'],
  ])('%s → %s', (_name, segments, ack, reason) => {
    const result = read(segments);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.ack).toBe(ack);
      expect(result.reason).toContain(reason);
    }
  });

  it('names at most three problems and counts the rest', () => {
    const rows = Array.from({ length: 5 }, (_, i) => obxRow(i + 1, '147842^^MDC', 'x', '264864^^MDC'));
    const result = read([msh, obr, ...rows]);
    expect(result.ok || result.reason).toMatch(/^OBX 1 .*; OBX 2 .*; OBX 3 .* \(and 2 more\)$/);
  });

  it(`refuses more than ${maxReadingsPerMessage} readings in one message`, () => {
    const rows = Array.from({ length: maxReadingsPerMessage + 1 }, (_, i) => {
      const t = new Date(Date.parse('2026-11-22T00:00:00Z') + i * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
      return obxRow(i + 1, '147842^^MDC', '70', '264864^^MDC', `|||${t}+0000`);
    });
    const result = read([msh, obr, ...rows]);
    expect(result).toMatchObject({ ok: false, ack: 'AE', reason: expect.stringContaining('send at most 1000') });
    expect(read([msh, obr, ...rows.slice(1)]).ok).toBe(true);
  });
});
