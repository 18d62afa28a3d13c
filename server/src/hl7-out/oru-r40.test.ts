import type { Alert } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { parseHl7, segmentsOf, textOf, valueOf } from '../hl7/hl7-message';
import { alarmStatusOf, encodeOruR40, type OruR40Input } from './oru-r40';

const at = Date.parse('2026-12-07T10:42:05.000Z');

const crisis: Alert = {
  id: 's1.bp-crisis.1',
  ruleId: 'bp-crisis',
  subject: null,
  label: 'Hypertensive crisis',
  category: 'physiological',
  priority: 'high',
  status: 'active',
  message: 'BP 186/104 — SBP ≥180',
  facts: {
    kind: 'bp-threshold',
    breaches: [{ field: 'systolic', value: 186, comparator: '>=', limit: 180 }],
    readings: 1,
    requiredReadings: 1,
    prompt: null,
    measuredAt: '2026-12-07T10:42:00.000Z',
  },
  readingSeq: 12,
  raisedAtMs: at,
  escalatedAtMs: null,
  conditionResolvedAtMs: null,
  clearedAtMs: null,
  clearReason: null,
  acknowledgements: [],
};

const input = (over: Partial<OruR40Input> = {}): OruR40Input => ({
  moment: 'raised',
  alert: crisis,
  priority: 'high',
  sessionId: 'sess-1',
  chairName: 'Chair 3',
  bed: 'INFUSION^ROOM1^BED3',
  controlId: 'CS0001',
  atMs: at,
  ...over,
});

