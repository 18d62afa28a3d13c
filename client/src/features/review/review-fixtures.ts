/*
 * Builders for the review UI's tests (imported by *.test.tsx only). Times are minutes after the
 * session fixtures' check-in at 09:00 UTC; reports are in the UTC clinic zone, so 09:35 reads "09:35".
 */
import {
  type Alert,
  type AlertPriority,
  type Reading,
  type SessionEventView,
  type SessionState,
  type SessionStats,
  emptyLatestVitals,
  sessionStats,
} from '@chairside/shared';
import { makeReading } from '../../test-utils';
import { at, isoAt, sessionFixture } from '../sessions/session-fixtures';
import type { PatientHistoryItem, SessionAddendum, SessionListItem, SessionListPage, SessionReport, SessionSignature } from '@chairside/shared';

export { at, isoAt };

export const clinician = { id: 'u2', username: 'dr.lee', displayName: 'Dr Lee', role: 'clinician' as const };
export const nurse = { id: 'u1', username: 'nina', displayName: 'Nina N.', role: 'nurse' as const };
export const admin = { id: 'u3', username: 'admin', displayName: 'Admin', role: 'admin' as const };

/** A BP reading of the session at `minutes`. */
export function bpReading(seq: number, minutes: number, systolic: number, diastolic: number, fields: Partial<Reading> = {}): Reading {
  return makeReading({ seq, sessionId: 'session-1', measuredAt: isoAt(minutes), systolic, diastolic, heartRate: 70 + seq, ...fields });
}

export function sessionEvent(seq: number, minutes: number, fields: Partial<SessionEventView> & Pick<SessionEventView, 'type'>): SessionEventView {
  return { seq, at: isoAt(minutes), username: 'nina', role: 'nurse', fromPhase: null, toPhase: null, payload: {}, ...fields };
}

export function alertAt(n: number, priority: AlertPriority, raisedMin: number, ack: { min: number; by: string; note?: string } | null = null): Alert {
  return {
    id: `session-1.bp-severe.${n}`,
    ruleId: 'bp-severe',
    subject: null,
    label: 'Severe hypertension',
    category: 'physiological',
    priority,
    status: ack === null ? 'active' : 'acknowledged',
    message: 'BP 182/112',
    facts: { kind: 'not-ready' },
    readingSeq: null,
    raisedAtMs: at(raisedMin),
    escalatedAtMs: null,
    conditionResolvedAtMs: null,
    clearedAtMs: null,
    clearReason: null,
    acknowledgements:
      ack === null
        ? []
        : [{ by: { userId: 'u1', username: ack.by }, atMs: at(ack.min), note: ack.note ?? null, priority, message: 'BP 182/112', vitals: emptyLatestVitals }],
  };
}

/** A discharged IV-ketamine session: check-in 09:00, infusion 09:10–09:50, discharged 10:55. */
export const dischargedState: Partial<SessionState> = {
  phase: 'discharged',
  treatmentStartedAtMs: at(10),
  treatmentEndedAtMs: at(50),
  observationStartedAtMs: at(50),
  gateFirstHeldAtMs: at(112),
  dischargedAtMs: at(115),
};

export const defaultReadings: Reading[] = [bpReading(1, 2, 128, 80), bpReading(2, 8, 132, 84), bpReading(3, 30, 150, 92), bpReading(4, 60, 136, 85)];

export interface ReportFixture {
  state?: Partial<SessionState>;
  readings?: Reading[];
  alerts?: Alert[];
  events?: SessionEventView[];
  signature?: SessionSignature | null;
  addenda?: SessionAddendum[];
  /** Changes the statistics the server would send, to tell them apart from what the readings say. */
  stats?: (stats: SessionStats) => SessionStats;
}

export function reportFixture({ state = dischargedState, readings = defaultReadings, alerts = [], events = [], signature = null, addenda = [], stats }: ReportFixture = {}): SessionReport {
  const session = { ...sessionFixture({ state }), events, readings };
  const computed = sessionStats({ session, alerts, asOfMs: at(200) });
  return {
    input: {
      session,
      alerts,
      chairName: 'Chair 1',
      signature: signature === null ? null : { signedBy: `${signature.signedByName} (${signature.signedBy})`, signedAtMs: signature.signedAt },
      addenda: addenda.map((a) => ({ text: a.text, by: `${a.displayName} (${a.username})`, atMs: a.at })),
    },
    stats: stats === undefined ? computed : stats(computed),
    signature,
    addenda,
    timeZone: 'UTC',
  };
}

export const signatureByDrLee: SessionSignature = {
  sessionId: 'session-1',
  signedBy: 'dr.lee',
  signedByName: 'Dr Lee',
  signedAt: at(180),
  statement: 'I have reviewed this session record (readings, alerts, acknowledgements and events) and sign it as complete.',
};

export function listItem(n: number, fields: Partial<SessionListItem> = {}): SessionListItem {
  return {
    id: `session-${n}`,
    chairId: 'chair-1',
    patientId: 'patient-1',
    patientName: 'J. Doe',
    protocolId: 'iv-ketamine',
    protocolVersion: 1,
    phase: 'discharged',
    checkedInAt: isoAt(-n * 60),
    checkedInBy: 'nina',
    endedAt: isoAt(-n * 60 + 120),
    alertCount: 0,
    highAlertCount: 0,
    signedAt: null,
    ...fields,
  };
}

export function listPage(total: number, offset: number, count: number): SessionListPage {
  return { total, limit: 50, offset, items: Array.from({ length: count }, (_, i) => listItem(offset + i + 1)) };
}

/** A history item whose treatment started at `startMin` (minutes after the fixture's t0) on day `day` after it. */
export function historyItem(n: number, day: number, curve: [number, number, number][], fields: Partial<PatientHistoryItem> = {}): PatientHistoryItem {
  const report = reportFixture();
  const dayMs = day * 86_400_000;
  return {
    sessionId: `session-${n}`,
    checkedInAt: new Date(at(0) + dayMs).toISOString(),
    protocolName: 'IV ketamine',
    phase: 'discharged',
    stats: report.stats,
    bpCurve: curve.map(([minutes, systolic, diastolic]) => ({ minutes, systolic, diastolic })),
    ...fields,
  };
}
