import { useEffect, useState } from 'react';
import { useServices } from '../app-services';

/** The current time from the app's clock, refreshed every `intervalMs` (ages tick, staleness shows). */
export function useNow(intervalMs: number): number {
  const { clock } = useServices();
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(clock.now()), intervalMs);
    return () => clearInterval(timer);
  }, [clock, intervalMs]);
  return now;
}
