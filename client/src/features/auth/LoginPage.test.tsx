import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, renderWithApp } from '../../test-utils';
import { LoginPage } from './LoginPage';

const nurse = { id: 'u1', username: 'nurse', displayName: 'Nurse Demo', role: 'nurse' as const };

function setup(login = vi.fn(() => Promise.resolve(nurse))) {
  const store = createAppStore();
  store.getState().sessionLoaded({ user: null, demoAccounts: [{ username: 'nurse', password: 'demo', role: 'nurse' }] });
  renderWithApp(<LoginPage />, { store, services: fakeServices({ api: fakeApi({ login }) }) });
  return { store, login, user: userEvent.setup() };
}

describe('LoginPage', () => {
  it('offers the demo accounts and fills one in with one tap', async () => {
    const { user, login, store } = setup();
    expect(screen.getByText(/Demo mode — log in as nurse \/ demo/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'nurse / demo nurse' }));
    expect(screen.getByLabelText('Username')).toHaveValue('nurse');
    expect(screen.getByLabelText('Password')).toHaveValue('demo');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(login).toHaveBeenCalledWith({ username: 'nurse', password: 'demo' });
    await vi.waitFor(() => expect(store.getState().auth.phase).toBe('authenticated'));
  });

  it('shows the server’s message on wrong credentials and stays on the page', async () => {
    const login = vi.fn(() => Promise.reject(new ApiError(401, 'unauthorized', 'Wrong username or password')));
    const { user, store } = setup(login);
    await user.type(screen.getByLabelText('Username'), 'nurse');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByText('Wrong username or password')).toBeInTheDocument();
    expect(store.getState().auth.phase).toBe('anonymous');
  });

  it('says how to create the first account when the server has none (a first start without ADMIN_PASSWORD)', async () => {
    const store = createAppStore();
    store.getState().sessionLoaded({ user: null, demoAccounts: null });
    const getSession = vi.fn(() => Promise.resolve({ user: null, demoAccounts: null, noUsersYet: true }));
    renderWithApp(<LoginPage />, { store, services: fakeServices({ api: fakeApi({ getSession }) }) });
    expect(await screen.findByRole('heading', { name: 'No accounts yet' })).toBeInTheDocument();
    expect(screen.getByText('ADMIN_PASSWORD')).toBeInTheDocument();
  });

  it('shows no first-start notice once the clinic has accounts', async () => {
    const store = createAppStore();
    store.getState().sessionLoaded({ user: null, demoAccounts: null });
    const getSession = vi.fn(() => Promise.resolve({ user: null, demoAccounts: null }));
    renderWithApp(<LoginPage />, { store, services: fakeServices({ api: fakeApi({ getSession }) }) });
    await vi.waitFor(() => expect(getSession).toHaveBeenCalled());
    expect(screen.queryByRole('heading', { name: 'No accounts yet' })).toBeNull();
  });
});
