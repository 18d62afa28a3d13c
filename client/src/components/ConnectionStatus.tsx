import type { ConnectionStatus as Status } from '../store/app-state';
import { useAppStore } from '../store/store-context';

const labels: Record<Status, string> = {
  offline: 'Offline',
  connecting: 'Connecting…',
  syncing: 'Catching up…',
  live: 'Live',
  disconnected: 'Connection lost',
};

export function ConnectionStatus() {
  const status = useAppStore((s) => s.connection.status);
  return (
    <span className={`connection-status connection-status--${status}`} role="status">
      <span className="connection-status__dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
