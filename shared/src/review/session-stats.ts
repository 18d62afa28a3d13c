import type { Alert } from '../alerts/alert';
import { type AlertCategory, type AlertPriority, alertCategorySchema, alertPrioritySchema } from '../alerts/rules';
import type { Reading } from '../schemas/reading';
import type { SessionDetail } from '../schemas/session';
import type { SessionBaseline } from '../session/baseline';
import { sessionClocks } from '../session/clocks';
import { type EsketamineMonitoringForm, esketamineMonitoringForm } from '../session/esketamine-form';
import { type DischargeGateItemId, type TreatmentPause, sessionEndedAtMs, treatmentElapsedMs } from '../session/session-state';
import { bpPointsOf } from '../session/bp-readings';
import { timelineEndMs } from './phase-timeline';

/*
 * A session's summary statistics for review, report and export. Pure: the moment the statistics are
 * taken (`asOfMs`) is an argument; for a finished session it only matters that it is after the end.
 * All times are epoch ms, all durations ms.
 */

export type PeakField = 'systolic' | 'diastolic' | 'heartRate';

/** The highest value of one vital, the first time it was reached. */
export interface VitalPeak {
  field: PeakField;
  value: number;
  atMs: number;
  readingId: string;
  readingSeq: number;
  /** From treatment start to the peak; null when treatment never started. */
  sinceTreatmentStartMs: number | null;
  /** The patient's baseline of this vital; null when none was taken. */
  baseline: number | null;
  /** value − baseline, to 0.1; null without a baseline. */
  deltaFromBaseline: number | null;
}

/** The lowest SpO₂, the first time it was reached. */
export interface VitalNadir {
  value: number;
  atMs: number;
  readingId: string;
  readingSeq: number;
  sinceTreatmentStartMs: number | null;
}

export interface AlertAcknowledgementTime {
  alertId: string;
  ruleId: string;
  label: string;
  priority: AlertPriority;
  raisedAtMs: number;
  /** The first acknowledgement; null when nobody acknowledged the alert. */
  acknowledgedAtMs: number | null;
  acknowledgedBy: string | null;
  /** From raising (not escalation) to the first acknowledgement. */
  timeToAcknowledgeMs: number | null;
}

export interface AcknowledgementSummary {
  acknowledged: number;
  medianMs: number | null;
  maxMs: number | null;
}

export interface SessionStats {
  sessionId: string;
  asOfMs: number;
  baseline: SessionBaseline;
  /**
   * Which readings the peaks come from: those since treatment start (the response to the drug), or
   * every reading of a session whose treatment never started.
   */
  peakWindow: 'since-treatment-start' | 'whole-session';
  peaks: Record<PeakField, VitalPeak | null>;
  lowestSpo2: VitalNadir | null;
  readings: {
    total: number;
    bloodPressures: number;
    /** Readings with at least one rejected value, and the rejected values in all. */
    withRejectedValues: number;
    rejectedValues: number;
  };
  alerts: {
    total: number;
    /** By each alert's final priority (alerts only rise within an episode). */
    byPriority: Record<AlertPriority, number>;
    byCategory: Record<AlertCategory, number>;
    /** Alerts nobody acknowledged. */
    unacknowledged: number;
    /** Alerts still active at `asOfMs`. */
    active: number;
  };
  acknowledgement: AcknowledgementSummary & {
    perAlert: AlertAcknowledgementTime[];
    byPriority: Record<AlertPriority, AcknowledgementSummary>;
  };
  phases: {
    checkedInAtMs: number;
    treatmentStartedAtMs: number | null;
    treatmentEndedAtMs: number | null;
    dischargedAtMs: number | null;
    cancelledAtMs: number | null;
    /** Discharge or cancellation; null while the session runs. */
    endedAtMs: number | null;
    baselineMs: number;
    /** Time treating, pauses excluded. */
    treatmentMs: number;
    pausedMs: number;
    pauses: TreatmentPause[];
    /** Time in the observation phase (from treatment end). */
    observationMs: number;
    /** Check-in to the end (or `asOfMs`). */
    totalMs: number;
    /** Treatment start to the end (REMS "total minutes from dosing"); null before it. */
    sinceTreatmentStartMs: number | null;
  };
  /** The protocol's minimum observation, measured from its reference moment; null before that moment. */
  observation: {
    from: 'treatment-start' | 'treatment-end';
    referenceAtMs: number;
    elapsedMs: number;
    minimumMs: number;
    minimumReached: boolean;
  } | null;
  gate: {
    /** The first moment the discharge gate held: "discharge criteria met at". */
    firstHeldAtMs: number | null;
    /** From the observation reference moment to the gate first holding. */
    firstHeldAfterReferenceMs: number | null;
    dischargedVia: 'gate' | 'override' | null;
    overrideReason: string | null;
    overrideFailingItems: DischargeGateItemId[];
  };
  /** The Spravato REMS monitoring-form answers, for nasal-spray protocols; null otherwise. */
  esketamineForm: EsketamineMonitoringForm | null;
}

