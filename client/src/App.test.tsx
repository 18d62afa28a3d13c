import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { ApiError } from './api/api-error';
import { createAppStore } from './store/app-store';
import { fakeApi, fakeServices, makeChair } from './test-utils';

const nurse = { id: 'u1', username: 'nurse', displayName: 'Nurse Demo', role: 'nurse' as const };

describe('App', () => {
  it('asks for a login when nobody is logged in', async () => {
    const services = fakeServices({ api: fakeApi({ getSession: () => Promise.resolve({ user: null, demoAccounts: null }) }) });
    render(<App store={createAppStore()} services={services} />);
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByText(/secondary notification aid/)).toBeInTheDocument();
  });

  it('starts live updates for a logged-in user and stops them on logout', async () => {
    const store = createAppStore();
    const live = { start: vi.fn(() => store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })])), stop: vi.fn(), reloadChairs: vi.fn(() => Promise.resolve()) };
    const logout = vi.fn(() => Promise.resolve());
    const services = fakeServices({ live, api: fakeApi({ getSession: () => Promise.resolve({ user: nurse, demoAccounts: null }), logout }) });
    render(<App store={store} services={services} />);

    expect(await screen.findByRole('article', { name: 'Chair 1' })).toBeInTheDocument();
    expect(live.start).toHaveBeenCalled();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(logout).toHaveBeenCalled();
    expect(live.stop).toHaveBeenCalled();
    expect(store.getState().chairs).toEqual({});
  });

  it('says so plainly when the server cannot be reached, and tries again', async () => {
    const getSession = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(0, 'network', 'Cannot reach the Chairside server'))
      .mockResolvedValueOnce({ user: null, demoAccounts: null });
    render(<App store={createAppStore()} services={fakeServices({ api: fakeApi({ getSession }) })} />);
    expect(await screen.findByText('Cannot reach the Chairside server')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
  });
});
