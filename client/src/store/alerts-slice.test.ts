import { describe, expect, it } from 'vitest';
import { acknowledged, alertMessage, cleared, makeAlert } from '../features/alarms/test-alerts';
import { testNow } from '../test-utils';
import { createAppStore } from './app-store';

const crisis = makeAlert({ id: 'session-1.bp-crisis.1' });
const item = (alert = crisis) => ({ chairId: 'chair-1', sessionId: 'session-1', alert });

describe('alerts slice', () => {
  it('applies an event once: a duplicate changes nothing', () => {
    const store = createAppStore();
    store.getState().alertEventReceived(alertMessage('alert-raised', crisis), testNow);
    const before = store.getState();
    store.getState().alertEventReceived(alertMessage('alert-raised', crisis), testNow + 50);
    expect(store.getState()).toBe(before);
    expect(store.getState().alerts.byId[crisis.id]?.alert.status).toBe('active');
  });

  it('never goes back to an older snapshot: a list read before an acknowledgement does not undo it', () => {
    const store = createAppStore();
    const ack = acknowledged(crisis, testNow, 'seen');
    store.getState().alertEventReceived(alertMessage('alert-acknowledged', ack), testNow);
    store.getState().alertsLoaded([item(crisis)], testNow - 10, testNow + 10);
    expect(store.getState().alerts.byId[crisis.id]?.alert.acknowledgements).toHaveLength(1);
  });

  it('keeps a cleared alert visible for 5 s, then drops it; a late snapshot never brings it back', () => {
    const store = createAppStore();
    store.getState().alertEventReceived(alertMessage('alert-raised', crisis), testNow);
    store.getState().alertEventReceived(alertMessage('alert-cleared', cleared(acknowledged(crisis, testNow + 1000), testNow + 2000)), testNow + 2000);
    store.getState().alertsPruned(testNow + 6000);
    expect(store.getState().alerts.byId[crisis.id]?.clearedSeenAtMs).toBe(testNow + 2000);
    store.getState().alertsPruned(testNow + 7000);
    expect(store.getState().alerts.byId[crisis.id]).toBeUndefined();
    store.getState().alertsLoaded([item(crisis)], testNow + 8000, testNow + 8100);
    expect(store.getState().alerts.byId[crisis.id]).toBeUndefined();
  });

  it('treats an alert missing from a reload as cleared while away, but not one raised during the request', () => {
    const store = createAppStore();
    const old = makeAlert({ id: 'session-1.hr-high.2', priority: 'low', ruleId: 'hr-high' });
    const fresh = makeAlert({ id: 'session-1.spo2-low.3', priority: 'medium', ruleId: 'spo2-low' });
    store.getState().alertEventReceived(alertMessage('alert-raised', old), testNow - 60_000);
    store.getState().alertEventReceived(alertMessage('alert-raised', fresh), testNow + 5);
    store.getState().alertsLoaded([], testNow, testNow + 20);
    expect(store.getState().alerts.byId[old.id]?.clearedSeenAtMs).toBe(testNow + 20);
    expect(store.getState().alerts.byId[fresh.id]?.clearedSeenAtMs).toBeNull();
  });

  it('estimates the server clock from event times, ignoring jitter', () => {
    const store = createAppStore();
    store.getState().alertEventReceived(alertMessage('alert-raised', crisis, testNow + 90_000), testNow);
    expect(store.getState().alerts.serverOffsetMs).toBe(90_000);
    store.getState().alertEventReceived(alertMessage('alert-raised', makeAlert({ id: 'x.bp-crisis.9' }), testNow + 90_400), testNow);
    expect(store.getState().alerts.serverOffsetMs).toBe(90_000);
  });

  it('forgets the alarms and unmutes on logout', () => {
    const store = createAppStore();
    store.getState().alertEventReceived(alertMessage('alert-raised', crisis), testNow);
    store.getState().soundMuted(testNow);
    store.getState().loggedOut();
    expect(store.getState().alerts.byId).toEqual({});
    expect(store.getState().sound.mutedUntilMs).toBeNull();
  });
});
