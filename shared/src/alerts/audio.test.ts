import { describe, expect, it } from 'vitest';
import type { Alert } from './alert';
import { alertSymbol, decideAlarmSound, noAudioPause, pauseAudio, sortAlerts } from './audio';
import type { AlertPriority } from './rules';
import { T0, bp, harness, min, sec } from './test-fixtures';

function alert(id: string, priority: AlertPriority, raisedAtMs: number, changes: Partial<Alert> = {}): Alert {
  return {
    id,
    ruleId: id,
    subject: null,
    label: id,
    category: 'physiological',
    priority,
    status: 'active',
    message: id,
    facts: { kind: 'not-ready' },
    readingSeq: null,
    raisedAtMs,
    escalatedAtMs: null,
    conditionResolvedAtMs: null,
    clearedAtMs: null,
    clearReason: null,
    acknowledgements: [],
    ...changes,
  };
}

const soundAt = (alerts: Alert[], atMs: number, pause = noAudioPause) => decideAlarmSound(alerts, pause, atMs).sound;

describe('alarm sound', () => {
  it.each([
    ['high', 10],
    ['medium', 3],
    ['low', 1],
  ] as const)('a %s alarm sounds with %i pulses', (priority, pulses) => {
    expect(soundAt([alert('a', priority, T0)], T0)).toMatchObject({ alertId: 'a', pattern: priority, pulses });
  });

  it('the most urgent unacknowledged alarm sounds; acknowledged and cleared ones never do', () => {
    const alerts = [
      alert('med', 'medium', T0),
      alert('hi-acked', 'high', T0, { status: 'acknowledged' }),
      alert('hi-cleared', 'high', T0, { status: 'cleared' }),
      alert('low', 'low', T0 + sec(5)),
    ];
    expect(soundAt(alerts, T0 + sec(10))?.alertId).toBe('med');
    expect(soundAt([alert('x', 'high', T0, { status: 'acknowledged' })], T0)).toBeNull();
  });

  it('an unacknowledged alarm re-sounds every 3 min (a new cue each time)', () => {
    const alerts = [alert('a', 'medium', T0)];
    const cues = [0, sec(179), min(3), min(6) - 1, min(6)].map((at) => soundAt(alerts, T0 + at)?.cueKey);
    expect(cues).toEqual(['a@' + T0, 'a@' + T0, `a@${T0 + min(3)}`, `a@${T0 + min(3)}`, `a@${T0 + min(6)}`]);
    expect(decideAlarmSound(alerts, noAudioPause, T0 + sec(10)).nextCheckAtMs).toBe(T0 + min(3));
  });

  it('an escalation is a new onset', () => {
    const escalated = alert('a', 'medium', T0, { escalatedAtMs: T0 + sec(100) });
    expect(soundAt([escalated], T0 + sec(100))?.cueAtMs).toBe(T0 + sec(100));
  });
});

describe('audio pause (per chair, 2 min)', () => {
  const medium = alert('med', 'medium', T0);

  it('silences the alarms sounding when paused, with a countdown, and they sound again when it ends', () => {
    const pause = pauseAudio([medium], T0 + sec(10));
    expect(pause).toEqual({ pausedUntilMs: T0 + sec(130), pausedAtPriority: 'medium' });
    expect(decideAlarmSound([medium], pause, T0 + sec(70))).toEqual({
      sound: null,
      paused: true,
      pauseRemainingMs: sec(60),
      nextCheckAtMs: T0 + sec(130),
    });
    const after = decideAlarmSound([medium], pause, T0 + sec(130));
    expect(after.paused).toBe(false);
    expect(after.sound?.cueKey).toBe(`med@${T0 + sec(130)}`);
    expect(soundAt([medium], T0 + sec(130) + min(3), pause)?.cueKey).toBe(`med@${T0 + sec(130) + min(3)}`);
  });

  it('a new alarm of the same or lower priority waits; a higher one breaks through', () => {
    const pause = pauseAudio([medium], T0 + sec(10));
    const newLow = alert('low', 'low', T0 + sec(20));
    const newMedium = alert('med2', 'medium', T0 + sec(30));
    expect(soundAt([medium, newLow, newMedium], T0 + sec(40), pause)).toBeNull();
    const newHigh = alert('hi', 'high', T0 + sec(50));
    expect(soundAt([medium, newLow, newMedium, newHigh], T0 + sec(50), pause)).toMatchObject({ alertId: 'hi', pulses: 10 });
  });

  it('a pause with nothing sounding still lets medium and high alarms through', () => {
    const pause = pauseAudio([], T0);
    expect(pause.pausedAtPriority).toBe('low');
    expect(soundAt([alert('l', 'low', T0 + sec(1))], T0 + sec(2), pause)).toBeNull();
    expect(soundAt([alert('m', 'medium', T0 + sec(1))], T0 + sec(2), pause)?.alertId).toBe('m');
  });

  it('works on the engine’s alerts: acknowledging silences, a latched high keeps sounding', () => {
    const h = harness();
    h.run([bp(0, 205, 100), bp(min(5), 140, 80)]);
    const [crisis] = h.state.alerts;
    expect(soundAt(h.state.alerts, T0 + min(5) + sec(30))).toMatchObject({ alertId: crisis?.id, pattern: 'high', cueAtMs: T0 + min(3) });
    h.run([{ at: min(7), acknowledge: crisis?.id ?? '' }]);
    expect(soundAt(h.state.alerts, T0 + min(7))).toBeNull();
  });
});

describe('alarm bar', () => {
  it('sorts by priority, then newest onset first', () => {
    const alerts = [
      alert('low-old', 'low', T0),
      alert('med-old', 'medium', T0),
      alert('high', 'high', T0 + sec(30)),
      alert('med-new', 'medium', T0 + sec(20)),
      alert('med-escalated', 'medium', T0 - sec(60), { escalatedAtMs: T0 + sec(25) }),
    ];
    expect(sortAlerts(alerts).map((a) => a.id)).toEqual(['high', 'med-escalated', 'med-new', 'med-old', 'low-old']);
  });

  it.each([
    ['high', '!!!'],
    ['medium', '!!'],
    ['low', '!'],
  ] as const)('%s is marked %s', (priority, symbol) => {
    expect(alertSymbol(priority)).toBe(symbol);
  });
});
