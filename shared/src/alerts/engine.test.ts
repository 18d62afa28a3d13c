import { describe, expect, it } from 'vitest';
import { isLatched } from './alert';
import { type AlertContext, alertEngineStateSchema, createAlertEngineState, evaluate } from './engine';
import { type AlertPriority, type AlertRule, alertRulesSchema, defaultAlertRules } from './rules';
import { type Step, T0, bp, everySecond, harness, makeReading, min, sec, tick } from './test-fixtures';

/**
 * docs/clinical-defaults.md "Alert rules", one row per case, at the persistence boundary: `short` is one reading
 * (or one second) short of firing, `fire` the step that fires.
 */
interface RuleCase {
  rule: string;
  condition: string;
  context?: Partial<AlertContext>;
  short: Step[];
  /** What the rule shows after `short` (bp-severe's recheck prompt); none when absent. */
  afterShort?: { priority: AlertPriority; message: string };
  fire: Step[];
  priority: AlertPriority;
  message: string;
}

const baseline = { systolic: 130, diastolic: 80 };

const ruleTable: RuleCase[] = [
  {
    rule: 'baseline-bp-elevated',
    condition: 'baseline SBP >140',
    short: [{ at: 0, context: { baseline: { systolic: 140, diastolic: 90 } } }],
    fire: [{ at: sec(1), context: { baseline: { systolic: 141, diastolic: 88 } } }],
    priority: 'low',
    message: 'Baseline SBP 141 > 140',
  },
  {
    rule: 'baseline-bp-elevated',
    condition: 'baseline DBP >90',
    short: [{ at: 0, context: { baseline: { systolic: 138, diastolic: 90 } } }],
    fire: [{ at: sec(1), context: { baseline: { systolic: 138, diastolic: 91 } } }],
    priority: 'low',
    message: 'Baseline DBP 91 > 90',
  },
  {
    rule: 'bp-rise',
    condition: 'ΔSBP ≥40 over baseline, 1 reading',
    context: { baseline },
    short: [bp(0, 169, 90)],
    fire: [bp(min(5), 170, 90)],
    priority: 'medium',
    message: 'ΔSBP +40 ≥ 40 (SBP 170, baseline 130)',
  },
  {
    rule: 'bp-rise',
    condition: 'ΔDBP ≥25 over baseline, 1 reading',
    context: { baseline },
    short: [bp(0, 150, 104)],
    fire: [bp(min(5), 150, 105)],
    priority: 'medium',
    message: 'ΔDBP +25 ≥ 25 (DBP 105, baseline 80)',
  },
  {
    rule: 'bp-severe',
    condition: 'SBP ≥180, 2 consecutive readings; the first prompts a recheck',
    short: [bp(0, 179, 100), bp(min(5), 185, 100)],
    afterShort: { priority: 'low', message: 'SBP 185 ≥ 180 — recheck BP now' },
    fire: [bp(min(6), 182, 100)],
    priority: 'medium',
    message: 'SBP 182 ≥ 180 on 2 consecutive readings',
  },
  {
    rule: 'bp-severe',
    condition: 'DBP ≥110, 2 consecutive readings',
    short: [bp(0, 170, 110)],
    afterShort: { priority: 'low', message: 'DBP 110 ≥ 110 — recheck BP now' },
    fire: [bp(min(2), 170, 112)],
    priority: 'medium',
    message: 'DBP 112 ≥ 110 on 2 consecutive readings',
  },
  {
    rule: 'bp-crisis',
    condition: 'SBP ≥200, 1 reading',
    short: [bp(0, 199, 100)],
    fire: [bp(min(5), 200, 100)],
    priority: 'high',
    message: 'SBP 200 ≥ 200',
  },
  {
    rule: 'bp-crisis',
    condition: 'DBP ≥120, 1 reading',
    short: [bp(0, 150, 100)],
    fire: [bp(min(5), 160, 120)],
    priority: 'high',
    message: 'DBP 120 ≥ 120',
  },
  {
    rule: 'bp-low',
    condition: 'SBP <90, 1 reading',
    short: [bp(0, 90, 60)],
    fire: [bp(min(5), 89, 60)],
    priority: 'medium',
    message: 'SBP 89 < 90',
  },
  {
    rule: 'bp-low',
    condition: 'MAP <65, 1 reading',
    short: [bp(0, 95, 50, 65)],
    fire: [bp(min(5), 95, 50, 64)],
    priority: 'medium',
    message: 'MAP 64 < 65',
  },
  {
    rule: 'hr-high',
    condition: 'HR >110 for 2 min',
    short: everySecond('heartRate', 115, 0, 119),
    fire: everySecond('heartRate', 115, 120, 120),
    priority: 'low',
    message: 'HR 115 > 110 for 2 min',
  },
  {
    rule: 'hr-very-high',
    condition: 'HR >120 for 5 min',
    short: everySecond('heartRate', 128, 0, 299),
    fire: everySecond('heartRate', 128, 300, 300),
    priority: 'medium',
    message: 'HR 128 > 120 for 5 min',
  },
  {
    rule: 'hr-very-high',
    condition: 'HR >120, two sparse (manual) readings',
    short: [{ at: 0, vitals: { heartRate: 125 }, source: 'manual' }],
    fire: [{ at: min(3), vitals: { heartRate: 126 }, source: 'manual' }],
    priority: 'medium',
    message: 'HR 125–126 > 120 on 2 consecutive readings',
  },
  {
    rule: 'hr-extreme',
    condition: 'HR ≥150 for 15 s',
    short: everySecond('heartRate', 150, 0, 14),
    fire: everySecond('heartRate', 150, 15, 15),
    priority: 'high',
    message: 'HR 150 ≥ 150 for 15 s',
  },
  {
    rule: 'hr-low',
    condition: 'HR <50 for 30 s',
    short: everySecond('heartRate', 45, 0, 29),
    fire: everySecond('heartRate', 45, 30, 30),
    priority: 'medium',
    message: 'HR 45 < 50 for 30 s',
  },
  {
    rule: 'hr-low',
    condition: 'HR <40 for 10 s → high',
    short: everySecond('heartRate', 38, 0, 9),
    fire: everySecond('heartRate', 38, 10, 10),
    priority: 'high',
    message: 'HR 38 < 40 for 10 s',
  },
  {
    rule: 'spo2-low',
    condition: 'SpO₂ <92 % for 15 s',
    short: everySecond('spo2', 91, 0, 14),
    fire: everySecond('spo2', 91, 15, 15),
    priority: 'medium',
    message: 'SpO₂ 91% < 92% for 15 s',
  },
  {
    rule: 'spo2-very-low',
    condition: 'SpO₂ <88 % for 10 s',
    short: everySecond('spo2', 87, 0, 9),
    fire: everySecond('spo2', 87, 10, 10),
    priority: 'high',
    message: 'SpO₂ 87% < 88% for 10 s',
  },
  {
    rule: 'rr-low',
    condition: 'RR <8 for 30 s',
    short: everySecond('respRate', 7, 0, 29),
    fire: everySecond('respRate', 7, 30, 30),
    priority: 'medium',
    message: 'RR 7 < 8 for 30 s',
  },
  {
    rule: 'rr-low',
    condition: 'RR <6 for 30 s → high',
    short: everySecond('respRate', 5, 0, 29),
    fire: everySecond('respRate', 5, 30, 30),
    priority: 'high',
    message: 'RR 5 < 6 for 30 s',
  },
  {
    rule: 'bp-overdue',
    condition: 'no BP within the interval (5 min) + 2 min',
    context: { bpDueAtMs: T0 + min(5), bpIntervalMin: 5 },
    short: [tick(min(7) - sec(1))],
    fire: [tick(min(7))],
    priority: 'low',
    message: 'No BP for 7 min (due every 5)',
  },
  {
    rule: 'checkpoint-missed',
    condition: 'the 40-min BP has no reading by the window’s end',
    context: {
      checkpoints: [{ id: 'bp-40', label: '40-min BP', status: 'pending', windowStartAtMs: T0 + min(35), windowEndAtMs: T0 + min(50) }],
    },
    short: [bp(min(34), 150, 90), tick(min(50) - sec(1))],
    fire: [tick(min(50))],
    priority: 'medium',
    message: '40-min BP: no BP reading by the end of its window',
  },
  {
    rule: 'no-data',
    condition: 'a device streaming HR silent for 60 s while active',
    short: [...everySecond('heartRate', 80, 0, 5), tick(sec(64))],
    fire: [tick(sec(65))],
    priority: 'medium',
    message: 'No data from the device for 60 s (HR)',
  },
  {
    rule: 'implausible',
    condition: 'a value outside §5 (a “no reading” marker is not one)',
    short: [
      {
        at: 0,
        vitals: { heartRate: 80 },
        rejected: [{ field: 'spo2', value: -1, reason: 'no-reading-marker', message: 'SpO₂: the monitor sent -1, its "no reading" marker' }],
      },
    ],
    fire: [
      {
        at: sec(5),
        vitals: { heartRate: 80 },
        rejected: [{ field: 'systolic', value: 320, reason: 'out-of-range', message: 'SBP 320 mmHg is outside the plausible range 40–300' }],
      },
    ],
    priority: 'low',
    message: 'Rejected: SBP 320 mmHg is outside the plausible range 40–300',
  },
  {
    rule: 'not-ready',
    condition: 'the discharge gate fails when the minimum observation ends',
    context: { phase: 'observation' },
    short: [{ at: 0, context: { gateFailsAtObservationEnd: false } }],
    fire: [{ at: sec(1), context: { gateFailsAtObservationEnd: true } }],
    priority: 'low',
    message: 'Discharge criteria not met at the end of the minimum observation',
  },
  {
    rule: 'rounding-overdue',
    condition: 'no eyes-on check 5 min after it was due (docs/clinical-defaults.md "The session record beyond vitals")',
    context: { rounding: { dueAtMs: T0, lowAfterMin: 5, mediumAfterMin: 10 } },
    short: [tick(min(5) - sec(1))],
    fire: [tick(min(5))],
    priority: 'low',
    message: 'No eyes-on check recorded: 5 min overdue',
  },
  {
    rule: 'rounding-overdue',
    condition: 'no eyes-on check 10 min after it was due',
    context: { rounding: { dueAtMs: T0, lowAfterMin: 5, mediumAfterMin: 10 } },
    short: [tick(min(10) - sec(1))],
    afterShort: { priority: 'low', message: 'No eyes-on check recorded: 9 min overdue' },
    fire: [tick(min(10))],
    priority: 'medium',
    message: 'No eyes-on check recorded: 10 min overdue',
  },
  {
    rule: 'reassessment-overdue',
    condition: 'a PRN reassessment past its due time',
    context: { reassessments: [{ id: 'reassessment:7', label: 'Reassess after ondansetron (nausea)', dueAtMs: T0 + min(15) }] },
    short: [tick(min(15))],
    fire: [tick(min(15) + sec(1))],
    priority: 'low',
    message: 'Reassess after ondansetron (nausea): overdue',
  },
];

