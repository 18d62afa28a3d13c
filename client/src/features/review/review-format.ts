import { type Protocol, type Reading, type SessionPhase, formatDuration } from '@chairside/shared';

/** Review wording shared by the list, report and history pages; pure. */

const numberFormat = new Intl.NumberFormat('en-US');

/** "1,234". */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** A value as stored: "142", "97.5"; "—" when there is none. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** A change from baseline: "+18", "+17.5", "−4" (a true minus sign), "±0". */
export function signedDelta(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  if (rounded === 0) return '±0';
  const text = Number.isInteger(rounded) ? String(Math.abs(rounded)) : Math.abs(rounded).toFixed(1);
  return rounded > 0 ? `+${text}` : `−${text}`;
}

/** "42 min after infusion start", "3 min before infusion start"; null without a treatment start. */
export function sinceTreatmentText(ms: number | null, protocol: Pick<Protocol, 'labels'>): string | null {
  if (ms === null) return null;
  const moment = protocol.labels.treatmentStartMoment;
  return ms < 0 ? `${formatDuration(-ms)} before ${moment}` : `${formatDuration(ms)} after ${moment}`;
}

/** A time to acknowledge: "45 s", "1 min 30 s", "12 min"; "—" without one. */
export function acknowledgeTimeText(ms: number | null): string {
  return ms === null ? '—' : formatDuration(ms, { seconds: true });
}

export function phaseWord(phase: SessionPhase, protocol?: Pick<Protocol, 'labels'>): string {
  switch (phase) {
    case 'baseline':
      return 'Baseline';
    case 'treatment':
      return protocol?.labels.treatmentPhase ?? 'Treatment';
    case 'observation':
      return 'Observation';
    case 'discharged':
      return 'Discharged';
    case 'cancelled':
      return 'Cancelled';
  }
}

export function isFinished(phase: SessionPhase): boolean {
  return phase === 'discharged' || phase === 'cancelled';
}

export function sourceWord(reading: Pick<Reading, 'source'>): string {
  switch (reading.source) {
    case 'device':
      return 'Monitor';
    case 'manual':
      return 'Manual';
    case 'simulator':
      return 'Simulator';
  }
}

/** "142/88", "142/—", "—". */
export function bpText(systolic: number | null, diastolic: number | null): string {
  if (systolic === null && diastolic === null) return '—';
  return `${formatNumber(systolic)}/${formatNumber(diastolic)}`;
}
