import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiError, errorMessage } from '../api/api-error';
import { useServices } from '../app-services';
import { SoundControls } from '../features/alarms/SoundControls';
import { SessionsNavLink } from '../features/review/SessionsNavLink';
import { AdminNavLink } from '../features/admin/AdminNavLink';
import { RemsNavLink, remsDueWords, useRemsDue } from '../features/rems/RemsNavLink';
import { OutboxIndicator } from '../features/manual-entry/OutboxIndicator';
import { PushControl } from '../features/push/PushControl';
import { ShiftButton } from '../features/assignments/ShiftButton';
import { formatClock } from '../lib/vital-format';
import { useNow } from '../hooks/use-now';
import { useAppStore } from '../store/store-context';
import { ConnectionStatus } from '../components/ConnectionStatus';
import { usePublishedHeight } from '../components/use-published-height';

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
  const displayName = useAppStore((s) => s.auth.user?.displayName ?? null);
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
    <div className="app-header__logout">
      <button
        type="button"
        className="button button--quiet"
        title={displayName === null ? undefined : `Log out ${displayName}`}
        onClick={() => void logOut()}
        disabled={pending}
      >
        Log out
      </button>
      {error !== null && (
        <span role="alert" className="app-header__error">
          {error}
        </span>
      )}
    </div>
  );
}

function MenuIcon({ open }: { open: boolean }) {
  return (
    <svg className="app-header__menu-icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      {open ? (
        <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      ) : (
        <path d="M3 5.5h14M3 10h14M3 14.5h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      )}
    </svg>
  );
}

/**
 * One row on every screen (app.css "Header"). From 1280 px everything is in the row (who is logged in
 * from 1440 px; between, "Log out" names them in its title). Narrower, the
 * page links ("My chairs"/"Assignments", Sessions, REMS with its count, Admin) and who is logged in
 * move behind "Menu", so what an alarm depends on keeps its room: the connection state, the sound
 * controls and the "Alerts on this device" bell stay in the row with the clock. On a phone the sound
 * controls and the bell go behind "Menu" too, and the clock goes (the phone has its own). The
 * connection state and "Log out" always stay in the row.
 *
 * The menu is a disclosure: the button says whether it is open (aria-expanded) and its panel follows
 * it in the tab order; Escape closes it and gives focus back to the button; a tap elsewhere, focus
 * leaving the header, or following a link closes it.
 */
export function AppHeader() {
  const user = useAppStore((s) => s.auth.user);
  const remsDue = useRemsDue();
  const remsWaiting = remsDue !== null && remsDue.due > 0;
  const [menuOpen, setMenuOpen] = useState(false);
  const menuId = useId();
  const headerRef = useRef<HTMLElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const { pathname } = useLocation();
  usePublishedHeight(headerRef, '--app-header-height');

  // A link followed from the menu closes it.
  const [menuPath, setMenuPath] = useState(pathname);
  if (menuPath !== pathname) {
    setMenuPath(pathname);
    setMenuOpen(false);
  }

  // A tap or a click anywhere else closes the menu.
  useEffect(() => {
    if (!menuOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && headerRef.current?.contains(event.target) === true) return;
      setMenuOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [menuOpen]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape' || !menuOpen) return;
    event.stopPropagation();
    setMenuOpen(false);
    buttonRef.current?.focus({ preventScroll: true });
  };

  return (
    // Escape closes the menu wherever focus is inside the header.
    <header
      ref={headerRef}
      className={`app-header${menuOpen ? ' is-menu-open' : ''}`}
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        // Tabbing on out of the header closes the menu behind it.
        if (menuOpen && event.relatedTarget instanceof Node && !event.currentTarget.contains(event.relatedTarget)) setMenuOpen(false);
      }}
    >
      <Link to="/" className="brand" aria-label="Chairside — all chairs">
        <span className="brand__mark" aria-hidden="true" />
        <span className="brand__name">Chairside</span>
      </Link>
      <div className="app-header__status">
        <ConnectionStatus />
        <OutboxIndicator />
      </div>
      <button
        ref={buttonRef}
        type="button"
        className="button button--quiet app-header__menu-button"
        aria-expanded={menuOpen}
        aria-controls={menuId}
        onClick={() => setMenuOpen((open) => !open)}
        aria-label={remsWaiting ? `Menu, ${remsDueWords(remsDue)}` : undefined}
      >
        <MenuIcon open={menuOpen} />
        <span className="app-header__menu-word">Menu</span>
        {/* Where the page links fold behind the menu, the forms due show on it (a clinician's home, docs: README). */}
        {remsWaiting && (
          <span className={`app-header__menu-badge${remsDue.overdue > 0 ? ' is-overdue' : ''}`} aria-hidden="true">
            {remsDue.due}
          </span>
        )}
      </button>
      <div id={menuId} className="app-header__menu">
        <div className="app-header__sound">
          <SoundControls />
        </div>
        <div className="app-header__push">
          <PushControl />
        </div>
        <div className="app-header__more">
          <nav className="app-header__nav" aria-label="Pages">
            <ShiftButton />
            <SessionsNavLink />
            <RemsNavLink due={remsDue} />
            <AdminNavLink />
          </nav>
          {user !== null && (
            <p className="app-header__user">
              <span className="app-header__user-name" title={user.displayName}>
                {user.displayName}
              </span>
              <span className="app-header__role">{user.role}</span>
            </p>
          )}
        </div>
      </div>
      <WallClock />
      <LogoutButton />
    </header>
  );
}
