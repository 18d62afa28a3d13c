import type { AuthStatus, DemoAccount, PublicUser } from '@chairside/shared';
import { type AlertsSlice, initialAlertsState } from './alerts-slice';
import type { ChairsSlice } from './chairs-slice';
import type { ConnectionSlice } from './connection-slice';
import type { ReadingsSlice } from './readings-slice';
import { type ScreenAlarmsSlice, initialScreenAlarmsState } from './screen-alarms-slice';
import type { SessionsSlice } from './sessions-slice';
import type { SliceCreator } from './slice';

export type AuthPhase = 'unknown' | 'unreachable' | 'anonymous' | 'authenticated';

export interface AuthSlice {
  auth: {
    phase: AuthPhase;
    user: PublicUser | null;
    demoAccounts: DemoAccount[] | null;
    /** Why the user is looking at the login page again ("Your session ended"), or why boot failed. */
    notice: string | null;
  };
  sessionLoaded(status: AuthStatus): void;
  sessionUnreachable(message: string): void;
  loggedIn(user: PublicUser): void;
  /** Clears everything the logged-in user could see. */
  loggedOut(notice?: string): void;
}

/** Logging out clears what the user could see, in the other slices too. */
type ClearedOnLogout = Pick<ChairsSlice, 'chairs' | 'chairList'> &
  Pick<ReadingsSlice, 'history' | 'focus'> &
  Pick<SessionsSlice, 'endedSessions'> &
  Pick<ConnectionSlice, 'connection'> &
  Pick<AlertsSlice, 'alerts' | 'sound'> &
  Pick<ScreenAlarmsSlice, 'screenAlarms'>;

export const createAuthSlice: SliceCreator<AuthSlice & ClearedOnLogout, AuthSlice> = (set) => ({
  auth: { phase: 'unknown', user: null, demoAccounts: null, notice: null },

  sessionLoaded: ({ user, demoAccounts }) =>
    set({ auth: { phase: user === null ? 'anonymous' : 'authenticated', user, demoAccounts, notice: null } }),

  sessionUnreachable: (message) => set((s) => ({ auth: { ...s.auth, phase: 'unreachable', notice: message } })),

  loggedIn: (user) => set((s) => ({ auth: { ...s.auth, phase: 'authenticated', user, notice: null } })),

  loggedOut: (notice) =>
    set((s) => ({
      auth: { ...s.auth, phase: 'anonymous', user: null, notice: notice ?? null },
      chairs: {},
      chairList: { status: 'idle', error: null },
      history: {},
      focus: null,
      endedSessions: {},
      connection: { status: 'offline', error: null },
      // Alarms go with the user; the next one on this tablet starts unmuted (sound stays unlocked).
      alerts: initialAlertsState,
      sound: { ...s.sound, mutedUntilMs: null },
      screenAlarms: initialScreenAlarmsState,
    })),
});
