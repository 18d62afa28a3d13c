import type { AlertPriority } from '@chairside/shared';

/**
 * The alarm sound, behind a small interface: main.tsx builds the Web Audio one, tests pass a fake
 * and look at what was played.
 */
export interface AlarmAudioEngine {
  /**
   * Call from a tap or click: browsers allow sound only after one. Resolves true when sound can play,
   * and then this device remembers that sound was enabled on it.
   */
  enable(): Promise<boolean>;
  /** Sound can play now (enabled, and the browser has not suspended it since). */
  isReady(): boolean;
  /**
   * Sound was enabled on this device before (this page or an earlier one): after a reload the
   * browser blocks it again until a tap, and the first tap anywhere unlocks it (AlarmSound).
   */
  wasEnabledBefore(): boolean;
  /** Plays one burst of the pattern, cutting off one still playing; returns its length in ms. */
  play(pattern: AlertPriority, pulses: number): number;
  /** Cuts off what is playing. */
  stop(): void;
}

/** Where a device remembers that sound was enabled on it: one flag, kept across reloads. */
export interface SoundPreference {
  wasEnabled(): boolean;
  rememberEnabled(): void;
}

const soundPreferenceKey = 'chairside.sound-enabled';

/**
 * The flag in the browser's storage (main.tsx passes localStorage). Storage that cannot be read or
 * written (private browsing, blocked by policy) only means the device does not remember.
 */
export function createStoredSoundPreference(storage: () => Pick<Storage, 'getItem' | 'setItem'>): SoundPreference {
  let remembered: boolean | null = null;
  return {
    wasEnabled() {
      if (remembered === null) {
        try {
          remembered = storage().getItem(soundPreferenceKey) === 'on';
        } catch {
          remembered = false;
        }
      }
      return remembered;
    },
    rememberEnabled() {
      remembered = true;
      try {
        storage().setItem(soundPreferenceKey, 'on');
      } catch {
        // Remembered for this page only.
      }
    },
  };
}

/** Remembered for this page only (no storage). */
export function createMemorySoundPreference(initially = false): SoundPreference {
  let remembered = initially;
  return {
    wasEnabled: () => remembered,
    rememberEnabled: () => {
      remembered = true;
    },
  };
}

export interface Pulse {
  /** Seconds from the start of the burst. */
  atSec: number;
  durationSec: number;
}

interface PatternShape {
  /** Fundamental in Hz; each priority has its own pitch so the three are told apart by ear too. */
  frequencyHz: number;
  pulseSec: number;
  /** From the start of one pulse to the next within a group. */
  spacingSec: number;
  /** Pulses per group, repeated; between groups an extra pause. */
  groups: readonly number[];
  groupPauseSec: number;
}

/**
 * After IEC 60601-1-8: high 10 fast pulses in groups of 3 + 2, medium 3 slower pulses, low 1 soft
 * pulse. Harmonic-rich tones (see `harmonics`) are easier to locate than a pure sine.
 */
const shapes: Record<AlertPriority, PatternShape> = {
  high: { frequencyHz: 880, pulseSec: 0.15, spacingSec: 0.22, groups: [3, 2], groupPauseSec: 0.35 },
  medium: { frequencyHz: 660, pulseSec: 0.2, spacingSec: 0.35, groups: [3], groupPauseSec: 0.5 },
  low: { frequencyHz: 523, pulseSec: 0.25, spacingSec: 0.45, groups: [1], groupPauseSec: 0.6 },
};

/** Start and length of each pulse of one burst. */
export function alarmPulses(pattern: AlertPriority, pulses: number): Pulse[] {
  const shape = shapes[pattern];
  const result: Pulse[] = [];
  let at = 0;
  let group = 0;
  let inGroup = 0;
  while (result.length < pulses) {
    result.push({ atSec: at, durationSec: shape.pulseSec });
    inGroup += 1;
    at += shape.spacingSec;
    const size = shape.groups[group % shape.groups.length] ?? 1;
    if (inGroup >= size) {
      inGroup = 0;
      group += 1;
      at += shape.groupPauseSec;
    }
  }
  return result;
}

/** Length of a burst in ms, to its last pulse's end. */
export function alarmBurstMs(pattern: AlertPriority, pulses: number): number {
  const last = alarmPulses(pattern, pulses).at(-1);
  return last === undefined ? 0 : Math.round((last.atSec + last.durationSec) * 1000);
}

/** Relative amplitudes of the fundamental and its harmonics. */
const harmonics = [0, 1, 0.55, 0.35, 0.22, 0.14];
const attackSec = 0.015;
const releaseSec = 0.03;
const masterVolume = 0.35;

/**
 * A synthesizer on the Web Audio API: one OscillatorNode per pulse with a short envelope, no audio
 * files. `createContext` returns null where the browser has no Web Audio; `preference` remembers that
 * sound was enabled on this device.
 */
export function createWebAudioAlarmEngine(
  createContext: () => AudioContext | null,
  preference: SoundPreference = createMemorySoundPreference(),
): AlarmAudioEngine {
  let context: AudioContext | null = null;
  let wave: PeriodicWave | null = null;
  let playing: { nodes: OscillatorNode[]; output: GainNode } | null = null;

  function stop(): void {
    if (playing === null) return;
    const { nodes, output } = playing;
    playing = null;
    for (const node of nodes) {
      try {
        node.stop();
      } catch {
        // already ended
      }
      node.disconnect();
    }
    output.disconnect();
  }

  return {
    async enable() {
      try {
        context ??= createContext();
        if (context === null) return false;
        if (context.state !== 'running') await context.resume();
        wave ??= context.createPeriodicWave(new Float32Array(harmonics.length), Float32Array.from(harmonics));
        const running = context.state === 'running';
        if (running) preference.rememberEnabled();
        return running;
      } catch {
        return false;
      }
    },

    isReady: () => context !== null && context.state === 'running',

    wasEnabledBefore: () => preference.wasEnabled(),

    play(pattern, pulses) {
      stop();
      const ctx = context;
      if (ctx === null || ctx.state !== 'running') return 0;
      const output = ctx.createGain();
      output.gain.value = masterVolume;
      output.connect(ctx.destination);
      const start = ctx.currentTime + 0.02;
      const { frequencyHz } = shapes[pattern];
      const nodes = alarmPulses(pattern, pulses).map(({ atSec, durationSec }) => {
        const oscillator = ctx.createOscillator();
        if (wave !== null) oscillator.setPeriodicWave(wave);
        else oscillator.type = 'triangle';
        oscillator.frequency.value = frequencyHz;
        const envelope = ctx.createGain();
        const from = start + atSec;
        const to = from + durationSec;
        envelope.gain.setValueAtTime(0, from);
        envelope.gain.linearRampToValueAtTime(1, from + attackSec);
        envelope.gain.setValueAtTime(1, to - releaseSec);
        envelope.gain.linearRampToValueAtTime(0, to);
        oscillator.connect(envelope).connect(output);
        oscillator.start(from);
        oscillator.stop(to + 0.01);
        return oscillator;
      });
      const current = { nodes, output };
      playing = current;
      const last = nodes.at(-1);
      if (last !== undefined) {
        last.onended = () => {
          if (playing === current) stop();
        };
      }
      return alarmBurstMs(pattern, pulses);
    },

    stop,
  };
}
