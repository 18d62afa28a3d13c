import type { PublicUser } from '@chairside/shared';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair } from '../../test-utils';

const admin: PublicUser = { id: 'u-admin', username: 'admin', displayName: 'Admin', role: 'admin' };
const nurse: PublicUser = { id: 'u-nurse', username: 'nurse', displayName: 'Nurse Demo', role: 'nurse' };

function renderApp(user: PublicUser) {
  const store = createAppStore();
  const api = fakeApi({
    getSession: () => Promise.resolve({ user, demoAccounts: null }),
    listUsers: vi.fn(() => Promise.resolve([{ ...admin, disabled: false }])),
    listProtocols: () => Promise.resolve([]),
  });
  const live = { start: () => store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })]), stop: () => undefined, reloadChairs: () => Promise.resolve() };
  render(<App store={store} services={fakeServices({ api, live })} />);
  return { store, user: userEvent.setup() };
}

afterEach(() => window.history.replaceState(null, '', '/'));

describe('admin pages', () => {
  it('lands an admin on the admin pages, with the chair grid a link away', async () => {
    const { user } = renderApp(admin);
    // The landing redirects twice (/ → /admin → /admin/users) and the Admin heading shows at /admin
    // already: wait for the users page itself, then for the URL the last redirect writes.
    expect(await screen.findByRole('table', { name: 'Users' })).toBeInTheDocument();
    await waitFor(() => expect(window.location.pathname).toBe('/admin/users'));
    expect(screen.getByRole('heading', { name: 'Admin', level: 1 })).toBeInTheDocument();
    for (const section of ['Users', 'Device tokens', 'Chairs', 'Bedside monitors', 'Protocols', 'Audit trail']) {
      expect(screen.getByRole('link', { name: section })).toBeInTheDocument();
    }
    expect(screen.getByRole('link', { name: 'Users' })).toHaveAttribute('aria-current', 'page');

    await user.click(screen.getByRole('link', { name: 'Protocols' }));
    expect(await screen.findByRole('heading', { name: 'Protocols', level: 2 })).toBeInTheDocument();
    await waitFor(() => expect(window.location.pathname).toBe('/admin/protocols'));

    await user.click(screen.getByRole('link', { name: 'Open the chair grid' }));
    expect(await screen.findByRole('article', { name: 'Chair 1' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Admin' })).toBeInTheDocument();
  });

  it('shows neither the link nor the pages to a nurse', async () => {
    renderApp(nurse);
    expect(await screen.findByRole('article', { name: 'Chair 1' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Admin' })).not.toBeInTheDocument();

    window.history.pushState(null, '', '/admin/users');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(await screen.findByText(/Only administrators can open the admin pages/)).toBeInTheDocument();
  });
});
