import { describe, expect, it } from 'vitest';
import type { ReadingInput } from '@chairside/shared';
import { encodeOruR01, escapeHl7, formatHl7Time, formatNm, pcd01Profile, type OruEncodeInput } from './hl7-encoder';
import { parseSimOru, parseSimTime } from './testing/fake-hl7-receiver';

const t0 = Date.parse('2026-11-22T08:00:00.000Z');

const bp: ReadingInput = {
  id: '00000000-0000-4000-8000-000000000001',
  chairId: 'chair-1',
  measuredAt: '2026-11-22T08:00:35.000Z',
  systolic: 142,
  diastolic: 88,
  mean: 106,
  source: 'simulator',
};
const vitals: ReadingInput = {
  id: '00000000-0000-4000-8000-000000000002',
  chairId: 'chair-1',
  measuredAt: '2026-11-22T08:00:40.250Z',
  heartRate: 84,
  spo2: 97,
  respRate: 14.5,
  source: 'simulator',
};

const input = (overrides: Partial<OruEncodeInput> = {}): OruEncodeInput => ({
  readings: [bp],
  controlId: 'ABC-1',
  messageTimeMs: t0 + 41_000,
  device: { application: 'CHAIRSIDE-SIM', id: 'SIM-chair-1' },
  bed: 'SIM^^chair-1',
  ...overrides,
});

