import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeServices, makeChair, makeSession, renderWithApp, testNow } from '../../test-utils';
import { SoundControls } from './SoundControls';
import { createFakeAlarmAudio } from './fake-alarm-audio';
import { nurse } from './test-alerts';

const indicator = () => {
  const found = screen.getAllByRole('status').find((el) => el.classList.contains('sound-indicator'));
  if (found === undefined) throw new Error('no sound indicator');
  return found;
};

afterEach(() => {
  vi.useRealTimers();
});

/** A nurse's screen with sound on and a chair in session; the app's clock moves when the test says. */
function setup() {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  let nowMs = testNow;
  const store = createAppStore();
  store.getState().loggedIn(nurse);
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session: makeSession({ displayName: 'A. Patient', phase: 'treatment' }) })]);
  const audio = createFakeAlarmAudio();
  audio.ready = true;
  store.getState().soundEnabledChanged(true);
  renderWithApp(<SoundControls />, { store, services: fakeServices({ alarmAudio: audio, clock: { now: () => nowMs } }) });
  const at = (ms: number) =>
    act(() => {
      nowMs = testNow + ms;
      vi.advanceTimersByTime(1_000);
    });
  return { store, at };
}

describe('screen mute', () => {
  it('silences this screen for 2 min at most, counting down, then sound is on again by itself', () => {
    const { store, at } = setup();
    expect(indicator()).toHaveTextContent('Sound on');
    act(() => screen.getByRole('button', { name: 'Mute 2 min' }).click());
    expect(indicator()).toHaveTextContent('Sound muted 2:00');
    expect(within(indicator()).getByRole('timer')).toHaveTextContent('2:00');

    at(18_000);
    expect(indicator()).toHaveTextContent('Sound muted 1:42');
    at(119_000);
    expect(indicator()).toHaveTextContent('Sound muted 0:01');
    at(120_000);
    expect(indicator()).toHaveTextContent('Sound on');
    expect(within(indicator()).queryByRole('timer')).not.toBeInTheDocument();
    expect(store.getState().sound.mutedUntilMs).toBe(testNow + 120_000);
  });

  it('starts the 2 min again on a second mute, never longer', () => {
    const { store, at } = setup();
    act(() => screen.getByRole('button', { name: 'Mute 2 min' }).click());
    at(60_000);
    // Muted: the only button is "Unmute"; muting again needs sound to be on first.
    expect(screen.queryByRole('button', { name: 'Mute 2 min' })).not.toBeInTheDocument();
    act(() => screen.getByRole('button', { name: 'Unmute' }).click());
    expect(indicator()).toHaveTextContent('Sound on');
    act(() => screen.getByRole('button', { name: 'Mute 2 min' }).click());
    expect(store.getState().sound.mutedUntilMs).toBe(testNow + 60_000 + 120_000);
  });

  it('offers no way to turn sound off for longer: a mute is the only silence', () => {
    setup();
    const names = screen.getAllByRole('button').map((button) => button.textContent);
    expect(names).toEqual(['Mute 2 min']);
  });
});
