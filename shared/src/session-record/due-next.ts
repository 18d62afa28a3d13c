import type { DueItem, SessionRecord } from './session-record';

/*
 * What the nurse's screen shows next from the derived record (docs/clinical-defaults.md "The session record beyond
 * vitals", "What is due next on the tile"). Pure: the record and the moment in, the answer out.
 */

const msPerMin = 60_000;

/** Upcoming: due later; due: its minute has come (up to 1 min past); overdue: more than that past its time. */
export type DueStatus = 'upcoming' | 'due' | 'overdue';

export interface DueNext {
  item: DueItem;
  /** Milliseconds until it is due; negative once past. */
  dueInMs: number;
  status: DueStatus;
}

/** Within this of its time an item reads "due now" rather than "overdue". */
export const dueNowToleranceMs = msPerMin;

/** On the same due time, the check of the patient first, then a PRN's reassessment, then a score. */
const kindRank: Record<DueItem['kind'], number> = { rounding: 0, reassessment: 1, score: 2 };

export function dueStatus(dueInMs: number): DueStatus {
  if (dueInMs > 0) return 'upcoming';
  return -dueInMs <= dueNowToleranceMs ? 'due' : 'overdue';
}

/** Every open item with its status at `nowMs`, the most urgent first: the earliest due time (the most overdue) leads. */
export function dueAt(due: readonly DueItem[], nowMs: number): DueNext[] {
  return [...due]
    .sort((a, b) => a.dueAtMs - b.dueAtMs || kindRank[a.kind] - kindRank[b.kind] || a.id.localeCompare(b.id))
    .map((item) => {
      const dueInMs = item.dueAtMs - nowMs;
      return { item, dueInMs, status: dueStatus(dueInMs) };
    });
}

/** The single most urgent open item at `nowMs`, or null when nothing is due. */
export function mostUrgentDue(due: readonly DueItem[], nowMs: number): DueNext | null {
  return dueAt(due, nowMs)[0] ?? null;
}

/**
 * Esketamine's next device at `nowMs`: its number, the lot of the previous device (the same box, as a rule), and the
 * rest still to wait before it may be given without a clinician's override (0 once over). Null when no device is
 * expected (IV, or every device given).
 */
export function nextDeviceAt(
  record: Pick<SessionRecord, 'nextDevice' | 'doses'>,
  nowMs: number,
): { device: number; lot: string | null; restLeftMs: number; notBeforeMs: number | null } | null {
  const next = record.nextDevice;
  if (next === null) return null;
  const lot = record.doses.filter((d) => d.device !== null && d.lot !== null).at(-1)?.lot ?? null;
  const restLeftMs = next.notBeforeMs === null ? 0 : Math.max(0, next.notBeforeMs - nowMs);
  return { device: next.device, lot, restLeftMs, notBeforeMs: next.notBeforeMs };
}

/** PRNs given and not yet reassessed, the one due first leading. */
export function openReassessments(record: Pick<SessionRecord, 'prns'>): SessionRecord['prns'] {
  return record.prns.filter((p) => p.reassessment === null).sort((a, b) => a.reassessDueAtMs - b.reassessDueAtMs);
}