describe('§3 default rule table, at each persistence boundary', () => {
  it.each(ruleTable)('$rule: $condition → $priority', (row) => {
    const h = harness({ context: row.context });
    h.run(row.short);
    const shown = h.open(row.rule).map((alert) => ({ priority: alert.priority, message: alert.message }));
    expect(shown).toEqual(row.afterShort === undefined ? [] : [row.afterShort]);

    const events = h.run(row.fire);
    const open = h.open(row.rule);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ priority: row.priority, message: row.message, status: 'active' });
    const expectedType = row.afterShort === undefined ? 'alert-raised' : 'alert-escalated';
    expect(events.filter((e) => e.alert.ruleId === row.rule).map((e) => e.type)).toEqual([expectedType]);
  });

  it('covers every row of §3', () => {
    const ids = new Set(ruleTable.map((row) => row.rule));
    expect([...ids].sort()).toEqual(defaultAlertRules.map((rule) => rule.id).sort());
  });

  it('the default rules are valid rule data', () => {
    expect(alertRulesSchema.safeParse(defaultAlertRules).success).toBe(true);
  });
});

describe('categories', () => {
  it.each([
    ['bp-overdue', 'technical'],
    ['checkpoint-missed', 'technical'],
    ['no-data', 'technical'],
    ['implausible', 'technical'],
    ['not-ready', 'advisory'],
    ['rounding-overdue', 'technical'],
    ['reassessment-overdue', 'technical'],
    ['bp-crisis', 'physiological'],
  ])('%s is %s', (ruleId, category) => {
    expect(defaultAlertRules.find((rule) => rule.id === ruleId)?.category).toBe(category);
  });
});

