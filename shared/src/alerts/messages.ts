import { type VitalField, vitalFieldInfo } from '../vitals/vital-fields';
import type { AlertBreach, AlertFacts } from './alert';
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
  return `${abbreviation} ${formatValue(breach.field, breach.value)} ${comparatorText[breach.comparator]} ${formatValue(breach.field, breach.limit)}`;
}

/** "15 s", "90 s", "2 min", "5 min". */
export function formatAlertDuration(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return whole < 120 ? `${whole} s` : `${Math.floor(whole / 60)} min`;
}

export function formatAlertMessage(facts: AlertFacts): string {
  switch (facts.kind) {
    case 'bp-threshold': {
      const values = facts.breaches.map(formatBreach).join(', ');
      if (facts.prompt !== null) return `${values} — ${facts.prompt}`;
      return facts.requiredReadings > 1 ? `${values} on ${facts.readings} consecutive readings` : values;
    }
    case 'bp-rise': {
      const rises = facts.rises
        .map((rise) => {
          const { abbreviation } = vitalFieldInfo[rise.field];
          return `Δ${abbreviation} +${formatNumber(rise.rise)} ≥ ${formatNumber(rise.limit)} (${abbreviation} ${formatNumber(rise.value)}, baseline ${formatNumber(rise.baseline)})`;
        })
        .join(', ');
      return facts.requiredReadings > 1 ? `${rises} on ${facts.readings} consecutive readings` : rises;
    }
    case 'baseline-bp':
      return `Baseline ${facts.breaches.map(formatBreach).join(', ')}`;
    case 'sustained-vital': {
      const breach = formatBreach(facts.breach);
      return facts.bySpotReadings
        ? `${breach} on ${facts.readings} consecutive readings`
        : `${breach} for ${formatAlertDuration(facts.sustainedSec)}`;
    }
    case 'bp-overdue':
      return `No BP for ${facts.minutesWithoutBp} min (due every ${formatNumber(facts.intervalMin)})`;
    case 'checkpoint-missed':
      return `${facts.label}: no BP reading by the end of its window`;
    case 'no-data':
      return `No data from the device for ${formatAlertDuration(facts.silentSec)}`;
    case 'implausible':
      return `Rejected: ${facts.rejected.map((rejected) => rejected.message).join('; ')}`;
    case 'not-ready':
      return 'Discharge criteria not met at the end of the minimum observation';
  }
}
