/*
 * A hand-made session for the export tests: IV ketamine in Berlin on a winter morning, check-in at
 * 09:00 UTC (10:00 clinic time), infusion 10–50 min, a severe BP at 40 min, discharge at 115 min,
 * signed. Minutes below are from check-in.
 */
import {
  type Alert,
  type Protocol,
  type Reading,
  type SessionEventView,
  type SessionReviewInput,
  computeBaseline,
  initialSessionState,
  ivKetamineProtocol,
} from '@chairside/shared';

export const t0 = Date.parse('2025-01-15T09:00:00.000Z');
export const at = (minutes: number): number => t0 + minutes * 60_000;
export const iso = (minutes: number): string => new Date(at(minutes)).toISOString();

type Vitals = Partial<Pick<Reading, 'systolic' | 'diastolic' | 'mean' | 'heartRate' | 'spo2' | 'respRate'>>;

export function makeReadings(): Reading[] {
  let seq = 100;
  const r = (minutes: number, values: Vitals, extra: Partial<Reading> = {}): Reading => {
    seq += 1;
    return {
      seq,
      id: `6f1c2a4e-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      chairId: 'chair-3',
      sessionId: 'session-42',
      measuredAt: iso(minutes),
      receivedAt: new Date(at(minutes) + 1200).toISOString(),
      source: 'device',
      systolic: null,
      diastolic: null,
      mean: null,
      heartRate: null,
      spo2: null,
      respRate: null,
      rejected: [],
      flags: [],
      enteredBy: null,
      ...values,
      ...extra,
    };
  };
  return [
    r(0, { systolic: 132, diastolic: 84, mean: 100, heartRate: 78 }),
    r(6, { systolic: 128, diastolic: 80, mean: 96, heartRate: 74 }, { source: 'manual', enteredBy: 'nina' }),
    r(12, { heartRate: 80, spo2: 98, respRate: 14 }),
    r(15, { systolic: 141, diastolic: 88, heartRate: 88 }),
    r(20, { heartRate: 97, spo2: 97, respRate: 15 }),
    r(30, { systolic: 168, diastolic: 101, mean: 123, heartRate: 96 }),
    r(35, { heartRate: 102, spo2: 94, respRate: 12 }),
    r(40, { systolic: 183, diastolic: 112, mean: 136, heartRate: 99 }),
    // the cuff sent a "no reading" marker for systolic; diastolic alone is not a blood pressure
    r(42, { diastolic: 105, heartRate: 95 }, {
      rejected: [{ field: 'systolic', value: -999, reason: 'no-reading-marker', message: 'the monitor sent -999 for "no reading"' }],
    }),
    r(45, { systolic: 176, diastolic: 104, heartRate: 94, spo2: 65 }, { flags: ['spo2-low-accuracy'] }),
    r(55, { spo2: null, heartRate: 88 }, {
      rejected: [{ field: 'spo2', value: 101, reason: 'out-of-range', message: 'SpO₂ 101 % is outside 50–100 %' }],
    }),
    r(65, { systolic: 150, diastolic: 92, heartRate: 84 }),
    r(80, { systolic: 140, diastolic: 86, heartRate: 80, spo2: 98 }),
    r(110, { systolic: 134, diastolic: 83, heartRate: 76, spo2: 98, respRate: 14 }, { source: 'manual', enteredBy: '=HYPERLINK("x")' }),
  ];
}

function event(seq: number, minutes: number, type: string, username: string, role: SessionEventView['role'], from: SessionEventView['fromPhase'], to: SessionEventView['toPhase'], payload: Record<string, unknown> = {}): SessionEventView {
  return { seq, type, at: iso(minutes), username, role, fromPhase: from, toPhase: to, payload };
}

export function makeEvents(): SessionEventView[] {
  return [
    event(1, 0, 'checked-in', 'nina', 'nurse', null, 'baseline', { patientId: 'patient-7', chairId: 'chair-3', protocolId: 'iv-ketamine', protocolVersion: 1 }),
    event(2, 10, 'treatment-started', 'nina', 'nurse', 'baseline', 'treatment', { type: 'treatment-started' }),
    event(3, 25, 'treatment-paused', 'nina', 'nurse', 'treatment', 'treatment', { type: 'treatment-paused', reason: 'IV line check' }),
    event(4, 28, 'treatment-resumed', 'nina', 'nurse', 'treatment', 'treatment', { type: 'treatment-resumed' }),
    event(5, 41, 'note', 'dr.lee', 'clinician', 'treatment', 'treatment', { type: 'note', text: 'Patient calm, <b>no headache</b> & talking; rate unchanged' }),
    event(6, 53, 'treatment-ended', 'nina', 'nurse', 'treatment', 'observation', { type: 'treatment-ended' }),
    event(7, 100, 'checklist-updated', 'nina', 'nurse', 'observation', 'observation', {
      type: 'checklist-updated',
      items: { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true },
    }),
    event(8, 112, 'gate-held', 'system', 'system', 'observation', 'observation'),
    event(9, 115, 'discharged', 'nina', 'nurse', 'observation', 'discharged', {
      type: 'discharged',
      discharge: { gateHeld: true, failingItems: [], overrideReason: null },
    }),
  ];
}

const latest = { bp: null, heartRate: null, spo2: null, respRate: null, lastRejection: null, lastReadingAt: null };

export function makeAlerts(): Alert[] {
  const severe: Alert = {
    id: 'session-42.bp-severe.1',
    ruleId: 'bp-severe',
    subject: null,
    label: 'Severe hypertension',
    category: 'physiological',
    priority: 'medium',
    status: 'cleared',
    message: 'BP 183/112 (≥180/110) on 2 readings',
    facts: {
      kind: 'bp-threshold',
      breaches: [{ field: 'systolic', value: 183, comparator: '>=', limit: 180 }],
      readings: 2,
      requiredReadings: 2,
      prompt: null,
      measuredAt: iso(40),
    },
    readingSeq: 108,
    raisedAtMs: at(40),
    escalatedAtMs: null,
    conditionResolvedAtMs: at(65),
    clearedAtMs: at(65),
    clearReason: 'resolved',
    acknowledgements: [
      { by: { userId: 'u2', username: 'dr.lee' }, atMs: at(41.5), note: 'Seen; rechecking in 5 min', priority: 'medium', message: 'BP 183/112', vitals: latest },
    ],
  };
  const spo2: Alert = {
    id: 'session-42.spo2-low.2',
    ruleId: 'spo2-low',
    subject: 'spo2',
    label: 'SpO₂ low',
    category: 'physiological',
    priority: 'high',
    status: 'active',
    message: 'SpO₂ 65 % for 15 s',
    facts: { kind: 'not-ready' },
    readingSeq: 110,
    raisedAtMs: at(45),
    escalatedAtMs: at(45.2),
    conditionResolvedAtMs: at(46),
    clearedAtMs: null,
    clearReason: null,
    acknowledgements: [],
  };
  return [severe, spo2];
}

export function makeReviewInput(protocol: Protocol = ivKetamineProtocol): SessionReviewInput {
  const readings = makeReadings();
  const state = {
    ...initialSessionState(at(0)),
    phase: 'discharged' as const,
    treatmentStartedAtMs: at(10),
    pauses: [{ fromMs: at(25), toMs: at(28), reason: 'IV line check' }],
    treatmentEndedAtMs: at(53),
    observationStartedAtMs: at(53),
    dischargedAtMs: at(115),
    checklist: { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true },
    gateFirstHeldAtMs: at(112),
  };
  return {
    session: {
      id: 'session-42',
      chairId: 'chair-3',
      patient: { id: 'patient-7', displayName: 'Robin B.', mrn: 'MRN-0042', riskFlags: ['hypertension'] },
      protocol,
      state,
      baseline: computeBaseline(protocol, readings.filter((r) => Date.parse(r.measuredAt) < at(10))),
      bpTimesMs: [],
      checkedInBy: 'nina',
      revision: 9,
      events: makeEvents(),
      readings,
    },
    alerts: makeAlerts(),
    chairName: 'Chair 3 (window)',
    signature: { signedBy: 'dr.lee', signedAtMs: at(180) },
    addenda: [],
  };
}