describe('bp-severe: two consecutive readings, the first prompting a recheck', () => {
  it('a normal recheck ends the prompt (after its 5 s on screen) and a later reading starts over', () => {
    const h = harness();
    h.run([bp(0, 186, 100)]);
    const [prompt] = h.open('bp-severe');
    expect(prompt).toMatchObject({ priority: 'low', message: 'SBP 186 ≥ 180 — recheck BP now' });

    const cleared = h.run([bp(min(1), 150, 90)]);
    expect(cleared.map((e) => [e.type, e.alert.id])).toEqual([['alert-cleared', prompt?.id]]);

    h.run([bp(min(6), 181, 100)]);
    const [again] = h.open('bp-severe');
    expect(again).toMatchObject({ priority: 'low', message: 'SBP 181 ≥ 180 — recheck BP now' });
    expect(again?.id).not.toBe(prompt?.id);
  });

  it('an acknowledged prompt sounds again when the recheck confirms it', () => {
    const h = harness();
    h.run([bp(0, 186, 100)]);
    const id = h.open('bp-severe')[0]?.id ?? '';
    h.run([{ at: sec(20), acknowledge: id }]);
    const events = h.run([bp(min(2), 184, 100)]);
    expect(events.map((e) => e.type)).toEqual(['alert-escalated']);
    expect(h.open('bp-severe')[0]).toMatchObject({ id, priority: 'medium', status: 'active' });
  });

  it('a BP measured before the newest one counts where it belongs: entered late, it confirms the pair', () => {
    const h = harness();
    h.run([bp(min(5), 186, 100), bp(min(4), 190, 100)]);
    expect(h.open('bp-severe')[0]).toMatchObject({ priority: 'medium', message: 'SBP 186 ≥ 180 on 2 consecutive readings' });
  });
});