function parsed(text: string) {
  const result = parseHl7(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.message;
}

function obx(text: string, n: number) {
  const row = segmentsOf(parsed(text), 'OBX')[n - 1];
  if (!row) throw new Error(`no OBX ${n}`);
  return row;
}

describe('encodeOruR40', () => {
  it('writes the header, the chair as the bed and the alert as one observation group', () => {
    const text = encodeOruR40(input());
    expect(text.endsWith('\r')).toBe(true);
    const message = parsed(text);
    expect(message.segments.map((s) => s.id)).toEqual(['MSH', 'PID', 'PV1', 'OBR', ...Array<string>(8).fill('OBX')]);
    const [msh] = message.segments;
    expect(textOf(msh, 3)).toBe('CHAIRSIDE');
    expect(valueOf(msh, 7)).toBe('20261207104205+0000');
    expect(textOf(msh, 9)).toBe('ORU^R40^ORU_R40');
    expect(valueOf(msh, 10)).toBe('CS0001');
    expect(valueOf(msh, 12)).toBe('2.6');
    expect(valueOf(msh, 15)).toBe('AL');
    expect(textOf(msh, 21)).toBe('IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.4^ISO');
    const [pid] = segmentsOf(message, 'PID');
    expect(textOf(pid, 3)).toBe('sess-1^^^CHAIRSIDE^VN');
    expect(textOf(pid, 5)).toBe('');
    const [pv1] = segmentsOf(message, 'PV1');
    expect(textOf(pv1, 3)).toBe('INFUSION^ROOM1^BED3');
    const [obr] = segmentsOf(message, 'OBR');
    expect(textOf(obr, 3)).toBe('s1.bp-crisis.1^CHAIRSIDE');
    expect(textOf(obr, 4)).toBe('196616^MDC_EVT_ALARM^MDC');
    expect(valueOf(obr, 7)).toBe('20261207104205+0000');
  });

  it('names the event, the vital with its value, unit and limit, the priority and the type', () => {
    const text = encodeOruR40(input());
    expect(textOf(obx(text, 1), 3)).toBe('196616^MDC_EVT_ALARM^MDC');
    expect(valueOf(obx(text, 1), 5, 1)).toBe('196648');
    expect(valueOf(obx(text, 1), 5, 2)).toBe('MDC_EVT_HI');
    expect(valueOf(obx(text, 1), 5, 9)).toBe('Hypertensive crisis');
    expect(textOf(obx(text, 1), 8)).toBe('H~PH~SP');
    expect(textOf(obx(text, 2), 3)).toBe('150021^MDC_PRESS_BLD_NONINV_SYS^MDC');
    expect(valueOf(obx(text, 2), 2)).toBe('NM');
    expect(valueOf(obx(text, 2), 5)).toBe('186');
    expect(textOf(obx(text, 2), 6)).toBe('266016^MDC_DIM_MMHG^MDC');
    expect(valueOf(obx(text, 2), 7)).toBe('<180');
    expect(textOf(obx(text, 3), 3)).toBe('68481^MDC_ATTR_EVENT_PHASE^MDC');
    expect(valueOf(obx(text, 6), 5)).toBe('PH');
    expect(valueOf(obx(text, 7), 5)).toBe('SP');
    expect(valueOf(obx(text, 8), 5)).toBe('Chair 3: BP 186/104 — SBP ≥180');
  });

  it.each([
    { field: 'spo2' as const, comparator: '<' as const, value: 86, limit: 90, event: 'MDC_EVT_DESAT', source: 'MDC_PULS_OXIM_SAT_O2', range: '>90', flags: 'L~PM~SP' },
    { field: 'heartRate' as const, comparator: '<' as const, value: 38, limit: 40, event: 'MDC_EVT_LO', source: 'MDC_ECG_HEART_RATE', range: '>40', flags: 'L~PM~SP' },
    { field: 'respRate' as const, comparator: '<' as const, value: 7, limit: 8, event: 'MDC_EVT_LO', source: 'MDC_RESP_RATE', range: '>8', flags: 'L~PM~SP' },
    { field: 'heartRate' as const, comparator: '>' as const, value: 131, limit: 130, event: 'MDC_EVT_HI', source: 'MDC_ECG_HEART_RATE', range: '<130', flags: 'H~PM~SP' },
  ])('a sustained $field $comparator $limit is $event from $source', ({ field, comparator, value, limit, event, source, range, flags }) => {
    const alert: Alert = {
      ...crisis,
      priority: 'medium',
      facts: { kind: 'sustained-vital', breach: { field, value, comparator, limit }, sustainedSec: 30, readings: 30, bySpotReadings: false, measuredAt: '2026-12-07T10:42:00.000Z' },
    };
    const text = encodeOruR40(input({ alert, priority: 'medium' }));
    expect(valueOf(obx(text, 1), 5, 2)).toBe(event);
    expect(valueOf(obx(text, 2), 3, 2)).toBe(source);
    expect(valueOf(obx(text, 2), 5)).toBe(String(value));
    expect(valueOf(obx(text, 2), 7)).toBe(range);
    expect(textOf(obx(text, 1), 8)).toBe(flags);
  });

  it('gives a rise over baseline its limit as a value (baseline + allowed rise)', () => {
    const alert: Alert = {
      ...crisis,
      facts: { kind: 'bp-rise', rises: [{ field: 'systolic', value: 172, baseline: 128, rise: 44, limit: 40 }], readings: 2, requiredReadings: 2, measuredAt: '2026-12-07T10:42:00.000Z' },
    };
    const text = encodeOruR40(input({ alert }));
    expect(valueOf(obx(text, 2), 5)).toBe('172');
    expect(valueOf(obx(text, 2), 7)).toBe('<168');
  });

  it('an alert about no value is the generic technical alarm with its rule as the source', () => {
    const alert: Alert = { ...crisis, ruleId: 'no-data', label: 'No data', category: 'technical', priority: 'medium', facts: { kind: 'no-data', silentSec: 60 } };
    const text = encodeOruR40(input({ alert, priority: 'medium' }));
    expect(valueOf(obx(text, 1), 5, 2)).toBe('MDC_EVT_ALARM');
    expect(textOf(obx(text, 1), 8)).toBe('PM~ST');
    expect(textOf(obx(text, 2), 3)).toBe('68480^MDC_ATTR_ALERT_SOURCE^MDC');
    expect(valueOf(obx(text, 2), 5)).toBe('no-data');
    expect(valueOf(obx(text, 7), 5)).toBe('ST');
  });

  it.each([
    { moment: 'raised' as const, alert: crisis, phase: 'start', state: 'active', inactivation: 'enabled' },
    { moment: 'escalated-to' as const, alert: crisis, phase: 'continue', state: 'active', inactivation: 'enabled' },
    { moment: 'escalated-to' as const, alert: { ...crisis, conditionResolvedAtMs: at + 5000 }, phase: 'continue', state: 'latched', inactivation: 'enabled' },
    { moment: 'acknowledged' as const, alert: { ...crisis, status: 'acknowledged' as const }, phase: 'continue', state: 'active', inactivation: 'alert-acknowledged' },
    { moment: 'cleared' as const, alert: { ...crisis, status: 'cleared' as const, clearedAtMs: at }, phase: 'end', state: 'inactive', inactivation: 'enabled' },
    {
      moment: 'cleared' as const,
      alert: { ...crisis, status: 'cleared' as const, acknowledgements: [{ by: { userId: 'u', username: 'maria' }, atMs: at, note: null, priority: 'high' as const, message: '', vitals: {} as never }] },
      phase: 'end',
      state: 'inactive',
      inactivation: 'alert-acknowledged',
    },
  ])('$moment → $phase, $state, $inactivation', ({ moment, alert, phase, state, inactivation }) => {
    expect(alarmStatusOf(moment, alert)).toEqual({ phase, state, inactivation });
    const text = encodeOruR40(input({ moment, alert }));
    expect(valueOf(obx(text, 3), 5)).toBe(phase);
    expect(valueOf(obx(text, 4), 5)).toBe(state);
    expect(valueOf(obx(text, 5), 5)).toBe(inactivation);
    const [obr] = segmentsOf(parsed(text), 'OBR');
    expect(textOf(obr, 2)).toBe(`s1.bp-crisis.1.${moment}^CHAIRSIDE`);
    expect(textOf(obr, 3)).toBe('s1.bp-crisis.1^CHAIRSIDE');
  });

  it('says who acknowledged in the alert text', () => {
    const text = encodeOruR40(input({ moment: 'acknowledged', alert: { ...crisis, status: 'acknowledged' }, by: 'Maria N.' }));
    expect(valueOf(obx(text, 8), 5)).toBe('Chair 3: BP 186/104 — SBP ≥180 (acknowledged by Maria N.)');
  });

  it('escapes the delimiters and line breaks in every text from outside', () => {
    const nasty = 'a|b^c~d\\e&f\rMSH|x\ng';
    const text = encodeOruR40(
      input({ chairName: nasty, bed: '', alert: { ...crisis, id: 'id|^~&', label: nasty, message: nasty }, sessionId: 's|1', controlId: 'C|1' }),
    );
    const message = parsed(text);
    expect(message.segments).toHaveLength(12);
    expect(text.split('\r').filter((l) => l !== '')).toHaveLength(12);
    expect(valueOf(message.segments[0], 10)).toBe('C|1');
    expect(valueOf(segmentsOf(message, 'PV1')[0], 3)).toBe('a|b^c~d\\e&f MSH|x g');
    expect(valueOf(segmentsOf(message, 'OBR')[0], 3)).toBe('id|^~&');
    expect(valueOf(segmentsOf(message, 'PID')[0], 3)).toBe('s|1');
    expect(valueOf(obx(text, 1), 5, 9)).toBe('a|b^c~d\\e&f MSH|x g');
    expect(valueOf(obx(text, 8), 5)).toBe('a|b^c~d\\e&f MSH|x g: a|b^c~d\\e&f MSH|x g');
  });

  it('refuses an empty control id and a time that is not one', () => {
    expect(() => encodeOruR40(input({ controlId: ' ' }))).toThrow(/control id/);
    expect(() => encodeOruR40(input({ atMs: Number.NaN }))).toThrow(/time/);
  });
});
