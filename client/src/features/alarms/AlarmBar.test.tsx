import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Alert } from '@chairside/shared';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Clock, fixedClock } from '../../clock';
import { PageTitle } from '../../components/PageTitle';
import { createAlertUpdates } from '../../socket/alert-updates';
import { createScreenAlarmUpdates } from '../../socket/screen-alarm-updates';
import type { ChairsideSocket } from '../../socket/live-updates';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, renderWithApp, testNow } from '../../test-utils';
import { formatClock } from '../../lib/vital-format';
import { AlarmBar } from './AlarmBar';
import { FakeAlertSocket, acknowledged, admin, alertMessage, makeAlert, nurse } from './test-alerts';

const crisis = makeAlert({ id: 'session-2.bp-crisis.1', raisedAtMs: testNow - 60_000 });
const overdue = makeAlert({
  id: 'session-1.bp-overdue.4',
  ruleId: 'bp-overdue',
  label: 'BP overdue',
  category: 'technical',
  priority: 'medium',
  message: 'No BP for 12 min (due every 5)',
  facts: { kind: 'bp-overdue', minutesWithoutBp: 12, intervalMin: 5 },
  raisedAtMs: testNow - 10_000,
});
const desaturation = makeAlert({
  id: 'session-3.spo2-low.2',
  ruleId: 'spo2-low',
  label: 'Desaturation',
  priority: 'medium',
  message: 'SpO₂ 90% < 92% for 20 s',
  raisedAtMs: testNow - 30_000,
});
const recheck = makeAlert({
  id: 'session-1.bp-severe.1',
  ruleId: 'bp-severe',
  label: 'Severe hypertension',
  priority: 'low',
  message: 'SBP 186 ≥ 180 — recheck BP now',
  facts: {
    kind: 'bp-threshold',
    breaches: [{ field: 'systolic', value: 186, comparator: '>=', limit: 180 }],
    readings: 1,
    requiredReadings: 2,
    prompt: 'recheck BP now',
    bp: { systolic: 186, diastolic: 100 },
    measuredAt: new Date(testNow - 20_000).toISOString(),
  },
  raisedAtMs: testNow - 20_000,
});
const tachycardia = makeAlert({ id: 'session-1.hr-high.1', ruleId: 'hr-high', label: 'Tachycardia', priority: 'low', message: 'HR 114 > 110 for 2 min', raisedAtMs: testNow - 300_000 });

function setup({
  alerts = [] as { alert: Alert; chairId: string }[],
  /** Open on the server, first heard of in the list this screen reads as it starts. */
  listedOnly = [] as { alert: Alert; chairId: string }[],
  user = nurse,
  clock = fixedClock(testNow) as Clock,
} = {}) {
  const store = createAppStore();
  store.getState().loggedIn(user);
  store.getState().chairsLoaded([1, 2, 3].map((n) => makeChair({ id: `chair-${n}`, name: `Chair ${n}`, position: n })));
  store.getState().connectionChanged('live');
  const items = alerts.map(({ alert, chairId }) => ({ chairId, sessionId: `session-${chairId.slice(-1)}`, alert }));
  for (const { alert, chairId, sessionId } of items) {
    store.getState().alertEventReceived(alertMessage('alert-raised', alert, testNow, chairId, sessionId), testNow);
  }
  const socket = new FakeAlertSocket();
  const listed = [...items, ...listedOnly.map(({ alert, chairId }) => ({ chairId, sessionId: `session-${chairId.slice(-1)}`, alert }))];
  const api = fakeApi({ listOpenAlerts: () => Promise.resolve(listed) });
  const alertUpdates = createAlertUpdates({ socket: socket as unknown as ChairsideSocket, store, api, clock, log: { warn: () => undefined } });
  alertUpdates.start();
  const screenAlarms = createScreenAlarmUpdates({ socket: socket as unknown as ChairsideSocket, store, clock, log: { warn: () => undefined } });
  screenAlarms.start();
  renderWithApp(<AlarmBar />, { store, services: fakeServices({ alerts: alertUpdates, screenAlarms, clock }) });
  return { store, socket, user: userEvent.setup() };
}

