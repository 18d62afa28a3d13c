import { describe, expect, it } from 'vitest';
import { checkPlausibility } from '../vitals/plausibility';
import { alertEngineStateSchema, evaluate } from './engine';
import { defaultAlertRules } from './rules';
import { type Step, T0, bp, every, everySecond, harness, lateBp, makeReading, min, sec, tick } from './test-fixtures';

/**
 * The rule table's second edition (docs/clinical-defaults.md): late data judged in measurement order,
 * calculated MAP, the recheck prompt's escalation, cadence-aware persistence and no-data, values
 * below the sensor floor, and ranges in sustained-rule texts. Each case sits at its boundary.
 */

const openRules = (h: ReturnType<typeof harness>) => h.state.alerts.map((a) => `${a.ruleId} ${a.priority}${a.late === true ? ' late' : ''}`);

describe('late data: a reading is judged in its place, whatever order it arrives in', () => {
  it('a crisis BP entered 3 min late, after a newer normal BP, raises a late high alarm that names it', () => {
    const h = harness();
    h.run([bp(min(10), 128, 78)]);
    const events = h.run([lateBp(min(11), min(8), 212, 118)]);
    expect(events.map((e) => [e.type, e.alert.ruleId, e.alert.priority])).toEqual([['alert-raised', 'bp-crisis', 'high']]);
    const [crisis] = h.open('bp-crisis');
    expect(crisis).toMatchObject({ late: true, facts: { measuredAt: new Date(T0 + min(8)).toISOString(), lateBySec: 180 } });
    expect(crisis?.message).toBe('SBP 212 ≥ 200 — arrived late, measured 3 min before');
    // Newer readings show it over, yet it stays until someone has seen it.
    expect(h.run([tick(min(30))])).toEqual([]);
    expect(h.run([{ at: min(31), acknowledge: crisis?.id ?? '' }, tick(min(31) + 1)]).map((e) => e.type)).toEqual([
      'alert-acknowledged',
      'alert-cleared',
    ]);
  });

  it('a late medium alarm (hypotension) also stays until acknowledged: no one saw it while it held', () => {
    const h = harness();
    h.run([bp(min(10), 128, 78), lateBp(min(11), min(5), 86, 55), tick(min(20))]);
    expect(openRules(h)).toEqual(['bp-low medium late']);
  });

  // bp-severe needs 2 consecutive readings ≥180; a late reading L (190/100) lands before, between or after A and B.
  const positions: { name: string; a: number; b: number; lateAt: number; open: string[] }[] = [
    { name: 'between a breach and a recovery: the pair held in the past', a: 185, b: 120, lateAt: min(5), open: ['bp-severe medium late'] },
    { name: 'between a recovery and a breach: the pair is the current condition', a: 120, b: 185, lateAt: min(5), open: ['bp-severe medium'] },
    { name: 'before a breach that was followed by a recovery', a: 185, b: 120, lateAt: -min(5), open: ['bp-severe medium late'] },
    { name: 'between two normal BPs: one breach alone, already rechecked, raises nothing', a: 120, b: 120, lateAt: min(5), open: [] },
  ];
  it.each(positions)('late BP $name', ({ a, b, lateAt, open }) => {
    const h = harness();
    h.run([bp(0, a, 90), bp(min(10), b, 90), lateBp(min(12), lateAt, 190, 100), tick(min(12) + sec(6))]);
    expect(openRules(h)).toEqual(open);
  });

  it('a BP that arrives in order but measured 3 min before says so in its alert', () => {
    const h = harness();
    h.run([lateBp(min(3), 0, 86, 60)]);
    expect(h.open('bp-low')[0]?.message).toBe('SBP 86 < 90 — arrived late, measured 3 min before');
    expect(h.open('bp-low')[0]?.late).toBeUndefined();
  });

  it('a late run of HR completes a 15-s episode in the past: a late hr-extreme with its range', () => {
    const h = harness();
    h.run(everySecond('heartRate', 90, 100, 160));
    // A monitor's backlog: HR 150–158 measured at 20–40 s, arriving after the live values.
    const backlog: Step[] = [];
    for (let s = 20; s <= 40; s += 1) backlog.push({ at: sec(161), measured: sec(s), vitals: { heartRate: 150 + (s % 9) } });
    h.run([...backlog, tick(sec(170))]);
    expect(openRules(h)).toEqual(['hr-extreme high late']);
    expect(h.open('hr-extreme')[0]?.message).toMatch(/^HR 150–158 ≥ 150 for 1\d s — arrived late, measured 2 min before$/);
  });

  it('a late value that splits the current run restarts its count', () => {
    const h = harness();
    h.run(everySecond('heartRate', 125, 0, 200));
    h.run([{ at: sec(200) + 500, measured: sec(150) + 500, vitals: { heartRate: 80 } }]);
    expect(h.state.tracking.runs['hr-high']).toMatchObject({ startMs: T0 + sec(151) });
    expect(h.run(everySecond('heartRate', 125, 201, 270))).toEqual([]);
  });
});

