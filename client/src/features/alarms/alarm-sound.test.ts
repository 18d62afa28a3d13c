import type { Alert } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { testNow } from '../../test-utils';
import { alarmBurstMs, alarmPulses } from './alarm-audio';
import { createAlarmSoundDriver } from './alarm-sound';
import { connectionAlarmDelayMs } from '../../lib/screen-alarms';
import { createFakeAlarmAudio } from './fake-alarm-audio';
import { acknowledged, alertMessage, makeAlert, nurse } from './test-alerts';

const crisis = makeAlert({ id: 'session-1.bp-crisis.1', raisedAtMs: testNow });
const desaturation = makeAlert({ id: 'session-2.spo2-low.1', ruleId: 'spo2-low', label: 'Desaturation', priority: 'medium', message: 'SpO₂ 90% < 92% for 20 s', raisedAtMs: testNow });

function setup({ enabled = true } = {}) {
  let now = testNow;
  const store = createAppStore();
  store.getState().loggedIn(nurse);
  store.getState().connectionChanged('live');
  const audio = createFakeAlarmAudio();
  if (enabled) {
    audio.ready = true;
    store.getState().soundEnabledChanged(true);
  }
  const driver = createAlarmSoundDriver({ store, audio, clock: { now: () => now } });
  /** The server raises `alert` at its `raisedAtMs`; this screen hears of it at once (same clocks). */
  const raise = (alert: Alert, chairId = 'chair-1') => {
    now = alert.raisedAtMs;
    store.getState().alertEventReceived(alertMessage('alert-raised', alert, alert.raisedAtMs, chairId, `session-${chairId.slice(-1)}`), now);
  };
  const at = (ms: number) => {
    now = testNow + ms;
    driver.tick();
  };
  return { store, audio, driver, raise, at };
}

