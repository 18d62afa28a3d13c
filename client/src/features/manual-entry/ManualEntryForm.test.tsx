import type { Reading, ReadingInput } from '@chairside/shared';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../api/api-client';
import { fixedClock } from '../../clock';
import { makeReading, testNow } from '../../test-utils';
import { ManualEntryForm, type ManualEntryFormProps } from './ManualEntryForm';
import { toDateTimeLocalValue } from '../../lib/local-time';

/** Sends straight to `post`, as the outbox does when the server answers. */
const storedBy = (post: (reading: ReadingInput) => Promise<Reading>) => async (reading: ReadingInput) => ({ kind: 'stored' as const, reading: await post(reading) });

const readingId = '6f1c2b7e-3a4d-4e5f-8a9b-0c1d2e3f4a5b';

function renderForm(props: Partial<ManualEntryFormProps> = {}) {
  const onSaved = vi.fn();
  const submitReading = props.submitReading ?? vi.fn(() => Promise.reject(new Error('not expected')));
  render(
    <ManualEntryForm
      chairId="chair-1"
      submitReading={submitReading}
      clock={fixedClock(testNow)}
      newId={() => readingId}
      onSaved={onSaved}
      onCancel={() => undefined}
      {...props}
    />,
  );
  return { onSaved, submitReading, user: userEvent.setup() };
}

const save = () => screen.getByRole('button', { name: 'Save reading' });

