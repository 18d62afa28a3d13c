import { createContext, useContext } from 'react';
import type { ApiClient } from './api/api-client';
import type { Clock } from './clock';
import type { AlarmAudioEngine } from './features/alarms/alarm-audio';
import type { Outbox } from './features/manual-entry/outbox';
import type { AlertUpdates } from './socket/alert-updates';
import type { LiveUpdates } from './socket/live-updates';
import type { ScreenAlarmUpdates } from './socket/screen-alarm-updates';

/** What the UI needs from the world; main.tsx builds the real ones, tests pass their own. */
export interface AppServices {
  api: ApiClient;
  live: LiveUpdates;
  clock: Clock;
  /** A new reading id (UUID). */
  newId: () => string;
  /** Alert events, acknowledgements and audio pauses. */
  alerts: AlertUpdates;
  /** This screen's own alarms: the lost connection and the server's `server:status`. */
  screenAlarms: ScreenAlarmUpdates;
  /** The alarm sound (Web Audio in the browser, a fake in tests). */
  alarmAudio: AlarmAudioEngine;
  /** Manual readings kept on this tablet until the server has them (features/offline). */
  outbox: Outbox;
}

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (services === null) throw new Error('useServices needs a <ServicesContext> above it');
  return services;
}
