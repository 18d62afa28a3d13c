import type { AlertsService } from '../alerts/alerts.service';
import type { AuthService } from '../auth/auth.service';
import { revalidateDeviceSockets } from '../ingest/ingest.socket';
import type { Logger } from '../logger';
import { type ChairsideServer, revalidateSockets } from '../realtime/socket-server';
import type { SessionsService } from '../sessions/sessions.service';
import type { Reach } from '../reach/wiring';

export interface TimerDeps {
  sessions: SessionsService;
  alerts: AlertsService;
  /** Escalates the alarms nobody acknowledged, after the alert engine's tick (on the node running it). */
  reach?: Pick<Reach, 'tick'>;
  io: ChairsideServer;
  auth: AuthService;
  logger: Logger;
  /** How often time passes for sessions and alerts. Default 2000 ms. */
  tickMs?: number | undefined;
  /** How often sockets' login sessions are re-checked. Default 30 s. */
  socketRecheckMs?: number | undefined;
}

/**
 * What runs on a timer: the sessions' tick and then the alert engine's (which judges "not ready" on
 * the gate the sessions' tick has just evaluated), and the re-check of sockets' logins. A tick that
 * outlasts the interval is not overlapped by the next one. Returns the stop.
 */
export function startTimers(deps: TimerDeps): () => void {
  const { sessions, alerts, io, auth, logger } = deps;
  const logFailure = (what: string) => (error: unknown) => logger.error(what, { error: String(error) });
  let ticking = false;
  const ticker = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void (async () => {
      await sessions.tick().catch(logFailure('session tick failed'));
      await alerts.tick().catch(logFailure('alert tick failed'));
      await deps.reach?.tick().catch(logFailure('alarm reach tick failed'));
    })().finally(() => {
      ticking = false;
    });
  }, deps.tickMs ?? 2_000);
  ticker.unref();
  const socketChecker = setInterval(() => {
    revalidateSockets(io, auth).catch(logFailure('socket re-check failed'));
    revalidateDeviceSockets(io, auth).catch(logFailure('device socket re-check failed'));
  }, deps.socketRecheckMs ?? 30_000);
  socketChecker.unref();
  return () => {
    clearInterval(ticker);
    clearInterval(socketChecker);
  };
}
