import { type Protocol, type Role, type SessionEventInput, type SessionSummary, availableActions, esketamineProtocol, ivKetamineProtocol } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, renderWithApp } from '../../test-utils';
import { SessionActions } from './SessionActions';
import { at, sessionFixture } from './session-fixtures';

function renderActions(session: SessionSummary, role: Role = 'nurse') {
  const postSessionEvent = vi.fn((_id: string, _event: SessionEventInput) => Promise.resolve(session));
  const store = createAppStore();
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session })]);
  renderWithApp(<SessionActions session={session} chairName="Chair 1" actions={availableActions(session.state, session.protocol, role, null)} />, {
    store,
    services: fakeServices({ api: fakeApi({ postSessionEvent }) }),
  });
  const group = screen.getByRole('group', { name: 'Session actions' });
  const names = within(group)
    .getAllByRole('button')
    .map((b) => b.textContent);
  return { group, names, postSessionEvent, user: userEvent.setup() };
}

const inBaseline = (protocol: Protocol) => sessionFixture({ protocol });
const inTreatment = (protocol: Protocol) => sessionFixture({ protocol, state: { phase: 'treatment', treatmentStartedAtMs: at(10) } });

describe('session actions', () => {
  it.each([
    ['IV ketamine in baseline', inBaseline(ivKetamineProtocol), ['Start infusion', 'Cancel session', 'Add note']],
    ['IV ketamine in treatment', inTreatment(ivKetamineProtocol), ['Pause infusion', 'End infusion', 'Add note']],
    ['esketamine in baseline', inBaseline(esketamineProtocol), ['First spray given', 'Cancel session', 'Add note']],
    ['esketamine in treatment', inTreatment(esketamineProtocol), ['Pause dosing', 'Dosing complete', 'Add note']],
  ])('%s: buttons in the protocol’s words', (_name, session, expected) => {
    expect(renderActions(session).names).toEqual(expected);
  });

  it('shows an admin why every action is disabled', () => {
    const { group } = renderActions(inBaseline(ivKetamineProtocol), 'admin');
    const start = within(group).getByRole('button', { name: 'Start infusion' });
    expect(start).toBeDisabled();
    expect(start).toHaveAccessibleDescription('Admins do not run sessions: log in as a nurse or clinician');
  });

  it('asks for an optional reason before pausing and posts it', async () => {
    const { group, user, postSessionEvent } = renderActions(inTreatment(ivKetamineProtocol));
    await user.click(within(group).getByRole('button', { name: 'Pause infusion' }));
    const dialog = screen.getByRole('dialog', { name: 'Pause infusion — Chair 1' });
    await user.type(within(dialog).getByLabelText('Reason (optional)'), 'nausea');
    await user.click(within(dialog).getByRole('button', { name: 'Pause infusion' }));
    await vi.waitFor(() => expect(postSessionEvent).toHaveBeenCalledWith('session-1', { type: 'treatment-paused', reason: 'nausea' }));
  });

  it('requires a reason to cancel', async () => {
    const { group, user, postSessionEvent } = renderActions(inBaseline(ivKetamineProtocol));
    await user.click(within(group).getByRole('button', { name: 'Cancel session' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel session — Chair 1' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel session' }));
    expect(within(dialog).getByText('Give a reason.')).toBeInTheDocument();
    expect(postSessionEvent).not.toHaveBeenCalled();
    await user.type(within(dialog).getByLabelText('Reason'), 'BP too high at baseline');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel session' }));
    await vi.waitFor(() => expect(postSessionEvent).toHaveBeenCalledWith('session-1', { type: 'cancelled', reason: 'BP too high at baseline' }));
  });

  it('adds a note', async () => {
    const { group, user, postSessionEvent } = renderActions(inTreatment(esketamineProtocol));
    await user.click(within(group).getByRole('button', { name: 'Add note' }));
    const dialog = screen.getByRole('dialog', { name: 'Add note — Chair 1' });
    await user.type(within(dialog).getByLabelText('Note'), 'Second device given');
    await user.click(within(dialog).getByRole('button', { name: 'Add note' }));
    await vi.waitFor(() => expect(postSessionEvent).toHaveBeenCalledWith('session-1', { type: 'note', text: 'Second device given' }));
  });
});
