import {
  type SessionDetail,
  type SessionEventView,
  type SessionStats,
  formatClinicDate,
  formatClinicDateTime,
  formatClinicTime,
  toClinicIso,
} from '@chairside/shared';
import type { SessionAddendum, SessionReport, SessionSignature } from '@chairside/shared';
import { isFinished } from './review-format';

/** A report as its sections read it: the answer, and times in the clinic's zone. */
export interface ReportView {
  report: SessionReport;
  session: SessionDetail;
  stats: SessionStats;
  chairName: string;
  timeZone: string;
  signature: SessionSignature | null;
  addenda: SessionAddendum[];
  finished: boolean;
  /** A clinic time: "10:15" on the day of check-in, "2026-11-23 00:15" on another day; with seconds "10:15:30". */
  when(ms: number, options?: { seconds?: boolean }): string;
  /** The full clinic date and time: "2026-11-22 10:15". */
  dateTime(ms: number): string;
  /** ISO 8601 with the clinic's offset, for `<time dateTime>`. */
  iso(ms: number): string;
}

/**
 * The report with a signature or addenda that were just added on this screen merged in, so they
 * show at once while the report is read again.
 */
export function reportView(report: SessionReport, added: { signature: SessionSignature | null; addenda: readonly SessionAddendum[] }): ReportView {
  const session = report.input.session;
  const { timeZone } = report;
  const day = formatClinicDate(session.state.checkedInAtMs, timeZone);
  const addenda = [...report.addenda];
  for (const a of added.addenda) if (!addenda.some((held) => held.seq === a.seq)) addenda.push(a);
  addenda.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return {
    report,
    session,
    stats: report.stats,
    chairName: report.input.chairName ?? session.chairId,
    timeZone,
    signature: report.signature ?? added.signature,
    addenda,
    finished: isFinished(session.state.phase),
    when: (ms, options = {}) => {
      const time = formatClinicTime(ms, timeZone, options);
      return formatClinicDate(ms, timeZone) === day ? time : `${formatClinicDate(ms, timeZone)} ${time}`;
    },
    dateTime: (ms) => formatClinicDateTime(ms, timeZone),
    iso: (ms) => toClinicIso(ms, timeZone),
  };
}

export interface StaffMember {
  username: string;
  role: string;
  events: number;
}

/** Who recorded the session's events, in order of their first event; the server's own entries left out. */
export function staffOf(events: readonly SessionEventView[]): StaffMember[] {
  const byName = new Map<string, StaffMember>();
  for (const event of events) {
    if (event.role === 'system') continue;
    const held = byName.get(event.username);
    if (held === undefined) byName.set(event.username, { username: event.username, role: event.role, events: 1 });
    else held.events += 1;
  }
  return [...byName.values()];
}
