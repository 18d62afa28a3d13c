/**
 * Replays the shipped scenario files through a whole simulation (fake ingest, manual clock) at speeds
 * 1 and 10 and checks what the server would store: the readings that make each alert rule fire.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ReadingInput } from '@chairside/shared';
import { quietMonitorBehaviour } from './monitor';
import { parseScenarioJson, type Scenario } from './scenario';
import { createSimRig, isNibp, isVitals, longestGap, longestRunSec, rigStartMs, type SimRig } from './testing/sim-rig';

const scenarioDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scenarios');

function load(name: string): Scenario {
  const result = parseScenarioJson(readFileSync(path.join(scenarioDir, `${name}.json`), 'utf8'), name);
  if (!result.ok) throw new Error(result.message);
  return result.scenario;
}

/** A typical patient on chair-1 with a quiet monitor, the scenario replayed, run to visit minute `untilMin`. */
async function replay(name: string, speed: number, untilMin: number): Promise<SimRig> {
  const rig = createSimRig({ speed, chairProfiles: ['typical'], monitor: quietMonitorBehaviour, scenario: load(name) });
  await rig.runUntil(rigStartMs + (untilMin * 60_000) / speed, speed === 1 ? 5_000 : 1_000);
  return rig;
}

const msAtMin = (minute: number, speed: number): number => rigStartMs + (minute * 60_000) / speed;
const severe = (r: ReadingInput): boolean => (r.systolic ?? 0) >= 180 || (r.diastolic ?? 0) >= 110;

