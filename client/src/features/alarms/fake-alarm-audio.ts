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
}

export function createFakeAlarmAudio(): FakeAlarmAudio {
  const fake: FakeAlarmAudio = {
    played: [],
    stops: 0,
    allow: true,
    ready: false,
    enable() {
      fake.ready = fake.allow;
      return Promise.resolve(fake.ready);
    },
    isReady: () => fake.ready,
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
