import {
  type Protocol,
  type RecordEntry,
  type RecordEventInput,
  type SessionState,
  type SessionSummary,
  deriveSessionRecord,
  esketamineProtocol,
  initialSessionState,
  ivKetamineProtocol,
  recordSettingsOf,
} from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { demoProtocol } from './demo-conductor';
import { type DemoRecordPlan, demoCadssItems, demoMoaaS, demoRecordPlan, nextDemoEntry } from './demo-record';

const t0 = Date.parse('2026-11-22T08:00:00.000Z');
const min = 60_000;
const at = (m: number) => t0 + m * min;

const plan: DemoRecordPlan = { weightKg: 70, devices: 3, lot: 'DEMO2401', sedated: true, peakCadss: 8, nauseaAtMin: 20, roundingLateMin: [0, 2] };

function session(protocol: Protocol, state: Partial<SessionState>, bodies: [number, RecordEventInput][] = []): SessionSummary {
  const full = { ...initialSessionState(t0), ...state };
  const entries: RecordEntry[] = bodies.map(([m, body], i) => ({ seq: i + 2, type: body.type, atMs: at(m), username: 'demo autopilot', payload: { ...body, occurredAtMs: at(m) } }));
  return {
    id: 'session-1',
    chairId: 'chair-1',
    patient: { id: 'p1', displayName: 'Aster', mrn: null, riskFlags: [] },
    protocol,
    state: full,
    baseline: { systolic: 120, diastolic: 80, mean: 93, heartRate: 70, bpReadingCount: 2, readingIds: [], complete: true, missing: null },
    bpTimesMs: [],
    startGate: null,
    checkedInBy: 'demo autopilot',
    revision: 1,
    record: deriveSessionRecord({ protocol, state: full, entries }),
  };
}

