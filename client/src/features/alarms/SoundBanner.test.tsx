import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeServices, makeChair, makeSession, renderWithApp, testNow } from '../../test-utils';
import { AlarmBar } from './AlarmBar';
import { AlarmSound } from './AlarmSound';
import { createMemorySoundPreference, createStoredSoundPreference, createWebAudioAlarmEngine } from './alarm-audio';
import { createFakeAlarmAudio } from './fake-alarm-audio';
import { admin, nurse } from './test-alerts';

const bannerName = /^Sound is off — tap to enable/;
const banner = () => screen.queryByRole('button', { name: bannerName });

/** A nurse's screen as it opens (after a reload): sound not yet allowed by the browser. */
afterEach(() => {
  vi.useRealTimers();
});

function setup({ inSession = true, remembered = false, browserAllows = true, user = nurse, clock = { now: () => testNow } } = {}) {
  const store = createAppStore();
  store.getState().loggedIn(user);
  const session = makeSession({ displayName: 'A. Patient', phase: 'treatment' });
  store.getState().chairsLoaded([
    makeChair({ id: 'chair-1', name: 'Chair 1', position: 1, session: inSession ? session : null }),
    makeChair({ id: 'chair-2', name: 'Chair 2', position: 2 }),
  ]);
  const audio = createFakeAlarmAudio();
  audio.remembered = remembered;
  audio.allow = browserAllows;
  renderWithApp(
    <>
      <AlarmBar />
      <AlarmSound />
      <p>Somewhere else on the page</p>
    </>,
    { store, services: fakeServices({ alarmAudio: audio, clock }) },
  );
  return { store, audio, user: userEvent.setup() };
}

describe('“Sound is off” banner', () => {
  it('appears while a chair is in session and sound is off, and goes once a tap on it enables sound', async () => {
    const { store, audio, user } = setup();
    expect(banner()).toBeInTheDocument();
    expect(banner()).toHaveClass('sound-banner');
    expect(banner()).toHaveTextContent('Alarms on this screen are silent.');

    await user.click(banner() as HTMLElement);
    expect(audio.isReady()).toBe(true);
    expect(store.getState().sound.enabled).toBe(true);
    expect(banner()).not.toBeInTheDocument();
    // Remembered on this device for the next reload.
    expect(audio.wasEnabledBefore()).toBe(true);
  });

  it('is not shown while no chair is in session', () => {
    setup({ inSession: false });
    expect(banner()).not.toBeInTheDocument();
  });

  it('is not shown to an admin, who has no alarm sound', () => {
    setup({ user: admin });
    expect(banner()).not.toBeInTheDocument();
  });

  it('comes back when the browser suspends sound while a session runs', async () => {
    const { store, audio, user } = setup();
    await user.click(banner() as HTMLElement);
    expect(banner()).not.toBeInTheDocument();
    // The browser suspends sound (a phone call, the tablet slept) and the sound driver notices (alarm-sound.ts).
    audio.ready = false;
    audio.allow = false;
    act(() => store.getState().soundEnabledChanged(false));
    expect(banner()).toBeInTheDocument();
  });

  it('says so when the browser refuses, and stays', async () => {
    const { user } = setup({ browserAllows: false });
    await user.click(banner() as HTMLElement);
    expect(banner()).toHaveTextContent('This browser did not allow sound; tap again, or check the tablet’s volume and silent switch.');
  });

  it('on a device that had sound before, goes at the first tap anywhere on the page', async () => {
    // After a reload the browser blocks sound until a gesture: asking at once is refused.
    const { store, audio, user } = setup({ remembered: true, browserAllows: false });
    await waitFor(() => expect(audio.enableCalls).toBe(1));
    expect(banner()).toBeInTheDocument();

    // The nurse taps something else; the browser now allows sound.
    audio.allow = true;
    await user.click(screen.getByText('Somewhere else on the page'));
    await waitFor(() => expect(store.getState().sound.enabled).toBe(true));
    expect(banner()).not.toBeInTheDocument();
  });

  it('needs a tap on the banner itself on a device that never had sound', async () => {
    const { store, audio, user } = setup({ remembered: false });
    await user.click(screen.getByText('Somewhere else on the page'));
    expect(audio.enableCalls).toBe(0);
    expect(store.getState().sound.enabled).toBe(false);
    expect(banner()).toBeInTheDocument();
  });

  it('on a device that had sound before, turns sound on by itself where the browser allows it', async () => {
    const { store } = setup({ remembered: true, browserAllows: true });
    await waitFor(() => expect(store.getState().sound.enabled).toBe(true));
    expect(banner()).not.toBeInTheDocument();
  });
});

describe('muted banner', () => {
  it('says the screen is muted with the time left, unmutes on a tap, and goes by itself after 2 min', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let nowMs = testNow;
    const { store, audio } = setup({ clock: { now: () => nowMs } });
    audio.ready = true;
    act(() => {
      store.getState().soundEnabledChanged(true);
      store.getState().soundMuted(testNow);
    });
    const muted = () => screen.queryByRole('button', { name: /^Sound muted/ });
    expect(muted()).toHaveTextContent('Sound muted 2:00 — tap to unmute');
    act(() => {
      nowMs = testNow + 18_000;
      vi.advanceTimersByTime(1_000);
    });
    expect(muted()).toHaveTextContent('Sound muted 1:42 — tap to unmute');
    act(() => {
      nowMs = testNow + 120_000;
      vi.advanceTimersByTime(1_000);
    });
    expect(muted()).not.toBeInTheDocument();
    expect(banner()).not.toBeInTheDocument();

    act(() => store.getState().soundMuted(nowMs));
    act(() => (muted() as HTMLElement).click());
    expect(store.getState().sound.mutedUntilMs).toBeNull();
    expect(muted()).not.toBeInTheDocument();
  });
});

describe('sound preference', () => {
  function memoryStorage() {
    const items = new Map<string, string>();
    return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
  }

  it('remembers in the device’s storage that sound was enabled, for the next page', () => {
    const storage = memoryStorage();
    const first = createStoredSoundPreference(() => storage);
    expect(first.wasEnabled()).toBe(false);
    first.rememberEnabled();
    expect(first.wasEnabled()).toBe(true);
    expect(createStoredSoundPreference(() => storage).wasEnabled()).toBe(true);
  });

  it('only forgets (never fails) where the storage cannot be used', () => {
    const blocked = createStoredSoundPreference(() => {
      throw new Error('SecurityError');
    });
    expect(blocked.wasEnabled()).toBe(false);
    blocked.rememberEnabled();
    expect(blocked.wasEnabled()).toBe(true);
    const memory = createMemorySoundPreference();
    expect(memory.wasEnabled()).toBe(false);
  });

  it('is remembered by the Web Audio engine once the browser lets sound run, not when it refuses', async () => {
    let allowed = false;
    const context = {
      state: 'suspended' as AudioContextState,
      resume() {
        if (allowed) context.state = 'running';
        return Promise.resolve();
      },
      createPeriodicWave: () => ({}),
    };
    const preference = createMemorySoundPreference();
    const engine = createWebAudioAlarmEngine(() => context as unknown as AudioContext, preference);
    expect(await engine.enable()).toBe(false);
    expect(engine.wasEnabledBefore()).toBe(false);
    allowed = true;
    expect(await engine.enable()).toBe(true);
    expect(engine.wasEnabledBefore()).toBe(true);
    expect(preference.wasEnabled()).toBe(true);
  });
});
