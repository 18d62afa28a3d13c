import { describe, expect, it, vi } from 'vitest';
import { FakeAlertSocket } from '../features/alarms/test-alerts';
import { createAppStore } from '../store/app-store';
import { testNow } from '../test-utils';
import type { ChairsideSocket } from './live-updates';
import { createScreenAlarmUpdates } from './screen-alarm-updates';
import { screenAlarms } from '../lib/screen-alarms';

const diskFull = { storeWritable: false, problem: 'Readings cannot be saved: the disk is full.', sinceMs: testNow - 3_000 };

function setup() {
  let nowMs = testNow;
  const socket = new FakeAlertSocket();
  const store = createAppStore();
  const warn = vi.fn();
  const updates = createScreenAlarmUpdates({ socket: socket as unknown as ChairsideSocket, store, clock: { now: () => nowMs }, log: { warn } });
  updates.start();
  const state = () => store.getState().screenAlarms;
  /** The live wiring's steps: connect, read the backlog, live. */
  const reconnect = (statusOnConnect?: unknown) => {
    socket.fire('connect', undefined);
    store.getState().connectionChanged('syncing');
    if (statusOnConnect !== undefined) socket.fire('server:status', statusOnConnect);
    store.getState().connectionChanged('live');
  };
  return { socket, store, updates, state, warn, reconnect, at: (ms: number) => (nowMs = testNow + ms) };
}

describe('screen alarm updates', () => {
  it('notes when the connection dropped on this tablet’s clock, and forgets it once live again', () => {
    const { store, state, at, reconnect } = setup();
    reconnect();
    at(1_000);
    store.getState().connectionChanged('disconnected', 'transport close');
    expect(state().connectionLostAtMs).toBe(testNow + 1_000);
    // Socket.IO retries; a refused attempt does not move the start of the loss on.
    at(5_000);
    store.getState().connectionChanged('connecting');
    store.getState().connectionChanged('disconnected', 'xhr poll error');
    expect(state().connectionLostAtMs).toBe(testNow + 1_000);
    // Connected but still reading the backlog: values are not current yet.
    store.getState().connectionChanged('syncing');
    expect(state().connectionLostAtMs).toBe(testNow + 1_000);
    store.getState().connectionChanged('live');
    expect(state().connectionLostAtMs).toBeNull();
  });

  it('holds a store fault from server:status until the server says it can save again', () => {
    const { socket, state, at, reconnect } = setup();
    reconnect();
    at(2_000);
    socket.fire('server:status', diskFull);
    expect(state().storeFault).toEqual({ problem: diskFull.problem, sinceMs: diskFull.sinceMs, heardAtMs: testNow + 2_000 });
    // Said again (another reason): the alarm keeps its onset, so it does not sound twice.
    at(9_000);
    socket.fire('server:status', { ...diskFull, problem: 'Readings cannot be saved: the database is locked by another program.', sinceMs: testNow + 8_000 });
    expect(state().storeFault).toMatchObject({ problem: /locked/, heardAtMs: testNow + 2_000 });
    socket.fire('server:status', { storeWritable: true, problem: null, sinceMs: testNow + 9_000 });
    expect(state().storeFault).toBeNull();
  });

  it('after a reconnect, keeps the fault the server repeats on connect, and drops one it no longer reports', () => {
    const { socket, store, state, reconnect } = setup();
    reconnect();
    socket.fire('server:status', diskFull);
    store.getState().connectionChanged('disconnected', 'transport close');
    reconnect(diskFull);
    expect(state().storeFault?.problem).toBe(diskFull.problem);
    store.getState().connectionChanged('disconnected', 'transport close');
    // It recovered while this screen was away: nothing is said on connect.
    reconnect();
    expect(state().storeFault).toBeNull();
  });

  it('drops a malformed server:status', () => {
    const { socket, state, warn } = setup();
    socket.fire('server:status', { storeWritable: 'no' });
    expect(state().storeFault).toBeNull();
    expect(warn).toHaveBeenCalledWith('dropped a malformed server:status');
  });

  it('stops listening and clears its alarms on stop', () => {
    const { socket, store, updates, state } = setup();
    socket.fire('server:status', diskFull);
    store.getState().connectionChanged('disconnected');
    updates.stop();
    expect(socket.listeners('server:status')).toBe(0);
    expect(state()).toEqual({ connectionLostAtMs: null, storeFault: null, stationFaults: {} });
  });
});

describe('station alarms (station:alarm)', () => {
  const gateway = {
    id: 'hl7-gateway-unreachable',
    active: true,
    category: 'technical',
    priority: 'medium',
    problem: 'Paging gateway unreachable since 10:42 — alarms are not reaching phones/pagers',
    sinceMs: testNow - 60_000,
  };

  it('shows the paging gateway alarm until the server says it ended, in the screen alarms with its words', () => {
    const { socket, state, at, reconnect } = setup();
    reconnect();
    at(1_000);
    socket.fire('station:alarm', gateway);
    expect(state().stationFaults['hl7-gateway-unreachable']).toMatchObject({ problem: gateway.problem, heardAtMs: testNow + 1_000 });
    const alarms = screenAlarms({ screenAlarms: state(), connectionStatus: 'live', clientNowMs: testNow + 1_000 });
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ kind: 'station-fault', title: gateway.problem, alert: { label: 'Paging gateway', category: 'technical', priority: 'medium' } });
    // Repeated (a dashboard reconnecting elsewhere): the onset stays, so it does not sound twice.
    at(5_000);
    socket.fire('station:alarm', gateway);
    expect(state().stationFaults['hl7-gateway-unreachable']?.heardAtMs).toBe(testNow + 1_000);
    socket.fire('station:alarm', { ...gateway, active: false });
    expect(state().stationFaults).toEqual({});
    expect(screenAlarms({ screenAlarms: state(), connectionStatus: 'live', clientNowMs: testNow + 5_000 })).toEqual([]);
  });

  it('after a reconnect, keeps the alarm the server repeats on connect and drops one it no longer reports', () => {
    const { socket, store, state, reconnect } = setup();
    reconnect();
    socket.fire('station:alarm', gateway);
    store.getState().connectionChanged('disconnected', 'transport close');
    socket.fire('connect', undefined);
    store.getState().connectionChanged('syncing');
    socket.fire('station:alarm', gateway);
    store.getState().connectionChanged('live');
    expect(Object.keys(state().stationFaults)).toEqual(['hl7-gateway-unreachable']);
    store.getState().connectionChanged('disconnected', 'transport close');
    reconnect();
    expect(state().stationFaults).toEqual({});
  });

  it('drops a malformed station:alarm', () => {
    const { socket, state, warn } = setup();
    socket.fire('station:alarm', { ...gateway, id: 'something-else' });
    expect(state().stationFaults).toEqual({});
    expect(warn).toHaveBeenCalledWith('dropped a malformed station:alarm');
  });
});
