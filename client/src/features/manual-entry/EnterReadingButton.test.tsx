import type { ReadingInput } from '@chairside/shared';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, makeReading, renderWithApp } from '../../test-utils';
import { createDirectOutbox } from './direct-outbox';
import { EnterReadingButton } from './EnterReadingButton';

function setup(postReading = vi.fn((input: ReadingInput) => Promise.resolve(makeReading({ seq: 42, heartRate: input.heartRate ?? null, source: 'manual' })))) {
  const store = createAppStore();
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })]);
  renderWithApp(<EnterReadingButton chairId="chair-1" chairName="Chair 1" />, { store, services: fakeServices({ api: fakeApi({ postReading }) }) });
  return { store, postReading, user: userEvent.setup() };
}

describe('EnterReadingButton', () => {
  it('opens a labelled dialog with the first field focused; Escape closes it and focus returns', async () => {
    const { user } = setup();
    const opener = screen.getByRole('button', { name: 'Enter reading for Chair 1' });
    await user.click(opener);
    expect(screen.getByRole('dialog', { name: 'Enter reading — Chair 1' })).toBeInTheDocument();
    expect(screen.getByLabelText('Systolic')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });

  it('shows a saved reading at once, before the broadcast arrives', async () => {
    const { user, store, postReading } = setup();
    await user.click(screen.getByRole('button', { name: 'Enter reading for Chair 1' }));
    await user.type(screen.getByLabelText('Heart rate'), '84');
    await user.click(screen.getByRole('button', { name: 'Save reading' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(postReading).toHaveBeenCalledWith(expect.objectContaining({ chairId: 'chair-1', heartRate: 84, source: 'manual' }));
    expect(store.getState().chairs['chair-1']?.latest.heartRate?.value).toBe(84);
  });

  it('says “Saved” beside the button once the dialog has closed', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Enter reading for Chair 1' }));
    await user.type(screen.getByLabelText('Heart rate'), '84');
    await user.click(screen.getByRole('button', { name: 'Save reading' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('status')).toHaveTextContent('Saved — reading for Chair 1');
  });

  it('says a reading kept on the tablet is queued, not saved', async () => {
    const store = createAppStore();
    store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })]);
    const outbox = { ...createDirectOutbox(() => Promise.reject(new Error('unused'))), submit: () => Promise.resolve({ kind: 'queued' as const, reason: 'offline' as const }) };
    renderWithApp(<EnterReadingButton chairId="chair-1" chairName="Chair 1" />, { store, services: fakeServices({ outbox }) });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Enter reading for Chair 1' }));
    await user.type(screen.getByLabelText('Heart rate'), '84');
    await user.click(screen.getByRole('button', { name: 'Save reading' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('status')).toHaveTextContent('Queued — will be sent when the connection is back');
    expect(screen.getByRole('status')).not.toHaveTextContent('Saved');
  });
});
