import { tabTitlePrefix } from '../lib/alarm-view';
import { useScreenAlarms } from '../hooks/use-alarms';
import { useAppStore } from '../store/store-context';

/**
 * The browser tab's title, led by the alarms that wait for acknowledgement — "(2) !!! Chairs — Chairside" —
 * so a nurse sees them on a tab in the background. Render one per page.
 */
export function PageTitle({ title }: { title: string | null }) {
  const byId = useAppStore((s) => s.alerts.byId);
  const own = useScreenAlarms();
  const prefix = tabTitlePrefix(byId, own.map((alarm) => alarm.alert.priority));
  return <title>{`${prefix}${title === null ? '' : `${title} — `}Chairside`}</title>;
}
