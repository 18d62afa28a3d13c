import { type ReadinessAnswer, type SessionRecord, type SessionSummary, recordSettingsOf } from '@chairside/shared';
import { formatClock } from '../../lib/vital-format';

/**
 * The readiness checklist before dosing (docs/clinical-defaults.md "The session record beyond vitals"): the protocol's
 * items with their latest answers, who gave them and when. Pure.
 */

export type ReadinessItemView = SessionRecord['readiness']['items'][number];

/**
 * The session's readiness items as the server derived them; a summary without a record (a server or a test that
 * sends none) shows the protocol's items unanswered.
 */
export function readinessItemsOf(session: Pick<SessionSummary, 'protocol' | 'record'>): ReadinessItemView[] {
  if (session.record !== undefined) return session.record.readiness.items;
  return recordSettingsOf(session.protocol).readiness.map((item) => ({
    id: item.id,
    label: item.label,
    kind: item.kind,
    hardStop: item.hardStop === true,
    answer: null,
    answeredBy: null,
    answeredAtMs: null,
  }));
}

/** Hard-stop items not answered yes: each holds the start. */
export function unmetHardStops(items: readonly ReadinessItemView[]): ReadinessItemView[] {
  return items.filter((item) => item.hardStop && item.answer !== true);
}

/** "Yes", "No", the text given, or "Not answered". */
export function answerText(answer: ReadinessAnswer | null): string {
  if (answer === null) return 'Not answered';
  if (typeof answer === 'string') return answer;
  return answer ? 'Yes' : 'No';
}

/** "Yes · nurse at 09:12", "Not answered". */
export function answeredText(item: ReadinessItemView): string {
  if (item.answer === null) return 'Not answered';
  const who = item.answeredBy === null ? '' : ` · ${item.answeredBy}`;
  const when = item.answeredAtMs === null ? '' : ` at ${formatClock(item.answeredAtMs)}`;
  return `${answerText(item.answer)}${who}${when}`;
}

/**
 * One line on the state of the checklist: "2 of 5 answered · start waits for yes to 2 hard stops",
 * "5 of 5 answered · hard stops answered yes"; once treatment started (only a clinician's override
 * starts it past a hard stop) "0 of 5 answered · started with 2 hard stops not answered yes".
 */
export function readinessSummaryText(items: readonly ReadinessItemView[], started = false): string {
  const answered = items.filter((i) => i.answer !== null).length;
  const unmet = unmetHardStops(items).length;
  const hardStops = items.filter((i) => i.hardStop).length;
  const of = `${answered} of ${items.length} answered`;
  if (hardStops === 0) return of;
  if (unmet === 0) return `${of} · hard stops answered yes`;
  const stops = `${unmet} hard ${unmet === 1 ? 'stop' : 'stops'}`;
  return started ? `${of} · started with ${stops} not answered yes` : `${of} · start waits for yes to ${stops}`;
}