describe('no stamp stops another reading from being judged or shown', () => {
  it('a reading stamped 4 min 50 s ahead neither hides the crisis readings after it nor freezes the newest values', () => {
    const h = harness();
    h.run([{ at: 0, measured: min(4) + sec(50), vitals: { systolic: 120, diastolic: 80, heartRate: 70, spo2: 98 } }]);
    const crisis: Step[] = [];
    for (let i = 1; i <= 75; i += 1) {
      crisis.push({ at: sec(i), vitals: { systolic: 240, diastolic: 135, heartRate: 165, spo2: 78 } });
    }
    const raised = h.run(crisis).filter((e) => e.type === 'alert-raised').map((e) => e.alert.ruleId);
    expect(raised).toEqual(expect.arrayContaining(['bp-crisis', 'hr-extreme', 'spo2-very-low']));
    expect(h.state.latest.bp).toMatchObject({ systolic: 240, diastolic: 135 });
    expect(h.state.latest.heartRate?.value).toBe(165);
  });
});

describe('sustained rules: the window covered by readings no more than 2 send intervals apart', () => {
  it('HR sent once a minute: "HR >120 for 5 min" needs readings over 5 min, not 2 readings 1 min apart', () => {
    const h = harness();
    h.run(every('heartRate', 130, 60, 0, 240));
    expect(openRules(h)).toEqual(['hr-high low']);
    const fired = h.run(every('heartRate', 131, 60, 300, 300)).filter((e) => e.type === 'alert-raised');
    expect(fired.map((e) => [e.alert.ruleId, e.alert.message])).toEqual([['hr-very-high', 'HR 130–131 > 120 for 5 min']]);
  });

  it('HR once a minute with a reading missing: a 2-min gap is covered, a 3-min gap breaks the run', () => {
    const covered = harness();
    covered.run([...every('heartRate', 130, 60, 0, 120), ...every('heartRate', 130, 60, 240, 300)]);
    expect(covered.open('hr-very-high')).toHaveLength(1);
    const broken = harness();
    broken.run([...every('heartRate', 130, 60, 0, 60), ...every('heartRate', 130, 60, 240, 420)]);
    expect(broken.open('hr-very-high')).toEqual([]);
  });

  it('1-Hz HR: a dropped value (2 s gap) keeps the run, a 3 s gap starts it again', () => {
    const dropped = harness();
    dropped.run([...everySecond('heartRate', 155, 0, 7), ...everySecond('heartRate', 155, 9, 15)]);
    expect(dropped.open('hr-extreme')).toHaveLength(1);
    const gap = harness();
    gap.run([...everySecond('heartRate', 155, 0, 7), ...everySecond('heartRate', 155, 10, 24)]);
    expect(gap.open('hr-extreme')).toEqual([]);
    gap.run(everySecond('heartRate', 155, 25, 25));
    expect(gap.open('hr-extreme')).toHaveLength(1);
  });

  it('names the range over the window, not one value that may be an artefact', () => {
    const h = harness();
    const steps: Step[] = [];
    for (let s = 0; s <= 300; s += 1) steps.push({ at: sec(s), vitals: { heartRate: s === 150 ? 193 : 121 + (s % 11) } });
    h.run(steps);
    expect(h.open('hr-extreme')).toEqual([]);
    expect(h.open('hr-very-high')[0]?.message).toBe('HR 121–193 > 120 for 5 min');
  });
});

