import type { CreateDevice, Device, Hl7UnmappedMessage } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-error';
import { fakeApi, fakeServices, makeChair, renderWithApp } from '../../test-utils';
import { MonitorsSection } from './MonitorsSection';

const registered: Device = { deviceId: '0011AABBCCDDEEFF', chairId: 'chair-1', createdAt: '2026-11-20T08:00:00.000Z', createdBy: 'admin' };
const unmapped: Hl7UnmappedMessage = {
  id: 7,
  receivedAt: '2026-11-22T09:58:00.000Z',
  sendingDevice: 'AcmeInc^ACDE48234567ABCD^EUI-64',
  bed: 'KETA^102^9',
  controlId: 'MSG0042',
  reason: 'no chair has HL7 bed "KETA^102^9" and no registered device matches',
  raw: 'MSH|^~\\&|AcmeInc^ACDE48234567ABCD^EUI-64|||||ORU^R01|MSG0042\rPV1||I|KETA^102^9',
  rawTruncated: false,
};

function setup(registerDevice: (device: CreateDevice) => Promise<Device> = (device) => Promise.resolve({ ...registered, ...device })) {
  const api = fakeApi({
    listDevices: vi.fn(() => Promise.resolve([registered])),
    listChairs: () => Promise.resolve([makeChair({ id: 'chair-1', name: 'Chair 1', hl7Bed: 'KETA^102^1' }), makeChair({ id: 'chair-9', name: 'Chair 9', position: 8 })]),
    listUnmappedHl7: () => Promise.resolve([unmapped]),
    registerDevice: vi.fn(registerDevice),
    removeDevice: vi.fn(() => Promise.resolve()),
  });
  renderWithApp(<MonitorsSection />, { services: fakeServices({ api }) });
  return { api, user: userEvent.setup() };
}

describe('MonitorsSection', () => {
  it('lists registered monitors by chair, and the unmapped messages with their raw text', async () => {
    const { user } = setup();
    const devices = await screen.findByRole('table', { name: 'Registered monitors' });
    await vi.waitFor(() => expect(within(devices).getByRole('row', { name: /0011AABBCCDDEEFF/ })).toHaveTextContent('Chair 1'));

    const messages = await screen.findByRole('table', { name: 'Unmapped messages' });
    expect(messages).toHaveTextContent('KETA^102^9');
    expect(messages).toHaveTextContent('no chair has HL7 bed');
    const raw = within(messages).getByText(/^MSH\|/);
    expect(raw).not.toBeVisible();
    await user.click(within(messages).getByText('Show message MSG0042'));
    expect(raw).toBeVisible();
  });

  it('registers the device of an unmapped message for a chair', async () => {
    const { api, user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Map AcmeInc^ACDE48234567ABCD^EUI-64 to a chair' }));
    expect(screen.getByLabelText('Device id')).toHaveValue('AcmeInc^ACDE48234567ABCD^EUI-64');
    expect(screen.getByLabelText('Chair')).toHaveFocus();

    await user.selectOptions(screen.getByLabelText('Chair'), 'Chair 9');
    await user.click(screen.getByRole('button', { name: 'Register device' }));
    expect(await screen.findByText('AcmeInc^ACDE48234567ABCD^EUI-64 registered for Chair 9; its next messages land there.')).toBeInTheDocument();
    expect(api.registerDevice).toHaveBeenCalledWith({ deviceId: 'AcmeInc^ACDE48234567ABCD^EUI-64', chairId: 'chair-9' });
    expect(api.listDevices).toHaveBeenCalledTimes(2);
  });

  it('asks for a chair, and shows a device registered already beside its field', async () => {
    const { user } = setup(() => Promise.reject(new ApiError(409, 'conflict', 'The device "0011AABBCCDDEEFF" is registered already; remove it first to move it to another chair.')));
    await screen.findByRole('table', { name: 'Registered monitors' });
    await user.type(screen.getByLabelText('Device id'), '0011AABBCCDDEEFF');
    await user.click(screen.getByRole('button', { name: 'Register device' }));
    expect(screen.getByLabelText('Chair')).toHaveAccessibleDescription(expect.stringContaining('Pick the chair'));

    await user.selectOptions(screen.getByLabelText('Chair'), 'Chair 1 (bed KETA^102^1)');
    await user.click(screen.getByRole('button', { name: 'Register device' }));
    await vi.waitFor(() => expect(screen.getByLabelText('Device id')).toHaveAccessibleDescription(expect.stringContaining('is registered already')));
  });

  it('asks before removing a monitor', async () => {
    const { api, user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Remove 0011AABBCCDDEEFF' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Remove 0011AABBCCDDEEFF?' })).getByRole('button', { name: 'Remove device' }));
    expect(await screen.findByText('0011AABBCCDDEEFF removed; its messages map by bed only now.')).toBeInTheDocument();
    expect(api.removeDevice).toHaveBeenCalledWith('0011AABBCCDDEEFF');
  });
});
