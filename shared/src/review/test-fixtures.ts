/*
 * Builders for the review tests (not exported from the package): hand-made sessions whose times are
 * minutes from the session engine's fixed check-in instant `t0`.
 */
import type { Alert } from '../alerts/alert';
import type { AlertPriority } from '../alerts/rules';
import type { Reading } from '../schemas/reading';
import type { SessionDetail } from '../schemas/session';
import { computeBaseline } from '../session/baseline';
import { type Protocol, ivKetamineProtocol } from '../session/protocol';
import { initialSessionState, type SessionState } from '../session/session-state';
import { at } from '../session/test-fixtures';

export { at, bp, minMs, reading, t0 } from '../session/test-fixtures';

/** Phase moments in minutes from t0; leave one out for a session that has not got there. */
export interface Moments {
  treatmentStarted?: number;
  treatmentEnded?: number;
  discharged?: number;
  cancelled?: number;
  gateFirstHeld?: number;
  override?: string;
}

export function stateAt(m: Moments): SessionState {
  const s = initialSessionState(at(0));
  const atOrNull = (x: number | undefined): number | null => (x === undefined ? null : at(x));
  const phase: SessionState['phase'] =
    m.cancelled !== undefined
      ? 'cancelled'
      : m.discharged !== undefined
        ? 'discharged'
        : m.treatmentEnded !== undefined
          ? 'observation'
          : m.treatmentStarted !== undefined
            ? 'treatment'
            : 'baseline';
  return {
    ...s,
    phase,
    treatmentStartedAtMs: atOrNull(m.treatmentStarted),
    treatmentEndedAtMs: atOrNull(m.treatmentEnded),
    observationStartedAtMs: atOrNull(m.treatmentEnded),
    dischargedAtMs: atOrNull(m.discharged),
    cancelledAtMs: atOrNull(m.cancelled),
    cancelReason: m.cancelled === undefined ? null : 'patient declined',
    gateFirstHeldAtMs: atOrNull(m.gateFirstHeld),
    dischargeOverride: m.override === undefined ? null : { reason: m.override, failingItems: ['bp-near-baseline'] },
  };
}

/** A session detail with the baseline computed from the readings taken before treatment started. */
export function sessionDetail(readings: Reading[], moments: Moments, protocol: Protocol = ivKetamineProtocol): SessionDetail {
  const state = stateAt(moments);
  const start = state.treatmentStartedAtMs;
  const baselineReadings = readings.filter((r) => start === null || Date.parse(r.measuredAt) <= start);
  return {
    id: 'session-1',
    chairId: 'chair-1',
    patient: { id: 'patient-1', displayName: 'Robin B.', mrn: 'MRN-0042', riskFlags: [] },
    protocol,
    state,
    baseline: computeBaseline(protocol, baselineReadings),
    bpTimesMs: [],
    checkedInBy: 'nina',
    revision: 1,
    events: [],
    readings,
  };
}

const emptyVitals = { bp: null, heartRate: null, spo2: null, respRate: null, lastRejection: null, lastReadingAt: null };

/** An alert raised at `raisedMin`, acknowledged at each of `ackMins` (minutes from t0). */
export function alert(n: number, priority: AlertPriority, raisedMin: number, ackMins: number[] = [], extra: Partial<Alert> = {}): Alert {
  return {
    id: `s1.bp-severe.${n}`,
    ruleId: 'bp-severe',
    subject: null,
    label: 'Severe hypertension',
    category: 'physiological',
    priority,
    status: ackMins.length > 0 ? 'acknowledged' : 'active',
    message: 'BP 182/112',
    facts: { kind: 'not-ready' },
    readingSeq: null,
    raisedAtMs: at(raisedMin),
    escalatedAtMs: null,
    conditionResolvedAtMs: null,
    clearedAtMs: null,
    clearReason: null,
    acknowledgements: ackMins.map((m) => ({
      by: { userId: 'u1', username: 'nina' },
      atMs: at(m),
      note: null,
      priority,
      message: 'BP 182/112',
      vitals: emptyVitals,
    })),
    ...extra,
  };
}
