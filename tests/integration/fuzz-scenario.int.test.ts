/**
 * Fuzzing scenario files, the simulators' upload boundary (issue 7): arbitrary text and JSON, and
 * mutations of the shipped scenarios, through `parseScenarioJson` / `parseScenario`. Each is parsed
 * or refused with a clear message naming the file; nothing throws. A scenario that parses resolves
 * onto a chair's timeline without throwing. (In-process; here so `fuzz-*.int.test.ts` covers it.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSessionSchedule, parseScenario, parseScenarioJson, resolveScenarioForChair, type ScenarioParseResult } from '@chairside/simulators';
import { anyValue, deepJson, fieldMix, fuzzSync, jsonText, mutationsOf, nastyString } from '../helpers/fuzz';

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../simulators/scenarios');
const shipped = fs.readdirSync(folder).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')) as unknown);
const counts = { parsed: 0, refused: 0 };

function check(result: ScenarioParseResult, source: string, where: string): void {
  if (!result.ok) {
    counts.refused += 1;
    expect(typeof result.message, where).toBe('string');
    expect(result.message.startsWith(`${source}: `), `${where}: ${result.message.slice(0, 200)}`).toBe(true);
    expect(result.message.length, where).toBeGreaterThan(source.length + 3);
    return;
  }
  counts.parsed += 1;
  const { scenario } = result;
  expect(scenario.name.trim().length, where).toBeGreaterThan(0);
  expect(scenario.events.length, where).toBeLessThanOrEqual(1000);
  for (const chairId of ['chair-1', 'chair-2', 'chair-7']) {
    for (const nowChairSec of [0, 5000, 1e9]) {
      const events = resolveScenarioForChair(scenario, chairId, { schedule: defaultSessionSchedule, nowChairSec, speed: 10 });
      for (const e of events) {
        expect(Number.isNaN(e.fromChairSec), where).toBe(false);
        expect(Number.isNaN(e.untilChairSec), where).toBe(false);
        expect(e.untilChairSec, where).toBeGreaterThanOrEqual(e.fromChairSec);
      }
    }
  }
}

describe('scenario files under fuzz', () => {
  it('ships scenarios that parse (the bases of the mutations below)', () => {
    expect(shipped.length).toBeGreaterThan(3);
    for (const s of shipped) expect(parseScenario(s).ok).toBe(true);
  });

  it('parses or refuses with a clear message any scenario text, never throws', () => {
    const text = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...shipped).chain((s) => mutationsOf(s)) },
      { weight: 2, arbitrary: fieldMix(['name', 'description', 'events', 'atSec', 'chairId', 'visit', 'kind', 'params', 'note', 'sensors', 'report', 'durationSec', 'minRealSec', 'rampSec', '__proto__', 'constructor']) },
      { weight: 1, arbitrary: fc.constantFrom(...shipped).map((s) => jsonText(s).slice(0, -3)) },
      { weight: 1, arbitrary: anyValue.map(jsonText) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
      { weight: 1, arbitrary: deepJson },
      { weight: 1, arbitrary: fc.constantFrom('', '\ufeff{}', '{"name":"x","events":[]}', '{"name":"x","events":[],"name":"y"}', 'null', '[]', '{"__proto__":{"events":[]},"name":"x"}', `{"name":"x","events":[${'{"atSec":1,"kind":"surge"},'.repeat(1000)}{"atSec":1,"kind":"surge"}]}`) },
    );
    const source = fc.oneof(fc.constantFrom('scenario', 'alert-tour.json'), nastyString);
    const runs = fuzzSync('scenario text', fc.tuple(text, source), 1500, ([t, src]) => {
      let result: ScenarioParseResult | undefined;
      expect(() => (result = parseScenarioJson(t, src)), `parseScenarioJson threw on ${t.slice(0, 200)}`).not.toThrow();
      if (result) check(result, src, t.slice(0, 200));
    });
    console.info(`fuzz-scenario: ${runs} texts, ${counts.parsed} parsed, ${counts.refused} refused`);
  });

  it('parses or refuses any value given as an already-parsed scenario, never throws', () => {
    const value = fc.oneof(
      { weight: 2, arbitrary: fc.anything({ maxDepth: 4, withNullPrototype: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withBigInt: true, withBoxedValues: true }) },
      { weight: 2, arbitrary: fc.constantFrom(...shipped).chain((s) => mutationsOf(s, { large: false })).map((t) => JSON.parse(t) as unknown) },
      { weight: 1, arbitrary: fc.record({ name: nastyString, events: fc.array(fc.record({ atSec: fc.double(), kind: fc.constantFrom('surge', 'override', 'sensor-off', 'motion-artefact', 'nope'), visit: fc.oneof(fc.nat(), fc.double()), params: anyValue }, { requiredKeys: ['atSec', 'kind'] }), { maxLength: 5 }) }) },
    );
    fuzzSync('scenario values', value, 1000, (v) => {
      let result: ScenarioParseResult | undefined;
      expect(() => (result = parseScenario(v, 'upload.json')), 'parseScenario threw').not.toThrow();
      if (result) check(result, 'upload.json', 'value');
    });
  });
});
