import {
  type Alert,
  type CheckpointClock,
  type DischargeGateItem,
  type DischargeGateResult,
  type LatestVitals,
  type SessionClocks,
  type SessionSummary,
  evaluateDischargeGate,
  formatBp,
  isTreatmentPaused,
  sessionClocks,
  type StartGateResult,
} from '@chairside/shared';
import { formatClock, formatMinutes, formatMinutesLeft } from '../../lib/vital-format';

/**
 * What a tile and the chair page say about a running session, as plain text: phase, clocks, the
 * next BP, checkpoints, the rise over baseline and whether the patient may leave. Pure: the time and
 * the newest vitals are arguments, so every sentence is tested at a given instant.
 */

const msPerMin = 60_000;

/**
 * Elapsed time in the one duration format of the tiles and the chair page: "7 min", "1 h 2 min"
 * (never "7:05" beside "1:02:03", which read like times of day or like each other).
 */
export function formatDuration(ms: number): string {
  return formatMinutes(ms);
}

/** Time left, rounded up to the minute: 16 min 5 s left is "17 min", and it reaches "0 min" only at the end. */
export function formatCountdown(ms: number): string {
  return formatMinutesLeft(ms);
}

/** Whole minutes left as a person says it: 22 min 10 s left is "23 min". */
export function minutesLeft(ms: number): number {
  return Math.max(0, Math.ceil(ms / msPerMin));
}

/** "+18", "−4", "±0" (a true minus sign, read as "minus"). */
export function signed(value: number): string {
  const rounded = Math.round(value);
  if (rounded === 0) return '±0';
  return rounded > 0 ? `+${rounded}` : `−${Math.abs(rounded)}`;
}

/** The phase as a tile names it, in the protocol's words: "Infusion", "Dosing", "Infusion paused". */
export function sessionPhaseLabel(session: SessionSummary): string {
  const { labels } = session.protocol;
  switch (session.state.phase) {
    case 'baseline':
      return 'Baseline';
    case 'treatment':
      return isTreatmentPaused(session.state) ? `${labels.treatmentPhase} paused` : labels.treatmentPhase;
    case 'observation':
      return 'Observation';
    case 'discharged':
      return 'Discharged';
    case 'cancelled':
      return 'Cancelled';
  }
}

/** The newest plausible BP of the session: the chair's newest one when it was taken since check-in. */
export function sessionLastBp(session: SessionSummary, latest: LatestVitals | undefined): { systolic: number; diastolic: number; atMs: number } | null {
  const bp = latest?.bp;
  if (bp === undefined || bp === null || bp.systolic === null || bp.diastolic === null) return null;
  const atMs = Date.parse(bp.measuredAt);
  return atMs >= session.state.checkedInAtMs ? { systolic: bp.systolic, diastolic: bp.diastolic, atMs } : null;
}

/** Every clock of the session at `nowMs`; a BP the socket delivered before the session summary counts at once. */
export function clocksOf(session: SessionSummary, latest: LatestVitals | undefined, nowMs: number): SessionClocks {
  const times = session.bpTimesMs;
  let lastBpAtMs = times.length === 0 ? null : Math.max(...times);
  const live = sessionLastBp(session, latest);
  if (live !== null && (lastBpAtMs === null || live.atMs > lastBpAtMs)) lastBpAtMs = live.atMs;
  return sessionClocks(session.protocol, session.state, { lastBpAtMs, bpReadingTimes: times }, nowMs);
}

/** "Infusion 23 min · 17 min left", "Infusion paused at 23 min · 17 min left", "Dosing 12 min · 2 min over plan". */
export function treatmentText(session: SessionSummary, clocks: SessionClocks): string | null {
  const t = clocks.treatment;
  if (t === null) return null;
  const name = session.protocol.labels.treatmentPhase;
  if (t.ended) return `${name} ${formatDuration(t.elapsedMs)}`;
  const rest = t.overrunMs > 0 ? `${formatDuration(t.overrunMs)} over plan` : `${formatCountdown(t.remainingMs)} left`;
  return t.paused ? `${name} paused at ${formatDuration(t.elapsedMs)} · ${rest}` : `${name} ${formatDuration(t.elapsedMs)} · ${rest}`;
}

