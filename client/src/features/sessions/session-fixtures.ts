/*
 * Builders for the session UI's tests (imported by *.test.tsx only). Times are minutes after a fixed
 * check-in instant, so a test reads like a session's timeline.
 */
import {
  type LatestVitals,
  type Patient,
  type Protocol,
  type ReadinessAnswer,
  type RecordEntry,
  type SessionBaseline,
  type SessionState,
  type SessionSummary,
  deriveSessionRecord,
  emptyLatestVitals,
  evaluateStartGate,
  initialSessionState,
  ivKetamineProtocol,
} from '@chairside/shared';

export const minMs = 60_000;
/** 09:00 UTC: minute 0 of every test timeline (check-in). */
export const t0 = Date.parse('2026-11-22T09:00:00.000Z');
export const at = (minutes: number): number => t0 + minutes * minMs;
export const isoAt = (minutes: number): string => new Date(at(minutes)).toISOString();

export const patientJDoe: Patient = {
  id: 'patient-1',
  displayName: 'J. Doe',
  mrn: 'MRN-0042',
  riskFlags: ['hypertension'],
  createdAt: '2026-11-01T09:00:00.000Z',
};

export const completeBaseline: SessionBaseline = {
  systolic: 130,
  diastolic: 82,
  mean: 98,
  heartRate: 72,
  bpReadingCount: 2,
  readingIds: [],
  complete: true,
  missing: null,
};

export interface SessionFixture {
  protocol?: Protocol;
  state?: Partial<SessionState>;
  baseline?: Partial<SessionBaseline>;
  /** Minutes of the session's plausible BPs. */
  bpAt?: number[];
  patient?: Partial<SessionSummary['patient']>;
  id?: string;
  revision?: number;
  /** The newest BP before the start, for the start gate (default: the baseline's value at the last of `bpAt`). */
  lastBp?: { systolic: number; diastolic: number; atMs: number } | null;
  /**
   * The session record as the server derives it, from readiness answers (given at minute 1 by "nurse") and an escort;
   * given, the start gate also judges the readiness hard stops. Absent: no record (as summaries before it existed).
   */
  record?: { readiness?: Record<string, ReadinessAnswer>; escort?: { name: string; phone: string } };
}

/** Stored record entries: the readiness answers, then the escort, at minute 1. */
export function recordEntries(record: NonNullable<SessionFixture['record']>): RecordEntry[] {
  const entries: RecordEntry[] = [];
  const add = (type: string, payload: object) => entries.push({ seq: entries.length + 2, type, atMs: at(1), username: 'nurse', payload: { type, ...payload } });
  if (record.readiness !== undefined && Object.keys(record.readiness).length > 0) add('readiness-answered', { answers: record.readiness });
  if (record.escort !== undefined) add('escort-recorded', record.escort);
  return entries;
}

export function sessionFixture({ protocol = ivKetamineProtocol, state = {}, baseline = {}, bpAt = [], patient = {}, id = 'session-1', revision = 1, lastBp, record }: SessionFixture = {}): SessionSummary {
  const fullState = { ...initialSessionState(at(0)), ...state };
  const fullBaseline = { ...completeBaseline, ...baseline };
  const lastAt = bpAt.at(-1);
  const newestBp =
    lastBp !== undefined
      ? lastBp
      : lastAt === undefined || fullBaseline.systolic === null || fullBaseline.diastolic === null
        ? null
        : { systolic: fullBaseline.systolic, diastolic: fullBaseline.diastolic, atMs: at(lastAt) };
  const derived = record === undefined ? undefined : deriveSessionRecord({ protocol, state: fullState, entries: recordEntries(record) });
  return {
    id,
    chairId: 'chair-1',
    patient: { id: patientJDoe.id, displayName: patientJDoe.displayName, mrn: patientJDoe.mrn, riskFlags: patientJDoe.riskFlags, ...patient },
    protocol,
    state: fullState,
    baseline: fullBaseline,
    bpTimesMs: bpAt.map(at),
    // As the server sends it: while in baseline, from the baseline and the newest BP.
    startGate:
      fullState.phase === 'baseline'
        ? evaluateStartGate({ protocol, baseline: fullBaseline, lastBp: newestBp, ...(derived === undefined ? {} : { readiness: derived.readiness }) })
        : null,
    checkedInBy: 'nurse',
    revision,
    ...(derived === undefined ? {} : { record: derived }),
  };
}

/** The chair's newest vitals: a BP at `minutes` with the cuff's pulse (76 unless given), and optionally an SpO₂. */
export function latestWithBp(minutes: number, systolic: number, diastolic: number, spo2?: number, heartRate = 76): LatestVitals {
  return {
    ...emptyLatestVitals,
    bp: { systolic, diastolic, mean: null, measuredAt: isoAt(minutes), seq: minutes + 1 },
    heartRate: { value: heartRate, measuredAt: isoAt(minutes), seq: minutes + 1 },
    spo2: spo2 === undefined ? null : { value: spo2, lowAccuracy: false, measuredAt: isoAt(minutes), seq: minutes + 1 },
    lastReadingAt: isoAt(minutes),
  };
}
