/**
 * An alert's moment as an HL7 v2.6 ORU^R40 in the style of IHE PCD-04 "Report Alert" (Alarm
 * Communication Management; docs/hl7-alerts.md). Pure: the control id and every time are inputs; the
 * result is the message text with each segment ended by CR, ready for MLLP framing.
 *
 * ```
 * MSH|^~\&|CHAIRSIDE||||<time>||ORU^R40^ORU_R40|<control id>|P|2.6|||AL|NE||||IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.4^ISO
 * PID|||<session id>^^^CHAIRSIDE^VN                       no name, no MRN, no birth date
 * PV1||O|<bed>|||||||||||||||||<session id>
 * OBR|1|<alert id>.<moment>^CHAIRSIDE|<alert id>^CHAIRSIDE|196616^MDC_EVT_ALARM^MDC|||<time>
 * OBX|1|CWE|<event code>|1.0.0.0.1|<event code>^^^^^^^^<alert text>|||H~PH~SP|||F|||<time>   alarm type
 * OBX|2|NM|<vital's MDC code>|1.0.0.0.2|186|<unit>|<180|||F|||<time>                     alarm source: value and limit
 * OBX|3|ST|68481^MDC_ATTR_EVENT_PHASE^MDC|1.0.0.0.3|start||||||F                           start, continue, end
 * OBX|4|ST|68482^MDC_ATTR_ALARM_STATE^MDC|1.0.0.0.4|active||||||F                          active, latched, inactive
 * OBX|5|ST|68483^MDC_ATTR_ALARM_INACTIVATION_STATE^MDC|1.0.0.0.5|enabled||||||F           enabled, alert-acknowledged
 * OBX|6|ST|68484^MDC_ATTR_ALARM_PRIORITY^MDC|1.0.0.0.6|PH||||||F                          PH, PM, PL
 * OBX|7|ST|68485^MDC_ATTR_ALERT_TYPE^MDC|1.0.0.0.7|SP||||||F                              SP, ST, SA
 * OBX|8|ST|68546^MDC_ATTR_ALERT_TEXT^MDC|1.0.0.0.8|Chair 3: SBP 186 > 180||||||F
 * ```
 *
 * Every text from outside (alert text, chair name, bed, ids) is escaped, so no value can end a
 * field or a segment early.
 */
import type { Alert, AlertBreach, AlertCategory, AlertPriority, VitalField } from '@chairside/shared';
import { escapeHl7 } from '../hl7/hl7-message';
import { formatHl7Time } from '../hl7/hl7-time';
import type { ReachMoment } from '../reach/alarm-reach';

/** IHE PCD ACM's message profile id (MSH-21). */
export const acmProfile = 'IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.4^ISO';

/** Our name in MSH-3, OBR-2/3 (namespace) and PID-3 (assigning authority). */
export const chairsideApplication = 'CHAIRSIDE';

export type EventPhase = 'start' | 'continue' | 'end';
export type AlarmState = 'active' | 'latched' | 'inactive';
export type InactivationState = 'enabled' | 'alert-acknowledged';

/** An IEEE 11073 MDC code as a coded element: `code^name^MDC`. */
export interface MdcCode {
  code: string;
  name: string;
}

const coded = (c: MdcCode): string => `${c.code}^${c.name}^MDC`;

export const mdcEvents = {
  /** The generic alarm: OBR-4, OBX-1's identifier, and the event of alerts no finer code names. */
  alarm: { code: '196616', name: 'MDC_EVT_ALARM' },
  /** A value above its limit. */
  high: { code: '196648', name: 'MDC_EVT_HI' },
  /** A value below its limit. */
  low: { code: '196670', name: 'MDC_EVT_LO' },
  /** SpO₂ below its limit. */
  desaturation: { code: '199854', name: 'MDC_EVT_DESAT' },
} as const satisfies Record<string, MdcCode>;

const eventPhaseCode: MdcCode = { code: '68481', name: 'MDC_ATTR_EVENT_PHASE' };
const alarmStateCode: MdcCode = { code: '68482', name: 'MDC_ATTR_ALARM_STATE' };
const inactivationStateCode: MdcCode = { code: '68483', name: 'MDC_ATTR_ALARM_INACTIVATION_STATE' };
const priorityCode: MdcCode = { code: '68484', name: 'MDC_ATTR_ALARM_PRIORITY' };
const alertTypeCode: MdcCode = { code: '68485', name: 'MDC_ATTR_ALERT_TYPE' };
const alertTextCode: MdcCode = { code: '68546', name: 'MDC_ATTR_ALERT_TEXT' };
const alertSourceCode: MdcCode = { code: '68480', name: 'MDC_ATTR_ALERT_SOURCE' };

