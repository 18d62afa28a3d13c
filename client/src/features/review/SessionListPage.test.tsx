import { type PublicUser, ivKetamineProtocol, esketamineProtocol } from '@chairside/shared';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../api/api-client';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, makeSession, renderWithApp, testNow } from '../../test-utils';
import { SessionListPage } from './SessionListPage';
import { forgetClinicTimeZone, rememberClinicTimeZone } from './clinic-zone';
import { admin, listItem, listPage, nurse } from './review-fixtures';
import type { SessionListQuery } from '../../api/review-queries';
import { liveReloadDelayMs } from './session-list-live';

/** Shows the router's query string, so a test reads what a bookmark would hold. */
function LocationProbe() {
  const location = useLocation();
  return <output aria-label="Location">{`${location.pathname}${location.search}`}</output>;
}

function search(): URLSearchParams {
  const text = screen.getByRole('status', { name: 'Location' }).textContent ?? '';
  const at = text.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : text.slice(at + 1));
}

beforeEach(() => rememberClinicTimeZone('UTC'));
afterEach(() => forgetClinicTimeZone());

const lastWeek = { fromDate: '2026-11-16', toDate: '2026-11-22' };

function renderList(options: { route?: string; user?: PublicUser; api?: Partial<ApiClient> } = {}) {
  const store = createAppStore();
  store.getState().loggedIn(options.user ?? nurse);
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', position: 1 }), makeChair({ id: 'chair-2', name: 'Chair 2', position: 2 })]);
  const listReviewSessions = vi.fn((query: SessionListQuery) => Promise.resolve(listPage(1234, query.offset ?? 0, 50)));
  const api = fakeApi({
    listReviewSessions,
    listProtocols: () => Promise.resolve([ivKetamineProtocol, esketamineProtocol]),
    ...options.api,
  });
  const result = renderWithApp(
    <Routes>
      <Route
        path="/sessions"
        element={
          <>
            <SessionListPage />
            <LocationProbe />
          </>
        }
      />
      <Route path="/sessions/:sessionId" element={<LocationProbe />} />
    </Routes>,
    { store, route: options.route ?? '/sessions', services: fakeServices({ api, clock: { now: () => testNow } }) },
  );
  return { ...result, listReviewSessions: (options.api?.listReviewSessions as typeof listReviewSessions | undefined) ?? listReviewSessions };
}

