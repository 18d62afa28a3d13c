import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, errorMessage } from '../api/api-error';
import { useServices } from '../app-services';
import { SoundControls } from '../features/alarms/SoundControls';
import { SessionsNavLink } from '../features/review/SessionsNavLink';
import { AdminNavLink } from '../features/admin/AdminNavLink';
import { OutboxIndicator } from '../features/offline/OutboxIndicator';
import { formatClock } from '../features/chairs/vital-format';
import { useNow } from '../hooks/use-now';
import { useAppStore } from '../store/store-context';
import { ConnectionStatus } from './ConnectionStatus';

function WallClock() {
  const now = useNow(10_000);
  return (
    <time className="app-header__clock" dateTime={new Date(now).toISOString()}>
      {formatClock(now)}
    </time>
  );
}

function LogoutButton() {
  const { api } = useServices();
  const loggedOut = useAppStore((s) => s.loggedOut);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const logOut = async () => {
    setPending(true);
    try {
      await api.logout();
    } catch (failure) {
      // A shared tablet must not stay logged in by accident: only an ended session counts as logged out.
      if (!(failure instanceof ApiError && failure.status === 401)) {
        setPending(false);
        setError(`Not logged out: ${errorMessage(failure)}`);
        return;
      }
    }
    loggedOut();
  };

  return (
    <>
      <button type="button" className="button button--quiet" onClick={() => void logOut()} disabled={pending}>
        Log out
      </button>
      {error !== null && (
        <span role="alert" className="app-header__error">
          {error}
        </span>
      )}
    </>
  );
}

export function AppHeader() {
  const user = useAppStore((s) => s.auth.user);
  return (
    <header className="app-header">
      <Link to="/" className="brand" aria-label="Chairside — all chairs">
        <span className="brand__mark" aria-hidden="true" />
        <span className="brand__name">Chairside</span>
      </Link>
      <SessionsNavLink />
      <ConnectionStatus />
      <OutboxIndicator />
      <AdminNavLink />
      <div className="app-header__end">
        <SoundControls />
        <WallClock />
        {user !== null && (
          <span className="app-header__user">
            {user.displayName}
            <span className="app-header__role">{user.role}</span>
          </span>
        )}
        <LogoutButton />
      </div>
    </header>
  );
}