/** What each vital is measured as (the alarm's source) and in which unit, as bedside monitors send them. */
export const vitalSources: Record<VitalField, { source: MdcCode; unit: MdcCode }> = {
  systolic: { source: { code: '150021', name: 'MDC_PRESS_BLD_NONINV_SYS' }, unit: { code: '266016', name: 'MDC_DIM_MMHG' } },
  diastolic: { source: { code: '150022', name: 'MDC_PRESS_BLD_NONINV_DIA' }, unit: { code: '266016', name: 'MDC_DIM_MMHG' } },
  mean: { source: { code: '150023', name: 'MDC_PRESS_BLD_NONINV_MEAN' }, unit: { code: '266016', name: 'MDC_DIM_MMHG' } },
  heartRate: { source: { code: '147842', name: 'MDC_ECG_HEART_RATE' }, unit: { code: '264864', name: 'MDC_DIM_BEAT_PER_MIN' } },
  spo2: { source: { code: '150456', name: 'MDC_PULS_OXIM_SAT_O2' }, unit: { code: '262688', name: 'MDC_DIM_PERCENT' } },
  respRate: { source: { code: '151562', name: 'MDC_RESP_RATE' }, unit: { code: '264928', name: 'MDC_DIM_RESP_PER_MIN' } },
};

export const priorityFlag: Record<AlertPriority, 'PH' | 'PM' | 'PL'> = { high: 'PH', medium: 'PM', low: 'PL' };
export const alertTypeFlag: Record<AlertCategory, 'SP' | 'ST' | 'SA'> = { physiological: 'SP', technical: 'ST', advisory: 'SA' };

/** The value an alarm is about and the limit it crossed, when it is about one. */
export interface AlarmSource {
  field: VitalField;
  value: number;
  /** The limit as a value of the vital (a rise over baseline is baseline + the allowed rise). */
  limit: number;
  direction: 'high' | 'low';
}

/** The first value beyond its limit the alert's facts name; null for alerts about no value (overdue, no data …). */
export function alarmSourceOf(alert: Alert): AlarmSource | null {
  const fromBreach = (b: AlertBreach | undefined): AlarmSource | null =>
    b === undefined ? null : { field: b.field, value: b.value, limit: b.limit, direction: b.comparator.startsWith('>') ? 'high' : 'low' };
  const facts = alert.facts;
  switch (facts.kind) {
    case 'bp-threshold':
    case 'baseline-bp':
      return fromBreach(facts.breaches[0]);
    case 'sustained-vital':
      return fromBreach(facts.breach);
    case 'bp-rise': {
      const rise = facts.rises[0];
      return rise === undefined ? null : { field: rise.field, value: rise.value, limit: rise.baseline + rise.limit, direction: 'high' };
    }
    default:
      return null;
  }
}

/** The MDC event an alert is: above or below a limit, a desaturation, or the generic alarm. */
export function eventCodeOf(source: AlarmSource | null): MdcCode {
  if (source === null) return mdcEvents.alarm;
  if (source.direction === 'high') return mdcEvents.high;
  return source.field === 'spo2' ? mdcEvents.desaturation : mdcEvents.low;
}

export interface AlarmStatus {
  phase: EventPhase;
  state: AlarmState;
  inactivation: InactivationState;
}

/**
 * Phase, state and inactivation state of the alert at a moment: raised → start; escalated to the
 * next person or acknowledged → continue (still active, or latched: a high alarm whose condition
 * ended waits for a person); cleared → end, inactive. Acknowledged alerts are `alert-acknowledged`.
 */
export function alarmStatusOf(moment: ReachMoment, alert: Alert): AlarmStatus {
  const acknowledged = moment === 'acknowledged' || alert.status === 'acknowledged' || alert.acknowledgements.length > 0;
  const inactivation: InactivationState = acknowledged ? 'alert-acknowledged' : 'enabled';
  if (moment === 'cleared' || alert.status === 'cleared') return { phase: 'end', state: 'inactive', inactivation };
  const latched = alert.priority === 'high' && alert.conditionResolvedAtMs !== null;
  return { phase: moment === 'raised' ? 'start' : 'continue', state: latched ? 'latched' : 'active', inactivation };
}

export interface OruR40Input {
  moment: ReachMoment;
  alert: Alert;
  /** The alert's priority at this moment. */
  priority: AlertPriority;
  sessionId: string;
  chairName: string;
  /** PV1-3: the chair's HL7 bed (`pointOfCare^room^bed` or fewer parts), else its name. */
  bed: string;
  /** MSH-10: unique per message and kept when resent (the gateway drops a control id it has seen). */
  controlId: string;
  /** When the moment happened: MSH-7, OBR-7 and OBX-14. */
  atMs: number;
  /** Who acknowledged, for `acknowledged` (their display name goes into the alert text). */
  by?: string | null;
}

/** HL7 NM: plain decimal notation, never exponents. */
function formatNm(value: number): string {
  const plain = String(value);
  if (/^-?\d+(\.\d+)?$/.test(plain)) return plain;
  return value.toFixed(6).replace(/\.?0+$/, '');
}

/** Fields by their HL7 number after the segment id; trailing empty fields are left out. */
function segment(id: string, fields: Record<number, string>): string {
  const numbers = Object.keys(fields).map(Number);
  const last = Math.max(0, ...numbers.filter((n) => fields[n] !== ''));
  const out = [id];
  for (let n = 1; n <= last; n += 1) out.push(fields[n] ?? '');
  return out.join('|');
}