describe('hypotension on calculated MAP (DBP + (SBP − DBP) / 3) when the cuff sends none', () => {
  it.each([
    { name: 'sent MAP 64.9 fires', steps: [bp(0, 100, 60, 64.9)], message: 'MAP 64.9 < 65' },
    { name: 'sent MAP 65 does not', steps: [bp(0, 100, 60, 65)], message: null },
    { name: 'manual 95/48 (MAP 63.7) fires', steps: [bp(0, 95, 48)], message: 'MAP 63.7 (calculated) < 65' },
    { name: '98/48 (MAP 64.7) fires', steps: [bp(0, 98, 48)], message: 'MAP 64.7 (calculated) < 65' },
    { name: '99/48 (MAP exactly 65) does not', steps: [bp(0, 99, 48)], message: null },
  ])('$name', ({ steps, message }) => {
    const h = harness();
    h.run(steps);
    expect(h.open('bp-low')[0]?.message ?? null).toBe(message);
  });
});

describe('the recheck prompt becomes medium when no new BP arrives within 5 min', () => {
  it.each([
    { at: min(5) - sec(1), priority: 'low', message: 'SBP 186 ≥ 180 — recheck BP now' },
    { at: min(5), priority: 'medium', message: 'SBP 186 ≥ 180 — no recheck BP within 5 min' },
  ])('at $at ms after the BP arrived: $priority', ({ at, priority, message }) => {
    const h = harness();
    h.run([bp(0, 186, 100), tick(at)]);
    expect(h.open('bp-severe')[0]).toMatchObject({ priority, message });
  });

  it('an older BP entered late is no recheck: the prompt still escalates', () => {
    const h = harness();
    h.run([bp(0, 186, 100), lateBp(min(3), -min(10), 130, 80), tick(min(5))]);
    expect(h.open('bp-severe')[0]?.priority).toBe('medium');
  });

  it('a recheck within 5 min ends the prompt', () => {
    const h = harness();
    h.run([bp(0, 186, 100), bp(min(4), 150, 90), tick(min(10))]);
    expect(h.open('bp-severe')).toEqual([]);
  });
});

describe('values below the sensor floor: a medium "check patient and sensor"', () => {
  const rejectedOf = (vitals: Parameters<typeof checkPlausibility>[0]) => checkPlausibility(vitals).rejected;
  it.each([
    { vital: 'SpO₂ 49', vitals: { spo2: 49 }, priority: 'medium' },
    { vital: 'HR 19', vitals: { heartRate: 19 }, priority: 'medium' },
    { vital: 'SBP 39', vitals: { systolic: 39, diastolic: 20 }, priority: 'medium' },
    { vital: 'HR 301 (above the range, not below a floor)', vitals: { heartRate: 301 }, priority: 'low' },
  ])('$vital → $priority', ({ vitals, priority }) => {
    const h = harness();
    const rejected = rejectedOf(vitals);
    expect(rejected.length).toBeGreaterThan(0);
    h.run([{ at: 0, vitals: {}, rejected }]);
    const [alert] = h.open('implausible');
    expect(alert?.priority).toBe(priority);
    expect(alert?.message.startsWith(priority === 'medium' ? 'Check patient and sensor:' : 'Rejected:')).toBe(true);
  });

  it('SpO₂ 50, HR 20 and SBP 40 are readings, not technical alarms', () => {
    expect(checkPlausibility({ spo2: 50, heartRate: 20, systolic: 40, diastolic: 20 }).rejected).toEqual([]);
  });
});

