/** "12 s ago", "4 min ago", "2 h 5 min ago". */
export function formatAge(ageMs: number): string {
  if (ageMs < 1000) return 'just now';
  const seconds = Math.floor(ageMs / 1000);
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h ago` : `${hours} h ${minutes % 60} min ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const clockSecondsFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** Local wall-clock time, "14:05". */
export function formatClock(epochMs: number): string {
  return clockFormat.format(epochMs);
}

/** Local wall-clock time with seconds, "14:05:09". */
export function formatClockSeconds(epochMs: number): string {
  return clockSecondsFormat.format(epochMs);
}

export function formatDateTime(epochMs: number): string {
  return dateTimeFormat.format(epochMs);
}

/**
 * A duration as the tiles and the chair page say it, in whole minutes: "<1 min", "23 min",
 * "1 h 5 min", "2 h". One format for every clock (infusion, observation, next BP, time in chair), so a
 * duration never reads like a time of day ("23:05") or a clock of another length ("1:59:32").
 * Elapsed time rounds down; see `formatMinutesLeft` for time left.
 */
export function formatMinutes(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes === 0) return ms >= 1000 ? '<1 min' : '0 min';
  return minutesAndHours(minutes);
}

/** Time left in whole minutes, rounded up: 16 min 5 s left is "17 min"; "0 min" only at the end. */
export function formatMinutesLeft(ms: number): string {
  return minutesAndHours(Math.ceil(Math.max(0, ms) / 60_000));
}

function minutesAndHours(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