describe('encodeOruR01', () => {
  it('writes a BP reading as IHE PCD-01 does: device profile header, NIBP channel, MDC codes and units', () => {
    expect(encodeOruR01(input()).split('\r')).toEqual([
      `MSH|^~\\&|CHAIRSIDE-SIM^SIM-chair-1^L||CHAIRSIDE|CHAIRSIDE|20261122080041+0000||ORU^R01^ORU_R01|ABC-1|P|2.6|||NE|AL|||||${pcd01Profile}`,
      'PID|||SIM-chair-1-PATIENT^^^CHAIRSIDE-SIM^PI||Simulated^Patient^^^^^S',
      'PV1||O|SIM^^chair-1',
      'OBR|1|ABC-1-1^CHAIRSIDE-SIM|ABC-1-1^CHAIRSIDE-SIM|528391^MDC_DEV_SPEC_PROFILE_BP^MDC|||20261122080035+0000',
      'OBX|1||528391^MDC_DEV_SPEC_PROFILE_BP^MDC|1|||||||X|||20261122080035+0000||||SIM-chair-1^CHAIRSIDE-SIM',
      'OBX|2||150020^MDC_PRESS_BLD_NONINV^MDC|1.0.1|||||||X|||20261122080035+0000',
      'OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|142|266016^MDC_DIM_MMHG^MDC|||||R|||20261122080035+0000||||SIM-chair-1^CHAIRSIDE-SIM',
      'OBX|4|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.0.1.2|88|266016^MDC_DIM_MMHG^MDC|||||R|||20261122080035+0000||||SIM-chair-1^CHAIRSIDE-SIM',
      'OBX|5|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.0.1.3|106|266016^MDC_DIM_MMHG^MDC|||||R|||20261122080035+0000||||SIM-chair-1^CHAIRSIDE-SIM',
      '',
    ]);
  });

  it('writes HR, SpO₂ and RR under the multi-parameter monitor, with their MDC units', () => {
    const rows = encodeOruR01(input({ readings: [vitals] })).split('\r');
    expect(rows[3]).toBe('OBR|1|ABC-1-1^CHAIRSIDE-SIM|ABC-1-1^CHAIRSIDE-SIM|182777000^monitoring of patient^SCT|||20261122080040.250+0000');
    expect(rows[4]).toBe('OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1|||||||X|||20261122080040.250+0000||||SIM-chair-1^CHAIRSIDE-SIM');
    const values = rows.filter((r) => r.startsWith('OBX|') && r.split('|')[2] === 'NM').map((r) => r.split('|').slice(2, 7));
    expect(values).toEqual([
      ['NM', '147842^MDC_ECG_HEART_RATE^MDC', '1.0.2.1', '84', '264864^MDC_DIM_BEAT_PER_MIN^MDC'],
      ['NM', '150456^MDC_PULS_OXIM_SAT_O2^MDC', '1.0.3.1', '97', '262688^MDC_DIM_PERCENT^MDC'],
      ['NM', '151562^MDC_RESP_RATE^MDC', '1.0.4.1', '14.5', '264928^MDC_DIM_RESP_PER_MIN^MDC'],
    ]);
  });

  it('ends every segment with CR (no LF) and reads back to the same readings at the same instants', () => {
    const text = encodeOruR01(input({ readings: [bp, vitals] }));
    expect(text.endsWith('\r')).toBe(true);
    expect(text).not.toContain('\n');
    const parsed = parseSimOru(text);
    expect(parsed.segments.map((s) => s.slice(0, 3))).toEqual(['MSH', 'PID', 'PV1', 'OBR', 'OBX', 'OBX', 'OBX', 'OBX', 'OBX', 'OBR', 'OBX', 'OBX', 'OBX', 'OBX']);
    expect(parsed.controlId).toBe('ABC-1');
    expect(parsed.bed).toBe('SIM^^chair-1');
    expect(parsed.readings).toEqual([
      { measuredAtMs: Date.parse(bp.measuredAt), values: { systolic: 142, diastolic: 88, mean: 106 } },
      { measuredAtMs: Date.parse(vitals.measuredAt), values: { heartRate: 84, spo2: 97, respRate: 14.5 } },
    ]);
    // OBR set ids and OBX set ids restart per observation group; every value row names the device.
    expect(parsed.segments.filter((s) => s.startsWith('OBR|')).map((s) => s.split('|')[1])).toEqual(['1', '2']);
    expect(parsed.segments.filter((s) => s.startsWith('OBX|')).map((s) => s.split('|')[1])).toEqual(['1', '2', '3', '4', '5', '1', '2', '3', '4']);
    expect(new Set(parsed.equipment)).toEqual(new Set(['SIM-chair-1^CHAIRSIDE-SIM']));
  });

  it('passes "no reading" markers and implausible values as they come, and leaves out vitals that were not measured', () => {
    const probeOff: ReadingInput = { ...vitals, heartRate: -1, spo2: -1, respRate: undefined };
    const cuff: ReadingInput = { ...bp, measuredAt: '2026-11-22T08:01:00.000Z', systolic: 320, diastolic: 60, mean: 8388607 };
    const parsed = parseSimOru(encodeOruR01(input({ readings: [probeOff, cuff] })));
    expect(parsed.readings.map((r) => r.values)).toEqual([{ heartRate: -1, spo2: -1 }, { systolic: 320, diastolic: 60, mean: 8388607 }]);
    expect(parsed.segments.some((s) => s.includes('151562'))).toBe(false);
  });

  it('escapes delimiters in ids and the bed, so no value can break the message', () => {
    const text = encodeOruR01(
      input({ device: { application: 'SIM|A', id: 'dev^1&2~3\\4' }, bed: 'KETA^1|2^bed&3', controlId: 'X|Y', patientId: 'p\r1' }),
    );
    const [msh = '', pid = '', pv1 = ''] = text.split('\r');
    expect(msh.split('|')[2]).toBe('SIM\\F\\A^dev\\S\\1\\T\\2\\R\\3\\E\\4^L');
    expect(msh.split('|')[9]).toBe('X\\F\\Y');
    expect(pid.split('|')[3]).toBe('p 1^^^SIM\\F\\A^PI');
    expect(pv1.split('|')[3]).toBe('KETA^1\\F\\2^bed\\T\\3');
    expect(text.split('\r').filter((s) => s !== '')).toHaveLength(3 + 1 + 5);
  });

  it('writes times with the chosen UTC offset', () => {
    const text = encodeOruR01(input({ utcOffsetMinutes: 60 }));
    expect(text).toContain('|20261122090041+0100|');
    expect(parseSimOru(text).readings[0]?.measuredAtMs).toBe(Date.parse(bp.measuredAt));
  });

  it('refuses what it cannot encode', () => {
    expect(() => encodeOruR01(input({ readings: [] }))).toThrow(/at least one reading/);
    expect(() => encodeOruR01(input({ controlId: ' ' }))).toThrow(/control id/);
    expect(() => encodeOruR01(input({ readings: [{ ...bp, measuredAt: 'yesterday' }] }))).toThrow(/not a time/);
  });
});

describe('HL7 values', () => {
  it('formats times as YYYYMMDDHHMMSS[.SSS]±HHMM', () => {
    expect(formatHl7Time(t0)).toBe('20261122080000+0000');
    expect(formatHl7Time(t0 + 7)).toBe('20261122080000.007+0000');
    expect(formatHl7Time(t0, -300)).toBe('20261122030000-0500');
    expect(formatHl7Time(t0, 330)).toBe('20261122133000+0530');
    expect(parseSimTime(formatHl7Time(t0 + 123, -300))).toBe(t0 + 123);
    expect(() => formatHl7Time(t0, 15 * 60)).toThrow(/UTC offset/);
  });

  it('formats numbers without exponents', () => {
    expect(formatNm(98)).toBe('98');
    expect(formatNm(-99.9)).toBe('-99.9');
    expect(formatNm(1e-7)).toBe('0');
    expect(formatNm(0.000123)).toBe('0.000123');
    expect(() => formatNm(Number.NaN)).toThrow();
  });

  it('escapes every delimiter and control character', () => {
    expect(escapeHl7('a|b^c~d\\e&f\ng')).toBe('a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f g');
  });
});