describe.each([1, 10])('replaying the scenario files at speed %i', (speed) => {
  it('hypertensive-surge: BP ≥180/110 on the readings at 35 and 40 min of the infusion, not before the surge', async () => {
    const rig = await replay('hypertensive-surge', speed, 70);
    const nibp = rig.stored().filter(isNibp);
    const before = nibp.filter((r) => rig.patientMin(r) < 38);
    const during = nibp.filter((r) => rig.patientMin(r) >= 45 && rig.patientMin(r) < 52);
    expect(before.length).toBeGreaterThanOrEqual(8);
    for (const r of before) expect(severe(r)).toBe(false);
    expect(during).toHaveLength(2); // two consecutive readings: bp-severe
    for (const r of during) expect(severe(r)).toBe(true);
    const baseline = nibp.slice(0, 2);
    const baselineSys = baseline.reduce((s, r) => s + (r.systolic ?? 0), 0) / 2;
    expect(Math.max(...during.map((r) => r.systolic ?? 0)) - baselineSys).toBeGreaterThanOrEqual(40); // bp-rise
    // Over by the next observation reading.
    const after = nibp.find((r) => rig.patientMin(r) > 64);
    expect(after && severe(after)).toBe(false);
    expect(rig.events.filter((e) => e.source === 'scenario')).toEqual([
      expect.objectContaining({ chairId: 'chair-1', kind: 'surge', at: new Date(msAtMin(38, speed)).toISOString() }),
    ]);
  });

  it('tachycardia: HR above 120 for more than 5 real minutes from ~20 min into the infusion', async () => {
    const rig = await replay('tachycardia', speed, speed === 1 ? 50 : 105);
    const vitals = rig.stored().filter(isVitals);
    expect(longestRunSec(vitals, (r) => (r.heartRate ?? 0) > 120)).toBeGreaterThanOrEqual(330);
    const firstHigh = vitals.find((r) => (r.heartRate ?? 0) > 120);
    expect(firstHigh && rig.patientMin(firstHigh)).toBeGreaterThanOrEqual(30);
    expect(vitals.filter((r) => rig.patientMin(r) < 30).every((r) => (r.heartRate ?? 0) < 110)).toBe(true);
  });

  it('desaturation: SpO₂ below 88 % for more than 10 s, below 92 % for more than 15 s', async () => {
    const rig = await replay('desaturation', speed, 50);
    const vitals = rig.stored().filter(isVitals);
    expect(longestRunSec(vitals, (r) => (r.spo2 ?? 100) < 92)).toBeGreaterThanOrEqual(15);
    expect(longestRunSec(vitals, (r) => (r.spo2 ?? 100) < 88)).toBeGreaterThanOrEqual(10);
    expect(vitals.filter((r) => rig.patientMin(r) < 40).every((r) => (r.spo2 ?? 0) >= 92)).toBe(true);
  });

  it('sensor-dropout: the −1 marker for SpO₂ while HR goes on, then more than 60 s of silence', async () => {
    const rig = await replay('sensor-dropout', speed, speed === 1 ? 55 : 75);
    const all = rig.stored();
    const markers = all.filter((r) => r.spo2 === -1);
    expect(markers.length).toBeGreaterThanOrEqual(3);
    for (const r of markers) {
      expect(rig.patientMin(r)).toBeGreaterThanOrEqual(25);
      expect(r.heartRate).toBeGreaterThan(40);
    }
    const gap = longestGap(all);
    expect(gap.sec).toBeGreaterThanOrEqual(speed === 1 ? 175 : 115);
    expect(gap.afterMs).toBeGreaterThanOrEqual(msAtMin(45, speed) - 5_000); // the last 5-s sample before it
    // The monitor comes back: readings after the gap.
    expect(all.at(-1) && Date.parse(all.at(-1)?.measuredAt ?? '')).toBeGreaterThan(gap.afterMs + gap.sec * 1000);
  });

  it('cuff-artefact: one cuff reading of 320/60 and a pulse of 320 for a moment', async () => {
    const rig = await replay('cuff-artefact', speed, 40);
    const nibp = rig.stored().filter(isNibp);
    const artefacts = nibp.filter((r) => r.systolic === 320);
    expect(artefacts).toHaveLength(1);
    expect(artefacts[0]?.diastolic).toBe(60);
    expect(artefacts[0] && rig.patientMin(artefacts[0])).toBeCloseTo(25.6, 0);
    const spikes = rig.stored().filter((r) => r.heartRate === 320);
    expect(spikes.length).toBeGreaterThanOrEqual(1);
    for (const r of spikes) expect(rig.patientMin(r)).toBeGreaterThanOrEqual(30);
    expect(rig.stored().filter((r) => (r.heartRate ?? 0) > 200)).toEqual(spikes);
  });

  it('missed-bp: no cuff reading for longer than the protocol interval + 2 min', async () => {
    const rig = await replay('missed-bp', speed, speed === 1 ? 50 : 90);
    const nibp = rig.stored().filter(isNibp);
    const gap = longestGap(nibp);
    // Speed 1: BP every 5 min, overdue after 7 (medium after 12); ×10: the demo protocol's 1 min + 2.
    expect(gap.sec).toBeGreaterThanOrEqual(speed === 1 ? 13 * 60 : 5 * 60);
    expect(gap.afterMs).toBeLessThanOrEqual(msAtMin(25, speed));
    expect(nibp.filter((r) => rig.patientMin(r) < 21)).toHaveLength(5); // 2 baseline + 3 in treatment
  });

  it('disconnect: nothing posted while the network is down, then every reading once', async () => {
    const rig = await replay('disconnect', speed, speed === 1 ? 35 : 50);
    const fromMs = msAtMin(23, speed);
    const untilMs = fromMs + (speed === 1 ? 180_000 : 120_000);
    const posts = rig.ingest.requests.map((r) => r.sentAtMs);
    expect(posts.filter((t) => t > fromMs + 1_000 && t < untilMs - 1_000)).toEqual([]);
    expect(posts.some((t) => t >= untilMs)).toBe(true);
    // Catch-up: the readings measured during the outage arrive after it, none lost, none twice.
    const measuredDuring = rig.stored().filter((r) => Date.parse(r.measuredAt) > fromMs && Date.parse(r.measuredAt) < untilMs);
    expect(measuredDuring.length).toBeGreaterThan(10);
    const stats = rig.simulation.stats();
    expect(stats.pending).toBe(0);
    expect(stats.sent).toBe(stats.generated);
    expect(rig.ingest.stored.size).toBe(stats.generated);
    expect(rig.ingest.duplicates).toBe(0);
    const firstAfter = rig.ingest.requests.find((r) => r.sentAtMs >= untilMs);
    expect(firstAfter?.readings.length).toBeGreaterThanOrEqual(measuredDuring.length);
  });
});

describe('the alert tour', () => {
  it('reaches every chair of the 6-chair demo within two visits', async () => {
    const rig = createSimRig({
      speed: 100,
      chairIds: ['chair-1', 'chair-2', 'chair-3', 'chair-4', 'chair-5', 'chair-6'],
      monitor: quietMonitorBehaviour,
      scenario: load('alert-tour'),
    });
    await rig.runUntil(rigStartMs + (2 * 115 * 60_000) / 100, 1_000);
    const seen = rig.events.filter((e) => e.source === 'scenario').map((e) => `${e.chairId} ${e.kind}`);
    expect(new Set(seen)).toEqual(
      new Set([
        'chair-1 surge',
        'chair-2 tachycardia',
        'chair-3 desaturation',
        'chair-4 sensor-off',
        'chair-5 cuff-artefact',
        'chair-5 skip-bp',
        'chair-6 disconnect',
      ]),
    );
  });
});
