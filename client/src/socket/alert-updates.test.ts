import { describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../clock';
import { FakeAlertSocket, acknowledged, admin, alertMessage, cleared, makeAlert, nurse } from '../features/alarms/test-alerts';
import { createAppStore } from '../store/app-store';
import { fakeApi, testNow } from '../test-utils';
import { createAlertUpdates } from './alert-updates';
import type { ChairsideSocket } from './live-updates';

const crisis = makeAlert({ id: 'session-1.bp-crisis.1' });
const item = (alert = crisis) => ({ chairId: 'chair-1', sessionId: 'session-1', alert });

function setup(user = nurse, overrides: Parameters<typeof fakeApi>[0] = {}) {
  const store = createAppStore();
  store.getState().loggedIn(user);
  const socket = new FakeAlertSocket();
  const api = fakeApi({ listOpenAlerts: vi.fn(() => Promise.resolve([item()])), ...overrides });
  const alerts = createAlertUpdates({ socket: socket as unknown as ChairsideSocket, store, api, clock: fixedClock(testNow), log: { warn: () => undefined } });
  return { store, socket, api, alerts };
}

describe('alert updates', () => {
  it('reads the open alerts each time the connection turns live (missed events are not replayed)', async () => {
    const { store, api, alerts } = setup();
    alerts.start();
    expect(api.listOpenAlerts).not.toHaveBeenCalled();
    store.getState().connectionChanged('syncing');
    store.getState().connectionChanged('live');
    await vi.waitFor(() => expect(store.getState().alerts.byId[crisis.id]).toBeDefined());
    store.getState().connectionChanged('disconnected');
    store.getState().connectionChanged('live');
    await vi.waitFor(() => expect(api.listOpenAlerts).toHaveBeenCalledTimes(2));
  });

  it('folds alert events and audio pauses into the store and drops malformed ones', () => {
    const { store, socket, alerts } = setup();
    alerts.start();
    socket.fire('alert:raised', alertMessage('alert-raised', crisis));
    socket.fire('alert:raised', { chairId: 'chair-1', event: { type: 'alert-raised' } });
    socket.fire('audio:paused', { chairId: 'chair-1', pause: { pausedUntilMs: testNow + 120_000, pausedAtPriority: 'high' }, by: 'maria' });
    expect(Object.keys(store.getState().alerts.byId)).toEqual([crisis.id]);
    expect(store.getState().alerts.pauses['chair-1']?.by).toBe('maria');
    socket.fire('alert:cleared', alertMessage('alert-cleared', cleared(acknowledged(crisis, testNow), testNow)));
    expect(store.getState().alerts.byId[crisis.id]?.clearedSeenAtMs).toBe(testNow);
  });

  it('acknowledges over HTTP while the socket is down', async () => {
    const acknowledgeAlert = vi.fn(() => Promise.resolve(acknowledged(crisis, testNow, 'seen')));
    const { store, socket, alerts } = setup(nurse, { acknowledgeAlert });
    store.getState().alertEventReceived(alertMessage('alert-raised', crisis), testNow);
    socket.connected = false;
    await alerts.acknowledge(crisis.id, '  seen ');
    expect(acknowledgeAlert).toHaveBeenCalledWith(crisis.id, 'seen');
    expect(socket.emitted).toEqual([]);
    expect(store.getState().alerts.byId[crisis.id]?.alert.status).toBe('acknowledged');
  });

  it('turns a refused acknowledgement into an error with the server’s status', async () => {
    const { socket, alerts } = setup();
    socket.answer = () => Promise.resolve({ error: { code: 'conflict', message: 'Alert has already cleared; it stays in the history.' } });
    await expect(alerts.acknowledge(crisis.id)).rejects.toMatchObject({ status: 409, message: 'Alert has already cleared; it stays in the history.' });
    expect(socket.emitted).toEqual([{ event: 'alert:acknowledge', payload: { alertId: crisis.id } }]);
  });

  it('leaves alarms alone for an admin (the server answers 403)', () => {
    const { store, socket, api, alerts } = setup(admin);
    store.getState().connectionChanged('live');
    alerts.start();
    expect(socket.listeners('alert:raised')).toBe(0);
    expect(api.listOpenAlerts).not.toHaveBeenCalled();
  });
});