describe('high alarms latch until acknowledged', () => {
  it('bp-crisis stays after BP recovers, and clears on acknowledgement', () => {
    const h = harness();
    h.run([bp(0, 204, 100)]);
    const [crisis] = h.open('bp-crisis');
    expect(crisis?.message).toBe('SBP 204 ≥ 200');

    expect(h.run([bp(min(5), 140, 85), tick(min(30))])).toEqual([]);
    const latched = h.open('bp-crisis')[0];
    expect(latched).toMatchObject({ status: 'active', conditionResolvedAtMs: T0 + min(5) });
    expect(latched && isLatched(latched)).toBe(true);

    const events = h.run([{ at: min(31), acknowledge: crisis?.id ?? '' }]);
    expect(events.map((e) => e.type)).toEqual(['alert-acknowledged', 'alert-cleared']);
    expect(h.open('bp-crisis')).toEqual([]);
  });

  it('an acknowledged high alarm clears when its condition resolves', () => {
    const h = harness();
    h.run(everySecond('spo2', 85, 0, 10));
    const id = h.open('spo2-very-low')[0]?.id ?? '';
    h.run([{ at: sec(12), acknowledge: id }]);
    expect(h.open('spo2-very-low')[0]?.status).toBe('acknowledged');
    const events = h.run(everySecond('spo2', 97, 13, 13));
    expect(events.map((e) => [e.type, e.alert.id])).toEqual([['alert-cleared', id]]);
  });
});

describe('medium and low clear when resolved, after ≥5 s visible', () => {
  it('bp-low resolved 2 s after being raised stays until 5 s, then clears', () => {
    const h = harness();
    h.run([{ at: 0, vitals: { systolic: 85, diastolic: 50 }, source: 'manual' }]);
    const id = h.open('bp-low')[0]?.id;
    expect(h.run([{ at: sec(2), vitals: { systolic: 110, diastolic: 70 }, source: 'manual' }])).toEqual([]);
    expect(h.open('bp-low')[0]).toMatchObject({ status: 'active', conditionResolvedAtMs: T0 + sec(2) });
    expect(h.run([tick(sec(5) - 1)])).toEqual([]);
    const events = h.run([tick(sec(5))]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'alert-cleared', atMs: T0 + sec(5), alert: { id, status: 'cleared', clearReason: 'resolved' } });
  });

  it('a low alert resolved after its 5 s clears at once', () => {
    const h = harness();
    h.run(everySecond('heartRate', 115, 0, 120));
    expect(h.open('hr-high')).toHaveLength(1);
    expect(h.run(everySecond('heartRate', 115, 121, 125))).toEqual([]);
    const events = h.run(everySecond('heartRate', 95, 126, 126));
    expect(events.map((e) => [e.type, e.alert.ruleId])).toEqual([['alert-cleared', 'hr-high']]);
  });

  it('a condition back within the 5 s is the same episode, not a new alert', () => {
    const h = harness();
    h.run([bp(0, 85, 50), bp(sec(2), 110, 70), bp(sec(4), 84, 50), tick(sec(10))]);
    expect(h.events.map((e) => e.type)).toEqual(['alert-raised']);
    expect(h.open('bp-low')[0]?.conditionResolvedAtMs).toBeNull();
  });

  it('alerts open when the session ends are recorded as ended with the session, never resolved, with their last values', () => {
    const h = harness();
    h.run([bp(0, 85, 50), ...everySecond('heartRate', 160, 1, 16)]);
    const ended = h.run([{ at: sec(30), context: { phase: 'discharged' } }]);
    expect(h.state.alerts).toEqual([]);
    expect(ended.map((e) => [e.type, e.alert.ruleId, e.alert.clearReason, e.alert.message])).toEqual([
      ['alert-cleared', 'bp-low', 'session-ended', 'SBP 85 < 90, MAP 61.7 (calculated) < 65'],
      ['alert-cleared', 'hr-extreme', 'session-ended', 'HR 160 ≥ 150 for 15 s'],
    ]);
  });
});

