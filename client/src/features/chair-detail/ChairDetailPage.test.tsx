import type { Reading } from '@chairside/shared';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, makeReading, renderWithApp, testNow } from '../../test-utils';
import { ChairDetailPage } from './ChairDetailPage';
import { defaultTrendPeriod } from './trend-periods';
import { useChairHistory } from './use-chair-history';

beforeAll(() => {
  // recharts measures its container; jsdom has no layout.
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});

const hour = 60 * 60 * 1000;

/** As the app's route renders the page: the history load started outside it. */
function ChairRoute({ chairId }: { chairId: string }) {
  return <ChairDetailPage history={useChairHistory(chairId, defaultTrendPeriod.ms)} />;
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('chair page', () => {
  it('loads the period on screen first, then the rest of 12 h an hour at a time, into the readings table', async () => {
    const first = deferred<Reading[]>();
    const chairReadings = vi.fn((_chairId: string, query: { from: string; to?: string }) =>
      query.to === undefined ? first.promise : Promise.resolve(Date.parse(query.from) === testNow - 12 * hour ? [makeReading({ seq: 1, systolic: 188, diastolic: 99, measuredAt: query.from })] : []),
    );
    const store = createAppStore();
    store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })]);
    renderWithApp(
      <Routes>
        <Route path="/chairs/:chairId" element={<ChairRoute chairId="chair-1" />} />
      </Routes>,
      { store, route: '/chairs/chair-1', services: fakeServices({ api: fakeApi({ chairReadings }) }) },
    );

    expect(screen.getByRole('status')).toHaveTextContent('Loading the last 3 h…');
    expect(chairReadings).toHaveBeenCalledTimes(1);
    expect(chairReadings.mock.calls[0]).toEqual(['chair-1', { from: new Date(testNow - 3 * hour).toISOString() }]);

    first.resolve([makeReading({ seq: 2, systolic: 141, diastolic: 90, measuredAt: new Date(testNow - hour).toISOString() })]);
    await waitFor(() => expect(chairReadings).toHaveBeenCalledTimes(10));
    expect(chairReadings.mock.calls.slice(1).map(([, query]) => [Date.parse(query.from), query.to === undefined ? null : Date.parse(query.to)])).toEqual(
      Array.from({ length: 9 }, (_, i) => [testNow - (4 + i) * hour, testNow - (3 + i) * hour]),
    );
    expect(screen.queryByText('Loading the last 3 h…')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('table')).toHaveTextContent('188/99'));
    expect(screen.getByRole('table')).toHaveTextContent('141/90');
  });

  it('offers a retry when the history cannot be loaded', async () => {
    const chairReadings = vi.fn(() => Promise.reject(new Error('offline')));
    const store = createAppStore();
    store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })]);
    renderWithApp(
      <Routes>
        <Route path="/chairs/:chairId" element={<ChairRoute chairId="chair-1" />} />
      </Routes>,
      { store, route: '/chairs/chair-1', services: fakeServices({ api: fakeApi({ chairReadings }) }) },
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the earlier readings');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(chairReadings).toHaveBeenCalledTimes(2));
  });
});
