import { type Alert, type AlertPriority, alertOnsetMs, alertSymbol, compareAlertPriority, sortAlerts } from '@chairside/shared';
import { type AlertEntry, clearedVisibleMs } from '../store/alerts-slice';
import type { ScreenAlarm } from './screen-alarms';

/** What the alarm bar, the tiles and the tab title show, derived from the store; pure. */

export const priorityWord: Record<AlertPriority, string> = { high: 'High', medium: 'Medium', low: 'Low' };

/** Not cleared, or cleared less than `clearedVisibleMs` ago. */
export function isVisible(entry: AlertEntry, nowMs: number): boolean {
  return entry.clearedSeenAtMs === null || nowMs - entry.clearedSeenAtMs < clearedVisibleMs;
}

export function isOpen(entry: AlertEntry): boolean {
  return entry.clearedSeenAtMs === null && entry.alert.status !== 'cleared';
}

/** The bar's order (shared `sortAlerts`): most urgent first, then the newest onset. */
export function sortEntries(entries: readonly AlertEntry[]): AlertEntry[] {
  const order = new Map(sortAlerts(entries.map((entry) => entry.alert)).map((alert, index) => [alert.id, index]));
  return [...entries].sort((a, b) => (order.get(a.alert.id) ?? 0) - (order.get(b.alert.id) ?? 0));
}

export function visibleEntries(byId: Record<string, AlertEntry>, nowMs: number): AlertEntry[] {
  return sortEntries(Object.values(byId).filter((entry) => isVisible(entry, nowMs)));
}

export interface ChairAlarm {
  /** The most urgent open alert of the chair. */
  top: AlertEntry;
  priority: AlertPriority;
  /** At least one open alert of the chair waits for someone to acknowledge it: it flashes. */
  unacknowledged: boolean;
  open: number;
}

export function chairAlarm(byId: Record<string, AlertEntry>, chairId: string): ChairAlarm | null {
  const open = sortEntries(Object.values(byId).filter((entry) => entry.chairId === chairId && isOpen(entry)));
  const top = open[0];
  if (top === undefined) return null;
  const unacknowledged = open.filter((entry) => entry.alert.status === 'active');
  // The frame follows the most urgent alarm still waiting, or the most urgent acknowledged one.
  const lead = unacknowledged[0] ?? top;
  return { top: lead, priority: lead.alert.priority, unacknowledged: unacknowledged.length > 0, open: open.length };
}

/**
 * "(2) !!! " — unacknowledged alarms and the most urgent symbol; "" when none. This screen's own
 * alarms (lost connection, store fault: `screenPriorities`) count too.
 */
export function tabTitlePrefix(byId: Record<string, AlertEntry>, screenPriorities: readonly AlertPriority[] = []): string {
  const waiting = Object.values(byId)
    .filter((entry) => isOpen(entry) && entry.alert.status === 'active')
    .map((entry) => entry.alert.priority)
    .concat(screenPriorities);
  let highest: AlertPriority | null = null;
  for (const priority of waiting) {
    if (highest === null || compareAlertPriority(priority, highest) > 0) highest = priority;
  }
  return highest === null ? '' : `(${waiting.length}) ${alertSymbol(highest)} `;
}

/** "2:00", "1:32", "0:05": remaining time, rounded up to the second. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The newest acknowledgement, if any. */
export function lastAcknowledgement(alert: Alert): Alert['acknowledgements'][number] | null {
  return alert.acknowledgements.at(-1) ?? null;
}

/**
 * An alarm that rose again (escalated) after someone acknowledged it: it waits for acknowledgement
 * again, so "Acknowledged by …" is history, not its state.
 */
export function isActiveAfterAcknowledgement(alert: Alert): boolean {
  return alert.status === 'active' && alert.acknowledgements.length > 0;
}

/** What such an alarm says as its state. */
export function activeAgainText(alert: Alert): string {
  return alert.escalatedAtMs !== null ? 'Escalated after acknowledgement' : 'Active again after acknowledgement';
}

/** How the bar says what an alert is about: the data (technical), or the patient. */
export function categoryWord(alert: Alert): string | null {
  switch (alert.category) {
    case 'technical':
      return 'Technical';
    case 'advisory':
      return 'Advisory';
    case 'physiological':
      return null;
  }
}

/** One alarm that waits for someone: a chair's, or this screen's own (lost connection, store fault). */
export type WaitingAlarm =
  | { kind: 'chair'; entry: AlertEntry; priority: AlertPriority; key: string }
  | { kind: 'screen'; alarm: ScreenAlarm; priority: AlertPriority; key: string };

export interface StripAlarms {
  /**
   * Open alarms nobody has acknowledged, most urgent first: the strip shows the first, "+N more" the
   * rest. An acknowledged alarm that escalated (or rose again) waits again. At equal priority this
   * screen's own alarms lead: while they last, every other value may be out of date.
   */
  waiting: WaitingAlarm[];
  /** Open and acknowledged: on their tiles and in the full list, no longer in the strip. */
  acknowledged: AlertEntry[];
}

/**
 * Identifies an alarm's current episode: an escalation moves its onset, so an alarm that escalates
 * is news again (announced, back in the strip).
 */
export function waitingKey(alert: Alert): string {
  return `${alert.id}@${alertOnsetMs(alert)}`;
}

/** The strip's alarms from the visible entries (`visibleEntries`, sorted) and this screen's own; pure. */
export function stripAlarms(entries: readonly AlertEntry[], screen: readonly ScreenAlarm[]): StripAlarms {
  const open = entries.filter(isOpen);
  const chairs: WaitingAlarm[] = open
    .filter((entry) => entry.alert.status === 'active')
    .map((entry) => ({ kind: 'chair', entry, priority: entry.alert.priority, key: waitingKey(entry.alert) }));
  const own: WaitingAlarm[] = screen.map((alarm) => ({ kind: 'screen', alarm, priority: alarm.alert.priority, key: waitingKey(alarm.alert) }));
  // A stable sort keeps the screen's own first at equal priority, and the chairs' order (newest first).
  const waiting = [...own, ...chairs].sort((a, b) => compareAlertPriority(b.priority, a.priority));
  return { waiting, acknowledged: open.filter((entry) => entry.alert.status === 'acknowledged') };
}
