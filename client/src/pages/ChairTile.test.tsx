import { type Reading, type SessionPhase, emptyLatestVitals } from '@chairside/shared';
import { act, cleanup, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/app-store';
import { isoAgo, makeChair, makeReading, makeSession, renderWithApp, testNow } from '../test-utils';
import { acknowledged, alertMessage, makeAlert } from '../features/alarms/test-alerts';
import { formatClock } from '../lib/vital-format';
import { ChairTile } from './ChairTile';

const session = makeSession({ displayName: 'A. Patient', phase: 'treatment' });

function renderTile(readings: Reading[], withSession: boolean | SessionPhase = true) {
  const store = createAppStore();
  const chairSession = withSession === false ? null : withSession === true ? session : makeSession({ displayName: 'A. Patient', phase: withSession });
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session: chairSession, latest: emptyLatestVitals })]);
  store.getState().applyReadings(readings);
  renderWithApp(<ChairTile chairId="chair-1" />, { store });
  return screen.getByRole('article', { name: 'Chair 1' });
}

const bpAgo = (secondsAgo: number) => makeReading({ seq: 1, systolic: 130, diastolic: 80, measuredAt: isoAgo(secondsAgo) });
const bpGroup = (tile: HTMLElement) => within(tile).getByRole('group', { name: 'Blood pressure' });

