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
  esketamineProtocol,
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

/*
 * The same session with its record beyond vitals: one entry of every type (readiness, escort, infusion set-up, a rate
 * change, scores before, during and at the end, eyes-on checks, a PRN with its reassessment, an adverse event, the
 * hand-off) and one correction (the MOAA/S at 30 min, first written as 4, corrected to 3). Sequence numbers follow the
 * order entries were written, phase events included; `ref` names let entries point at each other.
 */
interface RecordDraft {
  name?: string;
  /** Minutes when it was written down. */
  written: number;
  /** Minutes when it happened (default: when written); omitted for a correction that keeps the corrected moment. */
  happened?: number | null;
  username?: string;
  role?: SessionEventView['role'];
  body: Record<string, unknown>;
  /** Fields holding another entry's sequence number, by its name: `{ corrects: 'moaa-30' }`. */
  refs?: Record<string, string>;
}

const ivRecordDrafts: RecordDraft[] = [
  { written: 2, body: { type: 'readiness-answered', answers: { 'weight-today': true, 'consent-on-file': true, 'iv-site-checked': true, fasting: true, 'transport-arranged': true } } },
  { written: 3, body: { type: 'escort-recorded', name: 'Sam B.', phone: '+49 30 1234567' } },
  { written: 5, body: { type: 'infusion-set', drug: 'Ketamine', weightKg: 70, doseMgPerKg: 0.5, concentrationMgPerMl: 1, rateMlPerH: 52.5 } },
  { written: 7, happened: 6, body: { type: 'score-recorded', scale: 'moaa-s', value: 5 } },
  { written: 7, happened: 6, body: { type: 'score-recorded', scale: 'cadss-6', items: [0, 0, 0, 0, 0, 0] } },
  { written: 20, body: { type: 'rounding-check', status: 'comfortable' } },
  { written: 30, body: { type: 'infusion-rate-changed', rateMlPerH: 40, reason: 'BP 168/101: slowed' }, username: 'dr.lee', role: 'clinician' },
  { name: 'moaa-30', written: 30, body: { type: 'score-recorded', scale: 'moaa-s', value: 4 } },
  { written: 30, body: { type: 'score-recorded', scale: 'cadss-6', items: [1, 2, 1, 0, 1, 0] } },
  { written: 33, happened: null, body: { type: 'score-recorded', scale: 'moaa-s', value: 3, note: 'first written as 4 by mistake' }, refs: { corrects: 'moaa-30' } },
  { written: 35, body: { type: 'adverse-event', kind: 'nausea', severity: 'mild', serious: false, note: 'after the rate change' } },
  { written: 35, body: { type: 'rounding-check', status: 'comfortable' } },
  { name: 'prn', written: 36, body: { type: 'prn-given', drug: 'Ondansetron', doseMg: 4, route: 'iv', indication: 'nausea', reassessInMin: 15 } },
  { written: 50, body: { type: 'prn-reassessed', response: 'Nausea settled' }, refs: { prnSeq: 'prn' } },
  { written: 50, body: { type: 'rounding-check', status: 'asleep-rousable' } },
  { written: 53, body: { type: 'score-recorded', scale: 'moaa-s', value: 5 } },
  { written: 53, body: { type: 'score-recorded', scale: 'cadss-6', items: [0, 0, 0, 0, 0, 0] } },
  { written: 80, body: { type: 'rounding-check', status: 'comfortable' } },
  { written: 114, body: { type: 'escort-handoff', collectedBy: 'Sam B. (partner)' } },
];

const esketamineRecordDrafts: RecordDraft[] = [
  {
    written: 2,
    body: {
      type: 'readiness-answered',
      answers: { 'rems-enrolled': true, fasting: true, 'nasal-steroid-decongestant': true, 'med-benzodiazepines': false, 'med-opioids': false, 'transport-arranged': true },
    },
  },
  { written: 3, body: { type: 'escort-recorded', name: 'Alex K.', phone: '555-0100' } },
  { written: 10, body: { type: 'dose-given', drug: 'Esketamine', doseMg: 28, route: 'intranasal', device: 1, lot: 'LOT-2411A' } },
  { written: 15, body: { type: 'dose-given', drug: 'Esketamine', doseMg: 28, route: 'intranasal', device: 2, lot: 'LOT-2411A' } },
  { written: 20, body: { type: 'dose-given', drug: 'Esketamine', doseMg: 28, route: 'intranasal', device: 3, lot: 'LOT-2411B' } },
];

function recordEventsFrom(drafts: readonly RecordDraft[], phases: readonly SessionEventView[]): SessionEventView[] {
  type Item = { draft: RecordDraft | null; phase: SessionEventView | null; written: number; order: number };
  const items: Item[] = [
    ...phases.map((p, i): Item => ({ draft: null, phase: p, written: (Date.parse(p.at) - t0) / 60_000, order: i })),
    ...drafts.map((d, i): Item => ({ draft: d, phase: null, written: d.written, order: 1000 + i })),
  ].sort((a, b) => a.written - b.written || a.order - b.order);
  const seqOf = new Map<string, number>();
  const momentOf = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.draft?.name !== undefined) seqOf.set(item.draft.name, i + 1);
  });
  return items.map((item, i): SessionEventView => {
    const seq = i + 1;
    if (item.phase !== null) return { ...item.phase, seq };
    const d = item.draft as RecordDraft;
    const payload: Record<string, unknown> = { ...d.body };
    for (const [field, name] of Object.entries(d.refs ?? {})) payload[field] = seqOf.get(name);
    const corrected = d.refs?.['corrects'];
    const occurredAtMs = d.happened === null ? (corrected === undefined ? at(d.written) : (momentOf.get(corrected) ?? at(d.written))) : at(d.happened ?? d.written);
    if (d.name !== undefined) momentOf.set(d.name, occurredAtMs);
    if (d.happened !== undefined && d.happened !== null && d.happened !== d.written) payload['at'] = iso(d.happened);
    payload['occurredAtMs'] = occurredAtMs;
    const phase = item.written < 10 ? 'baseline' : item.written < 53 ? 'treatment' : 'observation';
    return { seq, type: String(d.body['type']), at: iso(d.written), username: d.username ?? 'nina', role: d.role ?? 'nurse', fromPhase: phase, toPhase: phase, payload };
  });
}

/** The IV session with a record entry of every type (and one correction). */
export function makeRecordReviewInput(): SessionReviewInput {
  const input = makeReviewInput(ivKetamineProtocol);
  input.session.events = recordEventsFrom(ivRecordDrafts, makeEvents());
  return input;
}

/** An esketamine session: readiness, escort, three devices with their lots. */
export function makeEsketamineRecordInput(): SessionReviewInput {
  const input = makeReviewInput(esketamineProtocol);
  input.session.events = recordEventsFrom(esketamineRecordDrafts, makeEvents());
  input.session.state = { ...input.session.state, pauses: [] };
  return input;
}
