import { type CheckIn, type Patient, esketamineProtocol, ivKetamineProtocol } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, renderWithApp } from '../../test-utils';
import { CheckInButton } from './CheckInButton';
import { patientJDoe, sessionFixture } from './session-fixtures';

function setup(overrides: { checkIn?: (request: CheckIn) => Promise<ReturnType<typeof sessionFixture>>; createPatient?: () => Promise<Patient> } = {}) {
  const store = createAppStore();
  store.getState().loggedIn({ id: 'u1', username: 'nurse', displayName: 'Nurse', role: 'nurse' });
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })]);
  const listPatients = vi.fn(({ search }: { search: string }) => Promise.resolve([patientJDoe].filter((p) => p.displayName.includes(search))));
  const checkIn = vi.fn(overrides.checkIn ?? (() => Promise.resolve(sessionFixture({ revision: 0 }))));
  const createPatient = vi.fn(overrides.createPatient ?? (() => Promise.reject(new Error('not expected'))));
  const api = fakeApi({ listPatients, listProtocols: () => Promise.resolve([esketamineProtocol, ivKetamineProtocol]), checkIn, createPatient });
  renderWithApp(<CheckInButton chairId="chair-1" chairName="Chair 1" />, { store, services: fakeServices({ api }) });
  return { store, checkIn, createPatient, listPatients, user: userEvent.setup() };
}

async function openAndPickJDoe(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'Check in patient to Chair 1' }));
  const dialog = screen.getByRole('dialog', { name: 'Check in — Chair 1' });
  expect(within(dialog).getByLabelText('Patient')).toHaveFocus();
  await user.click(await within(dialog).findByRole('radio', { name: /J\. Doe · MRN MRN-0042/ }));
  await within(dialog).findByRole('option', { name: 'IV ketamine' });
  return dialog;
}

describe('check-in dialog', () => {
  it('asks for an explicit identity confirmation before anything is recorded', async () => {
    const { user, checkIn, store } = setup();
    const dialog = await openAndPickJDoe(user);
    await user.selectOptions(within(dialog).getByLabelText('Protocol'), 'Esketamine (Spravato)');
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));

    const confirm = screen.getByRole('dialog', { name: 'Check in — Chair 1' });
    expect(within(confirm).getByText(/^Confirm identity:/)).toHaveTextContent('Confirm identity: J. Doe, MRN MRN-0042 at Chair 1');
    expect(within(confirm).getByText(/Protocol: Esketamine \(Spravato\)/)).toBeInTheDocument();
    const box = within(confirm).getByRole('checkbox', { name: "I have confirmed the patient's identity" });
    expect(box).not.toBeChecked();

    await user.click(within(confirm).getByRole('button', { name: 'Check in' }));
    expect(checkIn).not.toHaveBeenCalled();
    expect(box).toHaveAccessibleDescription(/Confirm the patient’s identity at the chair/);

    await user.click(box);
    await user.click(within(confirm).getByRole('button', { name: 'Check in' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(checkIn).toHaveBeenCalledWith({ patientId: 'patient-1', chairId: 'chair-1', protocolId: 'esketamine', identityConfirmed: true });
    expect(store.getState().chairs['chair-1']?.session?.patient.displayName).toBe('J. Doe');
  });

  it('lists the clinic’s default, IV ketamine, first and chosen, though the server lists esketamine first', async () => {
    const { user } = setup();
    const dialog = await openAndPickJDoe(user);
    const select = within(dialog).getByLabelText('Protocol');
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['IV ketamine', 'Esketamine (Spravato)']);
    expect(select).toHaveDisplayValue('IV ketamine');
  });

  it('will not continue without a patient', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Check in patient to Chair 1' }));
    const dialog = screen.getByRole('dialog', { name: 'Check in — Chair 1' });
    await within(dialog).findByRole('option', { name: 'IV ketamine' });
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Pick a patient, or add a new one.');
    expect(screen.queryByRole('checkbox', { name: "I have confirmed the patient's identity" })).not.toBeInTheDocument();
  });

  it('shows the server’s refusal in its own words and stays open', async () => {
    const { user } = setup({
      checkIn: () => Promise.reject(new ApiError(409, 'conflict', 'Chair 1 already has a patient checked in; discharge or cancel that session first.')),
    });
    const dialog = await openAndPickJDoe(user);
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    await user.click(screen.getByRole('checkbox', { name: "I have confirmed the patient's identity" }));
    await user.click(screen.getByRole('button', { name: 'Check in' }));
    expect(await screen.findByText('Not checked in: Chair 1 already has a patient checked in; discharge or cancel that session first.')).toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: 'Check in — Chair 1' })).toBeInTheDocument();
  });

  it('adds a new patient with an MRN and risk flags, then checks them in', async () => {
    const created: Patient = { id: 'patient-2', displayName: 'A. New', mrn: 'MRN-7', riskFlags: ['hypertension', 'sleep-apnea'], createdAt: '2026-11-22T09:00:00.000Z' };
    const { user, createPatient, checkIn } = setup({ createPatient: () => Promise.resolve(created), checkIn: () => Promise.resolve(sessionFixture({ patient: created })) });
    await user.click(screen.getByRole('button', { name: 'Check in patient to Chair 1' }));
    const dialog = screen.getByRole('dialog', { name: 'Check in — Chair 1' });
    await user.click(within(dialog).getByRole('button', { name: 'New patient' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add patient' }));
    expect(within(dialog).getByLabelText('Display name')).toHaveAccessibleDescription(/enter a display name/);
    expect(createPatient).not.toHaveBeenCalled();

    await user.type(within(dialog).getByLabelText('Display name'), 'A. New');
    await user.type(within(dialog).getByLabelText('MRN'), 'MRN-7');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Known hypertension' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Sleep apnoea' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add patient' }));
    expect(createPatient).toHaveBeenCalledWith({ displayName: 'A. New', mrn: 'MRN-7', riskFlags: ['hypertension', 'sleep-apnea'] });
    expect(await within(dialog).findByRole('radio', { name: /A\. New · MRN MRN-7/ })).toBeChecked();

    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(screen.getByText(/^Confirm identity:/)).toHaveTextContent('Confirm identity: A. New, MRN MRN-7 at Chair 1');
    await user.click(screen.getByRole('checkbox', { name: "I have confirmed the patient's identity" }));
    await user.click(screen.getByRole('button', { name: 'Check in' }));
    await vi.waitFor(() => expect(checkIn).toHaveBeenCalledWith(expect.objectContaining({ patientId: 'patient-2', protocolId: 'iv-ketamine' })));
  });

  it('shows a taken MRN as the server says it', async () => {
    const { user } = setup({ createPatient: () => Promise.reject(new ApiError(409, 'conflict', 'A patient with MRN "MRN-0042" already exists.')) });
    await user.click(screen.getByRole('button', { name: 'Check in patient to Chair 1' }));
    await user.click(screen.getByRole('button', { name: 'New patient' }));
    await user.type(screen.getByLabelText('Display name'), 'Someone');
    await user.type(screen.getByLabelText('MRN'), 'MRN-0042');
    await user.click(screen.getByRole('button', { name: 'Add patient' }));
    expect(await screen.findByText('Patient not added: A patient with MRN "MRN-0042" already exists.')).toBeInTheDocument();
  });
});
