import type { SliceCreator } from './slice';

/**
 * `offline`: not started (logged out); `connecting`: first attempt; `syncing`: connected, reading
 * the backlog; `live`; `disconnected`: lost or refused, values may be stale.
 */
export type ConnectionStatus = 'offline' | 'connecting' | 'syncing' | 'live' | 'disconnected';

export interface ConnectionSlice {
  connection: { status: ConnectionStatus; error: string | null };
  connectionChanged(status: ConnectionStatus, error?: string | null): void;
}

export const createConnectionSlice: SliceCreator<ConnectionSlice, ConnectionSlice> = (set) => ({
  connection: { status: 'offline', error: null },
  connectionChanged: (status, error = null) => set({ connection: { status, error } }),
});