describe('no-data per vital and cadence', () => {
  it('a cuff-only monitor (BP and pulse every 5 min) never raises no-data; BP overdue covers it', () => {
    const h = harness({ context: { bpIntervalMin: 5, bpDueAtMs: T0 + min(5) } });
    const cuff: Step[] = [0, 5, 10].map((m) => ({ at: min(m), vitals: { systolic: 120, diastolic: 80, heartRate: 72 } }));
    h.run([...cuff, tick(min(14))]);
    expect(h.open('no-data')).toEqual([]);
    h.run([tick(min(17))]);
    expect(h.open('no-data')).toEqual([]);
    expect(h.open('bp-overdue')).toHaveLength(1);
  });

  it('HR sent once a minute is silent after 2 intervals (120 s), not after 60 s', () => {
    const h = harness();
    h.run([...every('heartRate', 80, 60, 0, 120), tick(sec(239))]);
    expect(h.open('no-data')).toEqual([]);
    h.run([tick(sec(240))]);
    expect(h.open('no-data')[0]?.message).toBe('No data from the device for 2 min (HR)');
  });

  it('one alert names every silent vital', () => {
    const h = harness();
    const steps: Step[] = [];
    for (let s = 0; s <= 5; s += 1) steps.push({ at: sec(s), vitals: { heartRate: 80, spo2: 97 } });
    h.run([...steps, tick(sec(65))]);
    expect(h.state.alerts.map((a) => a.message)).toEqual(['No data from the device for 60 s (HR, SpO₂)']);
  });

  it('"monitor removed" ends the watch (the alarm goes) until the device sends again', () => {
    const h = harness();
    h.run([...everySecond('heartRate', 80, 0, 5), tick(sec(70))]);
    expect(h.open('no-data')).toHaveLength(1);
    h.run([{ at: sec(80), context: { monitorRemovedAtMs: T0 + sec(80) } }, tick(min(30))]);
    expect(h.open('no-data')).toEqual([]);
    h.run([...everySecond('heartRate', 80, 1900, 1905), tick(sec(1964))]);
    expect(h.open('no-data')).toEqual([]);
    h.run([tick(sec(1965))]);
    expect(h.open('no-data')).toHaveLength(1);
  });
});

describe('readings attached after they were stored', () => {
  it('are evaluated in their place though their sequence number is old, and only once', () => {
    const h = harness();
    h.run([bp(min(10), 128, 78)]);
    const old = makeReading(0, T0 - min(2), { systolic: 88, diastolic: 60 }, 'manual', [], T0 - min(2));
    const first = evaluate(defaultAlertRules, h.state, { kind: 'reading', reading: old, attached: true }, T0 + min(11));
    expect(first.events.map((e) => e.alert.ruleId)).toEqual(['bp-low']);
    const again = evaluate(defaultAlertRules, first.state, { kind: 'reading', reading: old, attached: true }, T0 + min(12));
    expect(again.events).toEqual([]);
  });
});

describe('state written by the previous engine version', () => {
  it('loads with empty histories and carries on', () => {
    const h = harness();
    h.run([bp(0, 205, 100)]);
    const current = JSON.parse(JSON.stringify(h.state)) as { tracking: Record<string, unknown> };
    const { lastReadingSeq, lastBpAtMs, watchSinceMs, checkpointsMet } = current.tracking;
    const state = alertEngineStateSchema.parse({ ...current, tracking: { lastReadingSeq, lastBpAtMs, watchSinceMs, checkpointsMet, bpCounts: {} } });
    expect(state.alerts.map((a) => a.ruleId)).toEqual(['bp-crisis']);
    h.replaceState(state);
    h.run(everySecond('heartRate', 155, 10, 25));
    expect(h.open('hr-extreme')).toHaveLength(1);
  });
});
