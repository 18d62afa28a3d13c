import type { CreateUser, PublicUser, UpdateUser, UserListItem } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, renderWithApp } from '../../test-utils';
import { UsersSection } from './UsersSection';

const admin: UserListItem = { id: 'u-admin', username: 'admin', displayName: 'Admin', role: 'admin', disabled: false };
const nurse: UserListItem = { id: 'u-nurse', username: 'nurse', displayName: 'Nurse Demo', role: 'nurse', disabled: false };
const retired: UserListItem = { id: 'u-old', username: 'old', displayName: 'Old Account', role: 'clinician', disabled: true };

function setup(overrides: { createUser?: (user: CreateUser) => Promise<PublicUser>; updateUser?: (id: string, update: UpdateUser) => Promise<UserListItem> } = {}) {
  const store = createAppStore();
  store.getState().loggedIn(admin);
  const listUsers = vi.fn(() => Promise.resolve([nurse, admin, retired]));
  const createUser = vi.fn(overrides.createUser ?? (() => Promise.reject(new Error('not expected'))));
  const updateUser = vi.fn(overrides.updateUser ?? ((id: string) => Promise.resolve({ ...nurse, id })));
  renderWithApp(<UsersSection />, { store, services: fakeServices({ api: fakeApi({ listUsers, createUser, updateUser }) }) });
  return { listUsers, createUser, updateUser, user: userEvent.setup() };
}

const row = async (username: string) => {
  const table = await screen.findByRole('table', { name: 'Users' });
  const header = within(table).getByRole('rowheader', { name: new RegExp(`^${username}`) });
  const found = header.closest('tr');
  if (found === null) throw new Error(`no row for ${username}`);
  return found;
};

