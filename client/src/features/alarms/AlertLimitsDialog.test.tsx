import type { SessionEventInput, SessionSummary } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, makeSession, renderWithApp } from '../../test-utils';
import { SessionAlarmsPanel } from './SessionAlarmsPanel';
import { clinician, nurse } from './test-alerts';

const session = makeSession({ displayName: 'A. Patient', phase: 'treatment' });

function setup(postSessionEvent = vi.fn<(id: string, event: SessionEventInput) => Promise<SessionSummary>>(), user = clinician) {
  const store = createAppStore();
  store.getState().loggedIn(user);
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session })]);
  const api = fakeApi({ postSessionEvent, sessionAlerts: () => Promise.resolve([]) });
  renderWithApp(<SessionAlarmsPanel chairId="chair-1" />, { store, services: fakeServices({ api }) });
  return { store, postSessionEvent, user: userEvent.setup() };
}

async function openDialog(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'Change alert limits' }));
  return screen.getByRole('dialog', { name: 'Change alert limits — Chair 1' });
}

describe('alert limits dialog', () => {
  it('shows the current limits and refuses impossible ones beside their fields, sending nothing', async () => {
    const { user, postSessionEvent } = setup();
    const dialog = await openDialog(user);
    expect(within(dialog).getByLabelText('Hypertensive crisis: SBP ≥')).toHaveValue('200');
    expect(within(dialog).getByLabelText('BP rise over baseline: ΔSBP ≥')).toHaveValue('40');
    expect(within(dialog).getByLabelText('Desaturation: SpO₂ <')).toHaveValue('92');

    const spo2 = within(dialog).getByLabelText('Desaturation: SpO₂ <');
    await user.clear(spo2);
    await user.type(spo2, '120');
    await user.click(within(dialog).getByRole('button', { name: 'Save limits' }));

    expect(spo2).toHaveAttribute('aria-invalid', 'true');
    expect(spo2).toHaveAccessibleDescription(expect.stringContaining('SpO₂ limit 120 is outside the plausible range 50–100 %'));
    expect(spo2).toHaveFocus();
    expect(within(dialog).getByLabelText('Reason')).toHaveAccessibleDescription('Give a reason for changing the alert limits');
    expect(postSessionEvent).not.toHaveBeenCalled();
  });

  it('shows the server’s per-field details', async () => {
    const postSessionEvent = vi.fn(() =>
      Promise.reject(new ApiError(400, 'invalid_input', 'These alert limits are not valid.', [{ path: ['limits', 'hr-high', 'heartRatePerMin'], message: 'the server says no' }])),
    );
    const { user } = setup(postSessionEvent);
    const dialog = await openDialog(user);
    const hr = within(dialog).getByLabelText('Tachycardia: HR >');
    await user.clear(hr);
    await user.type(hr, '115');
    await user.type(within(dialog).getByLabelText('Reason'), 'athlete, resting HR high');
    await user.click(within(dialog).getByRole('button', { name: 'Save limits' }));
    expect(await within(dialog).findByText('the server says no')).toBeInTheDocument();
    expect(hr).toHaveAttribute('aria-invalid', 'true');
  });

  it('posts the changed limits with the reason and shows them as the session’s', async () => {
    const postSessionEvent = vi.fn((_id: string, event: SessionEventInput) =>
      Promise.resolve({ ...session, revision: 2, state: { ...session.state, alertLimits: event.type === 'limits-changed' ? event.limits : null } }),
    );
    const { user, store } = setup(postSessionEvent);
    const dialog = await openDialog(user);
    const sbp = within(dialog).getByLabelText('Hypertensive crisis: SBP ≥');
    await user.clear(sbp);
    await user.type(sbp, '190');
    await user.type(within(dialog).getByLabelText('Reason'), 'known hypertension');
    await user.click(within(dialog).getByRole('button', { name: 'Save limits' }));

    expect(postSessionEvent).toHaveBeenCalledWith('session-1', { type: 'limits-changed', limits: { 'bp-crisis': { systolicMmHg: 190 } }, reason: 'known hypertension' });
    expect(await screen.findByText('Custom limits for this session: Hypertensive crisis SBP ≥ 190')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(store.getState().chairs['chair-1']?.session?.state.alertLimits).toEqual({ 'bp-crisis': { systolicMmHg: 190 } });
  });

  it('is a clinician’s: a nurse sees the history but no limits button', () => {
    setup(undefined, nurse);
    expect(screen.getByRole('heading', { name: 'Alert history' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Change alert limits' })).not.toBeInTheDocument();
  });
});
