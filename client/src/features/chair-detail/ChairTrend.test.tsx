import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, makeSession, renderWithApp, testNow } from '../../test-utils';
import { makeAlert } from '../alarms/test-alerts';
import { ChairTrend } from './ChairTrend';
import type { HistoryLoad } from './use-chair-history';

const minute = 60 * 1000;
const loaded: HistoryLoad = { status: 'loaded', error: null, retry: () => undefined, loadedFromMs: testNow - 12 * 60 * minute, trendFromMs: testNow - 12 * 60 * minute };

beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ x: 0, y: 0, top: 0, left: 0, right: 800, bottom: 200, width: 800, height: 200, toJSON: () => ({}) });
});
afterEach(() => vi.restoreAllMocks());

function renderTrend(session: ReturnType<typeof makeSession> | null, sessionAlerts = vi.fn(() => Promise.resolve([makeAlert({ id: 's.bp-crisis.1', raisedAtMs: testNow - 10 * minute })]))) {
  const store = createAppStore();
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session })]);
  renderWithApp(<ChairTrend chairId="chair-1" load={loaded} />, { store, services: fakeServices({ api: fakeApi({ sessionAlerts }) }) });
  return sessionAlerts;
}

// Four recharts charts in jsdom take a few seconds on a busy machine.
describe('ChairTrend', { timeout: 20_000 }, () => {
  it("opens on the session's span and marks the session's alarms, numbered as listed", async () => {
    const sessionAlerts = renderTrend(makeSession({ displayName: 'A. Patient', phase: 'treatment', checkedInAtMs: testNow - 40 * minute }));
    expect(screen.getByRole('button', { name: 'Session' })).toHaveAttribute('aria-pressed', 'true');
    const list = await screen.findByRole('list', { name: 'Alarms marked on the chart' });
    expect(within(list).getByRole('listitem')).toHaveTextContent(/1.*High.*Hypertensive crisis/);
    expect(sessionAlerts).toHaveBeenCalledWith('session-1');
    const bpPane = screen.getAllByRole('figure')[0];
    expect(bpPane?.querySelectorAll('.trend__marker--high')).toHaveLength(1);
    expect(bpPane).toHaveTextContent('SBP ≥ 180');
    // The fixed periods stay on offer.
    expect(within(screen.getByRole('group', { name: 'Trend period' })).getAllByRole('button').map((b) => b.textContent)).toEqual(['Session', '1 h', '3 h', '12 h']);
  });

  it('shows the last 3 h of a chair without a session, and offers no session span', () => {
    const sessionAlerts = renderTrend(null);
    expect(screen.queryByRole('button', { name: 'Session' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: '3 h' })).toHaveAttribute('aria-pressed', 'true');
    expect(sessionAlerts).not.toHaveBeenCalled();
    expect(screen.getAllByRole('figure')).toHaveLength(4);
  });
});
