import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeServices, makeChair, makeSession, renderWithApp, testNow } from '../../test-utils';
import { ChairTile } from '../../pages/ChairTile';
import { SoundControls } from './SoundControls';
import { createFakeAlarmAudio } from './fake-alarm-audio';
import { acknowledged, alertMessage, makeAlert, nurse } from './test-alerts';

const crisis = makeAlert({ id: 'session-1.bp-crisis.1' });
const soundIndicator = () => {
  const found = screen.getAllByRole('status').find((el) => el.classList.contains('sound-indicator'));
  if (found === undefined) throw new Error('no sound indicator');
  return found;
};
const pauseAnswer = { chairId: 'chair-1', pause: { pausedUntilMs: testNow + 120_000, pausedAtPriority: 'high' as const }, by: 'maria' };

function setup() {
  const store = createAppStore();
  store.getState().loggedIn(nurse);
  const session = makeSession({ displayName: 'A. Patient', phase: 'treatment' });
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', position: 1, session: { ...session, state: { ...session.state, alertLimits: { 'bp-crisis': { systolicMmHg: 190 } } } } })]);
  const pauseAudio = vi.fn(() => {
    store.getState().audioPaused(pauseAnswer);
    return Promise.resolve(pauseAnswer);
  });
  const audio = createFakeAlarmAudio();
  const services = fakeServices({ alarmAudio: audio, alerts: { ...fakeServices().alerts, pauseAudio } });
  renderWithApp(
    <>
      <SoundControls />
      <ChairTile chairId="chair-1" />
    </>,
    { store, services },
  );
  return { store, pauseAudio, audio, user: userEvent.setup(), tile: screen.getByRole('article', { name: 'Chair 1' }) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('tile alarm', () => {
  it('frames the tile by its most urgent alarm, flashing until acknowledged, with symbol and words', () => {
    const { store, tile } = setup();
    expect(tile).not.toHaveClass('has-alarm');
    act(() => store.getState().alertEventReceived(alertMessage('alert-raised', crisis), testNow));
    expect(tile).toHaveClass('has-alarm--high', 'is-unacknowledged');
    // The symbol in the tile's header, and again on the BP the alarm is about.
    expect(within(tile).getAllByText('!!!')).toHaveLength(2);
    expect(within(tile).getByText('High alarm')).toBeInTheDocument();
    expect(within(tile).getByRole('group', { name: 'Blood pressure' })).toHaveClass('has-alarm', 'vital--alarm-high');
    act(() => store.getState().alertEventReceived(alertMessage('alert-acknowledged', acknowledged(crisis, testNow + 1)), testNow + 1));
    expect(tile).toHaveClass('has-alarm--high', 'is-acknowledged');
    expect(tile).not.toHaveClass('is-unacknowledged');
  });

  it('pauses the chair’s alarm sound with a visible 2:00 countdown', async () => {
    const { store, tile, pauseAudio, user } = setup();
    act(() => store.getState().alertEventReceived(alertMessage('alert-raised', crisis), testNow));
    await user.click(within(tile).getByRole('button', { name: 'Pause alarm sound for Chair 1' }));
    expect(pauseAudio).toHaveBeenCalledWith('chair-1');
    expect(within(tile).getByRole('timer')).toHaveTextContent('2:00');
    expect(within(tile).getByText(/Sound paused/)).toBeInTheDocument();
  });

  it('marks a session running on custom limits', () => {
    const { tile } = setup();
    expect(within(tile).getByText('Custom limits')).toHaveAttribute('title', expect.stringContaining('Hypertensive crisis SBP ≥ 190'));
  });
});

describe('sound controls', () => {
  it('says sound is off until enabled, then on; mute turns it off for 2 min with a countdown', async () => {
    const { user, audio } = setup();
    const indicator = soundIndicator();
    expect(indicator).toHaveTextContent('Sound off');
    await user.click(screen.getByRole('button', { name: 'Enable sound' }));
    expect(audio.isReady()).toBe(true);
    expect(indicator).toHaveTextContent('Sound on');
    await user.click(screen.getByRole('button', { name: 'Mute 2 min' }));
    expect(indicator).toHaveTextContent('Sound muted 2:00');
    expect(within(indicator).getByRole('timer')).toHaveTextContent('2:00');
    await user.click(screen.getByRole('button', { name: 'Unmute' }));
    expect(indicator).toHaveTextContent('Sound on');
    expect(screen.getByRole('button', { name: 'Mute 2 min' })).toBeInTheDocument();
  });

  it('ends the mute by itself after 2 min: the countdown runs down and sound is on again', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let nowMs = testNow;
    const store = createAppStore();
    store.getState().loggedIn(nurse);
    store.getState().soundEnabledChanged(true);
    renderWithApp(<SoundControls />, { store, services: fakeServices({ clock: { now: () => nowMs } }) });
    act(() => screen.getByRole('button', { name: 'Mute 2 min' }).click());
    const indicator = soundIndicator();
    const tick = (toMs: number) =>
      act(() => {
        nowMs = testNow + toMs;
        vi.advanceTimersByTime(1_000);
      });
    tick(28_000);
    expect(indicator).toHaveTextContent('Sound muted 1:32');
    tick(119_000);
    expect(indicator).toHaveTextContent('Sound muted 0:01');
    expect(screen.queryByRole('button', { name: 'Mute 2 min' })).not.toBeInTheDocument();
    tick(120_000);
    expect(indicator).toHaveTextContent('Sound on');
    expect(within(indicator).queryByRole('timer')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Mute 2 min' })).toBeInTheDocument();
  });

  it('names the paused chair and its countdown', async () => {
    const { store, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Enable sound' }));
    act(() => store.getState().audioPaused({ ...pauseAnswer, pause: { ...pauseAnswer.pause, pausedUntilMs: testNow + 92_000 } }));
    expect(screen.getByText(/Sound paused \(/)).toHaveTextContent('Sound paused (Chair 1, 1:32)');
  });

  it('says when the browser refuses sound', async () => {
    const { audio, user } = setup();
    audio.allow = false;
    await user.click(screen.getByRole('button', { name: 'Enable sound' }));
    expect(screen.getByRole('alert')).toHaveTextContent('This browser did not allow sound.');
  });
});