describe('UsersSection', () => {
  it('lists users with role and status; an admin cannot disable or demote themselves', async () => {
    setup();
    const nurseRow = await row('nurse');
    expect(nurseRow).toHaveTextContent('Nurse');
    expect(nurseRow).toHaveTextContent('Active');
    expect(within(nurseRow).getByRole('button', { name: 'Disable nurse' })).toBeInTheDocument();
    expect(within(await row('old')).getByRole('button', { name: 'Enable old' })).toBeInTheDocument();
    expect(await row('old')).toHaveTextContent('Disabled');

    const own = await row('admin');
    expect(own).toHaveTextContent('(you)');
    expect(within(own).queryByRole('button', { name: /Disable/ })).not.toBeInTheDocument();
    expect(within(own).queryByRole('button', { name: /Change role/ })).not.toBeInTheDocument();
    expect(within(own).getByRole('button', { name: 'Reset password of admin' })).toBeInTheDocument();
  });

  it('checks a new user before sending it', async () => {
    const { user, createUser } = setup();
    await screen.findByRole('table', { name: 'Users' });
    await user.type(screen.getByLabelText('Username'), 'Nurse Two');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Add user' }));

    expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription(expect.stringContaining('use lowercase letters, digits'));
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(expect.stringContaining('use at least 8 characters'));
    expect(screen.getByText('Not added — check the marked fields.')).toBeInTheDocument();
    expect(createUser).not.toHaveBeenCalled();
  });

  it('shows a taken username beside the field', async () => {
    const { user } = setup({ createUser: () => Promise.reject(new ApiError(409, 'conflict', 'The username "nurse" is taken.')) });
    await screen.findByRole('table', { name: 'Users' });
    await user.type(screen.getByLabelText('Username'), 'nurse');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    const username = screen.getByLabelText('Username');
    await vi.waitFor(() => expect(username).toHaveAttribute('aria-invalid', 'true'));
    expect(username).toHaveAccessibleDescription(expect.stringContaining('The username "nurse" is taken.'));
  });

  it('puts the server’s field details beside their fields', async () => {
    const { user } = setup({
      createUser: () => Promise.reject(new ApiError(400, 'invalid_input', 'Invalid input', [{ path: ['displayName'], message: 'too long for the server' }])),
    });
    await screen.findByRole('table', { name: 'Users' });
    await user.type(screen.getByLabelText('Username'), 'nurse3');
    await user.type(screen.getByLabelText('Display name'), 'Someone');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    await vi.waitFor(() => expect(screen.getByLabelText('Display name')).toHaveAccessibleDescription(expect.stringContaining('too long for the server')));
  });

  it('adds a user with the chosen role and lists it', async () => {
    const { user, createUser, listUsers } = setup({
      createUser: (input) => Promise.resolve({ id: 'u-new', username: input.username, displayName: input.displayName ?? input.username, role: input.role }),
    });
    await screen.findByRole('table', { name: 'Users' });
    await user.type(screen.getByLabelText('Username'), 'Clin.Two');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.selectOptions(screen.getByLabelText('Role'), 'Clinician');
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    expect(await screen.findByText('User clin.two added as Clinician.')).toBeInTheDocument();
    expect(createUser).toHaveBeenCalledWith({ username: 'clin.two', password: 'long enough', role: 'clinician' });
    expect(listUsers).toHaveBeenCalledTimes(2);
    expect(screen.getByLabelText('Username')).toHaveValue('');
  });

  it('asks before disabling; enables at once', async () => {
    const { user, updateUser } = setup();
    await user.click(within(await row('nurse')).getByRole('button', { name: 'Disable nurse' }));
    const dialog = screen.getByRole('dialog', { name: 'Disable nurse?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(updateUser).not.toHaveBeenCalled();

    await user.click(within(await row('nurse')).getByRole('button', { name: 'Disable nurse' }));
    await user.click(screen.getByRole('button', { name: 'Disable user' }));
    expect(await screen.findByText('nurse is disabled and was logged out.')).toBeInTheDocument();
    expect(updateUser).toHaveBeenCalledWith('u-nurse', { disabled: true });

    await user.click(within(await row('old')).getByRole('button', { name: 'Enable old' }));
    expect(updateUser).toHaveBeenLastCalledWith('u-old', { disabled: false });
  });

  it('resets a password in a dialog, checking it first', async () => {
    const { user, updateUser } = setup();
    await user.click(within(await row('nurse')).getByRole('button', { name: 'Reset password of nurse' }));
    const dialog = screen.getByRole('dialog', { name: 'Reset password — nurse' });
    await user.type(within(dialog).getByLabelText('New password'), 'short');
    await user.click(within(dialog).getByRole('button', { name: 'Set new password' }));
    expect(within(dialog).getByLabelText('New password')).toHaveAccessibleDescription(expect.stringContaining('use at least 8 characters'));

    await user.clear(within(dialog).getByLabelText('New password'));
    await user.type(within(dialog).getByLabelText('New password'), 'a new passphrase');
    await user.type(within(dialog).getByLabelText('Repeat password'), 'a new passphrase');
    await user.click(within(dialog).getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('New password set for nurse; they were logged out everywhere.')).toBeInTheDocument();
    expect(updateUser).toHaveBeenCalledWith('u-nurse', { password: 'a new passphrase' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('changes a role and says why the server refused one', async () => {
    const { user, updateUser } = setup({ updateUser: () => Promise.reject(new ApiError(403, 'forbidden', 'You cannot remove your own admin role.')) });
    await user.click(within(await row('nurse')).getByRole('button', { name: 'Change role of nurse' }));
    const dialog = screen.getByRole('dialog', { name: 'Change role — nurse' });
    await user.selectOptions(within(dialog).getByLabelText('Role'), 'Clinician');
    await user.click(within(dialog).getByRole('button', { name: 'Save role' }));
    expect(await within(dialog).findByText('Role not changed: You cannot remove your own admin role.')).toBeInTheDocument();
    expect(updateUser).toHaveBeenCalledWith('u-nurse', { role: 'clinician' });
  });
});
