import { useAppStore } from '../store/store-context';

/** Losing the server is itself an alarm (clinical-reference §4): what the grid shows may be old. */
export function ConnectionBanner() {
  const status = useAppStore((s) => s.connection.status);
  if (status !== 'disconnected') return null;
  return (
    <div role="alert" className="connection-alert">
      <span className="connection-alert__symbol" aria-hidden="true">
        !!
      </span>
      <strong>Connection lost — values may be stale</strong>
      <span className="connection-alert__detail">Reconnecting automatically. Watch the bedside monitors meanwhile.</span>
    </div>
  );
}
