import { describe, expect, it } from 'vitest';
import {
  chairMomentAt,
  cycleSec,
  defaultNibpIntervalsSec,
  defaultSessionSchedule,
  nibpEventsBetween,
  nibpSlots,
  phaseAt,
  staggeredStartsSec,
} from './session-cycle';

const schedule = defaultSessionSchedule;
const min = 60;

describe('a chair’s session cycle', () => {
  it.each([
    [0, 'baseline'],
    [9 * min, 'baseline'],
    [10 * min, 'treatment'],
    [49 * min, 'treatment'],
    [50 * min, 'observation'],
    [110 * min, 'observation'],
    [111 * min, 'gap'],
  ] as const)('at %i s the chair is in %s', (sec, phase) => {
    expect(phaseAt(schedule, sec)).toBe(phase);
  });

  it('lasts 115 min and then seats the next patient', () => {
    expect(cycleSec(schedule)).toBe(115 * min);
    expect(chairMomentAt(schedule, 115 * min + 30)).toEqual({ cycleIndex: 1, sessionSec: 30, phase: 'baseline' });
  });

  it('plans 2 baseline, 8 treatment and 5 observation BPs per visit', () => {
    const slots = nibpSlots(schedule, defaultNibpIntervalsSec);
    expect(slots.map((s) => [s.phase, s.sessionSec / min])).toEqual([
      ['baseline', 2],
      ['baseline', 7],
      ...[10, 15, 20, 25, 30, 35, 40, 45].map((m) => ['treatment', m]),
      ...[50, 65, 80, 95, 110].map((m) => ['observation', m]),
    ]);
  });

  it('lists the BPs in a window across visits, without repeating a window edge', () => {
    const slots = nibpSlots(schedule, defaultNibpIntervalsSec);
    const first = nibpEventsBetween(schedule, slots, 100 * min, 118 * min);
    expect(first.map((e) => [e.cycleIndex, e.sessionSec / min])).toEqual([
      [0, 110],
      [1, 2],
    ]);
    expect(nibpEventsBetween(schedule, slots, 110 * min, 116 * min)).toEqual([]);
  });

  it('staggers chairs over the cycle so they are in different phases', () => {
    const starts = staggeredStartsSec(schedule, 6);
    const phases = new Set(starts.map((s) => chairMomentAt(schedule, s).phase));
    expect(starts[0]).toBe(0);
    expect(phases.size).toBeGreaterThanOrEqual(3);
  });
});
