import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { io } from 'socket.io-client';
import { z } from 'zod';
import { App } from './App';
import { createApiClient } from './api/api-client';
import type { Clock } from './clock';
import { createStoredSoundPreference, createWebAudioAlarmEngine } from './features/alarms/alarm-audio';
import { createOutbox } from './features/manual-entry/outbox';
import { createBrowserOutboxStorage } from './features/manual-entry/outbox-storage';
import { newReadingId } from './reading-id';
import { createAlertUpdates } from './socket/alert-updates';
import { type ChairsideSocket, createLiveUpdates, sessionEndedNotice } from './socket/live-updates';
import { createScreenAlarmUpdates } from './socket/screen-alarm-updates';
import { createAppStore } from './store/app-store';
import './styles/theme.css';
import './styles/app.css';
import './styles/grid.css';
import './styles/detail.css';
import './styles/sessions.css';
import './styles/alarms.css';
import './styles/offline.css';
import './styles/admin.css';

// The entry point is the only place that touches the world and creates singletons (docs/architecture.md, "Code conventions").

// The CSP forbids eval; tell zod up front instead of letting it probe with Function('').
z.config({ jitless: true });
const clock: Clock = { now: () => Date.now() };
const store = createAppStore();
const api = createApiClient({
  fetch: window.fetch.bind(window),
  onUnauthorized: () => store.getState().loggedOut(sessionEndedNotice),
});
const socket: ChairsideSocket = io({ withCredentials: true, autoConnect: false });
// Live readings reach the tiles at most 4 times a second: a value is at most 250 ms late, and 48
// monitors at 1 Hz redraw the grid a few times a second instead of 48 (alarms are not held back).
const live = createLiveUpdates({ socket, store, api, applyEveryMs: 250 });
const alerts = createAlertUpdates({ socket, store, api, clock });
// The lost connection (an alarm after 10 s) and a server that cannot save readings.
const screenAlarms = createScreenAlarmUpdates({ socket, store, clock });
// This device remembers that sound was enabled on it; after a reload the first tap unlocks it again.
const alarmAudio = createWebAudioAlarmEngine(
  () => (typeof window.AudioContext === 'function' ? new window.AudioContext() : null),
  createStoredSoundPreference(() => window.localStorage),
);
// Manual entries made while the server cannot be reached wait in IndexedDB, per user, and are sent once it is back.
const outbox = createOutbox({ store, storage: createBrowserOutboxStorage(window), api, clock, onlineEvents: window });
outbox.start();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App store={store} services={{ api, live, clock, newId: () => newReadingId(window.crypto), alerts, screenAlarms, alarmAudio, outbox }} />
  </StrictMode>,
);