/** "Observation 48 min left" or "Observation minimum reached". */
export function observationText(clocks: SessionClocks): string | null {
  const o = clocks.observation;
  if (o === null) return null;
  return o.minimumReached ? 'Observation minimum reached' : `Observation ${formatCountdown(o.remainingMs)} left`;
}

export interface NextBpView {
  text: string;
  overdue: boolean;
}

/** "Next BP in 4 min", "BP due now" (overdue by less than a minute) or "BP overdue 3 min". */
export function nextBpView(clocks: SessionClocks): NextBpView | null {
  const next = clocks.nextBp;
  if (next === null) return null;
  if (!next.overdue) return { text: `Next BP in ${formatCountdown(next.dueAtMs - clocks.nowMs)}`, overdue: false };
  if (next.overdueMs < msPerMin) return { text: 'BP due now', overdue: true };
  return { text: `BP overdue ${Math.floor(next.overdueMs / msPerMin)} min`, overdue: true };
}

/**
 * "BP at 40 min: due 35–50 min", "BP at 40 min: due now, window closes in 9 min",
 * "BP at 40 min: met at 41 min", "BP at 40 min: missed".
 */
export function checkpointText(session: SessionSummary, checkpoint: CheckpointClock, nowMs: number): string {
  const definition = session.protocol.checkpoints.find((c) => c.id === checkpoint.id);
  const { label } = checkpoint;
  if (definition === undefined) return `${label}: ${checkpoint.status}`;
  switch (checkpoint.status) {
    case 'met': {
      if (checkpoint.metAtMs === null || checkpoint.targetAtMs === null) return `${label}: met`;
      const referenceAtMs = checkpoint.targetAtMs - definition.atMin * msPerMin;
      return `${label}: met at ${Math.floor((checkpoint.metAtMs - referenceAtMs) / msPerMin)} min`;
    }
    case 'missed':
      return `${label}: missed`;
    case 'pending': {
      if (checkpoint.open && checkpoint.windowEndAtMs !== null) {
        return `${label}: due now, window closes in ${minutesLeft(checkpoint.windowEndAtMs - nowMs)} min`;
      }
      const window = `${definition.windowStartMin}–${definition.windowEndMin} min`;
      if (checkpoint.targetAtMs !== null) return `${label}: due ${window}`;
      const { labels } = session.protocol;
      return `${label}: due ${window} after ${definition.from === 'treatment-start' ? labels.treatmentStartMoment : labels.treatmentEndMoment}`;
    }
  }
}

/** "Δ +18/+9 vs baseline 130/82": the session's newest BP against the patient's own baseline. */
export function bpDeltaText(session: SessionSummary, latest: LatestVitals | undefined): string | null {
  const { systolic, diastolic } = session.baseline;
  if (systolic === null || diastolic === null || session.state.phase === 'baseline') return null;
  const bp = sessionLastBp(session, latest);
  if (bp === null) return null;
  return `Δ ${signed(bp.systolic - systolic)}/${signed(bp.diastolic - diastolic)} vs baseline ${formatBp({ systolic, diastolic })}`;
}

/** "Baseline BP 1 of 2", "Baseline 130/82 · complete", "Baseline: no BP yet". */
export function baselineProgressText(session: SessionSummary): string {
  const { baseline, protocol } = session;
  if (baseline.complete && baseline.systolic !== null && baseline.diastolic !== null) {
    return `Baseline ${formatBp({ systolic: baseline.systolic, diastolic: baseline.diastolic })} · complete`;
  }
  return `Baseline BP ${baseline.bpReadingCount} of ${protocol.baseline.bpReadings}`;
}

