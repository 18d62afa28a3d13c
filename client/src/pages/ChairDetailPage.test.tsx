import { type ChairTrend, type Reading, addToTrend } from '@chairside/shared';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/api-client';
import { createAppStore } from '../store/app-store';
import { alertMessage, makeAlert } from '../features/alarms/test-alerts';
import { fakeApi, fakeServices, makeChair, makeReading, renderWithApp, testNow } from '../test-utils';
import { ChairDetailPage } from './ChairDetailPage';
import { defaultTrendPeriod } from '../features/chair-detail/trend-periods';
import { useChairHistory } from '../features/chair-detail/use-chair-history';

const hour = 60 * 60 * 1000;

/** As the app's route renders the page: the history load started outside it. */
function ChairRoute({ chairId }: { chairId: string }) {
  return <ChairDetailPage history={useChairHistory(chairId, defaultTrendPeriod.ms)} />;
}

/** Chair 1's page at its URL, with `api` answering its requests; the app's store. */
function renderChairPage(api: Partial<ApiClient>, prepare: (store: ReturnType<typeof createAppStore>) => void = () => undefined) {
  const store = createAppStore();
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })]);
  prepare(store);
  renderWithApp(
    <Routes>
      <Route path="/chairs/:chairId" element={<ChairRoute chairId="chair-1" />} />
    </Routes>,
    { store, route: '/chairs/chair-1', services: fakeServices({ api: fakeApi(api) }) },
  );
  return store;
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('chair page', () => {
  it("draws 12 h from the server's trend first, then loads the readings into the table: the period on screen, then an hour at a time", async () => {
    const trend = deferred<ChairTrend>();
    const chairTrend = vi.fn((_chairId: string, _query: { from: string; to?: string; bucketMs: number }) => trend.promise);
    const first = deferred<Reading[]>();
    const chairReadings = vi.fn((_chairId: string, query: { from: string; to?: string }) =>
      query.to === undefined ? first.promise : Promise.resolve(Date.parse(query.from) === testNow - 12 * hour ? [makeReading({ seq: 1, systolic: 188, diastolic: 99, measuredAt: query.from })] : []),
    );
    const store = renderChairPage({ chairReadings, chairTrend });

    expect(screen.getByRole('status')).toHaveTextContent('Loading the last 3 h…');
    expect(chairTrend.mock.calls).toEqual([['chair-1', { from: new Date(testNow - 3 * hour).toISOString(), bucketMs: 15_000 }]]);
    expect(chairReadings).not.toHaveBeenCalled();

    const limits = { bucketMs: 15_000, windowMs: 12 * hour };
    const values = { systolic: null, diastolic: null, mean: null, heartRate: 77, spo2: 98, respRate: 14 };
    const buckets = addToTrend([], [{ t: testNow - 2 * hour, reading: values }, { t: testNow - 11 * hour, reading: values }], limits);
    trend.resolve({ chairId: 'chair-1', from: new Date(testNow - 12 * hour).toISOString(), to: new Date(testNow).toISOString(), bucketMs: 15_000, readings: 2, buckets: [...buckets] });
    await waitFor(() => expect(screen.queryByText('Loading the last 3 h…')).not.toBeInTheDocument());
    expect(store.getState().history['chair-1']?.trend).toEqual(buckets);
    // Then the rest of the 12 h, for a longer period.
    await waitFor(() => expect(chairTrend).toHaveBeenCalledTimes(2));
    expect(chairTrend.mock.calls[1]).toEqual(['chair-1', { from: new Date(testNow - 12 * hour).toISOString(), to: new Date(testNow - 3 * hour).toISOString(), bucketMs: 15_000 }]);
    await waitFor(() => expect(chairReadings).toHaveBeenCalledTimes(1));
    expect(chairReadings.mock.calls[0]).toEqual(['chair-1', { from: new Date(testNow - 3 * hour).toISOString() }]);

    first.resolve([makeReading({ seq: 2, systolic: 141, diastolic: 90, measuredAt: new Date(testNow - hour).toISOString() })]);
    await waitFor(() => expect(chairReadings).toHaveBeenCalledTimes(10));
    expect(chairReadings.mock.calls.slice(1).map(([, query]) => [Date.parse(query.from), query.to === undefined ? null : Date.parse(query.to)])).toEqual(
      Array.from({ length: 9 }, (_, i) => [testNow - (4 + i) * hour, testNow - (3 + i) * hour]),
    );
    await waitFor(() => expect(screen.getByRole('table')).toHaveTextContent('188/99'));
    expect(screen.getByRole('table')).toHaveTextContent('141/90');
  });

  it('fills the trend from the readings when the server cannot give the trend itself', async () => {
    const chairTrend = vi.fn(() => Promise.reject(new Error('HTTP 500')));
    const chairReadings = vi.fn((_chairId: string, query: { from: string; to?: string }) =>
      Promise.resolve(query.to === undefined ? [makeReading({ seq: 1, heartRate: 131, measuredAt: new Date(testNow - hour).toISOString() })] : []),
    );
    const store = renderChairPage({ chairReadings, chairTrend });
    await waitFor(() => expect(store.getState().history['chair-1']?.trend).toHaveLength(1));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText('Loading the last 3 h…')).not.toBeInTheDocument();
  });

  it('offers a retry when the history cannot be loaded', async () => {
    const chairTrend = vi.fn(() => Promise.reject(new Error('offline')));
    const chairReadings = vi.fn(() => Promise.reject(new Error('offline')));
    renderChairPage({ chairReadings, chairTrend });
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the earlier readings');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(chairReadings).toHaveBeenCalledTimes(2));
    expect(chairTrend).toHaveBeenCalledTimes(2);
  });

  it('inverts the number an open alarm is about, as the tile does', async () => {
    const crisis = makeAlert({ id: 'session-1.bp-crisis.1', ruleId: 'bp-crisis', label: 'Hypertensive crisis', priority: 'high', message: 'SBP 204 ≥ 200' });
    renderChairPage({ chairReadings: vi.fn(() => Promise.resolve([])), chairTrend: vi.fn(() => Promise.reject(new Error('offline'))) }, (store) => {
      store.getState().applyReadings([makeReading({ seq: 1, systolic: 204, diastolic: 118, heartRate: 84, spo2: 97 })]);
      store.getState().alertEventReceived(alertMessage('alert-raised', crisis), testNow);
    });
    const current = await screen.findByRole('region', { name: 'Current values' });
    const bp = within(current).getByRole('group', { name: 'Blood pressure' });
    expect(bp).toHaveClass('has-alarm', 'vital--alarm-high');
    expect(bp).toHaveTextContent(/High alarm:.*204\/118/);
    expect(within(current).getByRole('group', { name: 'HR' })).not.toHaveClass('has-alarm');
  });
});
