import { type Alert, type LatestVitals, type Role, type SessionSummary, emptyLatestVitals, esketamineProtocol } from '@chairside/shared';
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeServices, makeChair, renderWithApp } from '../../test-utils';
import { ChairTile } from '../../pages/ChairTile';
import { alertMessage, makeAlert } from '../alarms/test-alerts';
import { formatClock } from '../../lib/vital-format';
import { at, latestWithBp, sessionFixture } from './session-fixtures';

function renderTileAt(minutes: number, session: SessionSummary | null, latest: LatestVitals = emptyLatestVitals, role: Role = 'nurse') {
  const store = createAppStore();
  store.getState().loggedIn({ id: 'u1', username: role, displayName: role, role });
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session, latest })]);
  let nowMs = at(minutes);
  renderWithApp(<ChairTile chairId="chair-1" />, { store, services: fakeServices({ clock: { now: () => nowMs } }) });
  const tile = screen.getByRole('article', { name: 'Chair 1' });
  return { tile, store, advance: (ms: number) => (nowMs += ms) };
}

const treatmentWithPause = sessionFixture({
  state: { phase: 'treatment', treatmentStartedAtMs: at(10), pauses: [{ fromMs: at(20), toMs: at(25), reason: 'nausea' }] },
  bpAt: [0, 6, 15, 25, 30, 38],
});

afterEach(() => {
  vi.useRealTimers();
});

