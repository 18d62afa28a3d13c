import { describe, expect, it } from 'vitest';
import { createVisitTimeline } from './visit-timeline';
import { chairMomentAt, defaultNibpIntervalsSec, defaultSessionSchedule, nibpEventsBetween, nibpSlots } from './session-cycle';

const schedule = defaultSessionSchedule;
const intervals = defaultNibpIntervalsSec;
const min = 60;

describe('a chair timeline whose patients leave on schedule', () => {
  const timeline = createVisitTimeline(schedule, intervals);

  it('is the periodic cycle of session-cycle.ts', () => {
    for (let sec = 0; sec < 3 * 115 * min; sec += 97) expect(timeline.momentAt(sec)).toEqual(chairMomentAt(schedule, sec));
    const slots = nibpSlots(schedule, intervals);
    expect(timeline.nibpEventsBetween(100 * min, 240 * min).map(({ nextChairSec: _next, ...e }) => e)).toEqual(
      nibpEventsBetween(schedule, slots, 100 * min, 240 * min),
    );
  });

  it('names the next BP of the same visit, and none after the last', () => {
    const [last, first] = timeline.nibpEventsBetween(109 * min, 118 * min);
    expect(last).toMatchObject({ cycleIndex: 0, sessionSec: 110 * min, nextChairSec: Number.POSITIVE_INFINITY });
    expect(first).toMatchObject({ cycleIndex: 1, sessionSec: 2 * min, nextChairSec: 115 * min + 7 * min });
  });

  it('is empty before its first patient arrives, and lets nobody leave early', () => {
    expect(timeline.momentAt(-30)).toEqual({ cycleIndex: 0, sessionSec: -30, phase: 'gap' });
    expect(timeline.nibpEventsBetween(-20 * min, 0)).toEqual([]);
    expect(timeline.leave(0, 60 * min)).toBe(false);
  });
});

describe('a chair timeline whose patients stay until released', () => {
  it('keeps the patient in observation past the schedule, a BP every observation interval', () => {
    const timeline = createVisitTimeline(schedule, intervals, 'when-released');
    expect(timeline.momentAt(5 * min).phase).toBe('baseline');
    expect(timeline.momentAt(30 * min).phase).toBe('treatment');
    expect(timeline.momentAt(200 * min)).toEqual({ cycleIndex: 0, sessionSec: 200 * min, phase: 'observation' });
    expect(timeline.visitEndSec(0)).toBeNull();
    expect(timeline.visitStartSec(1)).toBeNull();
    const late = timeline.nibpEventsBetween(100 * min, 160 * min);
    expect(late.map((e) => [e.phase, e.sessionSec / min, e.nextChairSec / min])).toEqual([
      ['observation', 110, 125],
      ['observation', 125, 140],
      ['observation', 140, 155],
      ['observation', 155, 170],
    ]);
  });

  it('plans the schedule’s baseline and treatment BPs as usual', () => {
    const timeline = createVisitTimeline(schedule, intervals, 'when-released');
    const planned = nibpSlots(schedule, intervals).map((s) => [s.phase, s.sessionSec]);
    expect(timeline.nibpEventsBetween(-1, 110 * min).map((e) => [e.phase, e.sessionSec])).toEqual(planned);
  });

  it('after the patient leaves: the gap, then the next patient, whose visit starts its own schedule', () => {
    const timeline = createVisitTimeline(schedule, intervals, 'when-released');
    expect(timeline.leave(0, 131 * min)).toBe(true);
    expect(timeline.visitEndSec(0)).toBe(131 * min);
    expect(timeline.momentAt(131 * min - 1).phase).toBe('observation');
    expect(timeline.momentAt(131 * min)).toEqual({ cycleIndex: 0, sessionSec: 131 * min, phase: 'gap' });
    expect(timeline.visitStartSec(1)).toBe(136 * min);
    expect(timeline.momentAt(136 * min + 30)).toEqual({ cycleIndex: 1, sessionSec: 30, phase: 'baseline' });
    // Visit 0's last BP is the one before it left; visit 1's first comes 2 min after it sits down.
    const around = timeline.nibpEventsBetween(120 * min, 140 * min);
    expect(around.map((e) => [e.cycleIndex, e.sessionSec / min])).toEqual([
      [0, 125],
      [1, 2],
    ]);
    expect(around[0]?.nextChairSec).toBe(Number.POSITIVE_INFINITY);
  });

  it('lets a patient leave before the schedule ends (a cancelled session), once', () => {
    const timeline = createVisitTimeline(schedule, intervals, 'when-released');
    expect(timeline.leave(1, 5 * min)).toBe(false);
    expect(timeline.leave(0, 6 * min)).toBe(true);
    expect(timeline.leave(0, 7 * min)).toBe(false);
    expect(timeline.nibpEventsBetween(0, 11 * min).map((e) => [e.cycleIndex, e.sessionSec / min])).toEqual([[0, 2]]);
    expect(timeline.momentAt(8 * min).phase).toBe('gap');
    expect(timeline.momentAt(11 * min)).toMatchObject({ cycleIndex: 1, sessionSec: 0, phase: 'baseline' });
  });
});
