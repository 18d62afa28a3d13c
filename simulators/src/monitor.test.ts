import { describe, expect, it } from 'vitest';
import { cuffArtefactValues, cuffAttempts, defaultMonitorBehaviour, drawMonitorEpisodes, quietMonitorBehaviour, type MonitorBehaviour } from './monitor';
import { checkPlausibility } from '@chairside/shared';
import { forkRandom } from './random';

const slot = (overrides: Partial<Parameters<typeof cuffAttempts>[0]> = {}) => ({
  seed: 1,
  cycleIndex: 0,
  slotSessionSec: 1200,
  slotChairSec: 1200,
  nextSlotChairSec: 1500,
  visitEndChairSec: 6600,
  behaviour: quietMonitorBehaviour,
  ...overrides,
});

describe('NIBP cuff cycles', () => {
  it('take 30–40 s, and the reading is timed when the cycle ends', () => {
    for (let seed = 0; seed < 200; seed++) {
      const attempts = cuffAttempts(slot({ seed }));
      expect(attempts).toHaveLength(1);
      const [a] = attempts;
      expect(a?.outcome).toBe('reading');
      expect(a?.startChairSec).toBe(1200);
      expect((a?.endChairSec ?? 0) - 1200).toBeGreaterThanOrEqual(30);
      expect((a?.endChairSec ?? 0) - 1200).toBeLessThanOrEqual(40);
    }
  });

  it('after a failure, retry about a minute later, up to the retry limit', () => {
    const alwaysFails: MonitorBehaviour = { ...quietMonitorBehaviour, cuffFailureProbability: 1 };
    const attempts = cuffAttempts(slot({ behaviour: alwaysFails }));
    expect(attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'failed']);
    for (let i = 1; i < attempts.length; i++) {
      const gap = (attempts[i]?.startChairSec ?? 0) - (attempts[i - 1]?.endChairSec ?? 0);
      expect(gap).toBeGreaterThanOrEqual(54);
      expect(gap).toBeLessThanOrEqual(66);
    }
  });

  it('stops retrying when the next scheduled reading is due, or the visit ends', () => {
    const alwaysFails: MonitorBehaviour = { ...quietMonitorBehaviour, cuffFailureProbability: 1 };
    expect(cuffAttempts(slot({ behaviour: alwaysFails, nextSlotChairSec: 1300 }))).toHaveLength(1);
    expect(cuffAttempts(slot({ behaviour: alwaysFails, visitEndChairSec: 1330 }))).toHaveLength(1);
  });

  it('starts a cycle due at the very end of the visit early enough to end with it', () => {
    const [a] = cuffAttempts(slot({ slotChairSec: 6600, slotSessionSec: 6600, nextSlotChairSec: Infinity }));
    expect(a?.endChairSec).toBeCloseTo(6600, 9);
    expect(a?.startChairSec).toBeLessThan(6600 - 29);
  });

  it('fails now and then with the default rate, and a failed cycle is usually rescued by its retry', () => {
    const outcomes = Array.from({ length: 2000 }, (_, i) => cuffAttempts(slot({ seed: i, behaviour: defaultMonitorBehaviour })));
    const failedFirst = outcomes.filter((a) => a[0]?.outcome === 'failed').length / outcomes.length;
    expect(failedFirst).toBeGreaterThan(0.01);
    expect(failedFirst).toBeLessThan(0.06);
    const noReading = outcomes.filter((a) => a.every((x) => x.outcome === 'failed')).length;
    expect(noReading).toBeLessThan(3);
  });

  it('is the same for the same seed and slot', () => {
    const b = { ...defaultMonitorBehaviour, cuffFailureProbability: 0.5 };
    expect(cuffAttempts(slot({ seed: 9, behaviour: b }))).toEqual(cuffAttempts(slot({ seed: 9, behaviour: b })));
  });

  it('artefact values are ones the server rejects as implausible', () => {
    for (let i = 0; i < 50; i++) {
      const values = cuffArtefactValues(forkRandom(1, i));
      expect(checkPlausibility(values).rejected.length).toBeGreaterThan(0);
    }
  });
});

describe('the monitor’s random episodes', () => {
  const visitSec = 115 * 60;

  it('are none when the rates are zero', () => {
    expect(drawMonitorEpisodes(1, 0, 0, visitSec, quietMonitorBehaviour)).toEqual([]);
  });

  it('come at about the configured rates, with the configured lengths, inside the visit', () => {
    const behaviour: MonitorBehaviour = { ...quietMonitorBehaviour, sensorOffPerHour: 2, motionArtefactsPerHour: 4, disconnectsPerHour: 1 };
    const visits = Array.from({ length: 300 }, (_, i) => drawMonitorEpisodes(5, i, i * visitSec, (i + 1) * visitSec, behaviour));
    const hours = (300 * visitSec) / 3600;
    const count = (kind: string): number => visits.flat().filter((e) => e.kind === kind).length / hours;
    expect(count('sensor-off')).toBeGreaterThan(1.6);
    expect(count('sensor-off')).toBeLessThan(2.4);
    expect(count('motion-artefact')).toBeGreaterThan(3.4);
    expect(count('motion-artefact')).toBeLessThan(4.6);
    expect(count('disconnect')).toBeGreaterThan(0.75);
    expect(count('disconnect')).toBeLessThan(1.25);
    visits.forEach((episodes, i) => {
      for (const e of episodes) {
        expect(e.fromChairSec).toBeGreaterThanOrEqual(i * visitSec);
        expect(e.fromChairSec).toBeLessThan((i + 1) * visitSec);
        const length = e.untilChairSec - e.fromChairSec;
        const range = e.kind === 'sensor-off' ? behaviour.sensorOffSec : e.kind === 'disconnect' ? behaviour.disconnectSec : behaviour.motionArtefactSec;
        expect(length).toBeGreaterThanOrEqual(range.min);
        expect(length).toBeLessThanOrEqual(range.max);
      }
    });
  });

  it('are modest by default: a calm clinic', () => {
    const visits = Array.from({ length: 100 }, (_, i) => drawMonitorEpisodes(3, i, i * visitSec, (i + 1) * visitSec, defaultMonitorBehaviour));
    const offSec = visits.flat().filter((e) => e.kind === 'sensor-off').reduce((sum, e) => sum + e.untilChairSec - e.fromChairSec, 0);
    expect(offSec / (100 * visitSec)).toBeLessThan(0.02);
    expect(visits.filter((v) => v.some((e) => e.kind === 'disconnect')).length).toBeLessThan(40);
  });

  it('are the same for the same seed and visit, whatever was drawn before', () => {
    const a = drawMonitorEpisodes(11, 4, 0, visitSec, defaultMonitorBehaviour);
    drawMonitorEpisodes(11, 3, 0, visitSec, defaultMonitorBehaviour);
    expect(drawMonitorEpisodes(11, 4, 0, visitSec, defaultMonitorBehaviour)).toEqual(a);
  });
});
