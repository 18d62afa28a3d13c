import type { StateCreator } from 'zustand';
import { initialAlertsState } from './alerts-slice';
import type { AppState, AuthSlice } from './app-state';
import { initialScreenAlarmsState } from './screen-alarms-slice';

export const createAuthSlice: StateCreator<AppState, [], [], AuthSlice> = (set) => ({
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