describe('alarm sound', () => {
  it('plays a high alarm as 10 pulses once per cue, and again at the 3-min reminder', () => {
    const { audio, raise, at } = setup();
    raise(crisis);
    at(0);
    expect(audio.played).toEqual([{ pattern: 'high', pulses: 10 }]);
    at(1_000);
    at(60_000);
    expect(audio.played).toHaveLength(1);
    at(180_000);
    expect(audio.played).toEqual([
      { pattern: 'high', pulses: 10 },
      { pattern: 'high', pulses: 10 },
    ]);
  });

  it('keeps a paused chair silent while another chair’s alarm still sounds, and resumes after 2 min', () => {
    const { store, audio, raise, at } = setup();
    raise(crisis, 'chair-1');
    store.getState().audioPaused({ chairId: 'chair-1', pause: { pausedUntilMs: testNow + 120_000, pausedAtPriority: 'high' }, by: 'maria' });
    at(0);
    expect(audio.played).toEqual([]);
    raise({ ...desaturation, raisedAtMs: testNow + 5_000 }, 'chair-2');
    at(5_000);
    expect(audio.played).toEqual([{ pattern: 'medium', pulses: 3 }]);
    at(119_000);
    expect(audio.played).toEqual([{ pattern: 'medium', pulses: 3 }]);
    at(120_000);
    expect(audio.played.at(-1)).toEqual({ pattern: 'high', pulses: 10 });
  });

  it('is silent for an acknowledged alarm, and cuts off a burst the moment it is acknowledged', () => {
    const { store, audio, raise, at } = setup();
    raise(desaturation, 'chair-2');
    store.getState().alertEventReceived(alertMessage('alert-acknowledged', acknowledged(desaturation, testNow), testNow, 'chair-2', 'session-2'), testNow);
    at(0);
    at(180_000);
    expect(audio.played).toEqual([]);

    raise({ ...crisis, raisedAtMs: testNow + 180_000 });
    at(180_000);
    expect(audio.played).toEqual([{ pattern: 'high', pulses: 10 }]);
    const stops = audio.stops;
    store.getState().alertEventReceived(alertMessage('alert-acknowledged', acknowledged({ ...crisis, raisedAtMs: testNow + 180_000 }, testNow + 181_000)), testNow + 181_000);
    at(181_000);
    expect(audio.stops).toBe(stops + 1);
  });

  it('lets a less urgent cue wait for a burst to end, and a more urgent one cut in', () => {
    const { audio, raise, at } = setup();
    raise({ ...desaturation, raisedAtMs: testNow }, 'chair-2');
    at(0);
    raise({ ...crisis, raisedAtMs: testNow + 500 }, 'chair-1');
    at(500);
    expect(audio.played.map((p) => p.pattern)).toEqual(['medium', 'high']);
    raise({ ...desaturation, id: 'session-3.spo2-low.1', raisedAtMs: testNow + 1_000 }, 'chair-3');
    at(1_000);
    expect(audio.played).toHaveLength(2);
    at(500 + alarmBurstMs('high', 10));
    expect(audio.played.map((p) => p.pattern)).toEqual(['medium', 'high', 'medium']);
  });

  it('plays nothing until sound is enabled, nor while muted', () => {
    const { store, audio, raise, at } = setup({ enabled: false });
    raise(crisis);
    at(0);
    expect(audio.played).toEqual([]);
    audio.ready = true;
    store.getState().soundEnabledChanged(true);
    store.getState().soundMuted(testNow + 1_000);
    at(1_000);
    expect(audio.played).toEqual([]);
    store.getState().soundUnmuted();
    at(2_000);
    expect(audio.played).toEqual([{ pattern: 'high', pulses: 10 }]);
  });

  it('mutes this screen for 2 min only: sound comes back by itself and the open alarm sounds again', () => {
    const { store, audio, raise, at } = setup();
    raise(crisis);
    at(0);
    expect(audio.played).toEqual([{ pattern: 'high', pulses: 10 }]);
    // Muted while the burst still plays: it stops at once.
    const stops = audio.stops;
    store.getState().soundMuted(testNow + 1_000);
    at(1_000);
    expect(audio.stops).toBe(stops + 1);
    raise({ ...desaturation, raisedAtMs: testNow + 60_000 }, 'chair-2');
    at(60_000);
    at(120_999);
    expect(audio.played).toHaveLength(1);
    // 2 min after the tap: no one touched anything, and the unacknowledged alarms are heard again.
    at(121_000);
    expect(audio.played).toEqual([
      { pattern: 'high', pulses: 10 },
      { pattern: 'high', pulses: 10 },
    ]);
    at(121_000 + alarmBurstMs('high', 10));
    expect(audio.played).toHaveLength(2);
    expect(store.getState().sound.mutedUntilMs).toBe(testNow + 121_000);
  });

  it('sounds a new alarm at once on a tablet whose clock is behind the server’s', () => {
    const { store, audio, at } = setup();
    const serverAhead = 90_000;
    const alert = { ...crisis, raisedAtMs: testNow + serverAhead };
    store.getState().alertEventReceived(alertMessage('alert-raised', alert, alert.raisedAtMs), testNow);
    at(0);
    expect(audio.played).toEqual([{ pattern: 'high', pulses: 10 }]);
  });

  it('notices when the browser suspends sound', () => {
    const { store, audio, at } = setup();
    audio.ready = false;
    at(0);
    expect(store.getState().sound.enabled).toBe(false);
  });

  it('sounds the medium pattern once the connection is lost for 10 s, not before, and again after 3 min', () => {
    const { store, audio, at } = setup();
    store.getState().connectionChanged('disconnected', 'transport close');
    store.getState().connectionLost(testNow);
    at(0);
    at(connectionAlarmDelayMs - 1);
    expect(audio.played).toEqual([]);
    at(connectionAlarmDelayMs);
    expect(audio.played).toEqual([{ pattern: 'medium', pulses: 3 }]);
    at(connectionAlarmDelayMs + 179_999);
    expect(audio.played).toHaveLength(1);
    at(connectionAlarmDelayMs + 180_000);
    expect(audio.played).toHaveLength(2);
  });

  it('is silent when the connection comes back within 10 s', () => {
    const { store, audio, at } = setup();
    store.getState().connectionLost(testNow);
    at(9_000);
    store.getState().connectionRestored();
    at(10_000);
    at(60_000);
    expect(audio.played).toEqual([]);
  });

  it('sounds the medium pattern when the server cannot save, until it can; the screen mute silences it', () => {
    const { store, audio, at } = setup();
    store.getState().storeFaultReported({ problem: 'Readings cannot be saved: the disk is full.', sinceMs: testNow - 5_000 }, testNow);
    at(0);
    expect(audio.played).toEqual([{ pattern: 'medium', pulses: 3 }]);
    // A chair's audio pause does not cover the screen's own alarm; the screen's mute does.
    store.getState().soundMuted(testNow + 170_000);
    at(180_000);
    expect(audio.played).toHaveLength(1);
    store.getState().storeFaultCleared();
    at(290_000);
    at(360_000);
    expect(audio.played).toHaveLength(1);
  });
});

describe('alarm patterns', () => {
  it('has 10, 3 and 1 pulses, the high ones in groups of 3 and 2', () => {
    expect(alarmPulses('high', 10)).toHaveLength(10);
    expect(alarmPulses('medium', 3)).toHaveLength(3);
    expect(alarmPulses('low', 1)).toHaveLength(1);
    const gaps = alarmPulses('high', 5).map((p, i, all) => (i === 0 ? 0 : Math.round((p.atSec - (all[i - 1]?.atSec ?? 0)) * 100)));
    expect(gaps).toEqual([0, 22, 22, 57, 22]);
  });
});
