import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { envelope, perturbPhysiology, type ChairEvent } from './chair-events';
import {
  effectiveDurationSec,
  parseScenario,
  parseScenarioJson,
  parseScenarioParams,
  resolveScenarioForChair,
  unknownScenarioChairs,
  type Scenario,
} from './scenario';
import { cycleSec, defaultSessionSchedule } from './session-cycle';

const scenarioDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scenarios');
const files = readdirSync(scenarioDir).filter((f) => f.endsWith('.json'));

function must(result: ReturnType<typeof parseScenario>): Scenario {
  if (!result.ok) throw new Error(result.message);
  return result.scenario;
}

describe('the scenario files shipped in simulators/scenarios', () => {
  it('are all valid', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const result = parseScenarioJson(readFileSync(path.join(scenarioDir, file), 'utf8'), file);
      expect(result.ok ? '' : result.message).toBe('');
      if (result.ok) expect(`${result.scenario.name}.json`).toBe(file);
    }
  });

  it('exercise every alert rule family between them', () => {
    const kinds = new Set(files.flatMap((file) => must(parseScenarioJson(readFileSync(path.join(scenarioDir, file), 'utf8'))).events.map((e) => e.kind)));
    // surge → bp-rise/bp-severe, tachycardia → hr-*, desaturation → spo2-*, sensor-off/disconnect → no-data,
    // cuff-artefact/motion-artefact → implausible, skip-bp → bp-overdue.
    for (const kind of ['surge', 'tachycardia', 'desaturation', 'sensor-off', 'disconnect', 'cuff-artefact', 'motion-artefact', 'skip-bp']) {
      expect(kinds).toContain(kind);
    }
  });
});

describe('parsing a scenario', () => {
  it('fills in the defaults of each kind', () => {
    const scenario = must(
      parseScenario({
        name: 'defaults',
        events: [
          { atSec: 60, kind: 'surge' },
          { atSec: 60, kind: 'sensor-off', params: { sensors: 'all' } },
          { atSec: 60, kind: 'override', params: { heartRate: 45 } },
        ],
      }),
    );
    expect(scenario.description).toBe('');
    expect(scenario.events[0]?.params).toEqual({ systolicRiseMmHg: 55, diastolicRiseMmHg: 30, rampSec: 180, durationSec: 1200, minRealSec: 0 });
    expect(scenario.events[1]?.params).toEqual({ sensors: ['spo2', 'heartRate', 'respRate', 'nibp'], report: 'omit', durationSec: 120, minRealSec: 90 });
    expect(scenario.events[2]?.params).toMatchObject({ heartRate: 45, rampSec: 0, durationSec: 300 });
  });

  it.each([
    ['{ "name": "x", ', /bad\.json: not valid JSON/],
    ['[]', /bad\.json: \(top level\): .*expected object/],
    ['{ "events": [] }', /bad\.json: name: give the scenario a name/],
    ['{ "name": "x", "events": [], "speed": 3 }', /\(top level\): Unrecognized key: "speed"/],
    ['{ "name": "x", "events": [{ "atSec": 1, "kind": "explode" }] }', /events\[0\]\.kind: kind must be one of surge, tachycardia/],
    ['{ "name": "x", "events": [{ "atSec": -5, "kind": "surge" }] }', /events\[0\]\.atSec: must be ≥ 0/],
    ['{ "name": "x", "events": [{ "atSec": 5, "kind": "surge", "params": { "systolicRiseMmHg": "high" } }] }', /events\[0\]\.params\.systolicRiseMmHg: .*expected number/],
    ['{ "name": "x", "events": [{ "atSec": 5, "kind": "surge", "params": { "sbp": 40 } }] }', /events\[0\]\.params: Unrecognized key: "sbp"/],
    ['{ "name": "x", "events": [{ "atSec": 5, "kind": "override" }] }', /events\[0\]\.params: give at least one of systolic, diastolic/],
    ['{ "name": "x", "events": [{ "atSec": 5, "kind": "sensor-off", "params": { "sensors": ["ear"] } }] }', /params\.sensors: sensors must be "all" or a list of spo2/],
    ['{ "name": "x", "events": [{ "atSec": 5, "kind": "disconnect", "params": { "durationSec": 0 } }] }', /params\.durationSec: must be above 0/],
    ['{ "name": "x", "events": [{ "atSec": 5, "kind": "skip-bp", "chairId": "chair 1" }] }', /events\[0\]\.chairId: /],
    ['{ "name": "x", "events": [{ "atSec": 5, "kind": "skip-bp", "visit": 1.5 }] }', /events\[0\]\.visit: /],
  ])('refuses %s with a clear message', (text, message) => {
    const result = parseScenarioJson(text, 'bad.json');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toMatch(message);
  });

  it('reports every problem at once', () => {
    const result = parseScenario({ name: '', events: [{ atSec: -1, kind: 'surge' }, { atSec: 1, kind: 'nap' }] }, 'two.json');
    expect(result.ok ? '' : result.message).toMatch(/name: give the scenario a name; events\[0\]\.atSec: .*; events\[1\]\.kind: /);
  });

  it('validates trigger params the same way', () => {
    expect(parseScenarioParams('desaturation', { spo2Pct: 80 })).toMatchObject({ spo2Pct: 80, durationSec: 120 });
    expect(() => parseScenarioParams('desaturation', { spo2Pct: 'low' })).toThrow(/desaturation params: spo2Pct: /);
    expect(() => parseScenarioParams('nap' as 'surge', {})).toThrow(/unknown event kind "nap"/);
  });
});

