import type { ReadingInput } from '@chairside/shared';
import { formatValue } from '../../lib/vital-format';
import { toDateTimeLocalValue } from '../../lib/local-time';
import type { ManualEntryDraft } from './manual-entry-validation';
import type { SubmitOutcome } from './outbox';

export const pendingLabel = 'Pending — not yet on the server';
export const refusedLabel = 'Refused by the server — not recorded';
export const sentNotice = 'Sent: the entries saved on this tablet are on the server now.';

export function queuedNotice(reason: Extract<SubmitOutcome, { kind: 'queued' }>['reason']): string {
  return reason === 'login'
    ? 'Saved on this tablet — will be sent when you log in again.'
    : 'Saved on this tablet — will be sent when the connection is back.';
}

const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

/** "2 entries waiting to send". */
export const waitingText = (n: number) => `${entries(n)} waiting to send`;
/** "1 entry refused by the server". */
export const refusedText = (n: number) => `${entries(n)} refused by the server`;

/** "NIBP 142/88 · HR 84 · SpO₂ 97 · RR 14": the values as entered, not vitals on the server. */
export function entryValuesText(reading: ReadingInput): string {
  const parts: string[] = [];
  if (reading.systolic !== undefined || reading.diastolic !== undefined) {
    parts.push(`NIBP ${formatValue(reading.systolic)}/${formatValue(reading.diastolic)}`);
  }
  if (reading.heartRate !== undefined) parts.push(`HR ${formatValue(reading.heartRate)}`);
  if (reading.spo2 !== undefined) parts.push(`SpO₂ ${formatValue(reading.spo2)}`);
  if (reading.respRate !== undefined) parts.push(`RR ${formatValue(reading.respRate)}`);
  return parts.join(' · ');
}

/** The manual-entry form's values for a kept reading, to correct it. */
export function draftOf(reading: ReadingInput): Partial<ManualEntryDraft> {
  const text = (value: number | undefined) => (value === undefined ? '' : String(value));
  return {
    systolic: text(reading.systolic),
    diastolic: text(reading.diastolic),
    heartRate: text(reading.heartRate),
    spo2: text(reading.spo2),
    respRate: text(reading.respRate),
    time: toDateTimeLocalValue(Date.parse(reading.measuredAt)),
  };
}