const moaa = (value: number): RecordEventInput => ({ type: 'score-recorded', scale: 'moaa-s', value });
const cadss = (items: number[]): RecordEventInput => ({ type: 'score-recorded', scale: 'cadss-6', items });
const zero = [0, 0, 0, 0, 0, 0];
const device = (n: number): RecordEventInput => ({ type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', device: n, lot: 'DEMO2401' });
const preDose: [number, RecordEventInput][] = [
  [1, moaa(5)],
  [1, cadss(zero)],
];
const treating: Partial<SessionState> = { phase: 'treatment', treatmentStartedAtMs: at(10) };

describe('the simulated patient’s scores: sedation peaking at 30–45 min, resolved by 75 min', () => {
  it.each<[number | null, number, number]>([
    // minutes after dosing → MOAA/S (sedated patient), CADSS-6 total (peak 8)
    [null, 5, 0],
    [0, 5, 0],
    [10, 5, 2],
    [20, 4, 5],
    [30, 3, 8],
    [45, 3, 8],
    [60, 4, 4],
    [69, 4, 2],
    [74, 5, 0],
    [75, 5, 0],
    [90, 5, 0],
  ])('%s min → MOAA/S %i, CADSS-6 %i', (simMin, moaaS, total) => {
    expect(demoMoaaS(plan, simMin)).toBe(moaaS);
    const items = demoCadssItems(plan, simMin);
    expect(items).toHaveLength(6);
    expect(items.every((v) => Number.isInteger(v) && v >= 0 && v <= 4)).toBe(true);
    expect(items.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it('a patient who is not sedated stays at MOAA/S 5', () => {
    expect([0, 20, 35, 60].map((m) => demoMoaaS({ sedated: false }, m))).toEqual([5, 5, 5, 5]);
  });

  it('plans are deterministic, with a third of patients sedated and some with nausea', () => {
    expect(demoRecordPlan(3, 1)).toEqual(demoRecordPlan(3, 1));
    const plans = Array.from({ length: 12 }, (_, i) => demoRecordPlan((i % 6) + 1, Math.floor(i / 6)));
    expect(plans.filter((p) => p.sedated).length).toBe(4);
    expect(plans.some((p) => p.nauseaAtMin !== null)).toBe(true);
    expect(plans.every((p) => p.weightKg >= 30 && p.weightKg <= 250)).toBe(true);
  });
});

describe('nextDemoEntry: what the simulated nurse writes now', () => {
  it.each<[string, Protocol, Partial<SessionState>, [number, RecordEventInput][], number, Partial<RecordEventInput> | null]>([
    ['baseline: pre-dose MOAA/S first', esketamineProtocol, {}, [], 1, { type: 'score-recorded', scale: 'moaa-s', value: 5 }],
    ['baseline: then the pre-dose CADSS-6', esketamineProtocol, {}, [[1, moaa(5)]], 1, { type: 'score-recorded', scale: 'cadss-6', items: zero }],
    ['baseline: both scored, nothing more', esketamineProtocol, {}, preDose, 5, null],
    ['IV baseline: the infusion set up at 0.5 mg/kg over 40 min', ivKetamineProtocol, {}, preDose, 5, { type: 'infusion-set', weightKg: 70, doseMgPerKg: 0.5, concentrationMgPerMl: 1, rateMlPerH: 52.5 }],
    ['treatment: device 1 at once, with the lot', esketamineProtocol, treating, preDose, 10, { type: 'dose-given', device: 1, lot: 'DEMO2401' }],
    ['device 2 not before the 5-min rest', esketamineProtocol, treating, [...preDose, [10, device(1)]], 14.9, null],
    ['device 2 when the rest is over', esketamineProtocol, treating, [...preDose, [10, device(1)]], 15, { type: 'dose-given', device: 2 }],
    // 15 min after the first device this patient is sedated (MOAA/S 4): asleep but rousable.
    ['the eyes-on check due at 25', esketamineProtocol, treating, [...preDose, [10, device(1)], [15, device(2)], [20, device(3)]], 25, { type: 'rounding-check', status: 'asleep-rousable' }],
    [
      'the 20-min scores (due at 30 from the first device at 10), sedated',
      esketamineProtocol,
      treating,
      [...preDose, [10, device(1)], [15, device(2)], [20, device(3)], [25, { type: 'rounding-check', status: 'comfortable' }]],
      30,
      { type: 'score-recorded', scale: 'moaa-s', value: 4 },
    ],
    [
      'the second check comes 2 min late (the plan’s lateness)',
      esketamineProtocol,
      treating,
      [...preDose, [10, device(1)], [15, device(2)], [20, device(3)], [25, { type: 'rounding-check', status: 'comfortable' }], [30, moaa(4)], [30, cadss([1, 1, 1, 1, 1, 0])], [30, { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'odt', indication: 'nausea' }], [30, { type: 'adverse-event', kind: 'nausea', severity: 'mild', serious: false }]],
      41.9,
      null,
    ],
    [
      'nausea at 20 min after dosing: ondansetron ODT',
      esketamineProtocol,
      treating,
      [...preDose, [10, device(1)], [15, device(2)], [20, device(3)], [25, { type: 'rounding-check', status: 'comfortable' }], [30, moaa(4)], [30, cadss([1, 1, 1, 1, 1, 0])]],
      30.5,
      { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'odt', indication: 'nausea' },
    ],
    [
      'its reassessment when due',
      esketamineProtocol,
      treating,
      [...preDose, [10, device(1)], [15, device(2)], [20, device(3)], [25, { type: 'rounding-check', status: 'comfortable' }], [30, moaa(4)], [30, cadss([1, 1, 1, 1, 1, 0])], [30, { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'odt', indication: 'nausea' }], [30, { type: 'adverse-event', kind: 'nausea', severity: 'mild', serious: false }], [41, { type: 'rounding-check', status: 'asleep-rousable' }]],
      45,
      { type: 'prn-reassessed', prnSeq: 10 },
    ],
  ])('%s', (_name, protocol, state, bodies, nowMin, expected) => {
    const entry = nextDemoEntry({ session: session(protocol, state, bodies), nowMs: at(nowMin), plan, speed: 1 });
    if (expected === null) expect(entry).toBeNull();
    else expect(entry).toMatchObject(expected);
  });

  it('a 2-device patient gets no third device', () => {
    const s = session(esketamineProtocol, treating, [...preDose, [10, device(1)], [15, device(2)]]);
    const two = { ...plan, devices: 2 as const, nauseaAtMin: null };
    expect(nextDemoEntry({ session: s, nowMs: at(21), plan: two, speed: 1 })).toBeNull();
    expect(nextDemoEntry({ session: s, nowMs: at(25), plan: two, speed: 1 })).toMatchObject({ type: 'rounding-check' });
  });

  it('at 10× speed the demo protocol’s record times are scaled and the set-up still passes the shortest-infusion rule', () => {
    const scaled = demoProtocol(ivKetamineProtocol, 10);
    const settings = recordSettingsOf(scaled);
    expect(settings.rounding).toEqual({ intervalMin: 1, lowAfterMin: 1, mediumAfterMin: 1 });
    expect(settings.scores).toEqual({ atMinFromDosing: [2, 4], observationEveryMin: 5, earlyToleranceMin: 1 });
    expect(settings.infusion?.minInfusionMin).toBe(2);
    const entry = nextDemoEntry({ session: session(scaled, {}, preDose), nowMs: at(5), plan, speed: 10 });
    expect(entry).toMatchObject({ type: 'infusion-set', rateMlPerH: 525 });
    expect(recordSettingsOf(demoProtocol(esketamineProtocol, 10)).devices).toEqual({ mgPerDevice: 28, restMin: 1, maxDevices: 3 });
  });
});
