function pad(value: number, length = 2): string {
  return String(Math.trunc(Math.abs(value))).padStart(length, '0');
}

/** The value a `datetime-local` input shows for an instant, in the device's time zone. */
export function toDateTimeLocalValue(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** Reads a `datetime-local` value as an instant in the device's time zone; null when it is not one. */
export function parseDateTimeLocal(value: string): number | null {
  const match = localPattern.exec(value.trim());
  if (match === null) return null;
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((part) => Number(part ?? '0'));
  const date = new Date(year, month - 1, day, hour, minute, second);
  if (date.getMonth() !== month - 1 || date.getDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  return date.getTime();
}

/** ISO 8601 with the device's own offset, as the API asks: "2026-11-22T10:15:00+01:00". */
export function toIsoWithOffset(epochMs: number): string {
  const d = new Date(epochMs);
  const offsetMinutes = -d.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const offset = `${sign}${pad(offsetMinutes / 60)}:${pad(offsetMinutes % 60)}`;
  return `${toDateTimeLocalValue(epochMs)}${offset}`;
}
