import type { DeviceToken } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, fakeServices, renderWithApp } from '../../test-utils';
import { DeviceTokensSection } from './DeviceTokensSection';

const gateway: DeviceToken = {
  id: 'tok-1',
  label: 'Gateway room 2',
  createdAt: '2026-11-20T08:00:00.000Z',
  createdBy: 'admin',
  revokedAt: null,
  lastUsedAt: '2026-11-22T09:59:00.000Z',
};
const old: DeviceToken = { ...gateway, id: 'tok-0', label: 'Old monitor', revokedAt: '2026-11-21T08:00:00.000Z' };

function setup() {
  let tokens = [gateway, old];
  const listDeviceTokens = vi.fn(() => Promise.resolve(tokens));
  const createDeviceToken = vi.fn((label: string) => {
    const created = { ...gateway, id: 'tok-2', label, lastUsedAt: null };
    tokens = [...tokens, created];
    return Promise.resolve({ ...created, token: 'cs_s3cret-token-value' });
  });
  const revokeDeviceToken = vi.fn(() => Promise.resolve());
  renderWithApp(<DeviceTokensSection />, { services: fakeServices({ api: fakeApi({ listDeviceTokens, createDeviceToken, revokeDeviceToken }) }) });
  return { listDeviceTokens, createDeviceToken, revokeDeviceToken, user: userEvent.setup() };
}

describe('DeviceTokensSection', () => {
  it('lists tokens with their state; only active ones can be revoked', async () => {
    setup();
    const table = await screen.findByRole('table', { name: 'Device tokens' });
    const active = within(table).getByRole('rowheader', { name: 'Gateway room 2' }).closest('tr');
    const revoked = within(table).getByRole('rowheader', { name: 'Old monitor' }).closest('tr');
    expect(active).toHaveTextContent('Active');
    expect(revoked).toHaveTextContent('Revoked');
    expect(within(table).getByRole('button', { name: 'Revoke Gateway room 2' })).toBeInTheDocument();
    expect(within(table).queryByRole('button', { name: 'Revoke Old monitor' })).not.toBeInTheDocument();
  });

  it('needs a label', async () => {
    const { user, createDeviceToken } = setup();
    await screen.findByRole('table', { name: 'Device tokens' });
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(screen.getByLabelText('Label')).toHaveAccessibleDescription(expect.stringContaining('name the device'));
    expect(createDeviceToken).not.toHaveBeenCalled();
  });

  it('shows a new token once, with a copy button, and never again', async () => {
    const { user, createDeviceToken, listDeviceTokens } = setup();
    await screen.findByRole('table', { name: 'Device tokens' });
    await user.type(screen.getByLabelText('Label'), 'Simulator');
    await user.click(screen.getByRole('button', { name: 'Create token' }));

    const token = await screen.findByRole('textbox', { name: 'New device token' });
    expect(createDeviceToken).toHaveBeenCalledWith('Simulator');
    expect(token).toHaveValue('cs_s3cret-token-value');
    expect(token).toHaveAttribute('readonly');
    expect(token).toHaveAccessibleDescription(expect.stringContaining('you will not see it again'));

    await user.click(screen.getByRole('button', { name: 'Copy token' }));
    expect(await screen.findByText('Copied to the clipboard.')).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toBe('cs_s3cret-token-value');

    // The list is read again, without the token.
    await vi.waitFor(() => expect(listDeviceTokens).toHaveBeenCalledTimes(2));
    expect(await screen.findByRole('rowheader', { name: 'Simulator' })).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Device tokens' })).not.toHaveTextContent('cs_s3cret');

    await user.click(screen.getByRole('button', { name: 'Done — hide the token' }));
    expect(screen.queryByRole('textbox', { name: 'New device token' })).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent('cs_s3cret');
  });

  it('asks before revoking', async () => {
    const { user, revokeDeviceToken } = setup();
    await user.click(await screen.findByRole('button', { name: 'Revoke Gateway room 2' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke “Gateway room 2”?' });
    expect(dialog).toHaveTextContent('can no longer send readings');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(revokeDeviceToken).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Revoke Gateway room 2' }));
    await user.click(screen.getByRole('button', { name: 'Revoke token' }));
    expect(await screen.findByText('Token “Gateway room 2” revoked: devices using it can no longer send readings.')).toBeInTheDocument();
    expect(revokeDeviceToken).toHaveBeenCalledWith('tok-1');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