describe('ManualEntryForm', () => {
  it('says that at least one value is needed, and sends nothing', async () => {
    const { user, submitReading } = renderForm();
    await user.click(save());
    expect(screen.getByRole('alert')).toHaveTextContent('Enter at least one value');
    expect(submitReading).not.toHaveBeenCalled();
  });

  it('explains an implausible value next to its field', async () => {
    const { user, submitReading } = renderForm();
    await user.type(screen.getByLabelText('Systolic'), '320');
    await user.type(screen.getByLabelText('Diastolic'), '90');
    await user.click(save());
    const systolic = screen.getByLabelText('Systolic');
    expect(systolic).toHaveAttribute('aria-invalid', 'true');
    expect(systolic).toHaveAccessibleDescription(expect.stringContaining('SBP 320 mmHg is outside the plausible range 40–300'));
    expect(systolic).toHaveFocus();
    expect(submitReading).not.toHaveBeenCalled();
  });

  it('refuses a diastolic that is not below the systolic', async () => {
    const { user, submitReading } = renderForm();
    await user.type(screen.getByLabelText('Systolic'), '90');
    await user.type(screen.getByLabelText('Diastolic'), '95');
    await user.click(save());
    expect(screen.getByText('Diastolic 95 must be below systolic 90')).toBeInTheDocument();
    expect(screen.getByLabelText('Diastolic')).toHaveAttribute('aria-invalid', 'true');
    expect(submitReading).not.toHaveBeenCalled();
  });

  it('posts the reading with a client id, an offset time and source manual', async () => {
    const stored = makeReading({ seq: 7, source: 'manual', systolic: 142, diastolic: 88, heartRate: 84, spo2: 97 });
    const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(new Response(JSON.stringify(stored), { status: 201 })));
    const api = createApiClient({ fetch });
    const { user, onSaved } = renderForm({ submitReading: storedBy(api.postReading) });

    await user.type(screen.getByLabelText('Systolic'), '142');
    await user.type(screen.getByLabelText('Diastolic'), '88');
    await user.type(screen.getByLabelText('Heart rate'), '84');
    await user.type(screen.getByLabelText('SpO₂'), '97');
    await user.click(save());

    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith({ kind: 'stored', reading: stored }));
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('/api/v1/readings');
    expect(init?.method).toBe('POST');
    const body: unknown = JSON.parse(String(init?.body));
    expect(body).toEqual({
      id: readingId,
      chairId: 'chair-1',
      measuredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/),
      systolic: 142,
      diastolic: 88,
      heartRate: 84,
      spo2: 97,
      source: 'manual',
    });
    expect(Date.parse((body as { measuredAt: string }).measuredAt)).toBe(testNow);
  });

  it('shows the server’s field details next to the fields', async () => {
    const problem = {
      error: {
        code: 'invalid_input',
        message: 'The reading is not valid',
        details: [{ path: ['measuredAt'], message: 'measuredAt is more than 5 minutes in the future' }],
      },
    };
    const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(new Response(JSON.stringify(problem), { status: 400 })));
    const { user, onSaved } = renderForm({ submitReading: storedBy(createApiClient({ fetch }).postReading) });
    await user.type(screen.getByLabelText('Heart rate'), '84');
    await user.click(save());
    expect(await screen.findByText('measuredAt is more than 5 minutes in the future')).toBeInTheDocument();
    expect(screen.getByLabelText('Time')).toHaveAttribute('aria-invalid', 'true');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('retries an unchanged entry with the same id after a network failure', async () => {
    const stored: Reading = makeReading({ seq: 8, heartRate: 84 });
    const submitReading = vi
      .fn<ManualEntryFormProps['submitReading']>()
      .mockRejectedValueOnce(new TypeError('offline'))
      .mockResolvedValueOnce({ kind: 'stored', reading: stored });
    let ids = 0;
    const { user, onSaved } = renderForm({ submitReading, newId: () => `00000000-0000-4000-8000-00000000000${(ids += 1)}` });
    await user.type(screen.getByLabelText('Heart rate'), '84');
    await user.click(save());
    expect(await screen.findByRole('alert')).toHaveTextContent('Not saved');
    await user.click(save());
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith({ kind: 'stored', reading: stored }));
    const sentIds = submitReading.mock.calls.map(([reading]) => reading.id);
    expect(new Set(sentIds).size).toBe(1);
  });

  it('takes whole numbers only, saying so for a decimal', async () => {
    const { user, submitReading } = renderForm();
    await user.type(screen.getByLabelText('Systolic'), '120.5');
    await user.type(screen.getByLabelText('Diastolic'), '80');
    await user.type(screen.getByLabelText('SpO₂'), '97,5');
    await user.click(save());
    expect(screen.getByLabelText('Systolic')).toHaveAccessibleDescription(expect.stringContaining('Whole numbers only: 120.5 has a decimal part'));
    expect(screen.getByLabelText('SpO₂')).toHaveAccessibleDescription(expect.stringContaining('Whole numbers only: 97,5 has a decimal part'));
    expect(screen.getByRole('alert')).toHaveTextContent('Not saved — check the marked fields.');
    expect(submitReading).not.toHaveBeenCalled();
  });

  it('asks before saving a reading measured more than an hour ago', async () => {
    const submitReading = vi.fn<ManualEntryFormProps['submitReading']>(() => Promise.resolve({ kind: 'stored', reading: null }));
    const { user, onSaved } = renderForm({ submitReading });
    await user.type(screen.getByLabelText('Heart rate'), '84');
    fireEvent.change(screen.getByLabelText('Time'), { target: { value: toDateTimeLocalValue(testNow - 6 * 24 * 3_600_000) } });
    await user.click(save());
    const confirm = screen.getByRole('alertdialog', { name: 'This reading was measured 6 days ago — save it anyway?' });
    expect(submitReading).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Save anyway' })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Change the time' }));
    expect(confirm).not.toBeInTheDocument();
    expect(screen.getByLabelText('Time')).toHaveFocus();
    await user.click(save());
    await user.click(screen.getByRole('button', { name: 'Save anyway' }));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith({ kind: 'stored', reading: null }));
    expect(submitReading).toHaveBeenCalledTimes(1);
  });

  it('saves a reading of the last hour without asking', async () => {
    const submitReading = vi.fn<ManualEntryFormProps['submitReading']>(() => Promise.resolve({ kind: 'stored', reading: null }));
    const { user, onSaved } = renderForm({ submitReading });
    await user.type(screen.getByLabelText('Heart rate'), '84');
    fireEvent.change(screen.getByLabelText('Time'), { target: { value: toDateTimeLocalValue(testNow - 50 * 60_000) } });
    await user.click(save());
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('labels every input for touch and screen readers', () => {
    renderForm();
    for (const label of ['Systolic', 'Diastolic', 'Heart rate', 'SpO₂', 'Respiratory rate']) {
      expect(screen.getByLabelText(label)).toHaveAttribute('inputmode', 'numeric');
    }
    expect(screen.getByLabelText('Time')).toHaveAttribute('type', 'datetime-local');
    expect(screen.getByRole('button', { name: 'Now' })).toBeInTheDocument();
  });
});
