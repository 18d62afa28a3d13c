import { type CheckIn, type Protocol, type RecordEventInput, type SessionEventInput, type SessionSummary, defaultRecordSettings, esketamineProtocol, ivKetamineProtocol } from '@chairside/shared';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { formatClock } from '../../lib/vital-format';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, renderWithApp } from '../../test-utils';
import { ChairTile } from '../../pages/ChairTile';
import { CheckInButton } from './CheckInButton';
import { SessionPanel } from './SessionPanel';
import { type SessionFixture, at, latestWithBp, patientJDoe, sessionFixture } from './session-fixtures';

type Posted = SessionEventInput | RecordEventInput;

/**
 * A server that answers each readiness and escort entry with the session's record derived again (as the real one does),
 * so the start gate and the answers on screen follow what was posted.
 */
function fakeServer(start: SessionFixture) {
  let record = { readiness: {}, ...start.record };
  let current = sessionFixture({ ...start, record });
  const posted: Posted[] = [];
  const postSessionEvent = vi.fn((_id: string, event: Posted) => {
    posted.push(event);
    if (event.type === 'readiness-answered') record = { ...record, readiness: { ...record.readiness, ...event.answers } };
    else if (event.type === 'escort-recorded') record = { ...record, escort: { name: event.name, phone: event.phone } };
    else return Promise.reject(new Error(`not expected: ${event.type}`));
    current = sessionFixture({ ...start, record, revision: (current.revision ?? 1) + 1 });
    return Promise.resolve(current);
  });
  return { initial: current, posted, postSessionEvent };
}

function renderChair(ui: 'page' | 'tile', server: ReturnType<typeof fakeServer>, role: 'nurse' | 'clinician' | 'admin' = 'nurse') {
  const store = createAppStore();
  store.getState().loggedIn({ id: 'u1', username: role, displayName: role, role });
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session: server.initial, latest: latestWithBp(7, 130, 82) })]);
  const sessionDetail = vi.fn((id: string) => Promise.resolve({ ...(store.getState().chairs['chair-1']?.session as SessionSummary), id, events: [], readings: [] }));
  const services = fakeServices({ api: fakeApi({ postSessionEvent: server.postSessionEvent, sessionDetail }), clock: { now: () => at(12) } });
  renderWithApp(ui === 'page' ? <SessionPanel chairId="chair-1" chairName="Chair 1" /> : <ChairTile chairId="chair-1" />, { store, services });
  return { store, user: userEvent.setup() };
}

const ivBaselineDone: SessionFixture = { protocol: ivKetamineProtocol, bpAt: [2, 7] };

