import { type Role, type SessionEventInput, type SessionSummary, availableActions } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, renderWithApp } from '../../test-utils';
import { formatClock } from '../../lib/vital-format';
import { DischargePanel } from './DischargePanel';
import { at, latestWithBp, sessionFixture } from './session-fixtures';
import { localGate } from './session-display';

const allTicked = { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true };

const observation = (checklist: Record<string, boolean> = {}) =>
  sessionFixture({
    state: { phase: 'observation', treatmentStartedAtMs: at(10), treatmentEndedAtMs: at(50), observationStartedAtMs: at(50), checklist },
    bpAt: [0, 6, 20, 30, 40, 50, 80],
  });

function renderPanel(session: SessionSummary, role: Role, minutes: number, postSessionEvent = vi.fn((_id: string, _event: SessionEventInput) => Promise.resolve(session))) {
  const latest = latestWithBp(80, 136, 85);
  const store = createAppStore();
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session, latest })]);
  const gate = localGate(session, latest, at(minutes), []);
  const actions = availableActions(session.state, session.protocol, role, gate, null);
  renderWithApp(<DischargePanel session={session} chairName="Chair 1" gate={gate} actions={actions} />, {
    store,
    services: fakeServices({ api: fakeApi({ postSessionEvent }) }),
  });
  return { postSessionEvent, user: userEvent.setup(), gateList: screen.getByRole('list', { name: 'Discharge gate' }) };
}

describe('discharge panel', () => {
  it('lists every gate item, met or not, with what was found; a nurse cannot discharge or override yet and is told why', () => {
    const { gateList } = renderPanel(observation(), 'nurse', 87);
    const items = within(gateList).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      '✗Not metMinimum observation time: observation has 23 min left',
      '✓MetBP near baseline: last BP 136/85 is within 20 % of baseline 130/82',
      '✓MetBP below severe limit: last BP 136/85 is below 180/110',
      '✓MetHeart rate: heart rate 76/min is at or below 100/min',
      '✓MetNo high or medium alarm condition: no high or medium alarm condition is present',
      '✗Not metDischarge checklist: not ticked: Alert and oriented, Walks steadily, Escort present',
    ]);
    expect(screen.getByRole('status')).toHaveTextContent('Discharge criteria not met: 2 of 6 items');
    expect(screen.getByRole('button', { name: 'Discharge' })).toBeDisabled();
    const override = screen.getByRole('button', { name: 'Override and discharge' });
    expect(override).toBeDisabled();
    expect(override).toHaveAccessibleDescription('Only a clinician can override the discharge gate');
    expect(screen.getByText('Only a clinician can override the discharge gate')).toBeVisible();
  });

  it('lets a clinician override with a written reason, listing what is not met', async () => {
    const { user, postSessionEvent } = renderPanel(observation(), 'clinician', 87);
    const override = screen.getByRole('button', { name: 'Override and discharge' });
    expect(override).toBeEnabled();
    await user.click(override);
    const dialog = screen.getByRole('dialog', { name: 'Override and discharge — Chair 1' });
    expect(within(dialog).getByRole('list', { name: 'Items not met' })).toHaveTextContent('observation has 23 min left');

    await user.click(within(dialog).getByRole('button', { name: 'Override and discharge' }));
    expect(postSessionEvent).not.toHaveBeenCalled();
    expect(within(dialog).getByLabelText('Reason for the override')).toHaveAccessibleDescription(/Write why/);

    await user.type(within(dialog).getByLabelText('Reason for the override'), 'Escort waiting, assessed in person');
    await user.click(within(dialog).getByRole('button', { name: 'Override and discharge' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(postSessionEvent).toHaveBeenCalledWith('session-1', { type: 'discharged', override: { reason: 'Escort waiting, assessed in person' } });
  });

  it('posts each checklist tick', async () => {
    const { user, postSessionEvent } = renderPanel(observation({ 'alert-oriented': true }), 'nurse', 87);
    expect(screen.getByRole('checkbox', { name: 'Alert and oriented' })).toBeChecked();
    await user.click(screen.getByRole('checkbox', { name: 'Escort present' }));
    expect(postSessionEvent).toHaveBeenCalledWith('session-1', { type: 'checklist-updated', items: { 'escort-present': true } });
  });

  it('enables Discharge once the gate holds, and offers no override then', async () => {
    const { user, postSessionEvent } = renderPanel(observation(allTicked), 'nurse', 111);
    expect(screen.getByRole('status')).toHaveTextContent('Discharge criteria met: every item is met');
    expect(screen.queryByRole('button', { name: 'Override and discharge' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Discharge' }));
    const dialog = screen.getByRole('dialog', { name: 'Discharge — Chair 1' });
    await user.click(within(dialog).getByRole('button', { name: 'Discharge' }));
    await vi.waitFor(() => expect(postSessionEvent).toHaveBeenCalledWith('session-1', { type: 'discharged' }));
  });

  it('says when the discharge criteria were first met', () => {
    const session = observation(allTicked);
    renderPanel({ ...session, state: { ...session.state, gateFirstHeldAtMs: at(110) } }, 'nurse', 111);
    expect(screen.getByRole('status')).toHaveTextContent(`Discharge criteria met at ${formatClock(at(110))}: every item is met`);
  });

  it('shows a refusal verbatim with the failing items the server sent', async () => {
    const refusal = new ApiError(409, 'conflict', "Discharge needs the gate to hold or a clinician's override: 1 high or medium alarm is active", [], {
      failingItems: [{ id: 'no-active-alarm', ok: false, label: 'No active alarm', detail: '1 high or medium alarm is active' }],
    });
    const { user } = renderPanel(observation(allTicked), 'nurse', 111, vi.fn(() => Promise.reject(refusal)));
    await user.click(screen.getByRole('button', { name: 'Discharge' }));
    const dialog = screen.getByRole('dialog', { name: 'Discharge — Chair 1' });
    await user.click(within(dialog).getByRole('button', { name: 'Discharge' }));
    const alert = await within(dialog).findByRole('alert');
    await vi.waitFor(() => expect(alert).toHaveTextContent("Not recorded: Discharge needs the gate to hold or a clinician's override: 1 high or medium alarm is active"));
    expect(within(alert).getByRole('list', { name: 'Items not met' })).toHaveTextContent('No active alarm: 1 high or medium alarm is active');
  });
});