describe('session on a chair tile', () => {
  it('in baseline: the patient with risk flags, time in the chair, baseline progress, and what the start waits for', () => {
    const session = sessionFixture({ baseline: { systolic: 128, diastolic: 80, bpReadingCount: 1, complete: false, missing: 'needs 1 more BP reading at least 5 min after the last one' }, bpAt: [2] });
    const { tile } = renderTileAt(3.5, session, latestWithBp(2, 128, 80));
    expect(within(tile).getByText('J. Doe')).toBeInTheDocument();
    expect(within(tile).getByRole('list', { name: 'Risk flags' })).toHaveTextContent('Known hypertension');
    expect(within(tile).getByText('Baseline')).toBeInTheDocument();
    expect(within(tile).getByText('In chair 3 min')).toBeInTheDocument();
    expect(within(tile).getByText('Baseline BP 1 of 2')).toBeInTheDocument();
    expect(within(tile).queryByText(/^Δ/)).not.toBeInTheDocument();
    expect(within(tile).getByText(`Start waits for: 1 more baseline BP at least 5 min after the last one (due ${formatClock(at(7))})`)).toBeInTheDocument();
    expect(within(tile).queryByRole('button', { name: 'Start infusion for Chair 1' })).not.toBeInTheDocument();
  });

  it('in baseline, once the baseline is complete: the start action and nothing to wait for', () => {
    const { tile } = renderTileAt(12.5, sessionFixture({ bpAt: [2, 7] }), latestWithBp(7, 130, 82));
    expect(within(tile).getByText('Baseline 130/82 · complete')).toBeInTheDocument();
    expect(within(tile).queryByText(/^Start waits for/)).not.toBeInTheDocument();
    expect(within(tile).getByRole('button', { name: 'Start infusion for Chair 1' })).toBeEnabled();
  });

  it('in baseline with a BP at the hold limit: the start waits for a lower BP', () => {
    const session = sessionFixture({ baseline: { systolic: 176, diastolic: 104 }, bpAt: [2, 7], lastBp: { systolic: 182, diastolic: 104, atMs: at(7) } });
    const { tile } = renderTileAt(8, session, latestWithBp(7, 182, 104));
    expect(within(tile).getByText('Start waits for: a BP below 180/110 (last 182/104)')).toBeInTheDocument();
    expect(within(tile).queryByRole('button', { name: 'Start infusion for Chair 1' })).not.toBeInTheDocument();
  });

  it('in treatment: elapsed time leaves pauses out, the remaining plan, the next BP and the rise over baseline', () => {
    const { tile } = renderTileAt(40, treatmentWithPause, latestWithBp(38, 148, 91));
    expect(within(tile).getByText('Infusion')).toBeInTheDocument();
    // 30 min since the start, 5 of them paused.
    expect(within(tile).getByText('Infusion 25 min · 15 min left')).toBeInTheDocument();
    expect(within(tile).getByText('Next BP in 3 min')).toBeInTheDocument();
    expect(within(tile).getByText('Δ +18/+9 vs baseline 130/82')).toBeInTheDocument();
    expect(within(tile).getByRole('button', { name: 'End infusion for Chair 1' })).toBeInTheDocument();
  });

  it('follows the clock in whole minutes: elapsed rounds down, time left up', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { tile, advance } = renderTileAt(40, treatmentWithPause, latestWithBp(38, 148, 91));
    act(() => {
      advance(1000);
      vi.advanceTimersByTime(1000);
    });
    // 25:01 elapsed, 14:59 left, next BP in 2:59.
    expect(within(tile).getByText('Infusion 25 min · 15 min left')).toBeInTheDocument();
    expect(within(tile).getByText('Next BP in 3 min')).toBeInTheDocument();
    act(() => {
      advance(59_000);
      vi.advanceTimersByTime(1000);
    });
    expect(within(tile).getByText('Infusion 26 min · 14 min left')).toBeInTheDocument();
    expect(within(tile).getByText('Next BP in 2 min')).toBeInTheDocument();
  });

  it('while paused: says so in the badge and the clock, which stands still, and offers to resume', () => {
    const paused = sessionFixture({
      state: { phase: 'treatment', treatmentStartedAtMs: at(10), pauses: [{ fromMs: at(20), toMs: at(25), reason: null }, { fromMs: at(35), toMs: null, reason: null }] },
      bpAt: [0, 6, 15, 25, 30, 38],
    });
    const { tile } = renderTileAt(40, paused, latestWithBp(38, 148, 91));
    expect(within(tile).getByText('Infusion paused')).toBeInTheDocument();
    expect(within(tile).getByText('Infusion paused at 20 min · 20 min left')).toBeInTheDocument();
    expect(within(tile).getByRole('button', { name: 'Resume infusion for Chair 1' })).toBeInTheDocument();
  });

  it('says plainly when a BP is overdue, not by colour alone', () => {
    const session = sessionFixture({ state: { phase: 'treatment', treatmentStartedAtMs: at(10) }, bpAt: [0, 6, 20] });
    const { tile } = renderTileAt(28, session, latestWithBp(20, 135, 85));
    expect(within(tile).getByText('BP overdue 3 min')).toBeInTheDocument();
  });

  it('says "BP due now" in the first minute after it fell due', () => {
    const session = sessionFixture({ state: { phase: 'treatment', treatmentStartedAtMs: at(10) }, bpAt: [0, 6, 20] });
    const { tile } = renderTileAt(25.5, session, latestWithBp(20, 135, 85));
    expect(within(tile).getByText('BP due now')).toBeInTheDocument();
  });

  describe('in observation', () => {
    const observation = (checklist: Record<string, boolean> = {}) =>
      sessionFixture({
        state: { phase: 'observation', treatmentStartedAtMs: at(10), treatmentEndedAtMs: at(50), observationStartedAtMs: at(50), checklist },
        bpAt: [0, 6, 15, 20, 25, 30, 35, 40, 45, 50, 80, 108],
      });

    it('counts down the minimum and says what keeps the patient from leaving', () => {
      const { tile } = renderTileAt(87, observation(), latestWithBp(80, 136, 85));
      expect(within(tile).getByText('Observation')).toBeInTheDocument();
      expect(within(tile).getByText('Observation 23 min left')).toBeInTheDocument();
      expect(within(tile).getByText('Discharge criteria not met: 23 min observation left, checklist')).toBeInTheDocument();
      expect(within(tile).queryByRole('button', { name: /Discharge/ })).not.toBeInTheDocument();
    });

    it('once the minimum is reached and every item holds: discharge criteria met, and discharge on the tile', () => {
      const ticked = { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true };
      const { tile } = renderTileAt(111, observation(ticked), latestWithBp(108, 134, 84, 97));
      expect(within(tile).getByText('Observation minimum reached')).toBeInTheDocument();
      expect(within(tile).getByText('Discharge criteria met')).toBeInTheDocument();
      expect(tile).not.toHaveTextContent(/ready to leave/i);
      expect(within(tile).getByRole('button', { name: 'Discharge for Chair 1' })).toBeEnabled();
    });

    it('says when the discharge criteria were first met, once the server recorded it', () => {
      const ticked = { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true };
      const session = observation(ticked);
      const recorded = { ...session, state: { ...session.state, gateFirstHeldAtMs: at(110.5) } };
      const { tile } = renderTileAt(111, recorded, latestWithBp(108, 134, 84, 97));
      expect(within(tile).getByText(`Discharge criteria met at ${formatClock(at(110.5))}`)).toBeInTheDocument();
    });

    it('counts an active high or medium alarm against leaving, as the server does', () => {
      const ticked = { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true };
      const { tile, store } = renderTileAt(111, observation(ticked), latestWithBp(108, 134, 84));
      // Raised at this moment on the server's clock too (the tile judges time on the server's clock).
      act(() => store.getState().alertEventReceived(alertMessage('alert-raised', makeAlert({ id: 'session-1.spo2-low.1', priority: 'medium', ruleId: 'spo2-low' }), at(111)), at(111)));
      expect(within(tile).getByText('Discharge criteria not met: alarm condition present')).toBeInTheDocument();
      expect(within(tile).queryByRole('button', { name: 'Discharge for Chair 1' })).not.toBeInTheDocument();
    });

    it.each<[string, Partial<Alert>, boolean]>([
      ['acknowledged with its condition present holds discharge', { status: 'acknowledged' }, false],
      ['acknowledged with its condition resolved does not', { status: 'acknowledged', conditionResolvedAtMs: at(110) }, true],
    ])('an alarm %s', (_name, fields, met) => {
      const ticked = { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true };
      const { tile, store } = renderTileAt(111, observation(ticked), latestWithBp(108, 134, 84));
      const alert = makeAlert({ id: 'session-1.hr-very-high.1', priority: 'medium', ruleId: 'hr-very-high', label: 'Marked tachycardia', ...fields });
      act(() => store.getState().alertEventReceived(alertMessage('alert-raised', alert, at(111)), at(111)));
      expect(within(tile).getByText(met ? 'Discharge criteria met' : 'Discharge criteria not met: alarm condition present')).toBeInTheDocument();
    });

    it('names a BP far from baseline among the reasons', () => {
      const ticked = { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true };
      const { tile } = renderTileAt(111, observation(ticked), latestWithBp(108, 168, 98));
      expect(within(tile).getByText('Discharge criteria not met: BP not within 20 % of baseline')).toBeInTheDocument();
    });
  });

  describe('esketamine checkpoints', () => {
    const esketamine = (phase: 'baseline' | 'observation', bpAt: number[]) =>
      sessionFixture({
        protocol: esketamineProtocol,
        baseline: { bpReadingCount: 1 },
        state: phase === 'baseline' ? {} : { phase, treatmentStartedAtMs: at(10), treatmentEndedAtMs: at(20), observationStartedAtMs: at(20) },
        bpAt,
      });

    it('before dosing: the window after dosing start, and the protocol’s start action', () => {
      const { tile } = renderTileAt(5, esketamine('baseline', [2]), latestWithBp(2, 128, 80));
      expect(within(tile).getByText('BP at 40 min: due 35–50 min after dosing start')).toBeInTheDocument();
      expect(within(tile).getByRole('button', { name: 'First spray given for Chair 1' })).toBeInTheDocument();
    });

    it('inside the window: due now, with the time left', () => {
      const { tile } = renderTileAt(47, esketamine('observation', [2, 25, 40]), latestWithBp(40, 140, 88));
      expect(within(tile).getByText('BP at 40 min: due now, window closes in 13 min')).toBeInTheDocument();
    });

    it('met by a reading in the window', () => {
      const { tile } = renderTileAt(55, esketamine('observation', [2, 25, 40, 51]), latestWithBp(51, 150, 92));
      expect(within(tile).getByText('BP at 40 min: met at 41 min')).toBeInTheDocument();
    });

    it('missed once the window passed without one', () => {
      const { tile } = renderTileAt(61, esketamine('observation', [2, 25, 40]), latestWithBp(40, 140, 88));
      expect(within(tile).getByText('BP at 40 min: missed')).toBeInTheDocument();
    });
  });

  it('offers check-in on a free chair, named for the chair; an admin does not run sessions', () => {
    const { tile } = renderTileAt(0, null);
    expect(within(tile).getByRole('button', { name: 'Check in patient to Chair 1' })).toBeInTheDocument();
  });

  it('hides check-in from an admin', () => {
    const { tile } = renderTileAt(0, null, emptyLatestVitals, 'admin');
    expect(within(tile).queryByRole('button', { name: /Check in patient/ })).not.toBeInTheDocument();
  });
});