describe('readiness checklist on the chair page', () => {
  it('holds the start until the hard stops are answered yes, each tap saved with who and when', async () => {
    const server = fakeServer(ivBaselineDone);
    const { user } = renderChair('page', server);
    const actions = screen.getByRole('group', { name: 'Session actions' });
    const start = within(actions).getByRole('button', { name: 'Start infusion' });
    expect(start).toBeDisabled();
    expect(start).toHaveAccessibleDescription('Start waits for: yes to Weight measured today, Consent on file');

    const panel = screen.getByRole('region', { name: 'Readiness checklist' });
    const list = within(panel).getByRole('list', { name: 'Readiness checklist' });
    expect(within(list).getAllByRole('listitem').map((li) => li.querySelector('.readiness-item__label')?.textContent)).toEqual([
      'Weight measured today',
      'Consent on file',
      'IV site checked',
      'Fasting as the clinic requires',
      'Transport home arranged',
    ]);
    expect(within(list).getAllByText('Hard stop')).toHaveLength(2);
    expect(within(panel).getByRole('status')).toHaveTextContent('0 of 5 answered · start waits for yes to 2 hard stops');

    const weight = within(list).getByRole('group', { name: 'Weight measured today' });
    await user.click(within(weight).getByRole('button', { name: 'Yes' }));
    expect(server.posted).toEqual([{ type: 'readiness-answered', answers: { 'weight-today': true } }]);
    expect(await within(weight).findByRole('button', { name: 'Yes', pressed: true })).toBeInTheDocument();
    expect(weight).toHaveAccessibleDescription(`Yes · nurse at ${formatClock(at(1))}`);
    expect(start).toHaveAccessibleDescription('Start waits for: yes to Consent on file');

    // A "no" to a hard stop keeps holding the start, and says so.
    const consent = within(list).getByRole('group', { name: 'Consent on file' });
    await user.click(within(consent).getByRole('button', { name: 'No' }));
    await vi.waitFor(() => expect(start).toHaveAccessibleDescription('Start waits for: yes to Consent on file (answered no)'));
    await user.click(within(consent).getByRole('button', { name: 'Yes' }));
    await vi.waitFor(() => expect(within(actions).getByRole('button', { name: 'Start infusion' })).toBeEnabled());
    expect(within(panel).getByRole('status')).toHaveTextContent('2 of 5 answered · hard stops answered yes');
    expect(server.posted).toHaveLength(3);
  });

  it('leads from the start to the checklist below the fold, and no longer once the hard stops are answered', async () => {
    // jsdom does not scroll: the call is recorded instead.
    const scrollIntoView = vi.fn();
    const original = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = scrollIntoView;
    onTestFinished(() => {
      Element.prototype.scrollIntoView = original;
    });
    const server = fakeServer({ ...ivBaselineDone, record: { readiness: { 'weight-today': true } } });
    const { user } = renderChair('page', server);
    await user.click(screen.getByRole('button', { name: 'Answer the readiness checklist' }));
    const panel = screen.getByRole('region', { name: 'Readiness checklist' });
    expect(scrollIntoView.mock.contexts[0]).toBe(panel);
    expect(panel).toHaveFocus();
    await user.click(within(within(panel).getByRole('group', { name: 'Consent on file' })).getByRole('button', { name: 'Yes' }));
    await vi.waitFor(() => expect(screen.queryByRole('button', { name: 'Answer the readiness checklist' })).not.toBeInTheDocument());
  });

  it('answers a text item with a short field and Save (a clinic’s own question)', async () => {
    const withText: Protocol = {
      ...ivKetamineProtocol,
      record: { ...defaultRecordSettings['iv-infusion'], readiness: [{ id: 'last-meal', label: 'Last meal (time and what)', kind: 'text' }] },
    };
    const server = fakeServer({ ...ivBaselineDone, protocol: withText });
    const { user } = renderChair('page', server);
    const field = screen.getByRole('textbox', { name: 'Last meal (time and what)' });
    expect(field).not.toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(field).toHaveAccessibleDescription('Write an answer.');
    expect(server.posted).toEqual([]);
    await user.type(field, '  07:30 toast ');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(server.posted).toEqual([{ type: 'readiness-answered', answers: { 'last-meal': '07:30 toast' } }]);
    expect(await screen.findByText(`07:30 toast · nurse at ${formatClock(at(1))}`)).toBeInTheDocument();
    // No hard stop on this protocol: nothing about readiness holds the start.
    expect(screen.getByRole('button', { name: 'Start infusion' })).toBeEnabled();
  });

  it('shows a refusal next to the checklist and changes nothing', async () => {
    const server = fakeServer(ivBaselineDone);
    server.postSessionEvent.mockImplementationOnce(() => Promise.reject(new Error('The session was cancelled')));
    const { user } = renderChair('page', server);
    const list = screen.getByRole('list', { name: 'Readiness checklist' });
    await user.click(within(within(list).getByRole('group', { name: 'Consent on file' })).getByRole('button', { name: 'Yes' }));
    expect(await screen.findByText(/^Not saved \(Consent on file\):/)).toHaveAttribute('role', 'alert');
    expect(within(list).getByRole('group', { name: 'Consent on file' })).toHaveAccessibleDescription('Not answered');
  });

  it('records the escort the discharge criteria wait for, and a change as a correction', async () => {
    const server = fakeServer(ivBaselineDone);
    const { user } = renderChair('page', server);
    const escort = screen.getByRole('form', { name: 'Escort' });
    await user.type(within(escort).getByLabelText('Escort’s name'), 'Sam Lee');
    await user.type(within(escort).getByLabelText('Escort’s phone'), 'call me');
    await user.click(within(escort).getByRole('button', { name: 'Save escort' }));
    expect(within(escort).getByLabelText('Escort’s phone')).toHaveAccessibleDescription(/^Give a phone number/);
    expect(server.posted).toEqual([]);

    await user.clear(within(escort).getByLabelText('Escort’s phone'));
    await user.type(within(escort).getByLabelText('Escort’s phone'), '555 0100');
    await user.click(within(escort).getByRole('button', { name: 'Save escort' }));
    expect(await screen.findByText((_, element) => element?.tagName === 'P' && (element.textContent ?? '').includes('Escort: Sam Lee'))).toHaveTextContent(
      `Escort: Sam Lee (555 0100) · recorded at ${formatClock(at(1))}`,
    );
    expect(server.posted).toEqual([{ type: 'escort-recorded', name: 'Sam Lee', phone: '555 0100' }]);

    await user.click(screen.getByRole('button', { name: 'Change escort' }));
    await user.clear(screen.getByLabelText('Escort’s name'));
    await user.type(screen.getByLabelText('Escort’s name'), 'Alex Lee');
    await user.click(screen.getByRole('button', { name: 'Save escort' }));
    expect(await screen.findByText((_, element) => element?.tagName === 'P' && /^✓ Escort: Alex Lee \(555 0100\)/.test(element.textContent ?? ''))).toBeInTheDocument();
    // The change names the entry it corrects (the fixture's escort entry is seq 2).
    expect(server.posted[1]).toEqual({ type: 'escort-recorded', name: 'Alex Lee', phone: '555 0100', corrects: 2 });
  });

  it('after the start, shows the answers read-only', () => {
    const server = fakeServer({ ...ivBaselineDone, state: { phase: 'treatment', treatmentStartedAtMs: at(10) }, record: { readiness: { 'weight-today': true, 'consent-on-file': true } } });
    renderChair('page', server);
    const list = screen.getByRole('list', { name: 'Readiness checklist', hidden: true });
    expect(within(list).queryAllByRole('button', { hidden: true })).toHaveLength(0);
    expect(within(list).getAllByText(`Yes · nurse at ${formatClock(at(1))}`, { ignore: false })).toHaveLength(2);
    // Folded, its summary says what was answered.
    expect(screen.getByText('Readiness checklist', { selector: 'summary h2' }).closest('summary')).toHaveTextContent('Readiness checklist · 2 of 5 answered · hard stops answered yes');
  });

  it('after a start a clinician overrode, says the hard stops were not answered yes rather than that the start waits', () => {
    const server = fakeServer({ ...ivBaselineDone, state: { phase: 'treatment', treatmentStartedAtMs: at(10) }, record: { readiness: {} } });
    renderChair('page', server);
    expect(screen.getByText('Readiness checklist', { selector: 'summary h2' }).closest('summary')).toHaveTextContent('Readiness checklist · 0 of 5 answered · started with 2 hard stops not answered yes');
    expect(screen.queryByText(/start waits for yes/, { ignore: false })).toBeNull();
  });

  it('shows an admin the answers and the escort without toggles or fields (admins do not run sessions)', () => {
    renderChair('page', fakeServer({ ...ivBaselineDone, record: { readiness: { 'weight-today': true }, escort: { name: 'Sam Lee', phone: '555 0100' } } }), 'admin');
    const list = screen.getByRole('list', { name: 'Readiness checklist' });
    expect(within(list).queryAllByRole('button')).toHaveLength(0);
    expect(within(list).getAllByRole('listitem')[0]).toHaveTextContent(`Yes · nurse at ${formatClock(at(1))}`);
    expect(screen.getByText('Escort: Sam Lee (555 0100)')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Escort' })).not.toBeInTheDocument();
  });
});

describe('readiness on the chair tile', () => {
  it('offers the checklist as the next step while it holds the start, then the start itself', async () => {
    const server = fakeServer({ protocol: esketamineProtocol, bpAt: [2] });
    const { user } = renderChair('tile', server);
    const tile = screen.getByRole('article', { name: 'Chair 1' });
    expect(within(tile).getByText('Start waits for: yes to Patient enrolled in the REMS (enrolment on file), Transport home arranged (no driving until the next day)')).toBeInTheDocument();
    expect(within(tile).queryByRole('button', { name: 'First spray given for Chair 1' })).not.toBeInTheDocument();

    await user.click(within(tile).getByRole('button', { name: 'Readiness checklist for Chair 1' }));
    const dialog = screen.getByRole('dialog', { name: 'Readiness — Chair 1' });
    expect(within(dialog).getAllByRole('group')).toHaveLength(9);
    await user.click(within(within(dialog).getByRole('group', { name: /^Patient enrolled in the REMS/ })).getByRole('button', { name: 'Yes' }));
    await user.click(within(within(dialog).getByRole('group', { name: /^Transport home arranged/ })).getByRole('button', { name: 'Yes' }));
    // The dialog stays open once the last hard stop is answered; the tile's next step is now the start.
    await vi.waitFor(() => expect(within(tile).getByRole('button', { name: 'First spray given for Chair 1', hidden: true })).toBeEnabled());
    expect(within(dialog).getByRole('status')).toHaveTextContent('2 of 9 answered · hard stops answered yes');
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(within(tile).queryByRole('button', { name: 'Readiness checklist for Chair 1' })).not.toBeInTheDocument();
    expect(within(tile).queryByText(/^Start waits for/)).not.toBeInTheDocument();
  });

  it('in observation: the discharge criteria wait for an escort', () => {
    const observing = fakeServer({ ...ivBaselineDone, state: { phase: 'observation', treatmentStartedAtMs: at(10), treatmentEndedAtMs: at(50), observationStartedAtMs: at(50) } });
    renderChair('tile', observing);
    expect(screen.getByText(/^Discharge criteria not met:.*no escort recorded/)).toBeInTheDocument();
  });
});

describe('readiness at check-in', () => {
  function setupCheckIn() {
    const store = createAppStore();
    store.getState().loggedIn({ id: 'u1', username: 'nurse', displayName: 'Nurse', role: 'nurse' });
    store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1' })]);
    const server = fakeServer({ protocol: esketamineProtocol, revision: 0 });
    const checkIn = vi.fn((_request: CheckIn) => Promise.resolve(server.initial));
    const api = fakeApi({
      listPatients: () => Promise.resolve([patientJDoe]),
      listProtocols: () => Promise.resolve([esketamineProtocol, ivKetamineProtocol]),
      checkIn,
      postSessionEvent: server.postSessionEvent,
    });
    renderWithApp(<CheckInButton chairId="chair-1" chairName="Chair 1" />, { store, services: fakeServices({ api }) });
    return { store, server, checkIn, user: userEvent.setup() };
  }

  async function toConfirmStep(user: ReturnType<typeof userEvent.setup>) {
    await user.click(screen.getByRole('button', { name: 'Check in patient to Chair 1' }));
    const dialog = screen.getByRole('dialog', { name: 'Check in — Chair 1' });
    await user.click(await within(dialog).findByRole('radio', { name: /J\. Doe/ }));
    await within(dialog).findByRole('option', { name: 'IV ketamine' });
    await user.selectOptions(within(dialog).getByLabelText('Protocol'), 'Esketamine (Spravato)');
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    const confirm = screen.getByRole('dialog', { name: 'Check in — Chair 1' });
    await user.click(within(confirm).getByRole('checkbox', { name: "I have confirmed the patient's identity" }));
    return confirm;
  }

  it('saves what was answered and the escort with the check-in', async () => {
    const { user, server, checkIn, store } = setupCheckIn();
    const confirm = await toConfirmStep(user);
    const list = within(confirm).getByRole('list', { name: 'Readiness checklist' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(9);
    await user.click(within(within(list).getByRole('group', { name: /^Patient enrolled in the REMS/ })).getByRole('button', { name: 'Yes' }));
    await user.click(within(within(list).getByRole('group', { name: 'Takes MAOIs' })).getByRole('button', { name: 'No' }));
    // A second tap takes an answer back.
    const fasting = within(list).getByRole('group', { name: /^No food for 2 h/ });
    await user.click(within(fasting).getByRole('button', { name: 'Yes' }));
    await user.click(within(fasting).getByRole('button', { name: 'Yes' }));
    expect(within(fasting).getByRole('button', { name: 'Yes' })).toHaveAttribute('aria-pressed', 'false');
    await user.type(within(confirm).getByLabelText('Escort’s name'), 'Sam Lee');
    await user.type(within(confirm).getByLabelText('Escort’s phone'), '555 0100');
    await user.click(within(confirm).getByRole('button', { name: 'Check in' }));

    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(checkIn).toHaveBeenCalledTimes(1);
    expect(server.posted).toEqual([
      { type: 'readiness-answered', answers: { 'rems-enrolled': true, 'med-maois': false } },
      { type: 'escort-recorded', name: 'Sam Lee', phone: '555 0100' },
    ]);
    const session = store.getState().chairs['chair-1']?.session;
    expect(session?.record?.escort?.name).toBe('Sam Lee');
    expect(session?.record?.readiness.unmetHardStops).toEqual(['transport-arranged']);
  });

  it('checks in without readiness or escort (they are optional here); a half-written escort is not sent', async () => {
    const { user, server, checkIn } = setupCheckIn();
    const confirm = await toConfirmStep(user);
    await user.type(within(confirm).getByLabelText('Escort’s name'), 'Sam Lee');
    await user.click(within(confirm).getByRole('button', { name: 'Check in' }));
    expect(within(confirm).getByLabelText('Escort’s phone')).toHaveAccessibleDescription(/phone/);
    expect(checkIn).not.toHaveBeenCalled();
    await user.clear(within(confirm).getByLabelText('Escort’s name'));
    await user.click(within(confirm).getByRole('button', { name: 'Check in' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(checkIn).toHaveBeenCalledTimes(1);
    expect(server.posted).toEqual([]);
  });
});