export interface SessionStatsInput {
  session: SessionDetail;
  alerts: readonly Alert[];
  /** When the statistics are taken (the server's clock); clocks of a running session run to it. */
  asOfMs: number;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? hi) + hi) / 2;
}

function summarize(times: readonly number[]): AcknowledgementSummary {
  return { acknowledged: times.length, medianMs: median(times), maxMs: times.length === 0 ? null : Math.max(...times) };
}

interface TimedReading {
  reading: Reading;
  atMs: number;
}

/** Readings with a valid time, oldest first (by measurement time, then server order). */
function timed(readings: readonly Reading[]): TimedReading[] {
  return readings
    .map((reading) => ({ reading, atMs: Date.parse(reading.measuredAt) }))
    .filter((r) => !Number.isNaN(r.atMs))
    .sort((a, b) => a.atMs - b.atMs || a.reading.seq - b.reading.seq);
}

/** The reading with the extreme value of `field`; the earliest on a tie. */
function extreme(
  readings: readonly TimedReading[],
  field: PeakField | 'spo2',
  better: (candidate: number, best: number) => boolean,
): { value: number; atMs: number; reading: Reading } | null {
  let best: { value: number; atMs: number; reading: Reading } | null = null;
  for (const r of readings) {
    const value = r.reading[field];
    if (value === null) continue;
    if (best === null || better(value, best.value)) best = { value, atMs: r.atMs, reading: r.reading };
  }
  return best;
}

function peakOf(
  readings: readonly TimedReading[],
  field: PeakField,
  baseline: number | null,
  treatmentStartMs: number | null,
): VitalPeak | null {
  const found = extreme(readings, field, (v, best) => v > best);
  if (found === null) return null;
  return {
    field,
    value: found.value,
    atMs: found.atMs,
    readingId: found.reading.id,
    readingSeq: found.reading.seq,
    sinceTreatmentStartMs: treatmentStartMs === null ? null : found.atMs - treatmentStartMs,
    baseline,
    deltaFromBaseline: baseline === null ? null : round1(found.value - baseline),
  };
}

function countBy<K extends string>(keys: readonly K[], values: readonly K[]): Record<K, number> {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) counts[v] += 1;
  return counts;
}

function acknowledgementTime(alert: Alert): AlertAcknowledgementTime {
  const first = [...alert.acknowledgements].sort((a, b) => a.atMs - b.atMs)[0];
  return {
    alertId: alert.id,
    ruleId: alert.ruleId,
    label: alert.label,
    priority: alert.priority,
    raisedAtMs: alert.raisedAtMs,
    acknowledgedAtMs: first?.atMs ?? null,
    acknowledgedBy: first?.by.username ?? null,
    timeToAcknowledgeMs: first === undefined ? null : Math.max(0, first.atMs - alert.raisedAtMs),
  };
}

