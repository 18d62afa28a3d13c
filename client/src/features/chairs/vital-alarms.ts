import { type Alert, type AlertFacts, type AlertPriority, alertTitle, compareAlertPriority } from '@chairside/shared';
import type { AlertEntry } from '../../store/alerts-slice';
import { isOpen } from '../../lib/alarm-view';

/** The four boxes of a chair's vitals. */
export type VitalKind = 'bp' | 'heartRate' | 'spo2' | 'respRate';

/**
 * Which number on a tile an open alarm is about, so that the number itself changes (not only the
 * tile's frame): the vitals its facts name. BP limits, a rise over baseline and an elevated baseline
 * are about the BP; a sustained HR, SpO₂ or RR about that vital. Technical and advisory alarms (no
 * data, BP overdue, a rejected value, a missed checkpoint, the discharge criteria, an overdue eyes-on
 * check or PRN reassessment) are about no shown number. Pure.
 */
export function vitalsOfFacts(facts: AlertFacts): VitalKind[] {
  switch (facts.kind) {
    case 'bp-threshold':
    case 'bp-rise':
    case 'baseline-bp':
      return ['bp'];
    case 'sustained-vital': {
      const { field } = facts.breach;
      return [field === 'systolic' || field === 'diastolic' || field === 'mean' ? 'bp' : field];
    }
    case 'bp-overdue':
    case 'checkpoint-missed':
    case 'no-data':
    case 'implausible':
    case 'not-ready':
    case 'rounding-overdue':
    case 'reassessment-overdue':
      return [];
  }
}

/** How a vital shows the alarm about it. */
export interface VitalAlarm {
  priority: AlertPriority;
  /** Waiting for someone: filled in the priority's colour. Acknowledged: outlined. */
  acknowledged: boolean;
  /** The alarm's title, for the tooltip. */
  title: string;
}

export type VitalAlarms = Partial<Record<VitalKind, VitalAlarm>>;

/** Acknowledged, its condition gone (a latched alarm waiting to clear): the number is no longer the problem. */
function conditionPresent(alert: Alert): boolean {
  return alert.status === 'active' || alert.conditionResolvedAtMs === null;
}

/**
 * Per vital, the alarm it shows: like the tile's frame, the most urgent alarm still waiting for
 * acknowledgement, else the most urgent acknowledged one whose condition is still present.
 */
export function vitalAlarms(byId: Record<string, AlertEntry>, chairId: string): VitalAlarms {
  const result: VitalAlarms = {};
  for (const entry of Object.values(byId)) {
    if (entry.chairId !== chairId || !isOpen(entry) || !conditionPresent(entry.alert)) continue;
    const { alert } = entry;
    const candidate: VitalAlarm = { priority: alert.priority, acknowledged: alert.status !== 'active', title: alertTitle(alert) };
    for (const vital of vitalsOfFacts(alert.facts)) {
      const shown = result[vital];
      if (shown === undefined || outranks(candidate, shown)) result[vital] = candidate;
    }
  }
  return result;
}

function outranks(a: VitalAlarm, b: VitalAlarm): boolean {
  if (a.acknowledged !== b.acknowledged) return !a.acknowledged;
  return compareAlertPriority(a.priority, b.priority) > 0;
}
