import { createContext, useContext } from 'react';
import type { ApiClient } from './api/api-client';
import type { Clock } from './clock';
import type { LiveUpdates } from './socket/live-updates';

/** What the UI needs from the world; main.tsx builds the real ones, tests pass their own. */
export interface AppServices {
  api: ApiClient;
  live: LiveUpdates;
  clock: Clock;
  /** A new reading id (UUID). */
  newId: () => string;
}

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (services === null) throw new Error('useServices needs a <ServicesContext> above it');
  return services;
}
