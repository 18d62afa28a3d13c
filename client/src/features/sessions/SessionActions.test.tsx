import { type Protocol, type Role, type SessionEventInput, type SessionSummary, availableActions, esketamineProtocol, ivKetamineProtocol } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, renderWithApp } from '../../test-utils';
import { formatClock } from '../../lib/vital-format';
import { SessionActions } from './SessionActions';
import { at, sessionFixture } from './session-fixtures';

function renderActions(session: SessionSummary, role: Role = 'nurse') {
  const postSessionEvent = vi.fn((_id: string, _event: SessionEventInput) => Promise.resolve(session));
  const store = createAppStore();
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session })]);
  renderWithApp(<SessionActions session={session} chairName="Chair 1" actions={availableActions(session.state, session.protocol, role, null, session.startGate ?? null)} />, {
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
    ['IV ketamine in baseline', inBaseline(ivKetamineProtocol), ['Start infusion', 'Cancel session', 'Monitor removed', 'Add note']],
    ['IV ketamine in treatment', inTreatment(ivKetamineProtocol), ['Pause infusion', 'End infusion', 'Monitor removed', 'Add note']],
    ['esketamine in baseline', inBaseline(esketamineProtocol), ['First spray given', 'Cancel session', 'Monitor removed', 'Add note']],
    ['esketamine in treatment', inTreatment(esketamineProtocol), ['Pause dosing', 'Dosing complete', 'Monitor removed', 'Add note']],
  ])('%s: buttons in the protocol’s words', (_name, session, expected) => {
    expect(renderActions(session).names).toEqual(expected);
  });

  it('shows an admin why every action is disabled', () => {
    const { group } = renderActions(inBaseline(ivKetamineProtocol), 'admin');
    const start = within(group).getByRole('button', { name: 'Start infusion' });
    expect(start).toBeDisabled();
    expect(start).toHaveAccessibleDescription('Admins do not run sessions: log in as a nurse or clinician');
  });

  it('tells a nurse what the start waits for and when, and offers her no override', () => {
    const waiting = sessionFixture({ baseline: { systolic: 128, diastolic: 80, bpReadingCount: 1, complete: false }, bpAt: [2] });
    const { group, names } = renderActions(waiting, 'nurse');
    const start = within(group).getByRole('button', { name: 'Start infusion' });
    expect(start).toBeDisabled();
    expect(start).toHaveAccessibleDescription(`Start waits for: 1 more baseline BP at least 5 min after the last one (due ${formatClock(at(7))})`);
    const override = within(group).getByRole('button', { name: 'Start infusion with override' });
    expect(override).toBeDisabled();
    expect(override).toHaveAccessibleDescription('Only a clinician can override the start gate');
    expect(names).toEqual(['Start infusion', 'Start infusion with override', 'Cancel session', 'Monitor removed', 'Add note']);
  });

  it('lets a clinician start with an override and a written reason, listing what is not met', async () => {
    const waiting = sessionFixture({ protocol: esketamineProtocol, baseline: { systolic: 184, diastolic: 100, bpReadingCount: 1 }, bpAt: [2], lastBp: { systolic: 184, diastolic: 100, atMs: at(2) } });
    const { group, user, postSessionEvent } = renderActions(waiting, 'clinician');
    expect(within(group).getByRole('button', { name: 'First spray given' })).toBeDisabled();
    await user.click(within(group).getByRole('button', { name: 'First spray given with override' }));
    const dialog = screen.getByRole('dialog', { name: 'First spray given with override — Chair 1' });
    expect(within(dialog).getByRole('list', { name: 'Items not met' })).toHaveTextContent('BP below the start limit: a BP below 180/110 (last 184/100)');
    await user.click(within(dialog).getByRole('button', { name: 'First spray given with override' }));
    expect(within(dialog).getByText('Write why treatment starts although the gate does not hold.')).toBeInTheDocument();
    expect(postSessionEvent).not.toHaveBeenCalled();
    await user.type(within(dialog).getByLabelText('Reason for the override'), 'Known hypertension, reviewed; proceed');
    await user.click(within(dialog).getByRole('button', { name: 'First spray given with override' }));
    await vi.waitFor(() =>
      expect(postSessionEvent).toHaveBeenCalledWith('session-1', { type: 'treatment-started', override: { reason: 'Known hypertension, reviewed; proceed' } }),
    );
  });

  it('records that the monitor was removed', async () => {
    const { group, user, postSessionEvent } = renderActions(inTreatment(ivKetamineProtocol));
    await user.click(within(group).getByRole('button', { name: 'Monitor removed' }));
    const dialog = screen.getByRole('dialog', { name: 'Monitor removed — Chair 1' });
    await user.type(within(dialog).getByLabelText('Note (optional)'), 'to the bathroom');
    await user.click(within(dialog).getByRole('button', { name: 'Monitor removed' }));
    await vi.waitFor(() => expect(postSessionEvent).toHaveBeenCalledWith('session-1', { type: 'monitor-removed', note: 'to the bathroom' }));
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
