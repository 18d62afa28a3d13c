/**
 * Instants shown in the clinic's time zone (README, Configuration: `CLINIC_TIMEZONE`: storage is UTC, reports
 * and exports print clinic time). Pure: `Intl.DateTimeFormat` with an explicit IANA time zone gives
 * the same answer on every machine, so the offset is right on both sides of a DST change.
 */

const msPerMin = 60_000;

/** One formatter per time zone: building one costs far more than using it, and exports print thousands of times. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (formatters.size > 64) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    wallClockFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The clinic's UTC offset at `ms`, in whole minutes (Berlin: 60 in winter, 120 in summer). Offsets
 * with seconds (local mean time before ~1900) are rounded to the minute.
 */
export function clinicOffsetMinutes(ms: number, timeZone: string): number {
  const parts = wallClockFormatter(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const hour = get('hour') % 24;
  const wallMs = Date.UTC(get('year'), get('month') - 1, get('day'), hour, get('minute'), get('second'));
  const wholeSecondMs = Math.floor(ms / 1000) * 1000;
  return Math.round((wallMs - wholeSecondMs) / msPerMin);
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** "+01:00", "-05:00", "+05:45"; "Z" is never used, so the clinic's offset is always visible. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number;
}

/** The clinic's wall clock at `ms`, consistent with its offset (wall = instant + offset). */
function wallClock(ms: number, timeZone: string): WallClock {
  const offsetMinutes = clinicOffsetMinutes(ms, timeZone);
  const d = new Date(ms + offsetMinutes * msPerMin);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    offsetMinutes,
  };
}

/**
 * ISO 8601 with the clinic's offset: "2025-03-03T10:00:00+01:00"; milliseconds only when the instant
 * has them ("…T10:00:00.250+01:00"). Denotes the same instant as the stored UTC time.
 */
export function toClinicIso(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  const fraction = w.millisecond === 0 ? '' : `.${pad(w.millisecond, 3)}`;
  return (
    `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${fraction}` +
    formatOffset(w.offsetMinutes)
  );
}

/** "2025-03-03" in the clinic's time zone. */
export function formatClinicDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** "10:05" (24-hour) in the clinic's time zone; with `seconds`, "10:05:30". */
export function formatClinicTime(ms: number, timeZone: string, options: { seconds?: boolean } = {}): string {
  const w = wallClock(ms, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}${options.seconds === true ? `:${pad(w.second)}` : ''}`;
}

/** "2025-03-03 10:05" in the clinic's time zone. */
export function formatClinicDateTime(ms: number, timeZone: string): string {
  return `${formatClinicDate(ms, timeZone)} ${formatClinicTime(ms, timeZone)}`;
}

/** "Europe/Berlin (UTC+01:00)": the zone and its offset at `ms`, for report headers. */
export function describeTimeZone(ms: number, timeZone: string): string {
  return `${timeZone} (UTC${formatOffset(clinicOffsetMinutes(ms, timeZone))})`;
}

/**
 * A duration as a person reads it: "45 s", "42 min", "1 h 05 min". Rounds down to whole minutes
 * from 1 min on; with `seconds`, keeps the seconds below 10 min ("1 min 30 s"), as for times to
 * acknowledge.
 */
export function formatDuration(ms: number, options: { seconds?: boolean } = {}): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < msPerMin) return `${sign}${Math.floor(abs / 1000)} s`;
  const totalMin = Math.floor(abs / msPerMin);
  const secs = Math.floor((abs % msPerMin) / 1000);
  if (options.seconds === true && totalMin < 10 && secs > 0) return `${sign}${totalMin} min ${secs} s`;
  if (totalMin < 60) return `${sign}${totalMin} min`;
  return `${sign}${Math.floor(totalMin / 60)} h ${pad(totalMin % 60)} min`;
}

/** The instant a clinic day (`YYYY-MM-DD`) begins in the clinic's time zone (DST-aware). */
export function clinicDayStartMs(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number);
  const wallMs = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  // The offset at the wall time itself is a first guess; once more at the corrected instant settles DST days.
  let ms = wallMs - clinicOffsetMinutes(wallMs, timeZone) * msPerMin;
  ms = wallMs - clinicOffsetMinutes(ms, timeZone) * msPerMin;
  return ms;
}
