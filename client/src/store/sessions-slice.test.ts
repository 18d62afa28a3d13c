import { describe, expect, it } from 'vitest';
import { at, sessionFixture } from '../features/sessions/session-fixtures';
import { makeChair } from '../test-utils';
import { createAppStore } from './app-store';

const running = sessionFixture({ revision: 3, state: { phase: 'treatment', treatmentStartedAtMs: at(10) } });
const discharged = { ...running, revision: 5, state: { ...running.state, phase: 'discharged' as const, treatmentEndedAtMs: at(50), dischargedAtMs: at(115) } };

function storeWith(session: typeof running | null) {
  const store = createAppStore();
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session })]);
  return store;
}

describe('sessions slice', () => {
  it('puts a new check-in on its chair', () => {
    const store = storeWith(null);
    store.getState().sessionUpdated(running);
    expect(store.getState().chairs['chair-1']?.session).toEqual(running);
  });

  it('frees the chair when its session ends, and keeps the ended session for the chair page', () => {
    const store = storeWith(running);
    store.getState().sessionUpdated(discharged);
    expect(store.getState().chairs['chair-1']?.session).toBeNull();
    expect(store.getState().endedSessions['chair-1']).toEqual(discharged);
  });

  it('ignores a late echo of an older revision', () => {
    const store = storeWith(running);
    store.getState().sessionUpdated({ ...running, revision: 2, state: { ...running.state, phase: 'baseline' } });
    expect(store.getState().chairs['chair-1']?.session?.state.phase).toBe('treatment');
  });

  it('does not free a chair whose new session began after the ended one', () => {
    const next = sessionFixture({ id: 'session-2', revision: 0 });
    const store = storeWith(next);
    store.getState().sessionUpdated(discharged);
    expect(store.getState().chairs['chair-1']?.session?.id).toBe('session-2');
  });

  it('forgets ended sessions on logout', () => {
    const store = storeWith(running);
    store.getState().sessionUpdated(discharged);
    store.getState().loggedOut();
    expect(store.getState().endedSessions).toEqual({});
  });
});
