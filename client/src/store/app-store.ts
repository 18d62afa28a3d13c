import { createStore, type StoreApi } from 'zustand/vanilla';
import { createAlertsSlice } from './alerts-slice';
import type { AppState } from './app-state';
import { createAssignmentsSlice } from './assignments-slice';
import { createAuthSlice } from './auth-slice';
import { createChairsSlice } from './chairs-slice';
import { createConnectionSlice } from './connection-slice';
import { createOutboxSlice } from './outbox-slice';
import { type HistoryLimits, defaultHistoryLimits } from './reading-history';
import { createReadingsSlice } from './readings-slice';
import { createScreenAlarmsSlice } from './screen-alarms-slice';
import { createSessionsSlice } from './sessions-slice';

export type AppStore = StoreApi<AppState>;

/** One store composed of slices; main.tsx creates the app's one, each test its own. */
export function createAppStore(options: { historyLimits?: HistoryLimits } = {}): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createAuthSlice(set, get),
    ...createChairsSlice(set, get),
    ...createReadingsSlice(options.historyLimits ?? defaultHistoryLimits)(set, get),
    ...createConnectionSlice(set, get),
    ...createSessionsSlice(set, get),
    ...createAlertsSlice(set, get),
    ...createOutboxSlice(set, get),
    ...createScreenAlarmsSlice(set, get),
    ...createAssignmentsSlice(set, get),
  }));
}
