import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, makeReading, renderWithApp } from '../../test-utils';
import { ReadingsTable } from '../chair-detail/ReadingsTable';
import { AttachReadingButton } from './AttachReadingButton';
import { isoAt, sessionFixture } from './session-fixtures';

describe('readings outside a session', () => {
  it('are marked, and one taken shortly before check-in can be attached to the active session', async () => {
    const session = sessionFixture();
    const before = makeReading({ seq: 1, systolic: 131, diastolic: 83, measuredAt: isoAt(-5) });
    const yesterday = makeReading({ seq: 2, systolic: 120, diastolic: 75, measuredAt: isoAt(-24 * 60) });
    const inSession = makeReading({ seq: 3, systolic: 133, diastolic: 84, measuredAt: isoAt(2), sessionId: 'session-1' });
    const store = createAppStore();
    store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session })]);
    store.getState().applyReadings([yesterday, before, inSession]);
    const attachReadings = vi.fn(() => Promise.resolve([{ ...before, sessionId: 'session-1' }]));
    renderWithApp(<ReadingsTable chairId="chair-1" rowAction={(reading) => <AttachReadingButton chairId="chair-1" reading={reading} />} />, { store, services: fakeServices({ api: fakeApi({ attachReadings }) }) });

    const row = (bp: string) => screen.getAllByRole('row').find((r) => r.textContent?.includes(bp)) ?? null;
    expect(row('133/84')).not.toHaveTextContent('Not in a session');
    expect(row('120/75')).toHaveTextContent('Not in a session');
    expect(within(row('120/75') as HTMLElement).queryByRole('button', { name: 'Attach to session' })).not.toBeInTheDocument();

    await userEvent.setup().click(within(row('131/83') as HTMLElement).getByRole('button', { name: 'Attach to session' }));
    expect(attachReadings).toHaveBeenCalledWith('session-1', [before.id]);
    await vi.waitFor(() => expect(row('131/83')).not.toHaveTextContent('Not in a session'));
  });
});
