import type { AuthStatus, ChairSummary, DemoAccount, PublicUser, Reading, SessionSummary, TrendBucket } from '@chairside/shared';
import type { AlertsSlice } from './alerts-slice';
import type { OutboxSlice } from './outbox-slice';
import type { ScreenAlarmsSlice } from './screen-alarms-slice';
import type { ChairHistory, FocusReadings } from './reading-history';

export type AuthPhase = 'unknown' | 'unreachable' | 'anonymous' | 'authenticated';

export interface AuthSlice {
  auth: {
    phase: AuthPhase;
    user: PublicUser | null;
    demoAccounts: DemoAccount[] | null;
    /** Why the user is looking at the login page again ("Your session ended"), or why boot failed. */
    notice: string | null;
  };
  sessionLoaded(status: AuthStatus): void;
  sessionUnreachable(message: string): void;
  loggedIn(user: PublicUser): void;
  /** Clears everything the logged-in user could see. */
  loggedOut(notice?: string): void;
}

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'failed';

export interface ChairsSlice {
  chairs: Record<string, ChairSummary>;
  chairList: { status: LoadStatus; error: string | null };
  chairsLoading(): void;
  chairsLoaded(chairs: ChairSummary[]): void;
  chairsFailed(message: string): void;
  chairUpdated(chair: ChairSummary): void;
}

export interface ReadingsSlice {
  /** Per chair, bounded in memory (see reading-history.ts). */
  history: Record<string, ChairHistory>;
  /** Every reading of the chair whose page is open, at full resolution (its readings table); null when none is. */
  focus: FocusReadings | null;
  /** Folds stored readings into the tiles and the trend; duplicates (by seq) change nothing. */
  applyReadings(readings: readonly Reading[]): void;
  /**
   * A page of the chair's stored readings measured from `fromMs` on, loaded by the chair's page:
   * folded in like live ones, and kept at full resolution while that page is open.
   */
  historyLoaded(chairId: string, readings: readonly Reading[], fromMs: number): void;
  /** The chair's trend as the server computed it (same bucket width), merged into the one held. */
  trendLoaded(chairId: string, buckets: readonly TrendBucket[]): void;
  /** The chair's page opened: hold its readings at full resolution from now on. */
  focusOpened(chairId: string): void;
  /** The chair's page closed: let its full readings go (the trend and the newest readings stay). */
  focusClosed(chairId: string): void;
  /** The server's sequence started over (its store was replaced): forget every reading held. */
  readingsReset(): void;
  /** Readings the server changed after storing them (attached to a session): replaces those held, by seq. */
  readingsUpdated(readings: readonly Reading[]): void;
}

export interface SessionsSlice {
  /**
   * Per chair, the session that ended there while this dashboard watched, so its timeline and form
   * stay viewable on the chair's page after the chair became free.
   */
  endedSessions: Record<string, SessionSummary>;
  /**
   * A session changed (`session:updated`, or the answer to our own request): the chair's tile follows
   * it, and an ended one frees the chair. An older revision than the one held changes nothing.
   */
  sessionUpdated(summary: SessionSummary): void;
}

/**
 * `offline`: not started (logged out); `connecting`: first attempt; `syncing`: connected, reading
 * the backlog; `live`; `disconnected`: lost or refused, values may be stale.
 */
export type ConnectionStatus = 'offline' | 'connecting' | 'syncing' | 'live' | 'disconnected';

export interface ConnectionSlice {
  connection: { status: ConnectionStatus; error: string | null };
  connectionChanged(status: ConnectionStatus, error?: string | null): void;
}

export type AppState = AuthSlice & ChairsSlice & ReadingsSlice & ConnectionSlice & SessionsSlice & AlertsSlice & OutboxSlice & ScreenAlarmsSlice;
