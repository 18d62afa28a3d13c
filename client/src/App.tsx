import { type ReactNode, Suspense, lazy, useEffect, useRef, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { errorMessage } from './api/api-error';
import { type AppServices, ServicesContext, useServices } from './app-services';
import { AppHeader } from './pages/AppHeader';
import { SafetyNote } from './components/SafetyNote';
import { usePublishedHeight } from './components/use-published-height';
import { AlarmBar } from './features/alarms/AlarmBar';
import { AlarmSound } from './features/alarms/AlarmSound';
import { useConnectionLostSinceMs } from './hooks/use-alarms';
import { AdminLanding } from './features/admin/AdminLanding';
import { KioskStatus } from './features/kiosk/KioskStatus';
import { useKioskMode } from './features/kiosk/use-kiosk-mode';
import { useServiceWorker } from './features/push/use-service-worker';
import { OfflineNotices } from './features/manual-entry/OfflineNotices';
import { LoginPage } from './features/auth/LoginPage';
import { ChairGrid } from './pages/ChairGrid';
import type { ChairDetailPage } from './pages/ChairDetailPage';
import { defaultTrendPeriod } from './features/chair-detail/trend-periods';
import { useChairHistory } from './features/chair-detail/use-chair-history';
import type { AppStore } from './store/app-store';
import { StoreContext, useAppStore, useAppStoreApi } from './store/store-context';

// The trend (recharts) is not in the first download: the grid starts faster on a tablet. It is
// fetched once the grid has drawn (usePreloadChairPage), so opening a chair does not wait for it.
/** The chair page once its code arrived (like React.lazy's own cache, but readable before rendering). */
let loadedChairDetailPage: typeof ChairDetailPage | null = null;
const loadChairDetailPage = () =>
  import('./pages/ChairDetailPage').then((module) => {
    loadedChairDetailPage = module.ChairDetailPage;
    return module.ChairDetailPage;
  });
const LazyChairDetailPage = lazy(async () => ({ default: await loadChairDetailPage() }));

/**
 * The chair page, at once when its code is already here: suspending on it anyway would show
 * "Loading chair…" and React then holds the page back for 300 ms to avoid a flash.
 */
function ChairDetailRoute() {
  const { chairId = '' } = useParams();
  // Asked for before the page's code is here (a cold load, a slow tablet): both arrive together.
  const history = useChairHistory(chairId, defaultTrendPeriod.ms);
  const Loaded = loadedChairDetailPage;
  if (Loaded !== null) return <Loaded history={history} />;
  return (
    <Suspense fallback={<p className="empty-state">Loading chair…</p>}>
      <LazyChairDetailPage history={history} />
    </Suspense>
  );
}
// Session review (list, report, patient history) is loaded when it is opened.
const SessionListPage = lazy(async () => ({ default: (await import('./features/review/SessionListPage')).SessionListPage }));
const SessionReportPage = lazy(async () => ({ default: (await import('./features/review/SessionReportPage')).SessionReportPage }));
const PatientHistoryPage = lazy(async () => ({ default: (await import('./features/review/PatientHistoryPage')).PatientHistoryPage }));
// The REMS forms (queue and form) likewise.
const RemsQueuePage = lazy(async () => ({ default: (await import('./features/rems/RemsQueuePage')).RemsQueuePage }));
const RemsFormPage = lazy(async () => ({ default: (await import('./features/rems/RemsFormPage')).RemsFormPage }));
// The admin pages are loaded only when an admin opens them.
const AdminPage = lazy(async () => ({ default: (await import('./features/admin/AdminPage')).AdminPage }));

/** A page whose code is fetched when it is opened, with a line saying what is on its way. */
function Lazy({ loading, children }: { loading: string; children: ReactNode }) {
  return <Suspense fallback={<p className="empty-state">{loading}</p>}>{children}</Suspense>;
}

/** Asks the server who is logged in (and, in demo mode, how to log in). */
function useSessionBoot(): () => void {
  const { api } = useServices();
  const store = useAppStoreApi();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    api.getSession().then(
      (status) => {
        if (!cancelled) store.getState().sessionLoaded(status);
      },
      (error: unknown) => {
        if (!cancelled) store.getState().sessionUnreachable(errorMessage(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, store, attempt]);
  return () => setAttempt((n) => n + 1);
}

/** Keeps the socket connected while someone is logged in. */
function useLiveUpdates(active: boolean): void {
  const { live, alerts, screenAlarms } = useServices();
  useEffect(() => {
    if (!active) return;
    // Alerts and the screen's own alarms first: they follow the connection from its first change.
    alerts.start();
    screenAlarms.start();
    live.start();
    return () => {
      live.stop();
      screenAlarms.stop();
      alerts.stop();
    };
  }, [active, live, alerts, screenAlarms]);
}

/** Fetches the chair page's code when the browser is idle after the dashboard drew. */
function usePreloadChairPage(): void {
  useEffect(() => {
    const preload = () => {
      loadChairDetailPage().catch(() => undefined); // opening a chair tries again
    };
    if (typeof window.requestIdleCallback === 'function') {
      const id = window.requestIdleCallback(preload, { timeout: 5_000 });
      return () => window.cancelIdleCallback(id);
    }
    const timer = setTimeout(preload, 2_000);
    return () => clearTimeout(timer);
  }, []);
}

/**
 * A new page opens at its top: the router keeps the scroll position, so a chair opened from the
 * bottom of the grid would show its page half-way down (on a phone, below its numbers).
 */
function useTopOfNewPage(): void {
  const { pathname } = useLocation();
  useEffect(() => {
    (document.scrollingElement ?? document.documentElement).scrollTop = 0;
  }, [pathname]);
}

function Dashboard() {
  usePreloadChairPage();
  useTopOfNewPage();
  // Lost for 10 s: the alarm is on and every value on screen is stale.
  const cutOff = useConnectionLostSinceMs() !== null;
  // The station's wall screen (`/?kiosk=1`): kept awake, large clock, no page links.
  const kiosk = useKioskMode();
  const alarmsRef = useRef<HTMLDivElement>(null);
  usePublishedHeight(alarmsRef, '--app-alarms-height');
  return (
    <div className={`app${cutOff ? ' is-disconnected' : ''}${kiosk ? ' is-kiosk' : ''}`}>
      {/* One sticky block, so nothing sticky covers anything else (app.css "Header and alarms"). */}
      <div className="app__top">
        <AppHeader />
        <div ref={alarmsRef} className="app__alarms">
          {/* Alarms of every chair and of this screen (lost connection, store fault), above every page. */}
          <AlarmBar />
        </div>
      </div>
      <AlarmSound />
      <KioskStatus active={kiosk} />
      {/* Manual entries kept on this tablet: "Saved on this tablet — …", refused ones. */}
      <OfflineNotices />
      <AdminLanding />
      <main className="app__main">
        <Routes>
          <Route path="/" element={<ChairGrid />} />
          <Route path="/chairs/:chairId" element={<ChairDetailRoute />} />
          <Route path="/admin/*" element={<Lazy loading="Loading admin…"><AdminPage /></Lazy>} />
          <Route path="/sessions" element={<Lazy loading="Loading sessions…"><SessionListPage /></Lazy>} />
          <Route path="/sessions/:sessionId" element={<Lazy loading="Loading session report…"><SessionReportPage /></Lazy>} />
          <Route path="/patients/:patientId" element={<Lazy loading="Loading patient history…"><PatientHistoryPage /></Lazy>} />
          <Route path="/rems" element={<Lazy loading="Loading REMS forms…"><RemsQueuePage /></Lazy>} />
          <Route path="/rems/:sessionId" element={<Lazy loading="Loading REMS form…"><RemsFormPage /></Lazy>} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
      <SafetyNote />
    </div>
  );
}

function Unreachable({ onRetry }: { onRetry: () => void }) {
  const notice = useAppStore((s) => s.auth.notice);
  return (
    <div className="login">
      <main className="login__card" role="alert">
        <h1 className="login__title">Chairside cannot reach its server</h1>
        <p className="muted">{notice}</p>
        <button type="button" className="button button--primary button--block" onClick={onRetry}>
          Try again
        </button>
      </main>
      <SafetyNote />
    </div>
  );
}

function Shell() {
  const phase = useAppStore((s) => s.auth.phase);
  const retryBoot = useSessionBoot();
  // Installable app, and alarms pushed to this device (features/push).
  useServiceWorker();
  useLiveUpdates(phase === 'authenticated');

  switch (phase) {
    case 'unknown':
      return (
        <p className="splash" role="status">
          Starting Chairside…
        </p>
      );
    case 'unreachable':
      return <Unreachable onRetry={retryBoot} />;
    case 'anonymous':
      return <LoginPage />;
    case 'authenticated':
      return <Dashboard />;
  }
}

export interface AppProps {
  store: AppStore;
  services: AppServices;
}

export function App({ store, services }: AppProps) {
  return (
    <StoreContext value={store}>
      <ServicesContext value={services}>
        <BrowserRouter>
          <Shell />
        </BrowserRouter>
      </ServicesContext>
    </StoreContext>
  );
}
