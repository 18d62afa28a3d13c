import { type Reading, emptyLatestVitals } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { isoAgo, makeChair, makeReading, makeSession, renderWithApp } from '../../test-utils';
import { ChairTile } from './ChairTile';

const session = makeSession({ displayName: 'A. Patient', phase: 'treatment' });

function renderTile(readings: Reading[], withSession = true) {
  const store = createAppStore();
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session: withSession ? session : null, latest: emptyLatestVitals })]);
  store.getState().applyReadings(readings);
  renderWithApp(<ChairTile chairId="chair-1" />, { store });
  return screen.getByRole('article', { name: 'Chair 1' });
}

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
    expect(within(tile).queryByText('stale')).not.toBeInTheDocument();
    // The phase in the protocol's words (IV ketamine: "Infusion").
    expect(within(tile).getByText('Infusion')).toBeInTheDocument();
    expect(within(tile).getByRole('button', { name: 'Enter reading for Chair 1' })).toBeInTheDocument();
    expect(within(tile).getByRole('button', { name: 'Open Chair 1' })).toBeInTheDocument();
  });

  it('greys out and labels values older than two expected intervals', () => {
    const tile = renderTile([
      makeReading({ seq: 1, systolic: 130, diastolic: 80, measuredAt: isoAgo(13 * 60) }),
      makeReading({ seq: 2, heartRate: 72, spo2: 98, measuredAt: isoAgo(90) }),
    ]);
    const hr = within(tile).getByRole('group', { name: 'HR' });
    const bp = within(tile).getByRole('group', { name: 'Blood pressure' });
    expect(hr).toHaveClass('is-stale');
    expect(within(hr).getByText('stale')).toBeInTheDocument();
    expect(within(bp).getByText('stale')).toBeInTheDocument();
    expect(within(tile).getByText('1 min ago')).toBeInTheDocument();
  });

  it('keeps a BP of 11 minutes current', () => {
    const tile = renderTile([makeReading({ seq: 1, systolic: 130, diastolic: 80, measuredAt: isoAgo(11 * 60) })]);
    expect(within(tile).getByRole('group', { name: 'Blood pressure' })).not.toHaveClass('is-stale');
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

  it('says plainly when the chair is empty and has no readings', () => {
    const tile = renderTile([], false);
    expect(within(tile).getByText('No patient')).toBeInTheDocument();
    expect(within(tile).getByText('No readings yet')).toBeInTheDocument();
    expect(within(tile).getByRole('group', { name: 'HR' })).toHaveTextContent('no value');
  });
});
