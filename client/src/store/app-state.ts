import type { AlertsSlice } from './alerts-slice';
import type { AssignmentsSlice } from './assignments-slice';
import type { AuthSlice } from './auth-slice';
import type { ChairsSlice } from './chairs-slice';
import type { ConnectionSlice } from './connection-slice';
import type { OutboxSlice } from './outbox-slice';
import type { ReadingsSlice } from './readings-slice';
import type { ScreenAlarmsSlice } from './screen-alarms-slice';
import type { SessionsSlice } from './sessions-slice';

export type { AlertsSlice } from './alerts-slice';
export type { AssignmentsSlice } from './assignments-slice';
export type { AuthPhase, AuthSlice } from './auth-slice';
export type { ChairsSlice } from './chairs-slice';
export type { ConnectionSlice, ConnectionStatus } from './connection-slice';
export type { OutboxSlice } from './outbox-slice';
export type { ReadingsSlice } from './readings-slice';
export type { ScreenAlarmsSlice } from './screen-alarms-slice';
export type { SessionsSlice } from './sessions-slice';
export type { LoadStatus } from './slice';

/** The whole store: its slices composed (app-store.ts); each slice's types live with the slice. */
export type AppState = AuthSlice & ChairsSlice & ReadingsSlice & ConnectionSlice & SessionsSlice & AlertsSlice & OutboxSlice & ScreenAlarmsSlice & AssignmentsSlice;
