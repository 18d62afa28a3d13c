import type { StateCreator } from 'zustand';
import type { AppState, ConnectionSlice } from './app-state';

export const createConnectionSlice: StateCreator<AppState, [], [], ConnectionSlice> = (set) => ({
  connection: { status: 'offline', error: null },
  connectionChanged: (status, error = null) => set({ connection: { status, error } }),
});