describe('acknowledgement', () => {
  it('records who, when, the reading at the time and the note, and silences the alert', () => {
    const h = harness();
    h.run([bp(0, 210, 110), { at: sec(30), vitals: { heartRate: 96, spo2: 97 } }]);
    const id = h.open('bp-crisis')[0]?.id ?? '';
    const result = h.apply(
      { kind: 'acknowledge', alertId: id, by: { userId: 'u7', username: 'nina' }, note: '  called Dr Okafor  ' },
      sec(40),
    );
    expect(result.error).toBeNull();
    expect(result.events).toHaveLength(1);
    const event = result.events[0];
    expect(event?.type).toBe('alert-acknowledged');
    if (event?.type !== 'alert-acknowledged') return;
    expect(event.acknowledgement).toMatchObject({
      by: { userId: 'u7', username: 'nina' },
      atMs: T0 + sec(40),
      note: 'called Dr Okafor',
      priority: 'high',
      message: 'SBP 210 ≥ 200',
      vitals: { bp: { systolic: 210, diastolic: 110 }, heartRate: { value: 96 }, spo2: { value: 97 } },
    });
    expect(event.alert).toMatchObject({ id, status: 'acknowledged', facts: { kind: 'bp-threshold', breaches: [{ field: 'systolic', value: 210 }] } });
  });

  it.each([
    ['an unknown alert', 's1.bp-crisis.99', 'unknown-alert'],
    ['a cleared alert', 's1.bp-low.1', 'already-cleared'],
    ['an alert acknowledged already', 's1.bp-crisis.2', 'already-acknowledged'],
  ])('refuses %s with a reason and changes nothing', (_what, alertId, code) => {
    const h = harness();
    h.run([bp(0, 85, 50), bp(min(1), 110, 70)]); // bp-low.1 raised, then cleared
    h.run([bp(min(2), 205, 100), { at: min(3), acknowledge: 's1.bp-crisis.2' }]);
    const before = h.state;
    const result = h.apply({ kind: 'acknowledge', alertId, by: { userId: 'u2', username: 'sam' } }, min(4));
    expect(result.error?.code).toBe(code);
    expect(result.error?.message).toContain(alertId);
    expect(result.events).toEqual([]);
    expect(result.state).toBe(before);
  });

  it('names who acknowledged first', () => {
    const h = harness();
    h.run([bp(0, 205, 100), { at: sec(10), acknowledge: 's1.bp-crisis.1' }]);
    const result = h.apply({ kind: 'acknowledge', alertId: 's1.bp-crisis.1', by: { userId: 'u2', username: 'sam' } }, sec(11));
    expect(result.error?.message).toContain('nina');
  });
});

describe('no nagging: an acknowledged condition that persists does not re-fire', () => {
  it('hr-very-high acknowledged stays quiet for 20 more minutes; a new episode after it cleared fires anew', () => {
    const h = harness();
    h.run(everySecond('heartRate', 125, 0, 300));
    const first = h.open('hr-very-high')[0]?.id ?? '';
    h.run([{ at: sec(301), acknowledge: first }]);
    const during = h.run(everySecond('heartRate', 127, 302, 1500));
    expect(during).toEqual([]);
    expect(h.open('hr-very-high')).toMatchObject([{ id: first, status: 'acknowledged' }]);

    expect(h.run(everySecond('heartRate', 90, 1501, 1501)).map((e) => [e.type, e.alert.id])).toEqual([['alert-cleared', first]]);
    h.run(everySecond('heartRate', 125, 1502, 1802));
    const second = h.open('hr-very-high')[0];
    expect(second).toMatchObject({ status: 'active', priority: 'medium' });
    expect(second?.id).not.toBe(first);
  });

  it('bp-rise acknowledged: the next elevated BP raises nothing', () => {
    const h = harness({ context: { baseline } });
    h.run([bp(0, 175, 90), { at: sec(30), acknowledge: 's1.bp-rise.1' }]);
    expect(h.run([bp(min(5), 178, 92), bp(min(10), 176, 90)])).toEqual([]);
  });
});

