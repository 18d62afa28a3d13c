import type { AlertPriority } from '@chairside/shared';
import type { SliceCreator } from './slice';

/**
 * What this screen itself knows is wrong, apart from the server's alerts (docs/clinical-defaults.md "Alarm behaviour"):
 * the connection to the server is lost, or the server cannot save readings. Neither is an alert the
 * server keeps: they cannot be acknowledged there, and they go when the cause does.
 */
export interface StoreFault {
  /** The server's words: "Readings cannot be saved: the disk is full." */
  problem: string;
  /** When the server noticed (server clock). */
  sinceMs: number;
  /** When this screen first heard of it (tablet clock): the alarm's onset, for its sound. */
  heardAtMs: number;
}

/** A station-wide technical alarm the server reports (`station:alarm`), e.g. the paging gateway unreachable. */
export interface StationFault {
  id: string;
  problem: string;
  priority: AlertPriority;
  /** When the cause began (server clock). */
  sinceMs: number;
  /** When this screen first heard of it (tablet clock): the alarm's onset, for its sound. */
  heardAtMs: number;
}

export interface ScreenAlarmsState {
  /**
   * When this screen lost the server (tablet clock), or null while connected. Kept through a
   * reconnect until the backlog is read: values are stale until then.
   */
  connectionLostAtMs: number | null;
  /** The server said it cannot save readings, and has not said it can again. */
  storeFault: StoreFault | null;
  /** The server's station-wide technical alarms now on, by id (docs/hl7-alerts.md "When the gateway is down"). */
  stationFaults: Record<string, StationFault>;
}

export interface ScreenAlarmsSlice {
  screenAlarms: ScreenAlarmsState;
  /** The connection dropped at `atMs` (tablet clock); a drop during an ongoing loss changes nothing. */
  connectionLost(atMs: number): void;
  /** Live again (backlog read), or stopped on purpose. */
  connectionRestored(): void;
  /** `server:status` with `storeWritable: false`; a repeat keeps the first time this screen heard of it. */
  storeFaultReported(fault: { problem: string; sinceMs: number }, heardAtMs: number): void;
  /** `server:status` with `storeWritable: true`, or a reconnect after which the server reported no fault. */
  storeFaultCleared(): void;
  /** `station:alarm` with `active: true`; a repeat of the same episode keeps the first time this screen heard of it. */
  stationFaultReported(fault: Omit<StationFault, 'heardAtMs'>, heardAtMs: number): void;
  /** `station:alarm` with `active: false`. */
  stationFaultEnded(id: string): void;
  /** A reconnect after which the server reported none of them, or stopped on purpose. */
  stationFaultsCleared(): void;
}

export const initialScreenAlarmsState: ScreenAlarmsState = { connectionLostAtMs: null, storeFault: null, stationFaults: {} };

export const createScreenAlarmsSlice: SliceCreator<ScreenAlarmsSlice, ScreenAlarmsSlice> = (set) => ({
  screenAlarms: initialScreenAlarmsState,

  connectionLost: (atMs) =>
    set((s) => (s.screenAlarms.connectionLostAtMs !== null ? s : { screenAlarms: { ...s.screenAlarms, connectionLostAtMs: atMs } })),

  connectionRestored: () =>
    set((s) => (s.screenAlarms.connectionLostAtMs === null ? s : { screenAlarms: { ...s.screenAlarms, connectionLostAtMs: null } })),

  storeFaultReported: ({ problem, sinceMs }, heardAtMs) =>
    set((s) => {
      const current = s.screenAlarms.storeFault;
      if (current !== null && current.problem === problem && current.sinceMs === sinceMs) return s;
      return { screenAlarms: { ...s.screenAlarms, storeFault: { problem, sinceMs, heardAtMs: current?.heardAtMs ?? heardAtMs } } };
    }),

  storeFaultCleared: () => set((s) => (s.screenAlarms.storeFault === null ? s : { screenAlarms: { ...s.screenAlarms, storeFault: null } })),

  stationFaultReported: (fault, heardAtMs) =>
    set((s) => {
      const current = s.screenAlarms.stationFaults[fault.id];
      if (current !== undefined && current.problem === fault.problem && current.sinceMs === fault.sinceMs && current.priority === fault.priority) return s;
      const heard = current !== undefined && current.sinceMs === fault.sinceMs ? current.heardAtMs : heardAtMs;
      return { screenAlarms: { ...s.screenAlarms, stationFaults: { ...s.screenAlarms.stationFaults, [fault.id]: { ...fault, heardAtMs: heard } } } };
    }),

  stationFaultEnded: (id) =>
    set((s) => {
      if (s.screenAlarms.stationFaults[id] === undefined) return s;
      const { [id]: _ended, ...rest } = s.screenAlarms.stationFaults;
      return { screenAlarms: { ...s.screenAlarms, stationFaults: rest } };
    }),

  stationFaultsCleared: () =>
    set((s) => (Object.keys(s.screenAlarms.stationFaults).length === 0 ? s : { screenAlarms: { ...s.screenAlarms, stationFaults: {} } })),
});
