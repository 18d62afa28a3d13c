import type { PublicUser, Reading, ReadingInput } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-error';
import { fixedClock } from '../../clock';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, makeReading, renderWithApp, testNow } from '../../test-utils';
import { ChairTile } from '../../pages/ChairTile';
import { OfflineNotices } from './OfflineNotices';
import { OutboxIndicator } from './OutboxIndicator';
import { createOutbox } from './outbox';
import { createMemoryOutboxStorage } from './outbox-storage';

const nurse: PublicUser = { id: 'user-nurse', username: 'nurse', displayName: 'Nurse Demo', role: 'nurse' };
const networkDown = () => new ApiError(0, 'network', 'Cannot reach the Chairside server');

function setup(postReading: (reading: ReadingInput) => Promise<Reading>) {
  const store = createAppStore();
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })]);
  const api = fakeApi({ postReading: vi.fn(postReading) });
  const online = new EventTarget();
  const outbox = createOutbox({
    store,
    storage: createMemoryOutboxStorage(),
    api,
    clock: fixedClock(testNow),
    onlineEvents: online,
    timers: { setTimeout: () => null, clearTimeout: () => undefined },
    log: { warn: () => undefined },
  });
  outbox.start();
  store.getState().loggedIn(nurse);
  let ids = 0;
  renderWithApp(
    <>
      <OutboxIndicator />
      <OfflineNotices />
      <ChairTile chairId="chair-1" />
    </>,
    { store, services: fakeServices({ api, outbox, newId: () => `00000000-0000-4000-8000-00000000000${(ids += 1)}` }) },
  );
  return { store, api, outbox, online, user: userEvent.setup() };
}

async function enterHeartRate(user: ReturnType<typeof userEvent.setup>, value: string) {
  await user.click(screen.getByRole('button', { name: 'Enter reading for Chair 1' }));
  await user.type(screen.getByLabelText('Heart rate'), value);
  await user.click(screen.getByRole('button', { name: 'Save reading' }));
}

describe('manual entry while the server cannot be reached', () => {
  it('keeps the entry on the tablet, shows it as pending (not as a vital), and sends it when the connection is back', async () => {
    let serverUp = false;
    const stored = makeReading({ seq: 5, id: '00000000-0000-4000-8000-000000000001', heartRate: 84, source: 'manual' });
    const { store, api, online, user } = setup(() => (serverUp ? Promise.resolve(stored) : Promise.reject(networkDown())));

    await enterHeartRate(user, '84');
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByText('Saved on this tablet — will be sent when the connection is back.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '1 entry waiting to send' })).toBeInTheDocument();

    const tile = screen.getByRole('article', { name: 'Chair 1' });
    const pending = within(tile).getByRole('note', { name: 'Entries not yet on the server' });
    expect(pending).toHaveTextContent('Pending — not yet on the server');
    expect(pending).toHaveTextContent('HR 84');
    // The tile's vitals do not show it: it is not on the server (a free chair without values shows no vitals at all).
    expect(store.getState().chairs['chair-1']?.latest.heartRate).toBeNull();
    expect(within(tile).queryByRole('group', { name: 'HR' })).toBeNull();

    serverUp = true;
    online.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(within(tile).queryByRole('note', { name: 'Entries not yet on the server' })).not.toBeInTheDocument());
    expect(screen.queryByRole('button', { name: /waiting to send/ })).not.toBeInTheDocument();
    expect(screen.getByText('Sent: the entries saved on this tablet are on the server now.')).toBeInTheDocument();
    expect(store.getState().chairs['chair-1']?.latest.heartRate?.value).toBe(84);
    const ids = vi.mocked(api.postReading).mock.calls.map(([reading]) => reading.id);
    expect(ids).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001']);
  });

  it('shows an entry the server later refuses, with its reason, to correct or discard', async () => {
    const answers: (() => Promise<Reading>)[] = [
      () => Promise.reject(networkDown()),
      () => Promise.reject(new ApiError(400, 'invalid_input', 'The reading is not valid', [{ path: ['heartRate'], message: 'HR 84 is not allowed here' }])),
    ];
    const { outbox, api, user } = setup(() => (answers.shift() ?? (() => Promise.reject(new Error('unexpected'))))());

    await enterHeartRate(user, '84');
    await vi.waitFor(() => expect(screen.getByRole('button', { name: '1 entry waiting to send' })).toBeInTheDocument());
    await outbox.flush();

    expect(await screen.findByText('1 entry refused by the server: not recorded until corrected.')).toBeInTheDocument();
    const tile = screen.getByRole('article', { name: 'Chair 1' });
    expect(within(tile).getByRole('note', { name: 'Entries not yet on the server' })).toHaveTextContent('Refused by the server — not recorded');

    await user.click(screen.getByRole('button', { name: 'Review entries' }));
    const dialog = screen.getByRole('dialog', { name: 'Entries waiting to send' });
    expect(dialog).toHaveTextContent('The reading is not valid');
    expect(dialog).toHaveTextContent('HR 84 is not allowed here');

    // Discard asks first.
    await user.click(within(dialog).getByRole('button', { name: /^Discard the entry of Chair 1/ }));
    expect(within(dialog).getByText('This entry will not be recorded.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Keep entry' }));

    // Correct: the form opens with the values, and a new id; the refused one goes once saved.
    vi.mocked(api.postReading).mockImplementation((input) => Promise.resolve(makeReading({ seq: 9, id: input.id, heartRate: input.heartRate ?? null })));
    await user.click(within(dialog).getByRole('button', { name: /^Correct the entry of Chair 1/ }));
    const form = screen.getByRole('dialog', { name: 'Enter reading — Chair 1' });
    const heartRate = within(form).getByLabelText('Heart rate');
    expect(heartRate).toHaveValue('84');
    await user.clear(heartRate);
    await user.type(heartRate, '86');
    await user.click(within(form).getByRole('button', { name: 'Save reading' }));

    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await vi.waitFor(() => expect(screen.queryByText(/refused by the server/)).not.toBeInTheDocument());
    const last = vi.mocked(api.postReading).mock.calls.at(-1)?.[0];
    expect(last).toMatchObject({ heartRate: 86, id: '00000000-0000-4000-8000-000000000002' });
  });
});