describe('escalation', () => {
  it('bp-overdue: low at interval + 2 min, medium 5 min later (server clock), cleared by the next BP', () => {
    const h = harness({ context: { bpIntervalMin: 5, bpDueAtMs: T0 + min(5) } });
    h.run([bp(min(1), 130, 80)]); // due at 6 min, overdue at 8 min
    expect(h.run([tick(min(8) - 1)])).toEqual([]);
    expect(h.run([tick(min(8))]).map((e) => [e.type, e.alert.priority, e.alert.message])).toEqual([
      ['alert-raised', 'low', 'No BP for 7 min (due every 5)'],
    ]);
    expect(h.run([tick(min(13) - 1)])).toEqual([]);
    const escalated = h.run([tick(min(13))]);
    expect(escalated.map((e) => [e.type, e.alert.priority, e.alert.message])).toEqual([
      ['alert-escalated', 'medium', 'No BP for 12 min (due every 5)'],
    ]);
    expect(escalated[0]).toMatchObject({ fromPriority: 'low' });
    expect(h.run([bp(min(17), 128, 80)]).map((e) => e.type)).toEqual(['alert-cleared']);
    expect(h.run([tick(min(23))])).toEqual([]);
  });

  it('hr-low: medium after 30 s below 50, high once below 40 for 10 s — even after acknowledgement', () => {
    const h = harness();
    h.run(everySecond('heartRate', 46, 0, 30));
    const id = h.open('hr-low')[0]?.id ?? '';
    h.run([{ at: sec(31), acknowledge: id }]);
    expect(h.run(everySecond('heartRate', 38, 32, 41))).toEqual([]);
    const events = h.run(everySecond('heartRate', 38, 42, 42));
    expect(events.map((e) => [e.type, e.alert.id, e.alert.priority, e.alert.status, e.alert.message])).toEqual([
      ['alert-escalated', id, 'high', 'active', 'HR 38 < 40 for 10 s'],
    ]);
    // Back to 45: still bradycardic, the high alarm stays (latched, never de-escalated).
    expect(h.run(everySecond('heartRate', 45, 43, 100))).toEqual([]);
    expect(h.open('hr-low')[0]?.priority).toBe('high');
  });
});

describe('the arbiter: one alarm per problem', () => {
  it('extreme tachycardia supersedes the lower HR rules until it resolves', () => {
    const h = harness();
    h.run(everySecond('heartRate', 155, 0, 360));
    expect(h.state.alerts.map((a) => a.ruleId)).toEqual(['hr-extreme']);
    h.run([{ at: sec(361), acknowledge: h.open('hr-extreme')[0]?.id ?? '' }]);
    const events = h.run(everySecond('heartRate', 125, 362, 362));
    expect(events.map((e) => [e.type, e.alert.ruleId])).toEqual([
      ['alert-cleared', 'hr-extreme'],
      ['alert-raised', 'hr-very-high'],
    ]);
    expect(events[1]?.alert.message).toBe('HR 125–155 > 120 for 6 min');
  });

  it('an open lower alert gives way to the superseding one', () => {
    const h = harness();
    h.run(everySecond('heartRate', 125, 0, 299));
    expect(h.state.alerts.map((a) => a.ruleId)).toEqual(['hr-high']);
    const events = h.run(everySecond('heartRate', 125, 300, 300));
    expect(events.map((e) => [e.type, e.alert.ruleId, e.type === 'alert-cleared' ? e.alert.clearReason : null])).toEqual([
      ['alert-cleared', 'hr-high', 'superseded'],
      ['alert-raised', 'hr-very-high', null],
    ]);
  });
});

describe('supersession is data: it needs at least the superseded priority', () => {
  const withRule = (id: string, changes: Partial<AlertRule>): AlertRule[] =>
    defaultAlertRules.map((rule) => (rule.id === id ? ({ ...rule, ...changes } as AlertRule) : rule));

  it('an equal priority supersedes', () => {
    const h = harness({ rules: withRule('hr-very-high', { priority: 'low' }) });
    h.run(everySecond('heartRate', 125, 0, 300));
    expect(h.state.alerts.map((a) => a.ruleId)).toEqual(['hr-very-high']);
  });

  it('a lower priority does not hide a higher one', () => {
    const h = harness({ rules: withRule('hr-extreme', { priority: 'low' }) });
    h.run(everySecond('heartRate', 155, 0, 300));
    expect(h.state.alerts.map((a) => [a.ruleId, a.priority])).toEqual([
      ['hr-extreme', 'low'],
      ['hr-very-high', 'medium'],
    ]);
  });
});