// Live reloads wait out their debounce; on a busy machine a test takes seconds.
describe('session list', { timeout: 20_000 }, () => {
  it('asks for the last 7 clinic days, newest first, and pages on the server', async () => {
    const { listReviewSessions } = renderList();
    const user = userEvent.setup();

    const table = await screen.findByRole('table', { name: 'Sessions' });
    expect(listReviewSessions).toHaveBeenLastCalledWith({ ...lastWeek, sort: 'checkedInAt', order: 'desc', limit: 50, offset: 0 });
    expect(await screen.findByText('Showing 1–50 of 1,234')).toBeInTheDocument();
    expect(within(table).getAllByRole('row')).toHaveLength(51);
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    expect(screen.getByLabelText('From')).toHaveValue('2026-11-16');
    expect(screen.getByLabelText('To')).toHaveValue('2026-11-22');

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(search().get('offset')).toBe('50');
    expect(listReviewSessions).toHaveBeenLastCalledWith(expect.objectContaining({ offset: 50 }));
    expect(await screen.findByText('Showing 51–100 of 1,234')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Previous' }));
    expect(search().has('offset')).toBe(false);
    expect(await screen.findByText('Showing 1–50 of 1,234')).toBeInTheDocument();
  });

  it('puts every filter into the URL query and the API query, starting again on the first page', async () => {
    const { listReviewSessions } = renderList({ route: '/sessions?offset=100' });
    const user = userEvent.setup();
    await screen.findByText('Showing 101–150 of 1,234');

    await user.selectOptions(screen.getByLabelText('Chair'), 'Chair 2');
    expect(search().get('chairId')).toBe('chair-2');
    expect(search().has('offset')).toBe(false);

    await user.selectOptions(await screen.findByLabelText('Protocol'), 'Esketamine (Spravato)');
    await user.click(screen.getByRole('checkbox', { name: 'Had alerts' }));
    await user.click(screen.getByRole('checkbox', { name: 'Override used' }));
    await user.selectOptions(screen.getByLabelText('Signature'), 'Unsigned');
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-01' } });

    expect(Object.fromEntries(search())).toEqual({
      fromDate: '2026-11-01',
      chairId: 'chair-2',
      protocolId: 'esketamine',
      hadAlerts: 'true',
      overrideUsed: 'true',
      signed: 'false',
    });
    await vi.waitFor(() =>
      expect(listReviewSessions).toHaveBeenLastCalledWith({
        fromDate: '2026-11-01',
        toDate: '2026-11-22',
        chairId: 'chair-2',
        protocolId: 'esketamine',
        hadAlerts: true,
        overrideUsed: true,
        signed: false,
        sort: 'checkedInAt',
        order: 'desc',
        limit: 50,
        offset: 0,
      }),
    );

    await user.click(screen.getByRole('button', { name: 'Reset filters' }));
    expect(search().toString()).toBe('');
    expect(listReviewSessions).toHaveBeenLastCalledWith({ ...lastWeek, sort: 'checkedInAt', order: 'desc', limit: 50, offset: 0 });
  });

  it('sorts by a column on a click and turns the order round on the next', async () => {
    const { listReviewSessions } = renderList();
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Sessions' });
    expect(within(table).getByRole('columnheader', { name: /Date/ })).toHaveAttribute('aria-sort', 'descending');

    await user.click(within(table).getByRole('button', { name: /Chair/ }));
    expect(search().get('sort')).toBe('chair');
    expect(listReviewSessions).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'chair', order: 'asc' }));
    expect(within(table).getByRole('columnheader', { name: /Chair/ })).toHaveAttribute('aria-sort', 'ascending');

    await user.click(within(table).getByRole('button', { name: /Chair/ }));
    expect(search().get('order')).toBe('desc');
    expect(listReviewSessions).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'chair', order: 'desc' }));
  });

  it('reads a shared link: the filters and page of its query', async () => {
    const { listReviewSessions } = renderList({ route: '/sessions?fromDate=2026-10-01&toDate=2026-10-31&signed=true&sort=protocol&order=desc&offset=50' });
    await screen.findByText('Showing 51–100 of 1,234');
    expect(listReviewSessions).toHaveBeenCalledWith({ fromDate: '2026-10-01', toDate: '2026-10-31', signed: true, sort: 'protocol', order: 'desc', limit: 50, offset: 50 });
    expect(screen.getByLabelText('Signature')).toHaveDisplayValue('Signed');
    expect(screen.getByLabelText('From')).toHaveValue('2026-10-01');
  });

  it('finds a patient by name and narrows the list to them', async () => {
    const listPatients = vi.fn(() => Promise.resolve([{ id: 'patient-7', displayName: 'Robin B.', mrn: 'MRN-0007', riskFlags: [], createdAt: '2026-01-01T00:00:00.000Z' }]));
    const getPatient = vi.fn(() => Promise.resolve({ id: 'patient-7', displayName: 'Robin B.', mrn: 'MRN-0007', riskFlags: [], createdAt: '2026-01-01T00:00:00.000Z' }));
    const { listReviewSessions } = renderList({ api: { listPatients, getPatient } });
    const user = userEvent.setup();
    await screen.findByText('Showing 1–50 of 1,234');

    await user.type(screen.getByRole('searchbox', { name: 'Patient' }), 'Robin');
    const matches = await screen.findByRole('list', { name: 'Matching patients' });
    expect(listPatients).toHaveBeenLastCalledWith({ search: 'Robin', limit: 8 });
    await user.click(within(matches).getByRole('button', { name: 'Robin B. · MRN MRN-0007' }));

    expect(search().get('patientId')).toBe('patient-7');
    expect(listReviewSessions).toHaveBeenLastCalledWith(expect.objectContaining({ patientId: 'patient-7' }));
    expect(await screen.findByText('Robin B. · MRN MRN-0007')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear patient' }));
    expect(search().has('patientId')).toBe(false);
  });

  it('links each row to its report and shows its facts', async () => {
    const listReviewSessions = vi.fn(() =>
      Promise.resolve({
        total: 1,
        limit: 50,
        offset: 0,
        items: [listItem(1, { checkedInAt: '2026-11-22T08:15:00.000Z', chairId: 'chair-2', alertCount: 3, highAlertCount: 1, signedAt: '2026-11-22T11:00:00.000Z' })],
      }),
    );
    renderList({ api: { listReviewSessions } });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Sessions' });
    // The header row renders first; wait for the first data row.
    const row = await waitFor(() => {
      const rows = within(table).getAllByRole('row');
      if (rows.length < 2) throw new Error('no data row yet');
      return rows[1];
    });
    if (row === undefined) throw new Error('no row');
    expect(await within(row).findByText(/IV ketamine/)).toBeInTheDocument();
    expect(within(row).getAllByRole('cell').map((cell) => cell.textContent)).toEqual([
      '2026-11-22 08:15',
      'J. Doe',
      'Chair 2',
      'IV ketamine v1',
      'Discharged',
      '3 (1 high)',
      'Signed 2026-11-22',
    ]);
    expect(screen.getByText('Showing 1–1 of 1')).toBeInTheDocument();
    expect(screen.getByText(/Times in UTC \(UTC\+00:00\), the clinic’s time zone/)).toBeInTheDocument();

    await user.click(within(row).getByRole('link', { name: '2026-11-22 08:15' }));
    expect(screen.getByRole('status', { name: 'Location' })).toHaveTextContent('/sessions/session-1');
  });

  it('follows sessions live: a check-in, a phase change and an end show without a reload, a new BP alone reads nothing', async () => {
    const early = listItem(1, { chairId: 'chair-1', patientName: 'A. Early', phase: 'discharged' });
    const later = listItem(2, { chairId: 'chair-2', patientName: 'B. Later', phase: 'baseline', endedAt: null });
    let items = [early];
    const listReviewSessions = vi.fn(() => Promise.resolve({ total: items.length, limit: 50, offset: 0, items }));
    const { store } = renderList({ api: { listReviewSessions } });
    const table = await screen.findByRole('table', { name: 'Sessions' });
    expect(await within(table).findByText('A. Early')).toBeInTheDocument();
    expect(listReviewSessions).toHaveBeenCalledTimes(1);

    // Another screen checks a patient in: the server says so with session:updated.
    const running = { ...makeSession({ displayName: 'B. Later', phase: 'baseline', chairId: 'chair-2' }), id: 'session-2' };
    items = [later, early];
    act(() => store.getState().sessionUpdated(running));
    expect(await within(table).findByText('B. Later', {}, { timeout: 3000 })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /B\. Later/ })).toHaveTextContent('Baseline (running)');
    expect(listReviewSessions).toHaveBeenCalledTimes(2);

    // A new BP changes no column: nothing is read.
    act(() => store.getState().sessionUpdated({ ...running, revision: 2, bpTimesMs: [testNow] }));
    await new Promise((resolve) => setTimeout(resolve, liveReloadDelayMs + 200));
    expect(listReviewSessions).toHaveBeenCalledTimes(2);

    // Treatment starts.
    items = [{ ...later, phase: 'treatment' }, early];
    act(() => store.getState().sessionUpdated({ ...running, revision: 3, state: { ...running.state, phase: 'treatment' } }));
    await waitFor(() => expect(within(table).getByRole('row', { name: /B\. Later/ })).toHaveTextContent('Infusion (running)'), { timeout: 3000 });

    // Discharged.
    items = [{ ...later, phase: 'discharged' }, early];
    act(() => store.getState().sessionUpdated({ ...running, revision: 4, state: { ...running.state, phase: 'discharged', dischargedAtMs: testNow } }));
    await waitFor(() => expect(within(table).getByRole('row', { name: /B\. Later/ })).not.toHaveTextContent('running'), { timeout: 3000 });
    expect(within(table).getByRole('row', { name: /B\. Later/ })).toHaveTextContent('Discharged');

    // A signature made on another screen has no event: the list is read again when the page is shown again.
    items = [{ ...later, phase: 'discharged' }, { ...early, signedAt: '2026-11-22T09:00:00Z' }];
    act(() => document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => expect(within(table).getByRole('row', { name: /A\. Early/ })).toHaveTextContent('Signed 2026-11-22'));
  });

  it('tells an admin that session records are for the care team', () => {
    const listReviewSessions = vi.fn();
    renderList({ user: admin, api: { listReviewSessions } });
    expect(screen.getByText('Session records are for nurses and clinicians.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(listReviewSessions).not.toHaveBeenCalled();
  });
});
