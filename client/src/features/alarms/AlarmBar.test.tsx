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
import { formatClock } from '../chairs/vital-format';
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

function setup({ alerts = [] as { alert: Alert; chairId: string }[], user = nurse, clock = fixedClock(testNow) as Clock } = {}) {
  const store = createAppStore();
  store.getState().loggedIn(user);
  store.getState().chairsLoaded([1, 2, 3].map((n) => makeChair({ id: `chair-${n}`, name: `Chair ${n}`, position: n })));
  store.getState().connectionChanged('live');
  const items = alerts.map(({ alert, chairId }) => ({ chairId, sessionId: `session-${chairId.slice(-1)}`, alert }));
  for (const { alert, chairId, sessionId } of items) {
    store.getState().alertEventReceived(alertMessage('alert-raised', alert, testNow, chairId, sessionId), testNow);
  }
  const socket = new FakeAlertSocket();
  const api = fakeApi({ listOpenAlerts: () => Promise.resolve(items) });
  const alertUpdates = createAlertUpdates({ socket: socket as unknown as ChairsideSocket, store, api, clock, log: { warn: () => undefined } });
  alertUpdates.start();
  const screenAlarms = createScreenAlarmUpdates({ socket: socket as unknown as ChairsideSocket, store, clock, log: { warn: () => undefined } });
  screenAlarms.start();
  renderWithApp(<AlarmBar />, { store, services: fakeServices({ alerts: alertUpdates, screenAlarms, clock }) });
  return { store, socket, user: userEvent.setup() };
}

const diskFull = { storeWritable: false, problem: 'Readings cannot be saved: the disk is full.', sinceMs: testNow - 3_000 };
const screenAlarm = (text: string) => within(bar()).getAllByRole('alert').find((el) => el.textContent?.includes(text));

const bar = () => screen.getByRole('region', { name: 'Active alarms' });

afterEach(() => {
  vi.useRealTimers();
});

