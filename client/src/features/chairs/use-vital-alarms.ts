import { useMemo } from 'react';
import { useAppStore } from '../../store/store-context';
import { type VitalAlarms, vitalAlarms } from './vital-alarms';

/** Per vital, the chair's open alarm about it (that number inverts), on the tile and the chair page alike. */
export function useVitalAlarms(chairId: string): VitalAlarms {
  const byId = useAppStore((s) => s.alerts.byId);
  return useMemo(() => vitalAlarms(byId, chairId), [byId, chairId]);
}
