import { formatClock } from '../../lib/vital-format';

/**
 * On a tile (and the chair page) while the connection to the server is lost: nothing newer can
 * arrive, so every value shown is stale since the moment it dropped.
 */
export function StaleNotice({ sinceMs }: { sinceMs: number }) {
  return (
    <p className="stale-notice">
      <span className="stale-notice__symbol" aria-hidden="true">
        !!
      </span>
      <span>
        <strong>No connection since {formatClock(sinceMs)}</strong> — values are stale
      </span>
    </p>
  );
}