describe('AlarmBar', () => {
  it('lists alarms by priority, then newest first, each with symbol, priority word, chair, value and limit', () => {
    setup({
      alerts: [
        { alert: tachycardia, chairId: 'chair-1' },
        { alert: desaturation, chairId: 'chair-3' },
        { alert: crisis, chairId: 'chair-2' },
        { alert: overdue, chairId: 'chair-1' },
      ],
    });
    const items = within(bar()).getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('.alarm-symbol')?.textContent)).toEqual(['!!!', '!!', '!!', '!']);
    expect(items[0]).toHaveTextContent(/High.*Chair 2.*Hypertensive crisis.*SBP 204 ≥ 200.*Raised 1 min ago/);
    expect(items[1]).toHaveTextContent(/Medium.*Technical.*Chair 1.*BP overdue.*No BP for 12 min \(due every 5\)/);
    expect(items[2]).toHaveTextContent(/Medium.*Chair 3.*Desaturation/);
    expect(items[3]).toHaveTextContent(/Low.*Chair 1.*Tachycardia.*HR 114 > 110/);
    expect(items[1]).toHaveClass('alarm-item--technical');
    expect(within(bar()).getAllByRole('button', { name: /^Acknowledge / })[0]).toHaveAccessibleName('Acknowledge SBP 204 ≥ 200 on Chair 2');
  });

  it('says a latched high alarm waits for acknowledgement after the value recovered', () => {
    setup({ alerts: [{ alert: { ...crisis, conditionResolvedAtMs: testNow - 5_000 }, chairId: 'chair-2' }] });
    expect(within(bar()).getByText('(value recovered — acknowledge to clear)')).toBeInTheDocument();
  });

  it('acknowledges with a note over the socket, and shows who acknowledged', async () => {
    const { socket, user } = setup({ alerts: [{ alert: crisis, chairId: 'chair-2' }] });
    const ackAt = testNow + 2_000;
    socket.answer = () => Promise.resolve(acknowledged(crisis, ackAt, 'BP rechecked, doctor informed'));

    await user.click(screen.getByRole('button', { name: 'Acknowledge SBP 204 ≥ 200 on Chair 2' }));
    const dialog = screen.getByRole('dialog', { name: 'Acknowledge alarm — Chair 2' });
    await user.type(within(dialog).getByLabelText('Note (optional)'), 'BP rechecked, doctor informed');
    await user.click(within(dialog).getByRole('button', { name: 'Acknowledge' }));

    expect(socket.emitted).toEqual([{ event: 'alert:acknowledge', payload: { alertId: crisis.id, note: 'BP rechecked, doctor informed' } }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const item = within(bar()).getByRole('listitem');
    expect(item).toHaveTextContent(`Acknowledged by maria at ${formatClock(ackAt)} — “BP rechecked, doctor informed”`);
    expect(within(item).queryByRole('button')).not.toBeInTheDocument();
    expect(item).toHaveClass('is-acknowledged');
  });

  it('shows an acknowledgement made on another screen as soon as its event arrives', () => {
    const { socket } = setup({ alerts: [{ alert: crisis, chairId: 'chair-2' }] });
    const item = within(bar()).getByRole('listitem');
    expect(item).toHaveClass('is-active');
    act(() => socket.fire('alert:acknowledged', alertMessage('alert-acknowledged', acknowledged(crisis, testNow + 1_000, null), testNow + 1_000, 'chair-2', 'session-2')));
    expect(item).toHaveTextContent(`Acknowledged by maria at ${formatClock(testNow + 1_000)}`);
    expect(item).toHaveClass('is-acknowledged');
    expect(within(item).queryByRole('button', { name: /^Acknowledge/ })).not.toBeInTheDocument();
  });

  it('titles a low “recheck BP now” prompt by the reading, not like the severe-hypertension condition', () => {
    setup({ alerts: [{ alert: recheck, chairId: 'chair-1' }] });
    const item = within(bar()).getByRole('listitem');
    expect(item).toHaveTextContent(/Low.*Chair 1.*Recheck BP now: 186\/100.*SBP 186 ≥ 180 — recheck BP now/);
    expect(item).not.toHaveTextContent('Severe hypertension');
  });

  it('says an alarm escalated after its acknowledgement waits again, not that it is acknowledged', () => {
    const ackAt = testNow - 120_000;
    const escalated: Alert = { ...acknowledged(recheck, ackAt), status: 'active', priority: 'medium', escalatedAtMs: testNow - 10_000, message: 'SBP 186 ≥ 180 — no recheck BP within 5 min' };
    setup({ alerts: [{ alert: escalated, chairId: 'chair-1' }] });
    const item = within(bar()).getByRole('listitem');
    expect(item).toHaveTextContent('Escalated after acknowledgement');
    expect(item).not.toHaveTextContent('Acknowledged by');
    expect(item).toHaveClass('is-active');
    expect(within(item).getByRole('button', { name: /^Acknowledge / })).toBeInTheDocument();
  });

  it('keeps the dialog open and says why when the server refuses', async () => {
    const { socket, user } = setup({ alerts: [{ alert: crisis, chairId: 'chair-2' }] });
    socket.answer = () => Promise.resolve({ error: { code: 'forbidden', message: 'This needs the nurse or clinician role.' } });
    await user.click(screen.getByRole('button', { name: 'Acknowledge SBP 204 ≥ 200 on Chair 2' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Acknowledge' }));
    expect(await within(screen.getByRole('dialog')).findByRole('alert')).toHaveTextContent('Not acknowledged: This needs the nurse or clinician role.');
  });

  it('raises the lost connection as a medium technical alarm after 10 s, not before, and drops it once live again', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let nowMs = testNow;
    const { store } = setup({ clock: { now: () => nowMs }, alerts: [{ alert: crisis, chairId: 'chair-2' }] });
    const tick = (toMs: number) =>
      act(() => {
        nowMs = testNow + toMs;
        vi.advanceTimersByTime(1_000);
      });
    act(() => store.getState().connectionChanged('disconnected', 'transport close'));
    tick(9_999);
    expect(within(bar()).queryByRole('alert')).not.toBeInTheDocument();

    tick(10_000);
    const alarm = within(bar()).getByRole('alert');
    expect(alarm).toHaveTextContent(`Connection to server lost — values shown are stale since ${formatClock(testNow)}`);
    expect(alarm).toHaveTextContent(/Medium.*Technical.*This screen.*Connection lost/);
    expect(alarm.querySelector('.alarm-symbol')?.textContent).toBe('!!');
    expect(alarm).toHaveClass('alarm-item--medium', 'alarm-item--technical', 'is-active');
    // The screen's own: nothing to acknowledge, and it says how it ends.
    expect(within(alarm).queryByRole('button')).not.toBeInTheDocument();
    expect(alarm).toHaveTextContent('Clears by itself when fixed; nothing to acknowledge. “Mute 2 min” silences it.');
    // Above the chairs' alarms, which may be out of date meanwhile.
    expect(bar().querySelector('.alarm-item')).toBe(alarm);

    act(() => store.getState().connectionChanged('syncing'));
    expect(within(bar()).getByRole('alert')).toHaveTextContent('Reconnected — reading the values missed meanwhile.');
    act(() => store.getState().connectionChanged('live'));
    expect(within(bar()).queryByRole('alert')).not.toBeInTheDocument();
    await waitFor(() => expect(within(bar()).getAllByRole('listitem')).toHaveLength(1));
  });

  it('shows the server’s store fault as a medium technical alarm until it can save again', () => {
    const { socket } = setup();
    act(() => socket.fire('server:status', diskFull));
    const alarm = screenAlarm('the disk is full');
    expect(alarm).toHaveTextContent(/Medium.*Technical.*This screen.*Readings not saved.*Readings cannot be saved: the disk is full\./);
    expect(alarm).toHaveTextContent(`Since ${formatClock(diskFull.sinceMs)}. New readings are not stored or shown until the server can save again.`);
    expect(alarm?.querySelector('.alarm-symbol')?.textContent).toBe('!!');
    expect(within(bar()).queryByText('No active alarms')).not.toBeInTheDocument();
    act(() => socket.fire('server:status', { storeWritable: true, problem: null, sinceMs: testNow }));
    expect(within(bar()).queryByRole('alert')).not.toBeInTheDocument();
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
    expect(within(bar()).queryByRole('button')).not.toBeInTheDocument();
    expect(within(bar()).queryByText(/SBP 204/)).not.toBeInTheDocument();
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
