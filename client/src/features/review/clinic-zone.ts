import { describeTimeZone, isKnownTimeZone } from '@chairside/shared';

/*
 * Which time zone review pages print times in. Reports answer with the clinic's zone
 * (CLINIC_TIMEZONE); the session list and the patient history do not (yet). So: the zone a report
 * or list answered with, remembered for this browser tab; before any report was opened, the
 * browser's own zone — and every page says which zone its times are in, so a time is never
 * ambiguous.
 */

const storageKey = 'chairside.clinicTimeZone';

export type ZoneSource = 'clinic' | 'browser';

export interface DisplayZone {
  timeZone: string;
  /** 'clinic': the server said so; 'browser': a guess until a report is opened. */
  source: ZoneSource;
}

export function browserTimeZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone !== undefined && isKnownTimeZone(zone) ? zone : 'UTC';
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    // Storage can be switched off; the zone is then only known while a report is on screen.
    return null;
  }
}

/** Keeps the clinic's zone (from a report) for the list and history pages of this tab. */
export function rememberClinicTimeZone(timeZone: string): void {
  if (!isKnownTimeZone(timeZone)) return;
  try {
    storage()?.setItem(storageKey, timeZone);
  } catch {
    // A full or disabled storage only costs the list its clinic zone.
  }
}

export function forgetClinicTimeZone(): void {
  try {
    storage()?.removeItem(storageKey);
  } catch {
    // Nothing to forget.
  }
}

/** The zone to show times in: the server's answer, else the remembered clinic zone, else the browser's. */
export function displayZone(answered?: string | null): DisplayZone {
  if (answered !== undefined && answered !== null && isKnownTimeZone(answered)) return { timeZone: answered, source: 'clinic' };
  let remembered: string | null;
  try {
    remembered = storage()?.getItem(storageKey) ?? null;
  } catch {
    remembered = null;
  }
  if (remembered !== null && isKnownTimeZone(remembered)) return { timeZone: remembered, source: 'clinic' };
  return { timeZone: browserTimeZone(), source: 'browser' };
}

/** "Times in Europe/Berlin (UTC+01:00), the clinic's time zone." */
export function zoneNote(zone: DisplayZone, atMs: number): string {
  const described = describeTimeZone(atMs, zone.timeZone);
  return zone.source === 'clinic'
    ? `Times in ${described}, the clinic’s time zone.`
    : `Times in ${described}, this browser’s time zone (open a session report to switch to the clinic’s).`;
}
