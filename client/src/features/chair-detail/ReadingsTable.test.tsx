import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { makeChair, makeReading, renderWithApp, testNow } from '../../test-utils';
import { ReadingsTable } from './ReadingsTable';

/** 70 s of HR at 1 Hz (HR 100…169, newest last) and one BP, as the chair's page loaded them. */
function setup() {
  const store = createAppStore();
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })]);
  store.getState().focusOpened('chair-1');
  const start = testNow - 70_000;
  const readings = [
    makeReading({ seq: 1, systolic: 151, diastolic: 92, measuredAt: new Date(start - 1000).toISOString() }),
    ...Array.from({ length: 70 }, (_, i) => makeReading({ seq: i + 2, heartRate: 100 + i, measuredAt: new Date(start + i * 1000).toISOString() })),
  ];
  store.getState().historyLoaded('chair-1', readings, start - 60_000);
  renderWithApp(<ReadingsTable chairId="chair-1" />, { store });
  return { store };
}

const heartRates = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[3]?.textContent);

// Hundreds of rows in jsdom take several seconds on a busy machine.
describe('ReadingsTable', { timeout: 20_000 }, () => {
  it('pages through every reading the chair’s page loaded, newest first', async () => {
    const user = userEvent.setup();
    setup();
    expect(screen.getAllByRole('row')).toHaveLength(2);
    expect(screen.getByRole('table')).toHaveTextContent('151/92');

    await user.click(screen.getByRole('button', { name: 'All readings' }));
    expect(heartRates()).toHaveLength(30);
    expect(heartRates()[0]).toBe('169');
    expect(screen.getByRole('group', { name: 'Readings pages' })).toHaveTextContent('1–30 of 71');
    expect(screen.getByRole('button', { name: 'Newer' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Older' }));
    expect(heartRates()[0]).toBe('139');
    expect(screen.getByRole('group', { name: 'Readings pages' })).toHaveTextContent('31–60 of 71');

    await user.click(screen.getByRole('button', { name: 'Older' }));
    expect(heartRates()).toHaveLength(11);
    expect(heartRates().at(-1)).toBe('—');
    expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Newer' }));
    await user.click(screen.getByRole('button', { name: 'Newer' }));
    expect(heartRates()[0]).toBe('169');
  });

  it('follows new readings on the newest page, and holds still on an older one', async () => {
    const user = userEvent.setup();
    const { store } = setup();
    await user.click(screen.getByRole('button', { name: 'All readings' }));
    act(() => store.getState().applyReadings([makeReading({ seq: 200, heartRate: 77, measuredAt: new Date(testNow).toISOString() })]));
    expect(heartRates()[0]).toBe('77');

    await user.click(screen.getByRole('button', { name: 'Older' }));
    const shown = heartRates();
    act(() => store.getState().applyReadings([makeReading({ seq: 201, heartRate: 78, measuredAt: new Date(testNow + 1000).toISOString() })]));
    expect(heartRates()).toEqual(shown);
  });
});
