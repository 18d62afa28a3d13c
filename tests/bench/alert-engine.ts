/**
 * The alert engine's cost per reading and the size of the state the server saves per session,
 * beside a bare baseline measured in the same run: folding the same readings into a chair's newest
 * values (what every reading costs anyway). One simulated hour of a monitor sending HR, SpO₂ and RR
 * every second, a cuff BP every 5 min, and every 20th reading arriving 90 s late.
 *
 * The server evaluates in a worker thread (docs/architecture.md "The alert engine"); what its main
 * thread still pays per reading is handing it over: the readings are structured-cloned into the
 * worker, and a state crosses back only when a round is saved. Both are measured here too
 * (structuredClone serializes and deserializes, so it is an upper bound of the main thread's share).
 *
 *   npx tsx tests/bench/alert-engine.ts
 */
import { performance } from 'node:perf_hooks';
import {
  createAlertEngineState,
  defaultAlertContext,
  defaultAlertRules,
  emptyLatestVitals,
  evaluate,
  foldLatestVitals,
} from '@chairside/shared';
import { anHourOfEngineReadings } from './lib/readings';

const t0 = Date.parse('2026-01-01T00:00:00Z');

function timeIt(rounds: number, run: () => void): number {
  run(); // warm up
  const times: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

const input = anHourOfEngineReadings(t0);
let stateBytes = 0;
let stringifyMs = 0;
let cloneStateMs = 0;
const engineMs = timeIt(5, () => {
  let state = createAlertEngineState({ idPrefix: 's1', context: { ...defaultAlertContext, phase: 'treatment', treatmentStartedAtMs: t0 - 600_000 } });
  for (const reading of input) state = evaluate(defaultAlertRules, state, { kind: 'reading', reading }, Date.parse(reading.receivedAt)).state;
  const json = JSON.stringify(state);
  stateBytes = json.length;
  let start = performance.now();
  for (let i = 0; i < 100; i += 1) JSON.stringify(state);
  stringifyMs = (performance.now() - start) / 100;
  start = performance.now();
  for (let i = 0; i < 100; i += 1) structuredClone(state);
  cloneStateMs = (performance.now() - start) / 100;
});
// A round's readings as the main thread posts them to the worker (one `readings` op of 200).
const handOverMs = timeIt(5, () => {
  for (let i = 0; i < input.length; i += 200) structuredClone({ kind: 'readings', readings: input.slice(i, i + 200) });
});
const foldMs = timeIt(5, () => {
  let latest = emptyLatestVitals;
  for (const reading of input) latest = foldLatestVitals(latest, reading);
});

const perReading = (ms: number) => ((ms / input.length) * 1000).toFixed(1);
console.log(`readings: ${input.length} (1 Hz HR/SpO₂/RR, BP every 5 min, every 20th 90 s late)`);
console.log(`alert engine:     ${perReading(engineMs)} µs per reading`);
console.log(`bare baseline:    ${perReading(foldMs)} µs per reading (fold into the newest values)`);
console.log(`ratio:            ${(engineMs / foldMs).toFixed(1)}×`);
console.log(`state per session: ${(stateBytes / 1024).toFixed(1)} KiB as JSON, ${stringifyMs.toFixed(3)} ms to serialize (saved at most every 5 s while quiet)`);
console.log(`hand-over to the engine thread: ${perReading(handOverMs)} µs per reading (structured clone, rounds of 200), ${(engineMs / handOverMs).toFixed(0)}× less than evaluating it`);
console.log(`a saved state back from it:     ${cloneStateMs.toFixed(3)} ms (structured clone; only rounds that are saved carry states)`);
