import { type RecordEntry, type Role, type SessionState, esketamineProtocol, ivKetamineProtocol } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ChairTile } from '../../pages/ChairTile';
import { createAppStore } from '../../store/app-store';
import { useAppStore } from '../../store/store-context';
import { fakeApi, fakeServices, makeChair, renderWithApp } from '../../test-utils';
import { latestWithBp } from '../sessions/session-fixtures';
import { QuickEntries } from './QuickEntries';
import { RecordPanel } from './RecordPanel';
import { type RecordServer, at, recordServer } from './record-fixtures';

const treating: Partial<SessionState> = { phase: 'treatment', treatmentStartedAtMs: at(10) };
const observing: Partial<SessionState> = { phase: 'observation', treatmentStartedAtMs: at(10), treatmentEndedAtMs: at(30), observationStartedAtMs: at(30) };

/** The chair's session from the store, as the tile and the chair page read it: each post's answer replaces it there. */
function Live({ ui }: { ui: 'entries' | 'panel' }) {
  const session = useAppStore((s) => s.chairs['chair-1']?.session ?? null);
  if (session === null) return null;
  return ui === 'entries' ? <QuickEntries session={session} /> : <RecordPanel session={session} />;
}

function render(ui: 'tile' | 'entries' | 'panel', server: RecordServer, { role = 'nurse', nowMin }: { role?: Role; nowMin: number }) {
  const store = createAppStore();
  store.getState().loggedIn({ id: 'u1', username: role, displayName: role, role });
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session: server.summary(), latest: latestWithBp(nowMin - 1, 130, 82) })]);
  const sessionDetail = vi.fn(() => Promise.resolve({ ...server.summary(), events: server.events(), readings: [] }));
  const services = fakeServices({ api: fakeApi({ postSessionEvent: server.postSessionEvent, sessionDetail }), clock: { now: () => at(nowMin) } });
  renderWithApp(ui === 'tile' ? <ChairTile chairId="chair-1" /> : <Live ui={ui} />, { store, services });
  return { store, user: userEvent.setup() };
}

const menu = () => screen.getByRole('list', { name: 'Record an entry' });
const choose = async (user: ReturnType<typeof userEvent.setup>, name: RegExp) => user.click(within(menu()).getByRole('button', { name }));

