import { formatClinicDate, formatClinicDateTime } from '@chairside/shared';
import type { PatientHistoryItem } from '@chairside/shared';

/*
 * A patient's sessions laid over one another on treatment-relative time (minutes since treatment
 * start), so a clinician sees whether the newest session behaves like the earlier ones. Pure.
 */

export interface CurvePoint {
  /** Minutes since treatment start. */
  t: number;
  v: number;
}

export interface HistorySeries {
  sessionId: string;
  /** 1 for the patient's first session. */
  number: number;
  /** "Session 4 · 2026-11-22" (with the time when two sessions share a day). */
  label: string;
  color: string;
  systolic: CurvePoint[];
  diastolic: CurvePoint[];
}

/** Distinct on the dark theme and in print; the highlighted session is drawn thicker, the others faded. */
export const historyPalette = ['#8ab4f8', '#f59e8b', '#7fdc9f', '#d7a8ff', '#f2cc6b', '#7cc8f2', '#e4e1dc', '#ff9ed1', '#a3e36b', '#b8a48a'] as const;

/** One series per session, oldest first, each with its SBP and DBP curve (empty when treatment never started). */
export function historySeries(items: readonly PatientHistoryItem[], timeZone: string): HistorySeries[] {
  const days = new Map<string, number>();
  for (const item of items) {
    const day = formatClinicDate(Date.parse(item.checkedInAt), timeZone);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return items.map((item, index) => {
    const atMs = Date.parse(item.checkedInAt);
    const day = formatClinicDate(atMs, timeZone);
    const when = (days.get(day) ?? 0) > 1 ? formatClinicDateTime(atMs, timeZone) : day;
    const curve = [...item.bpCurve].sort((a, b) => a.minutes - b.minutes);
    return {
      sessionId: item.sessionId,
      number: index + 1,
      label: `Session ${index + 1} · ${when}`,
      color: historyPalette[index % historyPalette.length] ?? historyPalette[0],
      systolic: curve.map((p) => ({ t: p.minutes, v: p.systolic })),
      diastolic: curve.map((p) => ({ t: p.minutes, v: p.diastolic })),
    };
  });
}

/** The session to highlight: the one asked for when it is the patient's, else the newest. */
export function highlightedSessionId(items: readonly PatientHistoryItem[], asked: string | null): string | null {
  if (asked !== null && items.some((item) => item.sessionId === asked)) return asked;
  return items.at(-1)?.sessionId ?? null;
}

/** The x range of every curve, from a little before treatment start, on whole 10 minutes. */
export function minutesDomain(series: readonly HistorySeries[]): [number, number] {
  let min = 0;
  let max = 60;
  for (const s of series) {
    for (const p of s.systolic) {
      if (p.t < min) min = p.t;
      if (p.t > max) max = p.t;
    }
  }
  return [Math.floor(min / 10) * 10, Math.ceil(max / 10) * 10];
}
