import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhaseChange } from './device';
import { quietMonitorBehaviour } from './monitor';
import { empiricalPatientFactory } from './patient-model';
import { defaultDemoMix } from './profiles';
import { createSimulation, startSimulation } from './simulation';
import { createFakeIngest } from './testing/fake-ingest';
import { createSimRig, longestGap } from './testing/sim-rig';

const t0 = Date.parse('2026-11-22T08:00:00.000Z');

describe('startSimulation', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(t0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends on its own timer with the injected clock, and nothing after stop()', async () => {
    const clock = { now: () => Date.now() };
    const ingest = createFakeIngest(clock);
    const running = startSimulation({
      baseUrl: 'http://127.0.0.1:3999',
      token: 'device-token',
      chairIds: ['chair-1', 'chair-2'],
      speed: 10,
      seed: 42,
      clock,
      fetch: ingest.fetch,
    });

    await vi.advanceTimersByTimeAsync(60_000);
    const sent = ingest.stored.size;
    // 2 chairs × 13 vitals (every 5 s, 0–60 s) at least, plus the first BPs.
    expect(sent).toBeGreaterThanOrEqual(26);
    expect(running.stats().sent).toBe(sent);
    expect(Math.max(...[...ingest.stored.values()].map((r) => Date.parse(r.measuredAt)))).toBeLessThanOrEqual(Date.now());

    await running.stop();
    const requests = ingest.requests.length;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(ingest.requests.length).toBe(requests);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('createSimulation options', () => {
  const base = {
    baseUrl: 'http://127.0.0.1:3999',
    token: 't',
    chairIds: ['chair-1'],
    speed: 1,
    seed: 1,
    clock: { now: () => t0 },
    fetch: createFakeIngest({ now: () => t0 }).fetch,
  };

  it.each([
    [{ speed: 0 }, /speed/],
    [{ chairIds: [] }, /at least one chair/],
    [{ chairIds: ['chair-1', 'chair-1'] }, /unique/],
    [{ chairIds: ['bad id!'] }, /chairIds/],
    [{ baseUrl: 'ftp://x' }, /http/],
    [{ seed: -1 }, /seed/],
    [{ token: '' }, /token/],
  ])('refuses %o', (override, message) => {
    expect(() => createSimulation({ ...base, ...override })).toThrow(message);
  });
});

describe('patients per chair', () => {
  const base = {
    baseUrl: 'http://127.0.0.1:3999',
    token: 't',
    speed: 10,
    seed: 1,
    clock: { now: () => t0 },
    fetch: createFakeIngest({ now: () => t0 }).fetch,
  };
  const six = ['chair-1', 'chair-2', 'chair-3', 'chair-4', 'chair-5', 'chair-6', 'chair-7'];

  it('follow the demo mix by default (PK-driven profiles), random patients beyond it', () => {
    const simulation = createSimulation({ ...base, chairIds: six });
    expect(Object.values(simulation.profiles)).toEqual([...defaultDemoMix, 'population']);
  });

  it('can be mapped per chair, by list or by id; `patientFactory` covers the chairs left out', () => {
    expect(createSimulation({ ...base, chairIds: six.slice(0, 3), chairProfiles: ['esketamine'] }).profiles).toEqual({
      'chair-1': 'esketamine',
      'chair-2': 'population',
      'chair-3': 'population',
    });
    expect(
      createSimulation({ ...base, chairIds: six.slice(0, 2), chairProfiles: { 'chair-2': 'non-responder' }, patientFactory: empiricalPatientFactory }).profiles,
    ).toEqual({ 'chair-1': null, 'chair-2': 'non-responder' });
    expect(createSimulation({ ...base, chairIds: ['chair-1'], patientFactory: empiricalPatientFactory }).profiles).toEqual({ 'chair-1': null });
  });

  it('say in phase changes which profile and protocol kind a chair follows; esketamine visits follow the Spravato timeline', async () => {
    const changes: PhaseChange[] = [];
    const rig = createSimRig({ speed: 10, chairIds: ['chair-1', 'chair-2'], chairProfiles: ['esketamine', 'typical'], onPhaseChange: (c) => changes.push(c) });
    await rig.runUntil(t0 + 15 * 60_000, 5_000);
    expect(changes[0]).toMatchObject({ chairId: 'chair-1', phase: 'baseline', profileId: 'esketamine', protocolKind: 'nasal-spray' });
    expect(changes[1]).toMatchObject({ chairId: 'chair-2', profileId: 'typical', protocolKind: 'iv-infusion' });
    const chair1 = changes.filter((c) => c.chairId === 'chair-1').map((c) => [c.phase, Math.floor(((Date.parse(c.at) - t0) / 1000) * 10 / 60)]);
    // Baseline 10 min, devices 10 min, observation to 120 min after dosing started, a 5-min gap.
    expect(chair1.slice(0, 4)).toEqual([
      ['baseline', 0],
      ['treatment', 10],
      ['observation', 20],
      ['gap', 130],
    ]);
  });

  it('refuses unknown profiles and bad monitor rates', () => {
    expect(() => createSimulation({ ...base, chairIds: ['chair-1'], chairProfiles: ['sleepy' as 'typical'] })).toThrow(/chairProfiles/);
    expect(() => createSimulation({ ...base, chairIds: ['chair-1'], monitor: { cuffFailureProbability: 2 } })).toThrow(/cuffFailureProbability/);
    expect(() => createSimulation({ ...base, chairIds: ['chair-1'], monitor: { cuffCycleSec: { min: 40, max: 30 } } })).toThrow(/min must be ≤ max/);
  });
});

describe('scenarios and triggers', () => {
  it('refuses a scenario that is invalid or names chairs that are not simulated', () => {
    const options = {
      baseUrl: 'http://127.0.0.1:3999',
      token: 't',
      chairIds: ['chair-1'],
      speed: 1,
      seed: 1,
      clock: { now: () => t0 },
      fetch: createFakeIngest({ now: () => t0 }).fetch,
    };
    expect(() => createSimulation({ ...options, scenario: { name: 'x', events: [{ atSec: 1, kind: 'surge', chairId: 'chair-9' }] } })).toThrow(
      /names chairs that are not simulated: chair-9/,
    );
    expect(() => createSimulation({ ...options, scenario: { name: 'x', events: [{ atSec: -1, kind: 'surge' }] } })).toThrow(/events\[0\]\.atSec/);
  });

  it('trigger("surge") raises the next BP readings now', async () => {
    const rig = createSimRig({ speed: 10, chairProfiles: ['non-responder'], monitor: quietMonitorBehaviour });
    await rig.runUntil(t0 + 150_000, 1_000); // 25 patient min
    const before = rig.stored().filter((r) => r.systolic !== undefined);
    const triggered = rig.simulation.trigger('chair-1', 'surge', { systolicRiseMmHg: 60, diastolicRiseMmHg: 35, rampSec: 0 });
    expect(triggered).toEqual({
      chairId: 'chair-1',
      kind: 'surge',
      from: new Date(t0 + 150_000).toISOString(),
      until: new Date(t0 + 150_000 + 120_000).toISOString(), // 20 patient min at ×10
    });
    await rig.runUntil(t0 + 250_000, 1_000);
    const after = rig.stored().filter((r) => r.systolic !== undefined && Date.parse(r.measuredAt) > t0 + 150_000);
    const avg = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(avg(after.map((r) => r.systolic ?? 0)) - avg(before.map((r) => r.systolic ?? 0))).toBeGreaterThan(45);
    expect(rig.events).toContainEqual(expect.objectContaining({ kind: 'surge', source: 'trigger', chairId: 'chair-1' }));
  });

  it('trigger("sensor-off", all sensors) silences the chair for at least the real minimum, then it comes back', async () => {
    const rig = createSimRig({ speed: 10, monitor: quietMonitorBehaviour });
    await rig.runUntil(t0 + 60_000, 1_000);
    rig.simulation.trigger('chair-1', 'sensor-off', { sensors: 'all', durationSec: 30, minRealSec: 70 });
    await rig.runUntil(t0 + 200_000, 1_000);
    const gap = longestGap(rig.stored());
    expect(gap.sec).toBeGreaterThanOrEqual(70);
    expect(gap.afterMs).toBeGreaterThanOrEqual(t0 + 55_000);
  });

  it('trigger refuses unknown chairs, kinds and params with clear messages', () => {
    const rig = createSimRig();
    expect(() => rig.simulation.trigger('chair-9', 'surge')).toThrow(/unknown chair "chair-9"/);
    expect(() => rig.simulation.trigger('chair-1', 'nap' as 'surge')).toThrow(/unknown event kind "nap"/);
    expect(() => rig.simulation.trigger('chair-1', 'desaturation', { spo2Pct: 10 })).toThrow(/desaturation params: spo2Pct/);
  });

  it('applyScenario places a scenario on a running simulation from now on', async () => {
    const rig = createSimRig({ speed: 10, monitor: quietMonitorBehaviour });
    await rig.runUntil(t0 + 30_000, 1_000); // 5 patient min
    rig.simulation.applyScenario({ name: 'late', events: [{ atSec: 120, kind: 'cuff-artefact' }, { atSec: 600, kind: 'cuff-artefact' }] });
    await rig.runUntil(t0 + 120_000, 1_000);
    // The 2-min moment has passed on this visit: only the 10-min one fires now.
    const artefacts = rig.stored().filter((r) => r.systolic === 320);
    expect(artefacts.map((r) => Math.round(rig.patientMin(r) * 10) / 10)).toEqual([expect.closeTo(10.6, 0)]);
  });
});

describe('patients who arrive one after another and stay until released (demo mode’s autopilot)', () => {
  const min = 60_000 / 60; // real ms per patient minute at ×60

  it('start the chairs empty, seat the first patients in turn, keep each one observed until released, then seat the next', async () => {
    const changes: PhaseChange[] = [];
    const rig = createSimRig({
      speed: 60,
      chairIds: ['chair-1', 'chair-2'],
      chairProfiles: ['typical', 'typical'],
      monitor: quietMonitorBehaviour,
      firstPatients: 'arriving',
      arrivalIntervalSec: 30 * 60,
      patientsLeave: 'when-released',
      onPhaseChange: (c) => changes.push(c),
    });
    await rig.runUntil(t0 + 20 * min);
    expect(rig.stored('chair-2')).toEqual([]);
    expect(changes.filter((c) => c.chairId === 'chair-2').map((c) => c.phase)).toEqual(['gap']);
    await rig.runUntil(t0 + 40 * min);
    expect(Math.min(...rig.stored('chair-2').map((r) => rig.patientMin(r)))).toBeGreaterThanOrEqual(30);

    // 150 patient min after chair 1's patient sat down: long past the schedule's 110, still observed.
    await rig.runUntil(t0 + 150 * min);
    expect(rig.simulation.moments(t0 + 150 * min)['chair-1']).toMatchObject({ cycleIndex: 0, phase: 'observation' });
    const lateBps = rig.stored('chair-1').filter((r) => r.systolic !== undefined && rig.patientMin(r) > 110);
    expect(lateBps.length).toBeGreaterThanOrEqual(2);

    const leftAt = rig.clock.now();
    expect(rig.simulation.leave('chair-1', 1)).toBe(false);
    expect(rig.simulation.leave('chair-1', 0)).toBe(true);
    expect(rig.simulation.leave('chair-1', 0)).toBe(false);
    await rig.runUntil(t0 + 158 * min);
    const chair1 = rig.stored('chair-1');
    expect(chair1.filter((r) => Date.parse(r.measuredAt) > leftAt && Date.parse(r.measuredAt) < leftAt + 5 * min)).toEqual([]);
    expect(chair1.some((r) => Date.parse(r.measuredAt) >= leftAt + 5 * min)).toBe(true);
    expect(changes.filter((c) => c.chairId === 'chair-1').map((c) => [c.cycleIndex, c.phase])).toEqual([
      [0, 'baseline'],
      [0, 'treatment'],
      [0, 'observation'],
      [0, 'gap'],
      [1, 'baseline'],
    ]);
  });

  it('sync(chair) sends what is due on that chair now, between two ticks', async () => {
    const rig = createSimRig({ speed: 60, monitor: quietMonitorBehaviour, patientsLeave: 'when-released' });
    await rig.runUntil(t0 + 10_000);
    rig.clock.set(t0 + 14_500);
    const before = rig.stored().length;
    await rig.simulation.sync('chair-1');
    expect(rig.stored().length).toBeGreaterThan(before);
    expect(Math.max(...rig.stored().map((r) => Date.parse(r.measuredAt)))).toBeGreaterThan(t0 + 10_000);
    await expect(rig.simulation.sync('chair-9')).rejects.toThrow(/unknown chair/);
  });
});
