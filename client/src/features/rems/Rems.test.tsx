import { type PublicUser, type RemsFormView, type RemsQueueItem, remsFieldIds } from '@chairside/shared';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/** Types `text` into `input` at once (typing key by key is slow on a busy machine). */
async function enter(input: HTMLElement, text: string): Promise<void> {
  await userEvent.click(input);
  await userEvent.paste(text);
}
import { Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, renderWithApp, testNow } from '../../test-utils';
import { RemsFormPage } from './RemsFormPage';
import { AppHeader } from '../../pages/AppHeader';
import { RemsQueuePage } from './RemsQueuePage';
import { checkRemsSign, daysLeftText } from './rems-fields';

const clinician: PublicUser = { id: 'u2', username: 'dr.lee', displayName: 'Dr Lee', role: 'clinician' };
const nurse: PublicUser = { id: 'u1', username: 'nina', displayName: 'Nina N.', role: 'nurse' };
const dayMs = 86_400_000;
const endedAt = testNow - 2 * dayMs;

/** A discharged esketamine session's form: prescriber, setting and the medications missing. */
function draftForm(): RemsFormView {
  const fields = Object.fromEntries(remsFieldIds.map((id) => [id, { value: null, source: 'not kept by Chairside' }])) as RemsFormView['fields'];
  Object.assign(fields, {
    patient: { value: { displayName: 'Ada Example', mrn: 'MRN-1' }, source: 'patient record' },
    date: { value: '2026-11-20', source: 'first device (UTC date)' },
    dose: { value: { totalMg: 84, devices: 3 }, source: 'dose-given entries 4, 5, 6' },
    lots: { value: ['LOT-7'], source: 'dose-given entries' },
    concomitantMedications: { value: null, source: 'readiness answers' },
    bpBeforeDosing: { value: { systolic: 128, diastolic: 82, atMs: endedAt - 130 * 60_000, minutesFromDosing: -5 }, source: 'readings: the newest BP before dosing' },
    bpAt40Min: { value: { systolic: 134, diastolic: 84, atMs: endedAt - 85 * 60_000, minutesFromDosing: 40 }, source: 'readings: the BP nearest 40 min in its window' },
    bpAtCompletion: { value: { systolic: 130, diastolic: 80, atMs: endedAt - 60_000, minutesFromDosing: 124 }, source: 'readings: the newest BP before discharge' },
    vitalsAcceptableBeforeDosing: { value: true, source: 'start gate' },
    vitalsAcceptableAtCompletion: { value: true, source: 'discharge gate' },
    pulseOximetryUsed: { value: true, source: 'readings with SpO₂' },
    sedation: { value: true, source: 'MOAA/S since dosing (below 5)' },
    dissociation: { value: false, source: 'CADSS-6 since dosing (above its pre-dose value)' },
    respiratoryDepression: { value: false, source: 'RR and SpO₂ alerts' },
    seriousAdverseEvent: { value: false, source: 'adverse-event entries' },
    totalMonitoringMinutes: { value: 125, source: 'first device to discharge' },
    readyToLeaveMinutes: { value: 95, source: 'first device to the first moment the discharge criteria held' },
  });
  return { sessionId: 'session-1', fields, missing: ['prescriber', 'setting', 'concomitantMedications'], status: 'draft', dueByMs: endedAt + 7 * dayMs, signed: null, submitted: null };
}

function signedForm(entered: Record<string, unknown>): RemsFormView {
  const form = draftForm();
  const values = { ...Object.fromEntries(remsFieldIds.map((id) => [id, form.fields[id]?.value ?? null])), ...entered };
  return { ...form, status: 'signed', signed: { by: 'dr.lee', atMs: testNow, fields: values } };
}

function renderForm(user: PublicUser, api: Parameters<typeof fakeApi>[0]) {
  const store = createAppStore();
  store.getState().loggedIn(user);
  return renderWithApp(
    <Routes>
      <Route path="/rems/:sessionId" element={<RemsFormPage />} />
    </Routes>,
    { store, services: fakeServices({ api: fakeApi(api) }), route: '/rems/session-1' },
  );
}

