/**
 * HL7 v2 timestamps (TS/DTM): `YYYYMMDDHHMM[SS[.S[S[S[S]]]]][+/-ZZZZ]`. A reading needs at least
 * the minute. Without an offset the time is local to the clinic (CLINIC_TIMEZONE).
 */

export type Hl7TimeResult = { ok: true; ms: number; hasOffset: boolean } | { ok: false; message: string };

const pattern = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(?:(\d{2})(?:\.(\d{1,4}))?)?(?:([+-])(\d{2})(\d{2}))?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * The instant of a wall-clock time in a zone. For a time that happens twice (the hour the clocks go
 * back) the earlier instant; for one that never happens (the hour they go forward) the shifted one.
 */
export function zonedToUtcMs(wallClockAsUtcMs: number, timeZone: string): number {
  // Zones change their offset at most once within a day: try the offsets of the day before and after.
  const day = 24 * 60 * 60 * 1000;
  const before = wallClockAsUtcMs - zoneOffsetMs(wallClockAsUtcMs - day, timeZone);
  const after = wallClockAsUtcMs - zoneOffsetMs(wallClockAsUtcMs + day, timeZone);
  const fits = (instant: number): boolean => instant + zoneOffsetMs(instant, timeZone) === wallClockAsUtcMs;
  const candidates = [before, after].filter(fits);
  if (candidates.length > 0) return Math.min(...candidates);
  return before; // in the gap: read with the offset before the change, i.e. moved forward
}

/** Parses an HL7 timestamp (the first component of a TS field). */
export function parseHl7Time(text: string, timeZone: string): Hl7TimeResult {
  const value = text.trim();
  const match = pattern.exec(value);
  if (!match) {
    const why = /^\d{4,11}$/.test(value.replace(/[+-]\d{4}$/, ''))
      ? 'it needs at least the minute (YYYYMMDDHHMM)'
      : 'expected YYYYMMDDHHMM[SS[.S]][+/-ZZZZ]';
    return { ok: false, message: `"${value.slice(0, 40)}" is not an HL7 time: ${why}` };
  }
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = fraction === undefined ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
  if (
    year < 1900 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return { ok: false, message: `"${value}" is not a valid date and time` };
  }
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (sign === undefined) return { ok: true, ms: zonedToUtcMs(wallClock, timeZone), hasOffset: false };
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (offsetHours > 14 || offsetMinutes > 59) {
    return { ok: false, message: `"${value}" has an impossible UTC offset ${sign}${oh}${om}` };
  }
  const offsetMs = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return { ok: true, ms: wallClock - offsetMs, hasOffset: true };
}

/** An instant as an HL7 timestamp in UTC: `YYYYMMDDHHMMSS+0000`. */
export function formatHl7Time(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-22T10:15:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+0000`;
}
