import { describeRejections } from '../vitals/plausibility';
import { type VitalField, vitalFieldInfo } from '../vitals/vital-fields';
import type { Alert, AlertBreach, AlertFacts } from './alert';
import type { Comparator } from './rules';

/**
 * The only place alert text is built. Rule checks produce facts (numbers); this turns them into
 * what a nurse reads: the value and the limit it crossed ("SBP 204 ≥ 200").
 */

const comparatorText: Record<Comparator, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' };

function formatNumber(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A value with the unit only where the bare number would be ambiguous (SpO₂ in %). */
function formatValue(field: VitalField, value: number): string {
  return field === 'spo2' ? `${formatNumber(value)}%` : formatNumber(value);
}

function formatBreach(breach: AlertBreach): string {
  const { abbreviation } = vitalFieldInfo[breach.field];
  const calculated = breach.calculated === true ? ' (calculated)' : '';
  return `${abbreviation} ${formatValue(breach.field, breach.value)}${calculated} ${comparatorText[breach.comparator]} ${formatValue(breach.field, breach.limit)}`;
}

/** "HR 121–131 > 120": the range over a sustained rule's window, one value when it did not vary. */
function formatRangeBreach(breach: AlertBreach, range: { min: number; max: number } | undefined): string {
  if (range === undefined || formatNumber(range.min) === formatNumber(range.max)) return formatBreach(breach);
  const { abbreviation } = vitalFieldInfo[breach.field];
  const low = formatNumber(range.min);
  const high = formatValue(breach.field, range.max);
  return `${abbreviation} ${low}–${high} ${comparatorText[breach.comparator]} ${formatValue(breach.field, breach.limit)}`;
}

/** " — arrived late, measured 3 min before": said of any alert a late reading raised or changed. */
function lateNote(lateBySec: number | undefined): string {
  return lateBySec === undefined ? '' : ` — arrived late, measured ${formatAlertDuration(lateBySec)} before`;
}

const vitalNames = { heartRate: 'HR', spo2: 'SpO₂', respRate: 'RR' } as const;

/** "15 s", "90 s", "2 min", "5 min". */
export function formatAlertDuration(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return whole < 120 ? `${whole} s` : `${Math.floor(whole / 60)} min`;
}

export function formatAlertMessage(facts: AlertFacts): string {
  switch (facts.kind) {
    case 'bp-threshold': {
      const values = facts.breaches.map(formatBreach).join(', ');
      if (facts.prompt !== null) return `${values} — ${facts.prompt}${lateNote(facts.lateBySec)}`;
      return `${facts.requiredReadings > 1 ? `${values} on ${facts.readings} consecutive readings` : values}${lateNote(facts.lateBySec)}`;
    }
    case 'bp-rise': {
      const rises = facts.rises
        .map((rise) => {
          const { abbreviation } = vitalFieldInfo[rise.field];
          return `Δ${abbreviation} +${formatNumber(rise.rise)} ≥ ${formatNumber(rise.limit)} (${abbreviation} ${formatNumber(rise.value)}, baseline ${formatNumber(rise.baseline)})`;
        })
        .join(', ');
      return `${facts.requiredReadings > 1 ? `${rises} on ${facts.readings} consecutive readings` : rises}${lateNote(facts.lateBySec)}`;
    }
    case 'baseline-bp':
      return `Baseline ${facts.breaches.map(formatBreach).join(', ')}`;
    case 'sustained-vital': {
      const breach = formatRangeBreach(facts.breach, facts.range);
      const text = facts.bySpotReadings
        ? `${breach} on ${facts.readings} consecutive readings`
        : `${breach} for ${formatAlertDuration(facts.sustainedSec)}`;
      return `${text}${lateNote(facts.lateBySec)}`;
    }
    case 'bp-overdue':
      return `No BP for ${facts.minutesWithoutBp} min (due every ${formatNumber(facts.intervalMin)})`;
    case 'checkpoint-missed':
      return `${facts.label}: no BP reading by the end of its window`;
    case 'no-data': {
      const vitals = facts.vitals === undefined || facts.vitals.length === 0 ? '' : ` (${facts.vitals.map((v) => vitalNames[v]).join(', ')})`;
      return `No data from the device for ${formatAlertDuration(facts.silentSec)}${vitals}`;
    }
    case 'implausible': {
      const rejected = describeRejections(facts.rejected)
        .map((text) => text.message)
        .join('; ');
      const text = facts.belowFloor === true ? `Check patient and sensor: ${rejected}` : `Rejected: ${rejected}`;
      return `${text}${lateNote(facts.lateBySec)}`;
    }
    case 'not-ready':
      return 'Discharge criteria not met at the end of the minimum observation';
    case 'rounding-overdue':
      return `No eyes-on check recorded: ${overdueText(facts.overdueMin)}`;
    case 'reassessment-overdue':
      return `${facts.label}: ${overdueText(facts.overdueMin)}`;
  }
}

/** "overdue" under a minute, then "12 min overdue". */
function overdueText(minutes: number): string {
  return minutes < 1 ? 'overdue' : `${minutes} min overdue`;
}

/**
 * What an alarm is called where it is listed: the rule's label ("Severe hypertension"), except for
 * a "recheck BP now" prompt, which is not yet that condition and must not read like it:
 * "Recheck BP now: 186/100".
 */
export function alertTitle(alert: Pick<Alert, 'label' | 'facts'>): string {
  const { facts } = alert;
  if (facts.kind !== 'bp-threshold' || facts.prompt === null) return alert.label;
  const breachOf = (field: VitalField) => facts.breaches.find((breach) => breach.field === field)?.value ?? null;
  const systolic = facts.bp?.systolic ?? breachOf('systolic');
  const diastolic = facts.bp?.diastolic ?? breachOf('diastolic');
  if (systolic === null && diastolic === null) return 'Recheck BP now';
  if (systolic === null) return `Recheck BP now: DBP ${formatNumber(diastolic ?? 0)}`;
  if (diastolic === null) return `Recheck BP now: SBP ${formatNumber(systolic)}`;
  return `Recheck BP now: ${formatNumber(systolic)}/${formatNumber(diastolic)}`;
}

/** Why an alert cleared, as a record says it: an alert open when the session ended never "resolved". */
export function describeClearReason(reason: Alert['clearReason']): string | null {
  switch (reason) {
    case 'resolved':
      return 'resolved';
    case 'superseded':
      return 'superseded by a more urgent alert';
    case 'session-ended':
      return 'ended with the session';
    case null:
      return null;
  }
}