/** The chair's newest value of a vital when it was measured since check-in (so it is this session's). */
function sessionValue(session: SessionSummary, value: { value: number; measuredAt: string } | null | undefined): { value: number; atMs: number } | null {
  if (value === null || value === undefined) return null;
  const atMs = Date.parse(value.measuredAt);
  return Number.isNaN(atMs) || atMs < session.state.checkedInAtMs ? null : { value: value.value, atMs };
}

/**
 * The discharge gate as this screen sees it now, for live countdowns: from the chair's newest BP,
 * heart rate and SpO₂ (with their times) and the session's alerts this screen has. The server
 * judges again on discharge, and its refusal is shown as it says it.
 */
export function localGate(session: SessionSummary, latest: LatestVitals | undefined, nowMs: number, alerts: readonly Alert[]): DischargeGateResult {
  return evaluateDischargeGate({
    protocol: session.protocol,
    state: session.state,
    baseline: session.baseline,
    lastBp: sessionLastBp(session, latest),
    lastHr: sessionValue(session, latest?.heartRate),
    lastSpo2: sessionValue(session, latest?.spo2),
    alerts,
    // The record's resolution and escort items, as the server judges them (absent: not judged).
    ...(session.record === undefined ? {} : { record: session.record }),
    nowMs,
  });
}

/**
 * What the start of treatment waits for, in plain words: "Start waits for: 1 more baseline BP at
 * least 5 min after the last one (due 10:42)"; null when nothing holds it (or it is not known).
 */
export function startWaitText(gate: StartGateResult | null | undefined): string | null {
  if (gate === null || gate === undefined || gate.holds) return null;
  const waits = gate.items
    .filter((item) => !item.ok)
    .map((item) => (item.dueAtMs === null ? item.detail : `${item.detail} (due ${formatClock(item.dueAtMs)})`));
  return `Start waits for: ${waits.join('; ')}`;
}

/** One failing gate item in a few words, for the tile: "23 min observation left", "checklist". */
export function gateItemShort(session: SessionSummary, item: DischargeGateItem, clocks: SessionClocks): string {
  const { dischargeGate } = session.protocol;
  switch (item.id) {
    case 'observation-time':
      return clocks.observation === null ? item.detail : `${minutesLeft(clocks.observation.remainingMs)} min observation left`;
    case 'bp-near-baseline':
      return item.detail.startsWith('no ') ? item.detail : `BP not within ${dischargeGate.bpWithinPercentOfBaseline} % of baseline`;
    case 'bp-below-severe':
      return item.detail.startsWith('no ') ? item.detail : `BP not below ${formatBp(dischargeGate.bpBelowMmHg)}`;
    case 'heart-rate':
      return item.detail.startsWith('no ') ? item.detail : `heart rate above ${dischargeGate.heartRateAtOrBelowPerMin}/min`;
    case 'spo2':
      if (item.detail.startsWith('no ')) return item.detail;
      if (item.detail.startsWith('last SpO₂')) return `no SpO₂ in the last ${dischargeGate.spo2MaxAgeMin} min`;
      return `SpO₂ not above ${dischargeGate.spo2AbovePercent} %`;
    case 'no-active-alarm':
      return 'alarm condition present';
    case 'sedation-resolved':
      return 'sedation or dissociation not resolved';
    case 'escort':
      return 'no escort recorded';
    case 'checklist':
      return 'checklist';
  }
}

/**
 * "Discharge criteria met at 10:52" (when the server recorded the gate first holding; just "met" until
 * it has) or "Discharge criteria not met: 23 min observation left, checklist". Never "ready to leave":
 * the gate is a set of criteria, the decision stays the nurse's.
 */
export function readinessText(session: SessionSummary, gate: DischargeGateResult, clocks: SessionClocks): string {
  if (gate.holds) {
    const firstMetAtMs = session.state.gateFirstHeldAtMs;
    return firstMetAtMs === null ? 'Discharge criteria met' : `Discharge criteria met at ${formatClock(firstMetAtMs)}`;
  }
  return `Discharge criteria not met: ${gate.items
    .filter((item) => !item.ok)
    .map((item) => gateItemShort(session, item, clocks))
    .join(', ')}`;
}