describe('identity and persistence', () => {
  it('ids are deterministic: prefix, rule, a counter of the session', () => {
    const h = harness({ idPrefix: 'sess-42' });
    h.run([bp(0, 85, 50), bp(min(5), 205, 100)]);
    expect(h.events.filter((e) => e.type === 'alert-raised').map((e) => e.alert.id)).toEqual([
      'sess-42.bp-low.1',
      'sess-42.bp-crisis.2',
    ]);
  });

  it('state survives JSON mid-episode and the session goes on identically', () => {
    const script: Step[] = [
      // HR 125 every second: hr-high raised at 120 s, hr-very-high at 300 s supersedes it.
      ...everySecond('heartRate', 125, 0, 400),
      { at: sec(201) + 500, acknowledge: 's1.hr-high.1' },
      bp(sec(202) + 500, 85, 50), // bp-low raised
      bp(sec(204) + 500, 120, 70), // bp-low resolved, waiting for its 5 s
      tick(sec(330) + 500),
      bp(sec(340) + 500, 205, 100),
      bp(sec(399) + 500, 150, 90), // bp-crisis latched
    ].sort((a, b) => a.at - b.at);
    for (let cut = 1; cut < script.length; cut += 37) {
      const straight = harness();
      straight.run(script);

      const resumed = harness();
      resumed.run(script.slice(0, cut));
      const stored = JSON.parse(JSON.stringify(resumed.state)) as unknown;
      resumed.replaceState(alertEngineStateSchema.parse(stored));
      resumed.run(script.slice(cut));

      expect(resumed.events).toEqual(straight.events);
      expect(resumed.state).toEqual(straight.state);
    }
    const straight = harness();
    straight.run(script);
    expect(straight.events.map((e) => `${e.type} ${e.alert.id}`)).toEqual([
      'alert-raised s1.hr-high.1',
      'alert-acknowledged s1.hr-high.1',
      'alert-raised s1.bp-low.2',
      'alert-cleared s1.bp-low.2',
      'alert-cleared s1.hr-high.1',
      'alert-raised s1.hr-very-high.3',
      'alert-raised s1.bp-crisis.4',
    ]);
  });

  it('a reading evaluated twice (replay after a restart) raises nothing twice', () => {
    const rules = defaultAlertRules;
    let state = createAlertEngineState({ idPrefix: 's1', context: { ...createAlertEngineState().context, phase: 'treatment' } });
    const reading = makeReading(7, T0, { systolic: 205, diastolic: 100 });
    const first = evaluate(rules, state, { kind: 'reading', reading }, T0);
    state = first.state;
    const again = evaluate(rules, state, { kind: 'reading', reading }, T0 + sec(1));
    expect(first.events.map((e) => e.type)).toEqual(['alert-raised']);
    expect(again.events).toEqual([]);
    expect(again.state.alerts).toEqual(state.alerts);
  });

  it('a replayed old reading does not reset the no-data silence', () => {
    const h = harness();
    h.run(everySecond('heartRate', 80, 0, 1));
    const reading = makeReading(2, T0 + sec(1), { heartRate: 80 });
    h.apply({ kind: 'reading', reading: { ...reading, receivedAt: new Date(T0 + sec(50)).toISOString() } }, sec(50));
    expect(h.run([tick(sec(61))]).map((e) => e.alert.ruleId)).toEqual(['no-data']);
  });

  it('never mutates the state it is given', () => {
    const h = harness();
    h.run([bp(0, 186, 100), ...everySecond('heartRate', 45, 10, 39)]);
    const frozen = deepFreeze(alertEngineStateSchema.parse(JSON.parse(JSON.stringify(h.state))));
    const reading = makeReading(100, T0 + sec(40), { systolic: 190, diastolic: 100, heartRate: 44 });
    expect(() => evaluate(defaultAlertRules, frozen, { kind: 'reading', reading }, T0 + sec(40))).not.toThrow();
    const a = evaluate(defaultAlertRules, frozen, { kind: 'reading', reading }, T0 + sec(40));
    const b = evaluate(defaultAlertRules, frozen, { kind: 'reading', reading }, T0 + sec(40));
    expect(a).toEqual(b);
    expect(a.events.map((e) => e.type)).toEqual(['alert-escalated', 'alert-raised']);
  });
});