const diskFull = { storeWritable: false, problem: 'Readings cannot be saved: the disk is full.', sinceMs: testNow - 3_000 };
const screenAlarm = (text: string) => within(bar()).getAllByRole('alert').find((el) => el.textContent.includes(text));

const bar = () => screen.getByRole('region', { name: 'Active alarms' });
/** The strip's one alarm (the list, when open, is a separate region). */
const stripAlarm = () => {
  const found = bar().querySelector<HTMLElement>('.alarm-strip__alarm');
  if (found === null) throw new Error('the strip shows no alarm');
  return found;
};
const moreButton = () => within(bar()).getByRole('button', { name: /more alarms?$|acknowledged, still open$/ });
const list = () => screen.getByRole('region', { name: /^All alarms/ });

afterEach(() => {
  vi.useRealTimers();
});

describe('alarm strip', () => {
  it('shows only the most urgent alarm: symbol, priority word, chair, title, value, how long and Acknowledge, and “+N more”', () => {
    setup({
      alerts: [
        { alert: tachycardia, chairId: 'chair-1' },
        { alert: desaturation, chairId: 'chair-3' },
        { alert: crisis, chairId: 'chair-2' },
        { alert: overdue, chairId: 'chair-1' },
      ],
    });
    const alarm = stripAlarm();
    expect(alarm.querySelector('.alarm-symbol')?.textContent).toBe('!!!');
    expect(alarm).toHaveTextContent(/High.*Chair 2.*Hypertensive crisis.*SBP 204 ≥ 200.*1 min ago/);
    expect(bar()).toHaveClass('alarm-strip--high');
    // One alarm only: the others are behind "+3 more".
    expect(bar().querySelectorAll('.alarm-strip__alarm')).toHaveLength(1);
    expect(within(bar()).queryByText(/Desaturation|Tachycardia|BP overdue/)).not.toBeInTheDocument();
    expect(within(bar()).getAllByRole('button', { name: /^Acknowledge / })).toHaveLength(1);
    expect(within(alarm).getByRole('button', { name: /^Acknowledge / })).toHaveAccessibleName('Acknowledge SBP 204 ≥ 200 on Chair 2');
    expect(moreButton()).toHaveTextContent('+3 more');
    expect(moreButton()).toHaveAccessibleName('+3 more alarms');
    expect(moreButton()).toHaveAttribute('aria-expanded', 'false');
  });

  it('opens the full list from “+N more”: every alarm by priority, each with its Acknowledge; Escape closes it', async () => {
    const { user } = setup({
      alerts: [
        { alert: tachycardia, chairId: 'chair-1' },
        { alert: desaturation, chairId: 'chair-3' },
        { alert: crisis, chairId: 'chair-2' },
        { alert: overdue, chairId: 'chair-1' },
      ],
    });
    await user.click(moreButton());
    expect(moreButton()).toHaveAttribute('aria-expanded', 'true');
    const items = within(list()).getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('.alarm-symbol')?.textContent)).toEqual(['!!!', '!!', '!!', '!']);
    expect(items[0]).toHaveTextContent(/High.*Chair 2.*Hypertensive crisis.*SBP 204 ≥ 200.*Raised 1 min ago/);
    expect(items[1]).toHaveTextContent(/Medium.*Technical.*Chair 1.*BP overdue.*No BP for 12 min \(due every 5\)/);
    expect(items[1]).toHaveClass('alarm-item--technical');
    expect(items[2]).toHaveTextContent(/Medium.*Chair 3.*Desaturation/);
    expect(items[3]).toHaveTextContent(/Low.*Chair 1.*Tachycardia.*HR 114 > 110/);
    expect(within(list()).getAllByRole('button', { name: /^Acknowledge / }).map((button) => button.getAttribute('aria-label'))).toEqual([
      'Acknowledge SBP 204 ≥ 200 on Chair 2',
      'Acknowledge No BP for 12 min (due every 5) on Chair 1',
      'Acknowledge SpO₂ 90% < 92% for 20 s on Chair 3',
      'Acknowledge HR 114 > 110 for 2 min on Chair 1',
    ]);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: /^All alarms/ })).not.toBeInTheDocument();
    expect(moreButton()).toHaveFocus();
  });

  it('keeps a technical (no-data) alarm in its place by priority', () => {
    const noData = makeAlert({
      id: 'session-3.no-data.1',
      ruleId: 'no-data',
      label: 'No data',
      category: 'technical',
      priority: 'medium',
      message: 'No reading for 60 s',
      facts: { kind: 'no-data', silentSec: 60 },
      raisedAtMs: testNow - 5_000,
    });
    setup({ alerts: [{ alert: tachycardia, chairId: 'chair-1' }, { alert: noData, chairId: 'chair-3' }] });
    // Above the older low alarm…
    expect(stripAlarm()).toHaveTextContent(/Medium.*Technical.*Chair 3.*No data.*No reading for 60 s/);
    expect(stripAlarm()).toHaveClass('alarm-strip__alarm--technical');
    expect(moreButton()).toHaveTextContent('+1 more');
  });

  it('lets an acknowledged alarm leave the strip: the next one moves up, the acknowledged one stays in the list', async () => {
    const { socket, user } = setup({ alerts: [{ alert: crisis, chairId: 'chair-2' }, { alert: desaturation, chairId: 'chair-3' }] });
    const ackAt = testNow + 2_000;
    socket.answer = () => Promise.resolve(acknowledged(crisis, ackAt, 'BP rechecked, doctor informed'));

    await user.click(within(stripAlarm()).getByRole('button', { name: 'Acknowledge SBP 204 ≥ 200 on Chair 2' }));
    const dialog = screen.getByRole('dialog', { name: 'Acknowledge alarm — Chair 2' });
    await user.type(within(dialog).getByLabelText('Note (optional)'), 'BP rechecked, doctor informed');
    await user.click(within(dialog).getByRole('button', { name: 'Acknowledge' }));

    expect(socket.emitted).toEqual([{ event: 'alert:acknowledge', payload: { alertId: crisis.id, note: 'BP rechecked, doctor informed' } }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(stripAlarm()).toHaveTextContent(/Medium.*Chair 3.*Desaturation/);
    expect(bar()).toHaveClass('alarm-strip--medium');
    // The button that opened the dialog left with its alarm: focus goes to the next Acknowledge.
    expect(within(stripAlarm()).getByRole('button', { name: /^Acknowledge / })).toHaveFocus();
    expect(within(bar()).queryByText(/SBP 204/)).not.toBeInTheDocument();

    await user.click(moreButton());
    expect(moreButton()).toHaveTextContent('1 acknowledged');
    const acknowledgedItem = within(list()).getAllByRole('listitem').find((item) => item.textContent?.includes('SBP 204'));
    expect(acknowledgedItem).toHaveTextContent(`Acknowledged by maria at ${formatClock(ackAt)} — “BP rechecked, doctor informed”`);
    expect(acknowledgedItem).toHaveClass('is-acknowledged');
    expect(within(acknowledgedItem as HTMLElement).queryByRole('button')).not.toBeInTheDocument();
  });

  it('lets an alarm acknowledged on another screen leave the strip as soon as its event arrives', () => {
    const { socket } = setup({ alerts: [{ alert: crisis, chairId: 'chair-2' }] });
    expect(stripAlarm()).toHaveTextContent('SBP 204 ≥ 200');
    act(() => socket.fire('alert:acknowledged', alertMessage('alert-acknowledged', acknowledged(crisis, testNow + 1_000, null), testNow + 1_000, 'chair-2', 'session-2')));
    expect(bar().querySelector('.alarm-strip__alarm')).toBeNull();
    expect(bar()).toHaveClass('alarm-strip--quiet');
    expect(bar().querySelector('.alarm-strip__quiet')).toHaveTextContent('No alarm waiting');
    expect(moreButton()).toHaveAccessibleName('1 acknowledged, still open');
  });

  it('brings an acknowledged alarm back when it escalates, saying so instead of “Acknowledged by”', () => {
    const { socket } = setup({ alerts: [{ alert: acknowledged(recheck, testNow - 120_000), chairId: 'chair-1' }] });
    expect(bar().querySelector('.alarm-strip__alarm')).toBeNull();

    const escalated: Alert = {
      ...acknowledged(recheck, testNow - 120_000),
      status: 'active',
      priority: 'medium',
      escalatedAtMs: testNow - 10_000,
      message: 'SBP 186 ≥ 180 — no recheck BP within 5 min',
    };
    act(() => socket.fire('alert:escalated', alertMessage('alert-escalated', escalated, testNow - 10_000, 'chair-1', 'session-1')));
    expect(stripAlarm()).toHaveTextContent(/Medium.*Chair 1.*Escalated after acknowledgement.*SBP 186 ≥ 180 — no recheck BP within 5 min/);
    expect(within(stripAlarm()).getByRole('button', { name: /^Acknowledge / })).toHaveAccessibleName('Acknowledge SBP 186 ≥ 180 — no recheck BP within 5 min on Chair 1');
    expect(stripAlarm()).not.toHaveTextContent('Acknowledged by');
  });

  it('titles a low “recheck BP now” prompt by the reading, not like the severe-hypertension condition', () => {
    setup({ alerts: [{ alert: recheck, chairId: 'chair-1' }] });
    expect(stripAlarm()).toHaveTextContent(/Low.*Chair 1.*Recheck BP now: 186\/100.*SBP 186 ≥ 180 — recheck BP now/);
    expect(stripAlarm()).not.toHaveTextContent('Severe hypertension');
  });

  it('says a latched high alarm waits for acknowledgement after the value recovered', () => {
    setup({ alerts: [{ alert: { ...crisis, conditionResolvedAtMs: testNow - 5_000 }, chairId: 'chair-2' }] });
    expect(stripAlarm()).toHaveTextContent('Value recovered — acknowledge to clear');
  });

  it('keeps to one line: every text of the strip is a single clamped line, the whole alarm in its title', () => {
    setup({ alerts: [{ alert: overdue, chairId: 'chair-1' }, { alert: crisis, chairId: 'chair-2' }] });
    // Priority and chair keep their width; the title and the value end in "…" when they do not fit.
    expect(stripAlarm().querySelector('.alarm-strip__who')).toHaveTextContent(/^High\s*Chair 2$/);
    expect(stripAlarm().querySelector('.alarm-strip__title')).toHaveClass('alarm-strip__line');
    expect(stripAlarm().querySelector('.alarm-strip__value')).toHaveClass('alarm-strip__line');
    expect(stripAlarm()).toHaveAttribute('title', 'High alarm, Chair 2: Hypertensive crisis. SBP 204 ≥ 200');
  });

  it('keeps the dialog open and says why when the server refuses', async () => {
    const { socket, user } = setup({ alerts: [{ alert: crisis, chairId: 'chair-2' }] });
    socket.answer = () => Promise.resolve({ error: { code: 'forbidden', message: 'This needs the nurse or clinician role.' } });
    await user.click(screen.getByRole('button', { name: 'Acknowledge SBP 204 ≥ 200 on Chair 2' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Acknowledge' }));
    expect(await within(screen.getByRole('dialog')).findByRole('alert')).toHaveTextContent('Not acknowledged: This needs the nurse or clinician role.');
  });

  it('announces a new alarm once, and an escalation again, but not the alarms open at load nor every redraw', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let nowMs = testNow;
    const { socket } = setup({ clock: { now: () => nowMs }, alerts: [{ alert: tachycardia, chairId: 'chair-1' }], listedOnly: [{ alert: desaturation, chairId: 'chair-3' }] });
    const announcer = () => {
      const found = bar().querySelector('[aria-live="assertive"]');
      if (found === null) throw new Error('no announcer');
      return found;
    };
    await waitFor(() => expect(within(bar()).getByRole('status')).toHaveTextContent('2 alarms wait for acknowledgement'));
    expect(announcer()).toHaveTextContent('');

    act(() => socket.fire('alert:raised', alertMessage('alert-raised', crisis, testNow, 'chair-2', 'session-2')));
    expect(announcer()).toHaveTextContent('New: High alarm, Chair 2: Hypertensive crisis. SBP 204 ≥ 200');
    expect(within(bar()).getByRole('status')).toHaveTextContent('3 alarms wait for acknowledgement');

    // A second ticks by, the age changes: nothing new to say.
    const said = announcer().textContent;
    act(() => {
      nowMs = testNow + 1_000;
      vi.advanceTimersByTime(1_000);
    });
    expect(announcer().textContent).toBe(said);

    const escalated: Alert = { ...tachycardia, priority: 'medium', escalatedAtMs: testNow + 2_000 };
    act(() => socket.fire('alert:escalated', alertMessage('alert-escalated', escalated, testNow + 2_000, 'chair-1', 'session-1')));
    expect(announcer()).toHaveTextContent('New: Medium alarm, Chair 1: Tachycardia. HR 114 > 110 for 2 min');
  });

  it('ranks the lost connection as a medium technical alarm of this screen: after 10 s, below a high alarm, gone once live again', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let nowMs = testNow;
    const { store, socket } = setup({ clock: { now: () => nowMs }, alerts: [{ alert: desaturation, chairId: 'chair-3' }] });
    const tick = (toMs: number) =>
      act(() => {
        nowMs = testNow + toMs;
        vi.advanceTimersByTime(1_000);
      });
    act(() => store.getState().connectionChanged('disconnected', 'transport close'));
    tick(9_999);
    expect(within(bar()).queryByRole('alert')).not.toBeInTheDocument();

    tick(10_000);
    // At equal priority it leads: while it lasts every other value may be out of date.
    const alarm = within(bar()).getByRole('alert');
    expect(alarm).toHaveTextContent(`Connection to server lost — values shown are stale since ${formatClock(testNow)}`);
    expect(alarm).toHaveTextContent(/Medium.*Technical.*This screen.*Connection lost/);
    expect(alarm.querySelector('.alarm-symbol')?.textContent).toBe('!!');
    expect(within(alarm).queryByRole('button', { name: /^Acknowledge/ })).not.toBeInTheDocument();
    expect(alarm).toHaveAttribute('title', expect.stringContaining('Reconnecting automatically'));
    expect(moreButton()).toHaveTextContent('+1 more');

    // A high alarm of a chair goes first; the lost connection waits in the list.
    act(() => socket.fire('alert:raised', alertMessage('alert-raised', crisis, testNow, 'chair-2', 'session-2')));
    expect(stripAlarm()).toHaveTextContent('SBP 204 ≥ 200');
    expect(moreButton()).toHaveTextContent('+2 more');

    act(() => store.getState().connectionChanged('live'));
    expect(within(bar()).queryByRole('alert')).not.toBeInTheDocument();
    await waitFor(() => expect(moreButton()).toHaveTextContent('+1 more'));
  });

  it('shows the server’s store fault as a medium technical alarm until it can save again', async () => {
    const { socket } = setup();
    await waitFor(() => expect(bar()).toHaveTextContent('No active alarms'));
    act(() => socket.fire('server:status', diskFull));
    const alarm = screenAlarm('the disk is full');
    expect(alarm).toHaveTextContent(/Medium.*Technical.*This screen.*Readings not saved.*Readings cannot be saved: the disk is full\./);
    expect(alarm).toHaveAttribute('title', expect.stringContaining(`Since ${formatClock(diskFull.sinceMs)}. New readings are not stored or shown until the server can save again.`));
    expect(alarm?.querySelector('.alarm-symbol')?.textContent).toBe('!!');
    expect(within(bar()).queryByText('No active alarms')).not.toBeInTheDocument();
    act(() => socket.fire('server:status', { storeWritable: true, problem: null, sinceMs: testNow }));
    expect(within(bar()).queryByRole('alert')).not.toBeInTheDocument();
    expect(bar()).toHaveTextContent('No active alarms');
  });

  it('shows the paging gateway being unreachable as a medium technical alarm until the server says it answers again', async () => {
    const { socket } = setup();
    await waitFor(() => expect(bar()).toHaveTextContent('No active alarms'));
    const problem = 'Paging gateway unreachable since 10:42 — alarms are not reaching phones/pagers';
    const gateway = { id: 'hl7-gateway-unreachable', active: true, category: 'technical', priority: 'medium', problem, sinceMs: testNow - 60_000 };
    act(() => socket.fire('station:alarm', gateway));
    const alarm = screenAlarm('Paging gateway unreachable');
    expect(alarm).toHaveTextContent(/Medium.*Technical.*Paging gateway.*Paging gateway unreachable since 10:42 — alarms are not reaching phones\/pagers/);
    expect(alarm?.querySelector('.alarm-symbol')?.textContent).toBe('!!');
    act(() => socket.fire('station:alarm', { ...gateway, active: false }));
    expect(within(bar()).queryByRole('alert')).not.toBeInTheDocument();
    expect(bar()).toHaveTextContent('No active alarms');
  });

  it('shows an admin the screen’s alarms, but no alarm controls', () => {
    const { store, socket } = setup({ user: admin, alerts: [{ alert: crisis, chairId: 'chair-2' }] });
    expect(screen.queryByRole('region', { name: 'Active alarms' })).not.toBeInTheDocument();
    act(() => socket.fire('server:status', diskFull));
    expect(screenAlarm('the disk is full')).toBeDefined();
    act(() => {
      // Lost 10 s ago already.
      store.getState().connectionLost(testNow - 10_000);
      store.getState().connectionChanged('disconnected');
    });
    expect(screenAlarm('Connection to server lost')).toBeDefined();
    expect(within(bar()).queryByRole('button', { name: /^Acknowledge/ })).not.toBeInTheDocument();
    expect(within(bar()).queryByText(/SBP 204/)).not.toBeInTheDocument();
  });
});

describe('alarm strip styles', () => {
  const alarmsCss = readFileSync(join(import.meta.dirname, '../../styles/alarms.css'), 'utf8');
  // jsdom has no layout: the rules that hold the strip to its height are checked here, the measured
  // heights in the browser tests.
  const rule = (selector: string, within = alarmsCss) => {
    const start = within.indexOf(`${selector} {`);
    if (start < 0) throw new Error(`no rule for ${selector}`);
    return within.slice(start, within.indexOf('}', start));
  };
  const rem = (value: string) => Number(/([\d.]+)rem/.exec(value)?.[1] ?? Number.NaN) * 16;

  it('holds the strip to a fixed height: 52 px on a tablet, at most 92 px on a phone, never more lines', () => {
    expect(rule('.alarm-strip')).toMatch(/max-height: var\(--strip-height\)/);
    expect(rem(/--strip-height: ([^;]+);/.exec(rule('.alarm-strip'))?.[1] ?? '')).toBeLessThanOrEqual(52);
    const phone = alarmsCss.slice(alarmsCss.indexOf('@media (max-width: 700px)'));
    expect(rem(/--strip-height: ([^;]+);/.exec(rule('.alarm-strip:not(.alarm-strip--quiet)', phone))?.[1] ?? '')).toBeLessThanOrEqual(92);
    expect(rule('.alarm-strip__line')).toMatch(/white-space: nowrap;[\s\S]*text-overflow: ellipsis;/);
    expect(rule('.alarm-strip__who')).toMatch(/white-space: nowrap;/);
  });
});

describe('browser tab title', () => {
  it('leads with the number of unacknowledged alarms and the most urgent symbol', () => {
    const store = createAppStore();
    renderWithApp(<PageTitle title="Chairs" />, { store });
    expect(document.title).toBe('Chairs — Chairside');

    act(() => {
      store.getState().alertEventReceived(alertMessage('alert-raised', desaturation, testNow, 'chair-3', 'session-3'), testNow);
      store.getState().alertEventReceived(alertMessage('alert-raised', tachycardia, testNow, 'chair-1', 'session-1'), testNow);
    });
    expect(document.title).toBe('(2) !! Chairs — Chairside');

    act(() => store.getState().alertEventReceived(alertMessage('alert-raised', crisis, testNow, 'chair-2', 'session-2'), testNow));
    expect(document.title).toBe('(3) !!! Chairs — Chairside');

    act(() => store.getState().alertEventReceived(alertMessage('alert-acknowledged', acknowledged(crisis, testNow + 1)), testNow + 1));
    expect(document.title).toBe('(2) !! Chairs — Chairside');

    // The screen's own alarms count too.
    act(() => store.getState().storeFaultReported({ problem: 'Readings cannot be saved: the disk is full.', sinceMs: testNow }, testNow));
    expect(document.title).toBe('(3) !! Chairs — Chairside');
  });
});