const fieldRow = (name: string): HTMLElement => {
  const label = screen.getByText(name, { selector: '.rems-field__label' });
  return label.closest('li') as HTMLElement;
};

describe('the REMS form', () => {
  it('shows every field with its value and source, the missing ones marked', async () => {
    renderForm(nurse, { remsForm: () => Promise.resolve(draftForm()) });
    expect(await screen.findByText('Ada Example')).toBeInTheDocument();
    expect(screen.getAllByRole('listitem')).toHaveLength(remsFieldIds.length);
    expect(within(fieldRow('Dose administered')).getByText('84 mg (3 devices)')).toBeInTheDocument();
    expect(within(fieldRow('Blood pressure ~40 min after dosing')).getByText(/^from readings \d\d:\d\d \(the BP nearest 40 min in its window\)$/)).toBeInTheDocument();
    expect(within(fieldRow('Sedation')).getByText('from MOAA/S since dosing (below 5)')).toBeInTheDocument();
    const prescriber = fieldRow('Prescriber');
    expect(prescriber).toHaveClass('is-missing');
    expect(within(prescriber).getByText('Missing')).toBeInTheDocument();
    expect(screen.getByText('Draft — 3 fields missing')).toBeInTheDocument();
    expect(screen.getByText(/5 days left/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download PDF' })).toHaveAttribute('href', '/api/v1/sessions/session-1/rems-form.pdf');
    expect(screen.getByText(/filed through the Spravato REMS portal/)).toBeInTheDocument();
  });

  it('a nurse reads the draft but cannot sign, and is told why', async () => {
    renderForm(nurse, { remsForm: () => Promise.resolve(draftForm()) });
    expect(await screen.findByText(/Only a clinician can complete, attest and sign this form/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign the form' })).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });

  it('refuses to sign with fields empty or without the attestation, naming each; nothing is sent', async () => {
    const signRemsForm = vi.fn();
    renderForm(clinician, { remsForm: () => Promise.resolve(draftForm()), signRemsForm });
    await userEvent.click(await screen.findByRole('button', { name: 'Sign the form' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Not signed: complete the fields marked below.');
    expect(within(fieldRow('Prescriber')).getByText('give a value')).toBeInTheDocument();
    expect(within(fieldRow('Concomitant medications')).getByText('answer yes or no for each medication')).toBeInTheDocument();
    expect(screen.getByText('tick the attestation to sign')).toBeInTheDocument();
    expect(signRemsForm).not.toHaveBeenCalled();
  }, 20_000);

  it('a clinician completes the missing fields, attests and signs; the signed form is read-only', async () => {
    const entered = {
      prescriber: 'Dr A. Smith',
      setting: 'Lakeside clinic',
      concomitantMedications: { benzodiazepines: false, 'sedative-hypnotics': false, psychostimulants: false, maois: false, opioids: true },
    };
    const signRemsForm = vi.fn(() => Promise.resolve(signedForm(entered)));
    renderForm(clinician, { remsForm: () => Promise.resolve(draftForm()), signRemsForm });
    await enter(within(await screen.findByText('Prescriber', { selector: '.rems-field__label' }).then((l) => l.closest('li') as HTMLElement)).getByRole('textbox'), 'Dr A. Smith');
    await enter(within(fieldRow('Healthcare setting')).getByRole('textbox'), 'Lakeside clinic');
    const meds = fieldRow('Concomitant medications');
    for (const group of within(meds).getAllByRole('radiogroup')) {
      const opioids = group.closest('.rems-meds__row')?.textContent?.startsWith('opioids') === true;
      await userEvent.click(within(group).getByRole('radio', { name: opioids ? 'Yes' : 'No' }));
    }
    await userEvent.click(screen.getByRole('checkbox', { name: /I attest that this form is complete and correct/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Sign the form' }));
    expect(signRemsForm).toHaveBeenCalledWith('session-1', { fields: entered, attest: true });
    expect(await screen.findByText(/Signed by dr.lee on/)).toBeInTheDocument();
    expect(within(fieldRow('Prescriber')).getByText('Dr A. Smith')).toBeInTheDocument();
    expect(within(fieldRow('Prescriber')).getByText('entered by dr.lee')).toBeInTheDocument();
    expect(within(fieldRow('Concomitant medications')).getByText(/opioids: yes/)).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Prescriber' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign the form' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Record submission' })).toBeInTheDocument();
  }, 20_000);

  it('shows the server’s refusal with the fields it names', async () => {
    const refusal = new ApiError(400, 'invalid_input', 'Complete the form before signing: setting.', [{ path: ['fields', 'setting'], message: 'give a value' }]);
    renderForm(clinician, { remsForm: () => Promise.resolve(draftForm()), signRemsForm: () => Promise.reject(refusal) });
    await enter(within(await screen.findByText('Prescriber', { selector: '.rems-field__label' }).then((l) => l.closest('li') as HTMLElement)).getByRole('textbox'), 'Dr A');
    await enter(within(fieldRow('Healthcare setting')).getByRole('textbox'), 'x');
    for (const group of within(fieldRow('Concomitant medications')).getAllByRole('radiogroup')) await userEvent.click(within(group).getByRole('radio', { name: 'No' }));
    await userEvent.click(screen.getByRole('checkbox', { name: /I attest/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Sign the form' }));
    expect(await screen.findByText('Not signed: Complete the form before signing: setting.')).toBeInTheDocument();
    expect(within(fieldRow('Healthcare setting')).getByText('give a value')).toBeInTheDocument();
  }, 20_000);

  it('records the submission of a signed form: how and when', async () => {
    const signed = signedForm({ prescriber: 'Dr A', setting: 'x', concomitantMedications: { opioids: false } });
    const recordRemsSubmission = vi.fn(() => Promise.resolve({ ...signed, status: 'submitted' as const, submitted: { by: 'dr.lee', via: 'fax', atMs: testNow, recordedAtMs: testNow } }));
    renderForm(clinician, { remsForm: () => Promise.resolve(signed), recordRemsSubmission });
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Submitted via' }), 'fax');
    await userEvent.click(screen.getByRole('button', { name: 'Record submission' }));
    expect(recordRemsSubmission).toHaveBeenCalledWith('session-1', { via: 'fax', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$/) });
    expect(await screen.findByText(/Submitted via fax on/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Record submission' })).not.toBeInTheDocument();
  }, 20_000);
});

describe('checkRemsSign', () => {
  it.each([
    ['bpAt40Min', { systolic: '', diastolic: '80' }, 'give the systolic'],
    ['bpAt40Min', { systolic: '39', diastolic: '30' }, 'the systolic is between 40 and 300'],
    ['bpAt40Min', { systolic: '300', diastolic: '200' }, undefined],
    ['bpAt40Min', { systolic: '80', diastolic: '90' }, 'the systolic is above the diastolic'],
    ['totalMonitoringMinutes', '1440', undefined],
    ['totalMonitoringMinutes', '1441', 'the minutes is between 0 and 1440'],
    ['totalMonitoringMinutes', '12.5', 'the minutes is a whole number'],
    ['sedation', null, 'answer yes or no'],
    ['sedation', false, undefined],
    ['prescriber', '   ', 'give a value'],
    ['date', '2026-02-30x', 'give the date'],
  ] as const)('%s %j → %s', (id, input, error) => {
    const check = checkRemsSign([id], { [id]: input }, true);
    if (error === undefined) expect(check.ok).toBe(true);
    else expect(check).toEqual({ ok: false, errors: { [id]: error } });
  });

  it('sends numbers for a BP and minutes', () => {
    expect(checkRemsSign(['bpAt40Min', 'readyToLeaveMinutes'], { bpAt40Min: { systolic: '134', diastolic: '84' }, readyToLeaveMinutes: '90' }, true)).toEqual({
      ok: true,
      body: { fields: { bpAt40Min: { systolic: 134, diastolic: 84 }, readyToLeaveMinutes: 90 }, attest: true },
    });
  });
});

describe('the REMS queue', () => {
  const item = (sessionId: string, name: string, daysLeft: number, missing: RemsQueueItem['missing'] = ['prescriber']): RemsQueueItem => ({
    sessionId,
    chairId: 'chair-1',
    patient: { displayName: name, mrn: null },
    status: 'draft',
    sessionEndedAtMs: testNow - (7 - daysLeft) * dayMs,
    dueByMs: testNow + daysLeft * dayMs + 3_600_000,
    daysLeft,
    missing,
  });

  it.each([
    [7, '7 days left'],
    [1, '1 day left'],
    [0, 'Due today'],
    [-1, 'Overdue by 1 day'],
    [-3, 'Overdue by 3 days'],
  ])('days left %i → %s', (days, text) => {
    expect(daysLeftText(days)).toBe(text);
  });

  it('lists drafts oldest first with the days left, overdue in words; each opens its form; filters by status', async () => {
    const remsQueue = vi.fn((status: string) =>
      Promise.resolve(status === 'draft' ? [item('s-new', 'Newest Patient', 6), item('s-old', 'Oldest Patient', -2, ['prescriber', 'setting']), item('s-mid', 'Middle Patient', 0, [])] : []),
    );
    const store = createAppStore();
    store.getState().loggedIn(clinician);
    renderWithApp(
      <Routes>
        <Route path="/rems" element={<RemsQueuePage />} />
      </Routes>,
      { store, services: fakeServices({ api: fakeApi({ remsQueue }) }), route: '/rems' },
    );
    const rows = await screen.findAllByRole('listitem');
    expect(rows.map((r) => within(r).getByRole('link').textContent)).toEqual([
      expect.stringMatching(/^Oldest Patient.*Overdue by 2 days.*Missing: prescriber, healthcare setting/),
      expect.stringMatching(/^Middle Patient.*Due today.*ready to sign/),
      expect.stringMatching(/^Newest Patient.*6 days left/),
    ]);
    expect(rows[0]).toHaveClass('is-overdue');
    expect(within(rows[0] as HTMLElement).getByRole('link')).toHaveAttribute('href', '/rems/s-old');
    await userEvent.click(screen.getByRole('radio', { name: 'Submitted' }));
    expect(await screen.findByText('No submitted forms in the last 30 days.')).toBeInTheDocument();
    expect(remsQueue).toHaveBeenLastCalledWith('submitted');
  }, 20_000);

  it('the header link and the menu button show clinicians the count due; nurses get neither', async () => {
    const remsQueue = vi.fn(() => Promise.resolve([item('a', 'A', 3), item('b', 'B', -1), item('c', 'C', 5)]));
    const store = createAppStore();
    store.getState().loggedIn(clinician);
    renderWithApp(<AppHeader />, { store, services: fakeServices({ api: fakeApi({ remsQueue }) }) });
    await waitFor(() => expect(screen.getByRole('link', { name: 'REMS 3 due, 1 overdue' })).toHaveAttribute('href', '/rems'));
    // Where the links fold behind "Menu" (below 1280 px), the button carries the count.
    expect(screen.getByRole('button', { name: 'Menu, 3 REMS forms due, 1 overdue' })).toBeInTheDocument();
    expect(remsQueue).toHaveBeenCalledWith('draft');
    cleanup();

    const nurseQueue = vi.fn(() => Promise.resolve([item('a', 'A', 3)]));
    const nurseStore = createAppStore();
    nurseStore.getState().loggedIn(nurse);
    renderWithApp(<AppHeader />, { store: nurseStore, services: fakeServices({ api: fakeApi({ remsQueue: nurseQueue }) }) });
    expect(screen.getByRole('button', { name: 'Menu' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /^REMS/ })).toBeNull();
    expect(nurseQueue).not.toHaveBeenCalled();
  });
});
