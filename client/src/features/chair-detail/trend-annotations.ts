import {
  type Alert,
  type AlertPriority,
  type AlertRule,
  type SessionState,
  type TrendField,
  type VitalField,
  alertLimitsSchema,
  alertTitle,
  applyAlertLimits,
  defaultAlertRules,
  limitDirection,
} from '@chairside/shared';
import { type PaneId, paneOf } from './trend-panes';

/**
 * What the chart draws over the lines, from the session: its alert limits as horizontal lines, its
 * phases as shaded bands, its alerts as numbered markers. Pure: the session, the alerts and the
 * time are arguments.
 */

/** One alert limit on the chart: the first value of a vital that raises an alarm in that direction. */
export interface LimitLine {
  field: TrendField;
  direction: 'high' | 'low';
  value: number;
  /** "SBP ≥ 180". */
  label: string;
  priority: AlertPriority;
}

const fieldAbbreviation: Record<TrendField, string> = { systolic: 'SBP', diastolic: 'DBP', mean: 'MAP', heartRate: 'HR', spo2: 'SpO₂', respRate: 'RR' };
const comparatorText = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' } as const;

/** The session's rules as the server applies them: the defaults with a clinician's changed limits. */
export function sessionRules(alertLimits: unknown): readonly AlertRule[] {
  if (alertLimits === null || alertLimits === undefined) return defaultAlertRules;
  const parsed = alertLimitsSchema.safeParse(alertLimits);
  if (!parsed.success) return defaultAlertRules;
  const applied = applyAlertLimits(defaultAlertRules, parsed.data);
  return applied.ok ? applied.rules : defaultAlertRules;
}

function isTrendField(field: VitalField): field is TrendField {
  return field in fieldAbbreviation;
}

/**
 * Per vital and direction, the least extreme absolute limit of the session's enabled rules (SBP ≥ 180
 * rather than ≥ 200, SpO₂ < 92 rather than < 88): the line the values must stay inside. Limits
 * relative to the baseline (a rise) and the baseline check are not lines on a chart.
 */
export function limitLines(alertLimits: unknown): LimitLine[] {
  const best = new Map<string, LimitLine>();
  const offer = (field: VitalField, comparator: keyof typeof comparatorText, value: number, priority: AlertPriority) => {
    if (!isTrendField(field)) return;
    const direction = limitDirection(comparator);
    const key = `${field}:${direction}`;
    const held = best.get(key);
    if (held !== undefined && (direction === 'high' ? held.value <= value : held.value >= value)) return;
    best.set(key, { field, direction, value, priority, label: `${fieldAbbreviation[field]} ${comparatorText[comparator]} ${value}` });
  };
  for (const rule of sessionRules(alertLimits)) {
    if (!rule.enabled) continue;
    if (rule.kind === 'bp-threshold') for (const limit of rule.anyOf) offer(limit.field, limit.comparator, limit.limitMmHg, rule.priority);
    else if (rule.kind === 'sustained-vital') offer(rule.field, rule.comparator, rule.limit, rule.priority);
  }
  return [...best.values()];
}

export type PhaseBandKind = 'baseline' | 'treatment' | 'paused' | 'observation' | 'discharged';

/** One phase of the session as a shaded band. */
export interface PhaseBand {
  kind: PhaseBandKind;
  label: string;
  fromMs: number;
  toMs: number;
}

/**
 * The session's phases within [fromMs, toMs]: baseline from check-in, treatment (named as the
 * protocol names it: "Infusion", "Dosing") split around its pauses, observation, and the time after
 * discharge. Phases still running end at `toMs` (now).
 */
export function phaseBands(state: SessionState, treatmentLabel: string, fromMs: number, toMs: number): PhaseBand[] {
  const endedMs = state.dischargedAtMs ?? state.cancelledAtMs ?? toMs;
  const bands: PhaseBand[] = [];
  const add = (kind: PhaseBandKind, label: string, startMs: number, stopMs: number) => {
    const from = Math.max(fromMs, startMs);
    const to = Math.min(toMs, stopMs);
    if (to > from) bands.push({ kind, label, fromMs: from, toMs: to });
  };
  add('baseline', 'Baseline', state.checkedInAtMs, state.treatmentStartedAtMs ?? endedMs);
  if (state.treatmentStartedAtMs !== null) {
    const treatmentEndMs = state.treatmentEndedAtMs ?? endedMs;
    let startMs = state.treatmentStartedAtMs;
    for (const pause of state.pauses) {
      const pauseEndMs = pause.toMs ?? treatmentEndMs;
      add('treatment', treatmentLabel, startMs, pause.fromMs);
      add('paused', 'Paused', pause.fromMs, pauseEndMs);
      startMs = pauseEndMs;
    }
    add('treatment', treatmentLabel, startMs, treatmentEndMs);
  }
  if (state.observationStartedAtMs !== null) add('observation', 'Observation', state.observationStartedAtMs, endedMs);
  if (state.dischargedAtMs !== null) add('discharged', 'Discharged', state.dischargedAtMs, toMs);
  return bands;
}

/** One alert on the chart: a numbered mark at its start, in the pane of the vital it is about. */
export interface AlarmMarker {
  id: string;
  /** 1, 2, 3 … in time order: the mark on the chart and its line in the list below say the same. */
  number: number;
  atMs: number;
  priority: AlertPriority;
  pane: PaneId;
  title: string;
  /** 0, 1, 2: how far down its badge sits, so marks close together in time do not hide each other. */
  row: number;
}

/** The pane an alert belongs to: the vital it is about; BP for the BP and session clocks. */
export function alertPane(alert: Pick<Alert, 'facts'>): PaneId {
  const { facts } = alert;
  switch (facts.kind) {
    case 'sustained-vital':
      return isTrendField(facts.breach.field) ? paneOf(facts.breach.field) : 'bp';
    case 'implausible': {
      const field = facts.rejected[0]?.field;
      return field !== undefined && isTrendField(field) ? paneOf(field) : 'bp';
    }
    case 'no-data':
      return facts.vitals?.[0] ?? 'heartRate';
    default:
      return 'bp';
  }
}

/** Marks closer than this share of the period (a badge's width on a phone) are staggered. */
const crowdedShare = 1 / 18;
const badgeRows = 3;

/**
 * The alerts raised within [fromMs, toMs], oldest first, numbered. A mark within `crowdedShare` of
 * the period after the previous one in its pane gets the next row (of three), so both numbers show.
 */
export function alarmMarkers(alerts: readonly Alert[], fromMs: number, toMs: number): AlarmMarker[] {
  const crowdedMs = (toMs - fromMs) * crowdedShare;
  const lastInPane = new Map<PaneId, AlarmMarker>();
  return alerts
    .filter((alert) => alert.raisedAtMs >= fromMs && alert.raisedAtMs <= toMs)
    .sort((a, b) => a.raisedAtMs - b.raisedAtMs || (a.id < b.id ? -1 : 1))
    .map((alert, index) => {
      const pane = alertPane(alert);
      const previous = lastInPane.get(pane);
      const row = previous !== undefined && alert.raisedAtMs - previous.atMs < crowdedMs ? (previous.row + 1) % badgeRows : 0;
      const marker = { id: alert.id, number: index + 1, atMs: alert.raisedAtMs, priority: alert.priority, pane, title: alertTitle(alert), row };
      lastInPane.set(pane, marker);
      return marker;
    });
}
