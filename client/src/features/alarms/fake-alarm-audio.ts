import type { AlertPriority } from '@chairside/shared';
import type { AlarmAudioEngine } from './alarm-audio';
import { alarmBurstMs } from './alarm-audio';

/** A test's audio engine: records what played, and lets the test say whether the browser allows sound. */
export interface FakeAlarmAudio extends AlarmAudioEngine {
  played: { pattern: AlertPriority; pulses: number }[];
  stops: number;
  /** What enable() answers (the browser's consent); true by default. */
  allow: boolean;
  ready: boolean;
  /** Sound was enabled on this device before (what the device's storage would say). */
  remembered: boolean;
  enableCalls: number;
}

export function createFakeAlarmAudio(): FakeAlarmAudio {
  const fake: FakeAlarmAudio = {
    played: [],
    stops: 0,
    allow: true,
    ready: false,
    remembered: false,
    enableCalls: 0,
    enable() {
      fake.enableCalls += 1;
      fake.ready = fake.allow;
      if (fake.ready) fake.remembered = true;
      return Promise.resolve(fake.ready);
    },
    isReady: () => fake.ready,
    wasEnabledBefore: () => fake.remembered,
    play(pattern, pulses) {
      fake.played.push({ pattern, pulses });
      return alarmBurstMs(pattern, pulses);
    },
    stop() {
      fake.stops += 1;
    },
  };
  return fake;
}
