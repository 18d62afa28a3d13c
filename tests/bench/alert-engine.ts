/**
 * The alert engine's cost per reading and the size of the state the server saves per session,
 * beside a bare baseline measured in the same run: folding the same readings into a chair's newest
 * values (what every reading costs anyway). One simulated hour of a monitor sending HR, SpO₂ and RR
 * every second, a cuff BP every 5 min, and every 20th reading arriving 90 s late.
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
  type Reading,
} from '@chairside/shared';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const seconds = 3600;

function readings(): Reading[] {
  const out: Reading[] = [];
  for (let i = 0; i < seconds; i += 1) {
    const late = i % 20 === 19;
    const measuredAtMs = t0 + (late ? i - 90 : i) * 1000;
    const bp = i % 300 === 0;
    out.push({
      seq: i + 1,
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      chairId: 'chair-1',
      sessionId: 's1',
      measuredAt: new Date(measuredAtMs).toISOString(),
      receivedAt: new Date(t0 + i * 1000).toISOString(),
      source: 'device',
      systolic: bp ? 120 + (i % 90) : null,
      diastolic: bp ? 80 : null,
      mean: null,
      heartRate: 70 + ((i * 7) % 70),
      spo2: 90 + (i % 9),
      respRate: 12 + (i % 6),
      rejected: [],
      flags: [],
      enteredBy: null,
    });
  }
  return out;
}

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

const input = readings();
let stateBytes = 0;
let stringifyMs = 0;
const engineMs = timeIt(5, () => {
  let state = createAlertEngineState({ idPrefix: 's1', context: { ...defaultAlertContext, phase: 'treatment', treatmentStartedAtMs: t0 - 600_000 } });
  for (const reading of input) state = evaluate(defaultAlertRules, state, { kind: 'reading', reading }, Date.parse(reading.receivedAt)).state;
  const json = JSON.stringify(state);
  stateBytes = json.length;
  const start = performance.now();
  for (let i = 0; i < 100; i += 1) JSON.stringify(state);
  stringifyMs = (performance.now() - start) / 100;
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
