import type { Reading } from '../schemas/reading';
import { type BpPoint, bpPointsOf, msPerMin } from './bp-readings';
import { checkpointReading } from './clocks';
import type { Protocol } from './protocol';
import type { SessionState } from './session-state';

export interface RemsBp {
  systolic: number;
  diastolic: number;
  atMs: number;
  readingId: string;
  /** Whole minutes from dosing start (negative before it); null before dosing started. */
  minutesFromDosing: number | null;
}

/**
 * The Spravato REMS monitoring-form answers the session log can give (docs/clinical-defaults.md "The session timeline",
 * [label/REMS]). Each answer is null when the log cannot give it, and `missing` says why.
 */
export interface EsketamineMonitoringForm {
  dosingStartedAtMs: number | null;
  bpBeforeDosing: RemsBp | null;
  /** The reading that met the protocol's BP checkpoint (Spravato: ~40 min, window 35–50). */
  bpAtCheckpoint: (RemsBp & { checkpointId: string; checkpointLabel: string }) | null;
  bpBeforeDischarge: RemsBp | null;
  monitoringEndedAtMs: number | null;
  /** Whole minutes from dosing start to the end of monitoring (discharge), rounded down. */
  totalMonitoringMinutes: number | null;
  /** The REMS form's question "when would the patient have been ready to leave": when the discharge criteria were first met (the gate first held). */
  readyToLeaveAtMs: number | null;
  readyToLeaveMinutesFromDosing: number | null;
  /** Set when a clinician discharged while the gate did not hold. */
  dischargeOverrideReason: string | null;
  missing: string[];
}

function minutesBetween(fromMs: number | null, toMs: number): number | null {
  return fromMs === null ? null : Math.floor((toMs - fromMs) / msPerMin);
}

/**
 * Fills the esketamine monitoring form from a session's state and readings (every reading of the
 * session; rejected values are ignored). Works for a running session too, as a preview: the BP
 * before discharge is then the newest BP since dosing, and the totals stay null until discharge.
 */
export function esketamineMonitoringForm(input: {
  protocol: Protocol;
  state: SessionState;
  readings: readonly Reading[];
}): EsketamineMonitoringForm {
  const { protocol, state } = input;
  const points = bpPointsOf(input.readings);
  const dosingAt = state.treatmentStartedAtMs;
  const endAt = state.dischargedAtMs;
  const asRems = (p: BpPoint): RemsBp => ({
    systolic: p.systolic,
    diastolic: p.diastolic,
    atMs: p.atMs,
    readingId: p.readingId,
    minutesFromDosing: minutesBetween(dosingAt, p.atMs),
  });
  const missing: string[] = [];
  const dosing = protocol.labels.treatmentStartMoment;

  let bpBeforeDosing: RemsBp | null = null;
  let bpAtCheckpoint: EsketamineMonitoringForm['bpAtCheckpoint'] = null;
  let bpBeforeDischarge: RemsBp | null = null;

  if (dosingAt === null) {
    missing.push(`${dosing} has not been recorded`);
  } else {
    const before = points.filter((p) => p.atMs <= dosingAt).at(-1);
    if (before === undefined) missing.push(`no BP before ${dosing}`);
    else bpBeforeDosing = asRems(before);

    const checkpoint = protocol.checkpoints.find((c) => c.vital === 'bp');
    if (checkpoint !== undefined) {
      const found = checkpointReading(checkpoint, state, points.map((p) => p.atMs));
      const metAtMs = found?.metAtMs ?? null;
      const point = metAtMs === null ? undefined : points.find((p) => p.atMs === metAtMs);
      if (point === undefined) {
        const moment = checkpoint.from === 'treatment-start' ? dosing : protocol.labels.treatmentEndMoment;
        missing.push(`no BP for "${checkpoint.label}" (${checkpoint.windowStartMin}–${checkpoint.windowEndMin} min after ${moment})`);
      } else {
        bpAtCheckpoint = { ...asRems(point), checkpointId: checkpoint.id, checkpointLabel: checkpoint.label };
      }
    }

    const after = points.filter((p) => p.atMs > dosingAt && (endAt === null || p.atMs <= endAt)).at(-1);
    if (after === undefined) missing.push(`no BP since ${dosing}`);
    else bpBeforeDischarge = asRems(after);
  }

  if (endAt === null) missing.push('the patient has not been discharged');
  if (state.gateFirstHeldAtMs === null) {
    missing.push(
      state.dischargeOverride === null
        ? 'the discharge gate has not held yet'
        : 'the discharge gate never held: a clinician discharged with an override',
    );
  }

  return {
    dosingStartedAtMs: dosingAt,
    bpBeforeDosing,
    bpAtCheckpoint,
    bpBeforeDischarge,
    monitoringEndedAtMs: endAt,
    totalMonitoringMinutes: endAt === null ? null : minutesBetween(dosingAt, endAt),
    readyToLeaveAtMs: state.gateFirstHeldAtMs,
    readyToLeaveMinutesFromDosing: state.gateFirstHeldAtMs === null ? null : minutesBetween(dosingAt, state.gateFirstHeldAtMs),
    dischargeOverrideReason: state.dischargeOverride?.reason ?? null,
    missing,
  };
}