/** A `^`-separated location: each part escaped, the separators kept. */
function escapeComponents(text: string): string {
  return text.split('^').map((part) => escapeHl7(part)).join('^');
}

/** What the alert text says at this moment, for a pager's screen: chair, what, and for an acknowledgement by whom. */
export function alertTextOf(input: Pick<OruR40Input, 'moment' | 'alert' | 'chairName' | 'by'>): string {
  const base = `${input.chairName}: ${input.alert.message}`;
  if (input.moment === 'acknowledged') return `${base} (acknowledged${input.by ? ` by ${input.by}` : ''})`;
  if (input.moment === 'cleared') return `${base} (ended)`;
  return base;
}

/** The ORU^R40 for one moment of one alert. Throws on input it cannot encode (an empty control id, a bad time). */
export function encodeOruR40(input: OruR40Input): string {
  if (input.controlId.trim() === '') throw new Error('an ORU^R40 needs a control id (MSH-10)');
  if (!Number.isFinite(input.atMs)) throw new RangeError(`not a time: ${input.atMs}`);
  const time = formatHl7Time(input.atMs);
  const alertId = escapeHl7(input.alert.id);
  const sessionId = escapeHl7(input.sessionId);
  const bed = input.bed.trim() !== '' ? escapeComponents(input.bed) : escapeHl7(input.chairName);
  const source = alarmSourceOf(input.alert);
  const event = eventCodeOf(source);
  const status = alarmStatusOf(input.moment, input.alert);
  const priority = priorityFlag[input.priority];
  const type = alertTypeFlag[input.alert.category];
  const abnormal = source === null ? '' : source.direction === 'high' ? 'H~' : 'L~';

  const segments = [
    // MSH counts its field separator as MSH-1: the key n here is MSH-(n+1).
    segment('MSH', {
      1: '^~\\&',
      2: chairsideApplication,
      6: time,
      8: 'ORU^R40^ORU_R40',
      9: escapeHl7(input.controlId),
      10: 'P',
      11: '2.6',
      14: 'AL',
      15: 'NE',
      20: acmProfile,
    }),
    segment('PID', { 3: `${sessionId}^^^${chairsideApplication}^VN` }),
    segment('PV1', { 2: 'O', 3: bed, 19: sessionId }),
    segment('OBR', {
      1: '1',
      2: `${alertId}.${input.moment}^${chairsideApplication}`,
      3: `${alertId}^${chairsideApplication}`,
      4: coded(mdcEvents.alarm),
      7: time,
    }),
    // Alarm type: the event (OBX-5), with abnormality, priority and type in OBX-8.
    segment('OBX', {
      1: '1',
      2: 'CWE',
      3: coded(mdcEvents.alarm),
      4: '1.0.0.0.1',
      5: `${coded(event)}^^^^^^${escapeHl7(input.alert.label)}`,
      8: `${abnormal}${priority}~${type}`,
      11: 'F',
      14: time,
    }),
    // Alarm source: the vital with its value, unit and limit; or, for an alert about no value, the rule.
    source === null
      ? segment('OBX', {
          1: '2',
          2: 'ST',
          3: coded(alertSourceCode),
          4: '1.0.0.0.2',
          5: escapeHl7(input.alert.ruleId),
          11: 'F',
          14: time,
        })
      : segment('OBX', {
          1: '2',
          2: 'NM',
          3: coded(vitalSources[source.field].source),
          4: '1.0.0.0.2',
          5: formatNm(source.value),
          6: coded(vitalSources[source.field].unit),
          // Reference range in HL7's notation: the side of the limit that does not alarm.
          7: `${source.direction === 'high' ? '<' : '>'}${formatNm(source.limit)}`,
          11: 'F',
          14: time,
        }),
    segment('OBX', { 1: '3', 2: 'ST', 3: coded(eventPhaseCode), 4: '1.0.0.0.3', 5: status.phase, 11: 'F' }),
    segment('OBX', { 1: '4', 2: 'ST', 3: coded(alarmStateCode), 4: '1.0.0.0.4', 5: status.state, 11: 'F' }),
    segment('OBX', { 1: '5', 2: 'ST', 3: coded(inactivationStateCode), 4: '1.0.0.0.5', 5: status.inactivation, 11: 'F' }),
    segment('OBX', { 1: '6', 2: 'ST', 3: coded(priorityCode), 4: '1.0.0.0.6', 5: priority, 11: 'F' }),
    segment('OBX', { 1: '7', 2: 'ST', 3: coded(alertTypeCode), 4: '1.0.0.0.7', 5: type, 11: 'F' }),
    segment('OBX', { 1: '8', 2: 'ST', 3: coded(alertTextCode), 4: '1.0.0.0.8', 5: escapeHl7(alertTextOf(input)), 11: 'F' }),
  ];
  return segments.map((s) => `${s}\r`).join('');
}