describe('placing a scenario on a chair’s timeline', () => {
  const schedule = defaultSessionSchedule;
  const cycle = cycleSec(schedule);
  const scenario = must(
    parseScenario({
      name: 'timeline',
      events: [
        { atSec: 2100, kind: 'surge', chairId: 'chair-1' },
        { atSec: 600, kind: 'disconnect' },
        { atSec: 300, kind: 'skip-bp', chairId: 'chair-2', visit: 2 },
      ],
    }),
  );

  it('puts each event at its next occurrence on the chair, or on the given visit', () => {
    const fresh = resolveScenarioForChair(scenario, 'chair-1', { schedule, nowChairSec: 0, speed: 1 });
    expect(fresh.map((e) => [e.kind, e.fromChairSec])).toEqual([
      ['disconnect', 600],
      ['surge', 2100],
    ]);
    // A chair that starts 38 min into its visit: the surge at 35 min comes in the next visit.
    const late = resolveScenarioForChair(scenario, 'chair-1', { schedule, nowChairSec: 38 * 60, speed: 1 });
    expect(late.map((e) => [e.kind, e.fromChairSec])).toEqual([
      ['disconnect', cycle + 600],
      ['surge', cycle + 2100],
    ]);
    const chair2 = resolveScenarioForChair(scenario, 'chair-2', { schedule, nowChairSec: 0, speed: 1 });
    expect(chair2.map((e) => [e.kind, e.fromChairSec])).toEqual([
      ['disconnect', 600],
      ['skip-bp', 2 * cycle + 300],
    ]);
  });

  it('lasts the longer of its patient duration and its real duration at the run’s speed', () => {
    expect(effectiveDurationSec({ durationSec: 120, minRealSec: 90 }, 1)).toBe(120);
    expect(effectiveDurationSec({ durationSec: 120, minRealSec: 90 }, 10)).toBe(900);
    const [disconnect] = resolveScenarioForChair(scenario, 'chair-3', { schedule, nowChairSec: 0, speed: 10 });
    expect(disconnect && disconnect.untilChairSec - disconnect.fromChairSec).toBe(900);
  });

  it('finds chairs the scenario names that are not simulated', () => {
    expect(unknownScenarioChairs(scenario, ['chair-1', 'chair-2'])).toEqual([]);
    expect(unknownScenarioChairs(scenario, ['chair-1'])).toEqual(['chair-2']);
  });
});

describe('physiological events', () => {
  const truth = { systolic: 130, diastolic: 80, mean: 96.67, heartRate: 75, spo2: 97, respRate: 15 };
  const window = { fromChairSec: 100, untilChairSec: 400, source: 'scenario' as const };

  it('ramp in, hold and fade out', () => {
    expect(envelope(100, 400, 60, 99)).toBe(0);
    expect(envelope(100, 400, 60, 130)).toBeCloseTo(0.5, 9);
    expect(envelope(100, 400, 60, 300)).toBe(1);
    expect(envelope(100, 400, 60, 430)).toBeCloseTo(0.5, 9);
    expect(envelope(100, 400, 60, 460)).toBe(0);
    expect(envelope(100, 400, 0, 399)).toBe(1);
  });

  it('add a surge, pull HR up and SpO₂ down to targets, override values, and recompute MAP', () => {
    const events: ChairEvent[] = [
      { ...window, kind: 'surge', systolicRiseMmHg: 50, diastolicRiseMmHg: 30, rampSec: 0 },
      { ...window, kind: 'tachycardia', heartRateBpm: 130, rampSec: 0 },
      { ...window, kind: 'desaturation', spo2Pct: 85, rampSec: 0 },
      { ...window, kind: 'override', values: { respRate: 6 }, rampSec: 0 },
    ];
    const v = perturbPhysiology(truth, events, 200);
    expect(v).toMatchObject({ systolic: 180, diastolic: 110, heartRate: 130, spo2: 85, respRate: 6 });
    expect(v.mean).toBeCloseTo(110 + 70 / 3, 9);
    expect(perturbPhysiology(truth, events, 50)).toMatchObject({ systolic: 130, heartRate: 75, spo2: 97 });
    // Targets only push one way: a tachycardia target below the HR leaves it alone.
    expect(perturbPhysiology({ ...truth, heartRate: 140 }, events.slice(1, 2), 200).heartRate).toBe(140);
  });
});