describe('ChairTile', () => {
  it('shows live values, the patient and the age of the last reading', () => {
    const tile = renderTile([
      makeReading({ seq: 1, systolic: 142, diastolic: 88, mean: 106, measuredAt: isoAgo(120) }),
      makeReading({ seq: 2, heartRate: 84, spo2: 97, respRate: 14, measuredAt: isoAgo(12) }),
    ]);
    expect(within(tile).getByText('A. Patient')).toBeInTheDocument();
    expect(within(tile).getByRole('group', { name: 'Blood pressure' })).toHaveTextContent('142/88');
    expect(within(tile).getByText('MAP 106')).toBeInTheDocument();
    expect(within(tile).getByRole('group', { name: 'HR' })).toHaveTextContent('84');
    expect(within(tile).getByRole('group', { name: 'Oxygen saturation' })).toHaveTextContent('97');
    expect(within(tile).getByRole('group', { name: 'Respiration' })).toHaveTextContent('14');
    expect(within(tile).getByText('12 s ago')).toBeInTheDocument();
    expect(within(tile).getByRole('group', { name: 'Blood pressure' })).toHaveTextContent('2 min ago');
    expect(within(tile).queryByText('old')).not.toBeInTheDocument();
    // The phase in the protocol's words (IV ketamine: "Infusion").
    expect(within(tile).getByText('Infusion')).toBeInTheDocument();
    expect(within(tile).getByRole('button', { name: 'Enter reading for Chair 1' })).toBeInTheDocument();
    expect(within(tile).getByRole('button', { name: 'Open Chair 1' })).toBeInTheDocument();
  });

  it('greys out values older than two expected intervals, and says "old" and their age in words', () => {
    const tile = renderTile([
      makeReading({ seq: 1, systolic: 130, diastolic: 80, measuredAt: isoAgo(13 * 60) }),
      makeReading({ seq: 2, heartRate: 72, spo2: 98, measuredAt: isoAgo(90) }),
    ]);
    const hr = within(tile).getByRole('group', { name: 'HR' });
    const spo2 = within(tile).getByRole('group', { name: 'Oxygen saturation' });
    const bp = bpGroup(tile);
    for (const group of [hr, spo2, bp]) expect(group).toHaveClass('is-stale');
    expect(within(hr).getByText('old')).toBeInTheDocument();
    expect(within(hr).getByText('1 min ago')).toBeInTheDocument();
    expect(within(spo2).getByText('1 min ago')).toBeInTheDocument();
    expect(within(bp).getByText('old')).toBeInTheDocument();
    expect(within(bp).getByText('13 min ago')).toBeInTheDocument();
    // The number stays as it was: large, only greyed.
    expect(within(hr).getByTestId('vital-heartRate')).toHaveTextContent('72');
  });

  it.each([
    // phase, BP interval of IV ketamine in that phase → old after twice that
    ['treatment', 10 * 60],
    ['baseline', 10 * 60],
    ['observation', 30 * 60],
  ] as const)('in %s a BP is old after %i s (2 × the phase’s BP interval), not before', (phase, limitSec) => {
    const current = renderTile([bpAgo(limitSec)], phase);
    expect(bpGroup(current)).not.toHaveClass('is-stale');
    expect(within(current).queryByText('old')).not.toBeInTheDocument();
    cleanup();
    const old = renderTile([bpAgo(limitSec + 1)], phase);
    expect(bpGroup(old)).toHaveClass('is-stale');
    expect(within(bpGroup(old)).getByText('old')).toBeInTheDocument();
  });

  it('without a session, a BP is old after 2 × 5 min', () => {
    expect(bpGroup(renderTile([bpAgo(10 * 60)], false))).not.toHaveClass('is-stale');
    cleanup();
    expect(bpGroup(renderTile([bpAgo(10 * 60 + 1)], false))).toHaveClass('is-stale');
  });

  it('streamed vitals are old after 30 s, not before', () => {
    const tile = renderTile([
      makeReading({ seq: 1, heartRate: 72, measuredAt: isoAgo(30) }),
      makeReading({ seq: 2, spo2: 97, respRate: 15, measuredAt: isoAgo(31) }),
    ]);
    const hr = within(tile).getByRole('group', { name: 'HR' });
    expect(hr).not.toHaveClass('is-stale');
    expect(within(hr).queryByText(/ago/)).not.toBeInTheDocument();
    for (const name of ['Oxygen saturation', 'Respiration']) {
      const group = within(tile).getByRole('group', { name });
      expect(group).toHaveClass('is-stale');
      expect(group).toHaveTextContent('old31 s ago');
    }
  });

  it('judges age on the server’s clock when this tablet’s clock is behind', () => {
    const store = createAppStore();
    store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session, latest: emptyLatestVitals })]);
    store.getState().applyReadings([makeReading({ seq: 1, heartRate: 72, measuredAt: isoAgo(0) })]);
    renderWithApp(<ChairTile chairId="chair-1" />, { store });
    const hr = within(screen.getByRole('article', { name: 'Chair 1' })).getByRole('group', { name: 'HR' });
    expect(hr).not.toHaveClass('is-stale');
    // An alert event stamped 40 s ahead of this tablet: the server's clock is 40 s ahead.
    act(() => store.getState().alertEventReceived(alertMessage('alert-raised', makeAlert({ id: 'session-1.bp-crisis.1' }), testNow + 40_000), testNow));
    expect(hr).toHaveClass('is-stale');
    expect(hr).toHaveTextContent('40 s ago');
  });

  it.each([
    [9_999, false],
    [10_000, true],
  ])('with the connection lost for %i ms: every value marked stale, and since when → %s', (lostForMs, cutOff) => {
    const store = createAppStore();
    store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session, latest: emptyLatestVitals })]);
    store.getState().applyReadings([makeReading({ seq: 1, systolic: 128, diastolic: 79, heartRate: 80, spo2: 98, measuredAt: isoAgo(12) })]);
    store.getState().connectionLost(testNow - lostForMs);
    store.getState().connectionChanged('disconnected', 'transport close');
    renderWithApp(<ChairTile chairId="chair-1" />, { store });
    const tile = screen.getByRole('article', { name: 'Chair 1' });
    const groups = ['Blood pressure', 'HR', 'Oxygen saturation'].map((name) => within(tile).getByRole('group', { name }));
    if (cutOff) {
      expect(tile).toHaveTextContent(`No connection since ${formatClock(testNow - lostForMs)} — values are stale`);
      for (const group of groups) {
        expect(group).toHaveClass('is-stale');
        expect(within(group).getByText('old')).toBeInTheDocument();
      }
      expect(within(groups[1] as HTMLElement).getByText('12 s ago')).toBeInTheDocument();
    } else {
      expect(tile).not.toHaveTextContent('No connection');
      for (const group of groups) expect(group).not.toHaveClass('is-stale');
    }
  });

  it('shows a rejected value as a rejection, never as a vital', () => {
    const tile = renderTile([
      makeReading({ seq: 1, systolic: 128, diastolic: 79, measuredAt: isoAgo(400) }),
      makeReading({
        seq: 2,
        heartRate: 76,
        measuredAt: isoAgo(5),
        rejected: [{ field: 'systolic', value: 320, reason: 'out-of-range', message: 'SBP 320 mmHg is outside the plausible range 40–300' }],
      }),
    ]);
    expect(within(tile).getByText('Rejected: SBP 320 mmHg is outside the plausible range 40–300')).toBeInTheDocument();
    const bp = within(tile).getByRole('group', { name: 'Blood pressure' });
    expect(bp).toHaveTextContent('128/79');
    expect(bp).not.toHaveTextContent('320');
  });

  it('says a rejected BP once per measurement, not once per value', () => {
    const tile = renderTile([
      makeReading({
        seq: 1,
        measuredAt: isoAgo(5),
        rejected: [
          { field: 'systolic', value: 320, reason: 'out-of-range', message: 'SBP 320 mmHg is outside the plausible range 40–300' },
          { field: 'diastolic', value: 210, reason: 'out-of-range', message: 'DBP 210 mmHg is outside the plausible range 15–200' },
        ],
      }),
    ]);
    const notice = within(tile).getByRole('note', { name: 'Rejected values' });
    expect(within(notice).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Rejected: BP 320/210 mmHg is outside the plausible range (SBP 40–300, DBP 15–200)',
    ]);
  });

  it('says an inconsistent BP once, not for SBP, DBP and MAP each', () => {
    const message = 'DBP 120 is not below SBP 110';
    const tile = renderTile([
      makeReading({
        seq: 1,
        measuredAt: isoAgo(5),
        rejected: (['systolic', 'diastolic', 'mean'] as const).map((field, i) => ({ field, value: [110, 120, 115][i] ?? 0, reason: 'inconsistent' as const, message })),
      }),
    ]);
    expect(within(tile).getAllByText(`Rejected: ${message}`)).toHaveLength(1);
  });

  it('shows “No patient” once the session ends, without the previous patient’s values, and values measured since', () => {
    const store = createAppStore();
    store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session, latest: emptyLatestVitals })]);
    store.getState().applyReadings([makeReading({ seq: 1, systolic: 142, diastolic: 88, heartRate: 84, spo2: 97, measuredAt: isoAgo(120) })]);
    renderWithApp(<ChairTile chairId="chair-1" />, { store });
    const tile = screen.getByRole('article', { name: 'Chair 1' });
    expect(bpGroup(tile)).toHaveTextContent('142/88');

    const endedAtMs = testNow - 60_000;
    act(() => store.getState().sessionUpdated({ ...session, state: { ...session.state, phase: 'discharged', dischargedAtMs: endedAtMs }, revision: session.revision + 1 }));
    expect(within(tile).getByText('No patient')).toBeInTheDocument();
    expect(within(tile).queryByText('A. Patient')).not.toBeInTheDocument();
    // No value of this chair since: no vitals at all, not the previous patient's.
    expect(within(tile).queryByRole('group', { name: 'Blood pressure' })).not.toBeInTheDocument();
    expect(tile).not.toHaveTextContent('142');
    expect(within(tile).queryByRole('group', { name: 'HR' })).not.toBeInTheDocument();
    expect(tile).toHaveTextContent('Previous patient’s values are not shown');

    act(() => store.getState().applyReadings([makeReading({ seq: 2, heartRate: 71, measuredAt: isoAgo(5) })]));
    expect(within(tile).getByRole('group', { name: 'HR' })).toHaveTextContent('71');
    expect(bpGroup(tile)).toHaveTextContent('no value');
  });

  it('says plainly when the chair is empty and has no readings', () => {
    const tile = renderTile([], false);
    expect(within(tile).getByText('No patient')).toBeInTheDocument();
    expect(within(tile).getByText('No readings yet')).toBeInTheDocument();
    expect(within(tile).queryByRole('group', { name: 'HR' })).not.toBeInTheDocument();
  });

  describe('the vital in alarm', () => {
    function renderWithAlerts(...alerts: Parameters<typeof alertMessage>[1][]) {
      const store = createAppStore();
      store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session, latest: emptyLatestVitals })]);
      store.getState().applyReadings([makeReading({ seq: 1, systolic: 204, diastolic: 118, heartRate: 84, spo2: 86, respRate: 14, measuredAt: isoAgo(5) })]);
      for (const alert of alerts) store.getState().alertEventReceived(alertMessage('alert-raised', alert), testNow);
      renderWithApp(<ChairTile chairId="chair-1" />, { store });
      return { store, tile: screen.getByRole('article', { name: 'Chair 1' }) };
    }
    const desaturation = makeAlert({
      id: 'session-1.spo2-very-low.1',
      ruleId: 'spo2-very-low',
      label: 'Severe desaturation',
      priority: 'high',
      message: 'SpO₂ 86% < 88% for 10 s',
      facts: {
        kind: 'sustained-vital',
        breach: { field: 'spo2', value: 86, comparator: '<', limit: 88 },
        sustainedSec: 10,
        readings: 10,
        bySpotReadings: false,
        measuredAt: isoAgo(5),
      },
    });
    const recheck = makeAlert({ id: 'session-1.bp-severe.1', ruleId: 'bp-severe', label: 'Severe hypertension', priority: 'low', message: 'SBP 204 ≥ 180 — recheck BP now' });

    it('inverts in its priority’s colour with its symbol, and says the priority in words; the others stay as they are', () => {
      const { tile } = renderWithAlerts(desaturation, recheck);
      const spo2 = within(tile).getByRole('group', { name: 'Oxygen saturation' });
      expect(spo2).toHaveClass('has-alarm', 'vital--alarm-high', 'is-unacknowledged');
      expect(within(spo2).getByText('!!!')).toHaveAttribute('aria-hidden', 'true');
      expect(spo2).toHaveTextContent(/High alarm:.*86/);
      expect(spo2).toHaveAttribute('title', 'High alarm: Severe desaturation');

      const bp = bpGroup(tile);
      expect(bp).toHaveClass('has-alarm', 'vital--alarm-low', 'is-unacknowledged');
      expect(within(bp).getByText('!')).toBeInTheDocument();
      expect(bp).toHaveTextContent(/Low alarm:.*204\/118/);

      for (const name of ['HR', 'Respiration']) {
        const group = within(tile).getByRole('group', { name });
        expect(group).not.toHaveClass('has-alarm');
        expect(group).not.toHaveTextContent(/alarm/);
      }
    });

    it('once acknowledged with its condition present: marked, less loud (outlined), and says so', () => {
      const { tile } = renderWithAlerts(acknowledged(desaturation, testNow));
      const spo2 = within(tile).getByRole('group', { name: 'Oxygen saturation' });
      expect(spo2).toHaveClass('has-alarm', 'vital--alarm-high', 'is-acknowledged');
      expect(spo2).not.toHaveClass('is-unacknowledged');
      expect(spo2).toHaveTextContent('High alarm, acknowledged:');
    });

    it('clears when the alarm clears', () => {
      const { store, tile } = renderWithAlerts(desaturation);
      expect(within(tile).getByRole('group', { name: 'Oxygen saturation' })).toHaveClass('has-alarm');
      act(() => store.getState().alertEventReceived(alertMessage('alert-cleared', { ...desaturation, status: 'cleared', clearedAtMs: testNow, clearReason: 'resolved' }), testNow));
      expect(within(tile).getByRole('group', { name: 'Oxygen saturation' })).not.toHaveClass('has-alarm');
    });

    it('an alarm about no shown number (BP overdue) marks the tile, not a number', () => {
      const overdue = makeAlert({ id: 'session-1.bp-overdue.1', ruleId: 'bp-overdue', label: 'BP overdue', category: 'technical', priority: 'low', facts: { kind: 'bp-overdue', minutesWithoutBp: 12, intervalMin: 5 } });
      const { tile } = renderWithAlerts(overdue);
      expect(tile).toHaveClass('has-alarm--low');
      expect(tile.querySelectorAll('.vital.has-alarm')).toHaveLength(0);
    });
  });
});
