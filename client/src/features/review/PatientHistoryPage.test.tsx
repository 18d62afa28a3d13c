import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, renderWithApp, testNow } from '../../test-utils';
import { PatientHistoryPage } from './PatientHistoryPage';
import { forgetClinicTimeZone, rememberClinicTimeZone } from './clinic-zone';
import { at, historyItem, nurse } from './review-fixtures';

beforeEach(() => rememberClinicTimeZone('UTC'));
afterEach(() => forgetClinicTimeZone());

function withPeak(item: ReturnType<typeof historyItem>, systolic: number, delta: number, minutes: number, override: string | null = null) {
  const peak = { field: 'systolic' as const, value: systolic, atMs: at(10 + minutes), readingId: 'r', readingSeq: 1, sinceTreatmentStartMs: minutes * 60_000, baseline: systolic - delta, deltaFromBaseline: delta };
  return {
    ...item,
    stats: {
      ...item.stats,
      peaks: { ...item.stats.peaks, systolic: peak },
      gate: { ...item.stats.gate, dischargedVia: override === null ? ('gate' as const) : ('override' as const), overrideReason: override },
    },
  };
}

const history = [
  withPeak(historyItem(1, -14, [[0, 130, 80], [30, 150, 90]]), 150, 20, 30),
  withPeak(historyItem(2, -7, [[0, 128, 82], [25, 148, 88]]), 148, 18, 25),
  withPeak(historyItem(3, 0, [[0, 131, 80], [40, 176, 104]]), 176, 45, 40, 'escort waiting'),
];

function renderHistory(route = '/patients/patient-1') {
  const store = createAppStore();
  store.getState().loggedIn(nurse);
  const patientHistory = vi.fn(() => Promise.resolve(history));
  const getPatient = vi.fn(() => Promise.resolve({ id: 'patient-1', displayName: 'J. Doe', mrn: 'MRN-0042', riskFlags: [], createdAt: '2026-01-01T00:00:00.000Z' }));
  renderWithApp(
    <Routes>
      <Route path="/patients/:patientId" element={<PatientHistoryPage />} />
    </Routes>,
    { store, route, services: fakeServices({ api: fakeApi({ patientHistory, getPatient }), clock: { now: () => testNow } }) },
  );
  return { patientHistory };
}

describe('patient history', () => {
  it('lays every session over the others, one per session, the newest highlighted', async () => {
    const { patientHistory } = renderHistory();
    const user = userEvent.setup();
    const legend = await screen.findByRole('group', { name: 'Sessions in the chart' });
    expect(patientHistory).toHaveBeenCalledWith('patient-1');
    expect(screen.getByText('J. Doe · MRN MRN-0042')).toBeInTheDocument();

    const entries = within(legend).getAllByRole('button');
    expect(entries.map((b) => b.textContent)).toEqual(['Session 1 · 2026-11-08', 'Session 2 · 2026-11-15', 'Session 3 · 2026-11-22']);
    expect(entries.map((b) => b.getAttribute('aria-pressed'))).toEqual(['false', 'false', 'true']);

    await user.click(entries[0] as HTMLElement);
    expect(within(legend).getAllByRole('button').map((b) => b.getAttribute('aria-pressed'))).toEqual(['true', 'false', 'false']);
  });

  it('sets the sessions side by side: peak and Δ, time to peak, alerts and override', async () => {
    renderHistory('/patients/patient-1?session=session-2');
    const table = await screen.findByRole('table', { name: 'Session history' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    const cells = (i: number) => within(rows[i] as HTMLElement).getAllByRole('cell').map((c) => c.textContent);
    expect(cells(0).slice(1, 5)).toEqual(['IV ketamine', '150 (+20)', expect.any(String), '30 min']);
    expect(cells(2).slice(2, 5)).toEqual(['176 (+45)', expect.any(String), '40 min']);
    expect(cells(2)[7]).toBe('Yes: escort waiting');
    expect(cells(0)[7]).toBe('No');
    expect(rows[1]).toHaveAttribute('aria-current', 'true');
    expect(within(rows[2] as HTMLElement).getByRole('link', { name: '2026-11-22 09:00' })).toHaveAttribute('href', '/sessions/session-3');
  });
});