let seq = 100;
const device = (minutes: number, n: number, lot: string): RecordEntry => {
  seq += 1;
  const payload = { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', device: n, lot, occurredAtMs: at(minutes) };
  return { seq, type: 'dose-given', atMs: at(minutes), username: 'nurse', payload };
};

describe('the tile: what is due next beside the BP clock, and Record one tap away', { timeout: 20_000 }, () => {
  it('shows the most urgent item; the sheet records an eyes-on check in one tap and the tile follows', async () => {
    // Treatment from minute 10, no check since: the check was due at 25; at 27 it is 2 min late.
    const server = recordServer({ protocol: esketamineProtocol, state: treating, nowMin: 27, entries: [device(10, 1, 'LOT-7')] });
    const { user } = render('tile', server, { nowMin: 27 });
    const due = screen.getByTestId('due-next');
    expect(due).toHaveTextContent('!Eyes-on 2 min late');
    expect(due).toHaveTextContent('Due next: Eyes-on check: overdue by 2 min');

    const record = screen.getByRole('button', { name: 'Record for Chair 1' });
    await user.click(record);
    const sheet = screen.getByRole('dialog', { name: 'Record — Chair 1' });
    expect(within(sheet).getByRole('list', { name: 'Due' })).toHaveTextContent('Eyes-on check: overdue by 2 min');
    await user.click(within(sheet).getByRole('button', { name: /^Eyes-on check/ }));
    await user.click(within(sheet).getByRole('button', { name: 'Checked — patient OK' }));
    expect(server.posted).toEqual([{ type: 'rounding-check', status: 'comfortable' }]);
    expect(await within(sheet).findByRole('status')).toHaveTextContent('Eyes-on check (Comfortable) recorded at');
    // The next check is due 15 min after this one; the 20-min scores (due at 30) lead now.
    await vi.waitFor(() => expect(screen.getByTestId('due-next')).toHaveTextContent('Scores in 3 min'));
    await user.click(within(sheet).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('an admin sees what is due but has no Record button', () => {
    const server = recordServer({ protocol: esketamineProtocol, state: treating, nowMin: 20 });
    render('tile', server, { role: 'admin', nowMin: 20 });
    expect(screen.getByTestId('due-next')).toHaveTextContent('Eyes-on in 5 min');
    expect(screen.queryByRole('button', { name: 'Record for Chair 1' })).not.toBeInTheDocument();
  });
});

describe('scores', { timeout: 20_000 }, () => {
  it('MOAA/S is saved on one tap; CADSS-6 names each item not scored, shows the total, then saves all six', async () => {
    const server = recordServer({ protocol: esketamineProtocol, state: treating, nowMin: 30 });
    const { user } = render('entries', server, { nowMin: 30 });
    await choose(user, /^Scores/);
    await user.click(screen.getByRole('button', { name: 'MOAA/S 4: Lethargic response to name in normal tone' }));
    expect(server.posted).toEqual([{ type: 'score-recorded', scale: 'moaa-s', value: 4 }]);
    expect(await screen.findByText(/MOAA\/S 4 recorded at/)).toBeInTheDocument();

    const item = (n: number) => screen.getByRole('radiogroup', { name: `Item ${n}` });
    await user.click(within(item(1)).getByRole('radio', { name: 'Item 1: 2 (Moderately)' }));
    await user.click(within(item(2)).getByRole('radio', { name: 'Item 2: 1 (Slightly)' }));
    expect(screen.getByText(/CADSS-6 total/)).toHaveTextContent('CADSS-6 total 3 of 24 · 4 items to score');
    await user.click(screen.getByRole('button', { name: 'Save CADSS-6' }));
    expect(server.posted).toHaveLength(1);
    expect(item(3)).toHaveAccessibleDescription('Score each item 0–4.');
    expect(item(6)).toHaveAccessibleDescription('Score each item 0–4.');
    expect(item(1)).not.toHaveAccessibleDescription();

    for (const n of [3, 4, 5, 6]) await user.click(within(item(n)).getByRole('radio', { name: `Item ${n}: 0 (Not at all)` }));
    expect(within(item(1)).getByRole('radio', { name: 'Item 1: 2 (Moderately)' })).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Save CADSS-6' }));
    expect(server.posted[1]).toEqual({ type: 'score-recorded', scale: 'cadss-6', items: [2, 1, 0, 0, 0, 0] });
    expect(await screen.findByText(/CADSS-6 3\/24 recorded at/)).toBeInTheDocument();
  });
});

describe('esketamine devices', { timeout: 20_000 }, () => {
  it('fills in the next device and the previous lot, counts the rest down, and shows the server’s 409 naming the device', async () => {
    const server = recordServer({ protocol: esketamineProtocol, state: treating, nowMin: 12, entries: [device(10, 1, 'LOT-7')] });
    const { user } = render('entries', server, { nowMin: 12 });
    expect(within(menu()).getByRole('button', { name: /^Device 2 given/ })).toHaveTextContent('Rest: 3:00 left');
    await choose(user, /^Device 2 given/);
    const form = screen.getByRole('form', { name: 'Device 2' });
    expect(within(form).getByText('Device 2 of 3')).toBeInTheDocument();
    expect(within(form).getByRole('timer')).toHaveTextContent('Rest after device 1: 3:00 left');
    expect(within(form).getByLabelText('Lot')).toHaveValue('LOT-7');
    await user.click(within(form).getByRole('button', { name: 'Device 2 given' }));
    expect(server.posted).toEqual([{ type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', device: 2, lot: 'LOT-7' }]);
    expect(await within(form).findByRole('alert')).toHaveTextContent('Not saved: Device 2 comes 2 min 0 s after device 1: rest 5 min, or a clinician overrides.');
    expect(within(form).getByText('Wait for the rest to end, or ask a clinician to override it.')).toBeInTheDocument();
    expect(within(form).queryByLabelText(/Override the rest/)).not.toBeInTheDocument();
  });

  it('a clinician overrides the rest with a reason (an empty reason is named first)', async () => {
    const server = recordServer({ protocol: esketamineProtocol, state: treating, role: 'clinician', nowMin: 12, entries: [device(10, 1, 'LOT-7')] });
    const { user } = render('entries', server, { role: 'clinician', nowMin: 12 });
    await choose(user, /^Device 2 given/);
    const form = screen.getByRole('form', { name: 'Device 2' });
    await user.click(within(form).getByRole('button', { name: 'Device 2 given' }));
    const reason = await within(form).findByLabelText('Override the rest: reason (clinician)');
    await user.click(within(form).getByRole('button', { name: 'Override and record device 2' }));
    expect(reason).toHaveAccessibleDescription('Give a reason for the override.');
    expect(server.posted).toHaveLength(1);
    await user.type(reason, 'Patient must leave early; observed');
    await user.click(within(form).getByRole('button', { name: 'Override and record device 2' }));
    expect(server.posted[1]).toMatchObject({ device: 2, override: { reason: 'Patient must leave early; observed' } });
    expect(await screen.findByRole('status')).toHaveTextContent('Device 2 recorded at');
  });

  it('a "happened at" in the future is refused before sending, naming the field', async () => {
    const server = recordServer({ protocol: esketamineProtocol, state: treating, nowMin: 20, entries: [device(10, 1, 'LOT-7')] });
    const { user } = render('entries', server, { nowMin: 20 });
    await choose(user, /^Device 2 given/);
    const when = screen.getByLabelText('Happened at');
    await user.type(when, '23:59');
    await user.click(screen.getByRole('button', { name: 'Device 2 given' }));
    expect(when).toHaveAccessibleDescription(/That time is still to come/);
    await user.clear(when);
    await user.type(when, '25:00');
    await user.click(screen.getByRole('button', { name: 'Device 2 given' }));
    expect(when).toHaveAccessibleDescription(/Give the time as hours and minutes/);
    expect(server.posted).toEqual([]);
  });
});

describe('PRN given and reassessed', { timeout: 20_000 }, () => {
  it('names every missing field, then posts with the default reassessment; the reassessment closes its timer', async () => {
    const server = recordServer({ protocol: esketamineProtocol, state: treating, nowMin: 20 });
    const { user } = render('entries', server, { nowMin: 20 });
    await choose(user, /^PRN given/);
    await user.click(screen.getByRole('button', { name: 'PRN given' }));
    expect(screen.getByLabelText('Drug')).toHaveAccessibleDescription('Give the drug.');
    expect(screen.getByLabelText('Dose (mg)')).toHaveAccessibleDescription('Give the dose in mg.');
    expect(screen.getByRole('radiogroup', { name: 'Route' })).toHaveAccessibleDescription('Choose the route.');
    expect(screen.getByLabelText('Indication')).toHaveAccessibleDescription('Give the indication.');
    expect(server.posted).toEqual([]);

    await user.type(screen.getByLabelText('Drug'), 'ondansetron');
    await user.type(screen.getByLabelText('Dose (mg)'), '4');
    await user.click(screen.getByRole('radio', { name: 'ODT' }));
    await user.type(screen.getByLabelText('Indication'), 'nausea');
    expect(screen.getByLabelText('Reassess in (min)')).toHaveValue('15');
    await user.click(screen.getByRole('button', { name: 'PRN given' }));
    expect(server.posted).toEqual([{ type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'odt', indication: 'nausea', reassessInMin: 15 }]);
    expect(await screen.findByRole('status')).toHaveTextContent('PRN ondansetron recorded at');

    await choose(user, /^PRN reassessed/);
    expect(screen.getByRole('radio', { name: /ondansetron 4 mg at/ })).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Save reassessment' }));
    expect(screen.getByLabelText('Response')).toHaveAccessibleDescription('Give the response.');
    await user.click(screen.getByRole('button', { name: 'Settled' }));
    await user.click(screen.getByRole('button', { name: 'Save reassessment' }));
    expect(server.posted[1]).toMatchObject({ type: 'prn-reassessed', response: 'Settled' });
    await vi.waitFor(() => expect(within(menu()).queryByRole('button', { name: /^PRN reassessed/ })).not.toBeInTheDocument());
  });
});

describe('adverse event', { timeout: 20_000 }, () => {
  it('asks for kind, severity and serious, then records them', async () => {
    const server = recordServer({ protocol: esketamineProtocol, state: treating, nowMin: 20 });
    const { user } = render('entries', server, { nowMin: 20 });
    await choose(user, /^Adverse event/);
    await user.click(screen.getByRole('button', { name: 'Record adverse event' }));
    expect(screen.getByRole('radiogroup', { name: 'What' })).toHaveAccessibleDescription('Choose what happened.');
    expect(screen.getByRole('radiogroup', { name: 'Severity' })).toHaveAccessibleDescription('Choose the severity.');
    expect(screen.getByRole('radiogroup', { name: 'Serious adverse event' })).toHaveAccessibleDescription('Say whether it is serious.');
    await user.click(screen.getByRole('radio', { name: 'Nausea' }));
    await user.click(screen.getByRole('radio', { name: 'Mild' }));
    await user.click(screen.getByRole('radio', { name: 'Not serious' }));
    await user.click(screen.getByRole('button', { name: 'Record adverse event' }));
    expect(server.posted).toEqual([{ type: 'adverse-event', kind: 'nausea', severity: 'mild', serious: false }]);
  });
});

describe('IV infusion', { timeout: 20_000 }, () => {
  it('set-up shows total mg and planned minutes as typed, refuses a weight outside the protocol, offers the rate for the planned time', async () => {
    const server = recordServer({ protocol: ivKetamineProtocol, state: { phase: 'baseline' }, nowMin: 8 });
    const { user } = render('entries', server, { nowMin: 8 });
    await choose(user, /^Infusion set-up/);
    await user.type(screen.getByLabelText('Weight today (kg)'), '300');
    await user.type(screen.getByLabelText('Concentration (mg/mL)'), '10');
    await user.type(screen.getByLabelText('Pump rate (mL/h)'), '20');
    await user.click(screen.getByRole('button', { name: 'Save set-up' }));
    expect(screen.getByLabelText('Weight today (kg)')).toHaveAccessibleDescription('The weight must be 30–250 kg.');
    expect(server.posted).toEqual([]);

    await user.clear(screen.getByLabelText('Weight today (kg)'));
    await user.type(screen.getByLabelText('Weight today (kg)'), '70');
    // 70 kg × 0.5 mg/kg = 35 mg; at 10 mg/mL and 20 mL/h: 10.5 min, under the 20 min minimum.
    expect(screen.getByText('Total dose').nextElementSibling).toHaveTextContent('35 mg');
    expect(screen.getByText('Planned time').nextElementSibling).toHaveTextContent('10.5 min');
    await user.click(screen.getByRole('button', { name: 'Save set-up' }));
    expect(screen.getByLabelText('Pump rate (mL/h)')).toHaveAccessibleDescription('This rate gives the dose in 10.5 min: at least 20 min.');
    await user.click(screen.getByRole('button', { name: 'Rate for 40 min: 5.3 mL/h' }));
    expect(screen.getByText('Planned time').nextElementSibling).toHaveTextContent('39.6 min');
    await user.click(screen.getByRole('button', { name: 'Save set-up' }));
    expect(server.posted).toEqual([{ type: 'infusion-set', drug: 'ketamine', weightKg: 70, doseMgPerKg: 0.5, concentrationMgPerMl: 10, rateMlPerH: 5.3 }]);
  });

  it('a rate change needs its reason', async () => {
    const set: RecordEntry = {
      seq: 5,
      type: 'infusion-set',
      atMs: at(8),
      username: 'nurse',
      payload: { type: 'infusion-set', drug: 'ketamine', weightKg: 70, doseMgPerKg: 0.5, concentrationMgPerMl: 10, rateMlPerH: 5.3 },
    };
    const server = recordServer({ protocol: ivKetamineProtocol, state: treating, nowMin: 20, entries: [set] });
    const { user } = render('entries', server, { nowMin: 20 });
    await choose(user, /^Rate change/);
    await user.type(screen.getByLabelText('New rate (mL/h)'), '4');
    expect(screen.getByText('At this rate the whole dose takes 52.5 min.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save rate change' }));
    expect(screen.getByLabelText('Reason')).toHaveAccessibleDescription('Give a reason for the change.');
    await user.type(screen.getByLabelText('Reason'), 'BP rise');
    await user.click(screen.getByRole('button', { name: 'Save rate change' }));
    expect(server.posted).toEqual([{ type: 'infusion-rate-changed', rateMlPerH: 4, reason: 'BP rise' }]);
  });
});

describe('escort hand-off and the record so far', { timeout: 20_000 }, () => {
  it('the hand-off starts from the escort recorded at check-in; the chair page lists the record with who', async () => {
    const escort: RecordEntry = { seq: 3, type: 'escort-recorded', atMs: at(1), username: 'nurse', payload: { type: 'escort-recorded', name: 'Sam Doe', phone: '555 0100' } };
    const server = recordServer({ protocol: esketamineProtocol, state: observing, nowMin: 140, entries: [escort, device(10, 1, 'LOT-7')] });
    const { user } = render('panel', server, { nowMin: 140 });
    const log = await screen.findByRole('list', { name: 'Record so far' });
    expect(within(log).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringMatching(/Escort: Sam Doe \(555 0100\)nurse$/),
      expect.stringMatching(/Device 1: esketamine 28 mg Intranasal, lot LOT-7nurse$/),
    ]);
    await choose(user, /^Escort hand-off/);
    expect(screen.getByLabelText('Collected by')).toHaveValue('Sam Doe');
    await user.click(screen.getByRole('button', { name: 'Record hand-off' }));
    expect(server.posted).toEqual([{ type: 'escort-handoff', collectedBy: 'Sam Doe' }]);
    await vi.waitFor(() => expect(within(screen.getByRole('list', { name: 'Record so far' })).getByText('Collected by Sam Doe')).toBeInTheDocument());
  });
});