/** The summary statistics of one session and its alerts, as of `asOfMs`. */
export function sessionStats({ session, alerts, asOfMs }: SessionStatsInput): SessionStats {
  const { state, protocol, baseline } = session;
  const treatmentStartMs = state.treatmentStartedAtMs;
  const all = timed(session.readings);
  const window = treatmentStartMs === null ? all : all.filter((r) => r.atMs >= treatmentStartMs);

  const lowest = extreme(window, 'spo2', (v, best) => v < best);
  const rejectedCounts = session.readings.map((r) => r.rejected.length);

  const perAlert = [...alerts].sort((a, b) => a.raisedAtMs - b.raisedAtMs).map(acknowledgementTime);
  const ackTimes = (priority?: AlertPriority): number[] =>
    perAlert.flatMap((a) => (a.timeToAcknowledgeMs === null || (priority !== undefined && a.priority !== priority) ? [] : [a.timeToAcknowledgeMs]));
  const priorities = alertPrioritySchema.options;

  const end = timelineEndMs(state, asOfMs);
  const endedAtMs = sessionEndedAtMs(state);
  const treatmentEnd = state.treatmentEndedAtMs;
  const treatmentSpanEnd = treatmentEnd ?? end;
  const treatmentMs = treatmentElapsedMs(state, end);
  const clocks = sessionClocks(protocol, state, { lastBpAtMs: null, bpReadingTimes: [] }, end);

  return {
    sessionId: session.id,
    asOfMs,
    baseline,
    peakWindow: treatmentStartMs === null ? 'whole-session' : 'since-treatment-start',
    peaks: {
      systolic: peakOf(window, 'systolic', baseline.systolic, treatmentStartMs),
      diastolic: peakOf(window, 'diastolic', baseline.diastolic, treatmentStartMs),
      heartRate: peakOf(window, 'heartRate', baseline.heartRate, treatmentStartMs),
    },
    lowestSpo2:
      lowest === null
        ? null
        : {
            value: lowest.value,
            atMs: lowest.atMs,
            readingId: lowest.reading.id,
            readingSeq: lowest.reading.seq,
            sinceTreatmentStartMs: treatmentStartMs === null ? null : lowest.atMs - treatmentStartMs,
          },
    readings: {
      total: session.readings.length,
      bloodPressures: bpPointsOf(session.readings).length,
      withRejectedValues: rejectedCounts.filter((n) => n > 0).length,
      rejectedValues: rejectedCounts.reduce((s, n) => s + n, 0),
    },
    alerts: {
      total: alerts.length,
      byPriority: countBy(priorities, alerts.map((a) => a.priority)),
      byCategory: countBy(alertCategorySchema.options, alerts.map((a) => a.category)),
      unacknowledged: alerts.filter((a) => a.acknowledgements.length === 0).length,
      active: alerts.filter((a) => a.status === 'active').length,
    },
    acknowledgement: {
      ...summarize(ackTimes()),
      perAlert,
      byPriority: Object.fromEntries(priorities.map((p) => [p, summarize(ackTimes(p))])) as Record<AlertPriority, AcknowledgementSummary>,
    },
    phases: {
      checkedInAtMs: state.checkedInAtMs,
      treatmentStartedAtMs: treatmentStartMs,
      treatmentEndedAtMs: treatmentEnd,
      dischargedAtMs: state.dischargedAtMs,
      cancelledAtMs: state.cancelledAtMs,
      endedAtMs,
      baselineMs: Math.max(0, (treatmentStartMs ?? end) - state.checkedInAtMs),
      treatmentMs,
      pausedMs: treatmentStartMs === null ? 0 : Math.max(0, treatmentSpanEnd - treatmentStartMs - treatmentMs),
      pauses: state.pauses,
      observationMs: treatmentEnd === null ? 0 : Math.max(0, end - treatmentEnd),
      totalMs: Math.max(0, end - state.checkedInAtMs),
      sinceTreatmentStartMs: treatmentStartMs === null ? null : Math.max(0, end - treatmentStartMs),
    },
    observation:
      clocks.observation === null
        ? null
        : {
            from: clocks.observation.from,
            referenceAtMs: clocks.observation.referenceAtMs,
            elapsedMs: clocks.observation.elapsedMs,
            minimumMs: clocks.observation.minimumMs,
            minimumReached: clocks.observation.minimumReached,
          },
    gate: {
      firstHeldAtMs: state.gateFirstHeldAtMs,
      firstHeldAfterReferenceMs:
        state.gateFirstHeldAtMs === null || clocks.observation === null
          ? null
          : state.gateFirstHeldAtMs - clocks.observation.referenceAtMs,
      dischargedVia: state.dischargedAtMs === null ? null : state.dischargeOverride === null ? 'gate' : 'override',
      overrideReason: state.dischargeOverride?.reason ?? null,
      overrideFailingItems: state.dischargeOverride?.failingItems ?? [],
    },
    esketamineForm:
      protocol.kind === 'nasal-spray' ? esketamineMonitoringForm({ protocol, state, readings: session.readings }) : null,
  };
}