describe('technical rules and their clocks', () => {
  it('no-data counts arrival time, only for a streaming device, only while monitored', () => {
    const h = harness({ context: { phase: 'baseline' } });
    h.run(everySecond('heartRate', 80, 0, 3));
    expect(h.run([tick(min(5))])).toEqual([]);
    // Silence counts from when the rule applies, not from the last value before it.
    h.run([{ at: min(6), context: { phase: 'treatment' } }]);
    expect(h.run([{ at: min(6) + sec(30), vitals: { heartRate: 80 }, source: 'manual' }, tick(min(7) - 1)])).toEqual([]);
    expect(h.run([tick(min(7))]).map((e) => e.alert.message)).toEqual(['No data from the device for 6 min (HR)']);
    // A device reading ends it (after its 5 s).
    expect(h.run([{ at: min(8), vitals: { heartRate: 80 } }]).map((e) => e.type)).toEqual(['alert-cleared']);
    expect(h.run([tick(min(8) + sec(59))])).toEqual([]);
    expect(h.run([tick(min(9))]).map((e) => e.alert.ruleId)).toEqual(['no-data']);
  });

  it('a BP inside the checkpoint window meets it', () => {
    const h = harness({
      context: {
        checkpoints: [{ id: 'bp-40', label: '40-min BP', status: 'pending', windowStartAtMs: T0 + min(35), windowEndAtMs: T0 + min(50) }],
      },
    });
    expect(h.run([bp(min(41), 150, 90), tick(min(60))])).toEqual([]);
  });

  it('a checkpoint the session machine marks missed raises, and one later waived clears', () => {
    const checkpoint = { id: 'bp-40', label: '40-min BP', windowStartAtMs: null, windowEndAtMs: null };
    const h = harness();
    h.run([{ at: 0, context: { checkpoints: [{ ...checkpoint, status: 'missed' }] } }]);
    expect(h.open('checkpoint-missed')).toMatchObject([{ subject: 'bp-40', priority: 'medium' }]);
    h.run([{ at: min(1), context: { checkpoints: [{ ...checkpoint, status: 'waived' }] } }]);
    expect(h.open('checkpoint-missed')).toEqual([]);
  });

  it('implausible clears when a plausible value of the same vital arrives', () => {
    const h = harness();
    const rejected = [{ field: 'heartRate' as const, value: 400, reason: 'out-of-range' as const, message: 'HR 400 /min is outside the plausible range 20–300' }];
    h.run([{ at: 0, vitals: { spo2: 97 }, rejected }]);
    expect(h.open('implausible')).toMatchObject([{ subject: 'heartRate', message: 'Rejected: HR 400 /min is outside the plausible range 20–300' }]);
    expect(h.run([{ at: sec(10), vitals: { spo2: 96 } }])).toEqual([]);
    expect(h.run([{ at: sec(11), vitals: { heartRate: 88 } }]).map((e) => e.type)).toEqual(['alert-cleared']);
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('rounding and reassessment timers (docs/clinical-defaults.md "The session record beyond vitals")', () => {
  it('an eyes-on check recorded (a new due time) resolves the overdue alarm; a reassessment closes its own alarm only', () => {
    const reassessments = [
      { id: 'reassessment:3', label: 'Reassess after ondansetron (nausea)', dueAtMs: T0 + min(1) },
      { id: 'reassessment:4', label: 'Reassess after midazolam (emergence reaction)', dueAtMs: T0 + min(1) },
    ];
    const h = harness({ context: { rounding: { dueAtMs: T0, lowAfterMin: 5, mediumAfterMin: 10 }, reassessments } });
    h.run([tick(min(6))]);
    expect(h.open('rounding-overdue')).toHaveLength(1);
    expect(h.open('reassessment-overdue').map((a) => a.subject)).toEqual(['reassessment:3', 'reassessment:4']);
    h.run([{ at: min(7), context: { rounding: { dueAtMs: T0 + min(22), lowAfterMin: 5, mediumAfterMin: 10 }, reassessments: reassessments.slice(1) } }, tick(min(8))]);
    expect(h.open('rounding-overdue')).toEqual([]);
    expect(h.open('reassessment-overdue').map((a) => a.subject)).toEqual(['reassessment:4']);
  });
});
