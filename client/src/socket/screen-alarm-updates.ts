import { type ServerStatus, stationAlarmSchema } from '@chairside/shared';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { ConnectionStatus } from '../store/app-state';
import type { AppStore } from '../store/app-store';
import type { ChairsideSocket } from './live-updates';

export interface ScreenAlarmUpdates {
  /** Watches the connection and listens for `server:status` until stop(); start before the live updates. */
  start(): void;
  stop(): void;
}

export interface ScreenAlarmUpdatesOptions {
  socket: ChairsideSocket;
  store: AppStore;
  /** The tablet's clock: when this screen lost the server. */
  clock: Clock;
  log?: Pick<Console, 'warn'>;
}

export const serverStatusSchema = z.object({ storeWritable: z.boolean(), problem: z.string().nullable(), sinceMs: z.number() });

// The schema must stay assignable to the shared interface the server emits.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameStatus: Same<z.infer<typeof serverStatusSchema>, ServerStatus> = true;

export function parseServerStatus(payload: unknown): ServerStatus | null {
  const parsed = serverStatusSchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

/** What a screen says when the server reports a fault without words. */
const unnamedFault = 'Readings cannot be saved on the server.';

/**
 * The screen's own alarms, outside React (docs/clinical-defaults.md "Alarm behaviour"):
 * - the lost connection: when the status turns `disconnected` (tablet clock); it ends once the
 *   connection is live again, the missed readings read (live-updates.ts resyncs);
 * - a store that cannot save: `server:status` says so on every dashboard when it starts failing and
 *   when it works again, and to a socket that connects while it fails, before anything else. So a
 *   reconnect after which the server said nothing means it recovered while we were away.
 */
export function createScreenAlarmUpdates({ socket, store, clock, log = console }: ScreenAlarmUpdatesOptions): ScreenAlarmUpdates {
  let running = false;
  let unsubscribe: (() => void) | null = null;
  /** Whether a `server:status` arrived on the current connection. */
  let heardSinceConnect = false;
  /** The station alarms the server repeated on the current connection (it sends those on at connect). */
  let stationHeardSinceConnect = new Set<string>();
  const actions = () => store.getState();

  const onConnect = (): void => {
    heardSinceConnect = false;
    stationHeardSinceConnect = new Set();
  };

  const onStationAlarm = (payload: unknown): void => {
    const parsed = stationAlarmSchema.safeParse(payload);
    if (!parsed.success) {
      log.warn('dropped a malformed station:alarm');
      return;
    }
    const { id, active, problem, priority, sinceMs } = parsed.data;
    if (!active) {
      actions().stationFaultEnded(id);
      return;
    }
    stationHeardSinceConnect.add(id);
    actions().stationFaultReported({ id, problem, priority, sinceMs }, clock.now());
  };

  const onServerStatus = (payload: unknown): void => {
    const status = parseServerStatus(payload);
    if (status === null) {
      log.warn('dropped a malformed server:status');
      return;
    }
    heardSinceConnect = true;
    if (status.storeWritable) actions().storeFaultCleared();
    else actions().storeFaultReported({ problem: status.problem ?? unnamedFault, sinceMs: status.sinceMs }, clock.now());
  };

  function follow(status: ConnectionStatus): void {
    if (status === 'disconnected') actions().connectionLost(clock.now());
    else if (status === 'live' || status === 'offline') actions().connectionRestored();
    if (status === 'live' && !heardSinceConnect) actions().storeFaultCleared();
    if (status === 'live') {
      // Ended while this screen was away: the server repeats on connect only those still on.
      for (const id of Object.keys(actions().screenAlarms.stationFaults)) {
        if (!stationHeardSinceConnect.has(id)) actions().stationFaultEnded(id);
      }
    }
  }

  function start(): void {
    if (running) return;
    running = true;
    heardSinceConnect = false;
    socket.on('connect', onConnect);
    socket.on('server:status', onServerStatus);
    socket.on('station:alarm', onStationAlarm);
    unsubscribe = store.subscribe((state, previous) => {
      if (state.connection.status !== previous.connection.status) follow(state.connection.status);
    });
    follow(actions().connection.status);
  }

  function stop(): void {
    if (!running) return;
    running = false;
    socket.off('connect', onConnect);
    socket.off('server:status', onServerStatus);
    socket.off('station:alarm', onStationAlarm);
    unsubscribe?.();
    unsubscribe = null;
    actions().connectionRestored();
    actions().storeFaultCleared();
    actions().stationFaultsCleared();
  }

  return { start, stop };
}
