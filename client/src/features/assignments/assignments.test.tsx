import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { EscalationStep, PublicUser } from '@chairside/shared';
import { createAppStore } from '../../store/app-store';
import { makeChair, makeSession, renderWithApp } from '../../test-utils';
import { AssignmentsApiContext } from './assignments-api';
import { ChairReachPanel } from './ChairReachPanel';
import { ShiftButton } from './ShiftButton';
import { TestClinic } from './test-clinic';
import { TileAssignee } from './TileAssignee';
import { UnassignedAdvisory } from './UnassignedAdvisory';

const nurse: PublicUser = { id: 'n1', username: 'nurse', displayName: 'Ann Lee', role: 'nurse' };
const clinician: PublicUser = { id: 'c1', username: 'doc', displayName: 'Dr Bo Kim', role: 'clinician' };
const users = [
  { userId: 'n1', displayName: 'Ann Lee', role: 'nurse' as const },
  { userId: 'n2', displayName: 'Cy Moss', role: 'nurse' as const },
  { userId: 'c1', displayName: 'Dr Bo Kim', role: 'clinician' as const },
];

function setup(ui: ReactElement, user: PublicUser, steps: EscalationStep[] = []) {
  const clinic = new TestClinic(
    [
      { id: 'chair-1', name: 'Chair 1' },
      { id: 'chair-2', name: 'Chair 2' },
    ],
    users,
  );
  clinic.steps = steps;
  const store = createAppStore();
  store.getState().sessionLoaded({ user, demoAccounts: null });
  store.getState().chairsLoaded([
    makeChair({ id: 'chair-1', name: 'Chair 1', position: 1, session: makeSession({ displayName: 'Pat One', phase: 'treatment' }) }),
    makeChair({ id: 'chair-2', name: 'Chair 2', position: 2 }),
  ]);
  renderWithApp(<AssignmentsApiContext value={clinic}>{ui}</AssignmentsApiContext>, { store });
  return { clinic, store, events: userEvent.setup() };
}

describe('the shift dialog', () => {
  it('reads the assignments once the screen is live; a nurse takes chairs, names a backup, and gives one back', async () => {
    const { clinic, store, events } = setup(<ShiftButton />, nurse);
    expect(clinic.calls).toEqual([]);
    act(() => store.getState().connectionChanged('live'));
    await act(async () => undefined);
    expect(clinic.calls).toEqual(['list']);

    await events.click(screen.getByRole('button', { name: 'My chairs' }));
    const dialog = screen.getByRole('dialog', { name: 'My chairs' });
    const chair1 = within(dialog).getByRole('button', { name: /Chair 1/ });
    expect(chair1).toHaveAttribute('aria-pressed', 'false');
    expect(chair1).toHaveTextContent('Free · in session');

    await events.click(chair1);
    expect(within(dialog).getByRole('button', { name: /Chair 1/ })).toHaveAttribute('aria-pressed', 'true');
    await events.click(within(dialog).getByRole('button', { name: /Chair 2/ }));
    await events.selectOptions(within(dialog).getByLabelText('Backup for my chairs'), 'Cy Moss');
    expect(clinic.calls.slice(1)).toEqual(['assign chair-1 n1 -', 'assign chair-2 n1 -', 'assign chair-1 n1 n2', 'assign chair-2 n1 n2']);
    expect(within(dialog).getByRole('button', { name: /Chair 1/ })).toHaveTextContent('Mine · backup CM');
    // Only other people can be a nurse's backup.
    expect(within(within(dialog).getByLabelText('Backup for my chairs')).queryByRole('option', { name: 'Ann Lee' })).toBeNull();

    await events.click(within(dialog).getByRole('button', { name: /Chair 2/ }));
    expect(clinic.calls.at(-2)).toBe('release chair-2');
    expect(within(dialog).getByRole('button', { name: /Chair 2/ })).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('button', { name: 'My chairs (1)' })).toBeInTheDocument();

    await events.click(within(dialog).getByLabelText('Show my chairs first on this device'));
    expect(store.getState().myChairsFirst).toBe(true);
    expect(localStorage.getItem('chairside.myChairsFirst')).toBe('1');
  });

  it('a clinician sets any chair’s primary and backup; a refusal is shown, nothing changes', async () => {
    const { clinic, store, events } = setup(<ShiftButton />, clinician);
    act(() => store.getState().assignmentsLoaded(clinic.current()));
    await events.click(screen.getByRole('button', { name: 'Assignments' }));
    const dialog = screen.getByRole('dialog', { name: 'Chair assignments' });
    expect(within(dialog).getByLabelText('Backup of Chair 1')).toBeDisabled();
    await events.selectOptions(within(dialog).getByLabelText('Primary of Chair 1'), 'Cy Moss');
    await events.selectOptions(within(dialog).getByLabelText('Backup of Chair 1'), 'Ann Lee');
    expect(clinic.calls).toEqual(['assign chair-1 n2 -', 'assign chair-1 n2 n1']);
    expect(store.getState().assignments.byChair['chair-1']?.backup?.displayName).toBe('Ann Lee');

    clinic.assign = () => Promise.reject(new Error('The primary (Gone) is disabled.'));
    await events.selectOptions(within(dialog).getByLabelText('Primary of Chair 2'), 'Dr Bo Kim');
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Not saved: The primary (Gone) is disabled.');
    expect(store.getState().assignments.byChair['chair-2']?.primary).toBeNull();
  });
});

describe('on the grid and the chair page', () => {
  it('a tile shows who has the chair (you, or initials), and says so when a chair in session has no one', async () => {
    const { clinic, store } = setup(
      <>
        <TileAssignee chairId="chair-1" inSession />
        <TileAssignee chairId="chair-2" inSession={false} />
      </>,
      nurse,
    );
    expect(document.querySelector('.tile-assignee')).toBeNull(); // not read yet: nothing claimed
    act(() => store.getState().assignmentsLoaded(clinic.current()));
    expect(screen.getByText('No nurse')).toHaveAttribute('title', 'No nurse assigned');
    await act(async () => store.getState().assignmentsLoaded(await clinic.assign({ chairId: 'chair-1', primaryUserId: 'n2', backupUserId: 'n1' })));
    expect(screen.getByText('CM')).toBeInTheDocument();
    expect(screen.getByText('Watched by Cy Moss, backup Ann Lee')).toBeInTheDocument();
    await act(async () => store.getState().assignmentsLoaded(await clinic.assign({ chairId: 'chair-1', primaryUserId: 'n1' })));
    expect(screen.getByText('You')).toBeInTheDocument();
  });

  it('chairs in session with no nurse are a low advisory at the station until someone takes them', async () => {
    const { clinic, store, events } = setup(<UnassignedAdvisory />, nurse);
    act(() => store.getState().assignmentsLoaded(clinic.current()));
    expect(screen.getByRole('status')).toHaveTextContent('Advisory');
    expect(screen.getByRole('status')).toHaveTextContent('Chair 1 is in session with no nurse assigned');
    await events.click(within(screen.getByRole('status')).getByRole('button', { name: /Assign/ }));
    await events.click(within(screen.getByRole('dialog')).getByRole('button', { name: /Chair 1/ }));
    expect(screen.queryByText(/with no nurse assigned/)).toBeNull();
  });

  it('the chair page lists whom each alarm reached and when, and follows new steps live', async () => {
    const at = Date.parse('2026-11-22T10:00:00Z');
    const step = { type: 'escalated-to' as const, alertId: 'a1', sessionId: 'session-1', chairId: 'chair-1', priority: 'high' as const };
    const { clinic, store } = setup(<ChairReachPanel chairId="chair-1" />, nurse, [{ ...step, step: 'primary', recipients: [{ userId: 'n1', displayName: 'Ann Lee' }], atMs: at }]);
    act(() => store.getState().assignmentsLoaded(clinic.current()));
    const steps = await screen.findByRole('list', { name: 'Escalation steps' });
    expect(clinic.calls).toContain('escalations session-1');
    expect(steps).toHaveTextContent('reached primary: Ann Lee');
    act(() => store.getState().escalationsReceived([{ ...step, step: 'backup', recipients: [{ userId: 'n2', displayName: 'Cy Moss' }], atMs: at + 30_000 }]));
    act(() => store.getState().escalationsReceived([{ ...step, step: 'all', recipients: [], atMs: at + 60_000 }]));
    const items = within(steps).getAllByRole('listitem').slice(1).map((li) => li.textContent);
    expect(items).toEqual([expect.stringContaining('reached primary: Ann Lee'), expect.stringContaining('reached backup: Cy Moss'), expect.stringContaining('everyone on shift: no one was on shift')]);
  });
});
