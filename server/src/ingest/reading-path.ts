import type { AlertsService } from '../alerts/alerts.service';
import type { ChairsService } from '../chairs/chairs.service';
import type { Clock } from '../clock';
import { type ClusterBus, ReadingsFeed } from '../cluster/cluster';
import type { Logger } from '../logger';
import { broadcastReadings, type ChairsideServer } from '../realtime/socket-server';
import type { SessionsService } from '../sessions/sessions.service';
import type { Store } from '../store/store';
import { IngestService } from './ingest.service';
import { StoreHealth } from './store-health';
import { WriteBatcher } from './write-batcher';

export interface ReadingPathDeps {
  store: Pick<Store, 'readings' | 'catalog' | 'sessions'>;
  io: ChairsideServer;
  /** Messages between servers sharing a PostgreSQL store; null for a single server. */
  bus: ClusterBus | null;
  chairs: ChairsService;
  sessions: SessionsService;
  alerts: AlertsService;
  clock: Clock;
  logger: Logger;
  /** Group-commit window for readings. Default 2 ms. */
  groupCommitWindowMs?: number | undefined;
  /** A reading measured longer ago than this many days is refused. */
  maxReadingAgeDays?: number | undefined;
  /** How often a server looks for readings other servers committed (several servers). Default 1 s. */
  pollMs?: number | undefined;
}

export interface ReadingPath {
  /** The one way readings come in (HTTP, device sockets, the HL7 listener). */
  ingest: IngestService;
  /** Whether readings can be saved now (health route, dashboards). */
  health: StoreHealth;
  /** Commits what is queued and stops following other servers. */
  close(): Promise<void>;
}

/**
 * A reading's path after it is validated, in the order it takes:
 *
 * 1. the ingest (IngestService) checks it and queues it for the write batcher;
 * 2. the batcher commits a group of requests in one durable transaction (group commit), and only then
 *    are the writers answered (acknowledged after commit);
 * 3. each committed group goes to the chairs' newest values, to every dashboard (`readings:new`), to
 *    the alert engine, and to the sessions (a BP or baseline changes the session's context after the
 *    engine has seen the reading);
 * 4. with several servers, the alert engine's node reads every committed reading back in sequence
 *    order (ReadingsFeed) instead, and the others update their caches with other servers' readings;
 *    each server broadcasts to its own dashboards the readings it committed (at once) and the ones
 *    other servers committed (as its feed reads them), not through the Socket.IO adapter.
 *
 * A failed write marks the store unhealthy (StoreHealth) until a write works again.
 * Starts the feed before the alert engine loads, so no reading falls between the two.
 */
export async function startReadingPath(deps: ReadingPathDeps): Promise<ReadingPath> {
  const { store, io, bus, chairs, sessions, alerts, clock, logger } = deps;
  const logFailure = (what: string) => (error: unknown) => logger.error(what, { error: String(error) });

  // Several servers: every server reads back every committed reading in sequence order; the alert
  // engine's node evaluates them all, the others update their caches with other servers' ones.
  const feed = bus
    ? new ReadingsFeed(store.readings, logger, async (readings, committedHere) => {
        const theirs = readings.filter((r) => !committedHere(r));
        if (theirs.length > 0) {
          chairs.applyReadings(theirs);
          // Each server sends its dashboards the readings it did not commit itself, in sequence order.
          broadcastReadings(io, theirs);
          await sessions.onPeerReadings(theirs);
        }
        await alerts.onReadings(readings).catch(logFailure('alert evaluation failed'));
      })
    : null;
  if (bus) {
    bus.listen({
      onReadingsCommitted: () => feed?.wake(),
      onSessionChanged: (sessionId) => void sessions.reloadFromPeer(sessionId).catch(logFailure('could not reread a session')),
      onAlertsChanged: (changed) => alerts.applyPeerAlerts(changed),
      onAudioPaused: (message) => alerts.applyPeerPause(message),
      acknowledge: (request) => alerts.acknowledgeForPeer(request),
    });
  }
  await feed?.start(deps.pollMs ?? 1_000);
  await alerts.start();

  const batcher = new WriteBatcher(store.readings, {
    windowMs: deps.groupCommitWindowMs ?? 2,
    maxRows: 5000,
    onCommitted: (readings) => {
      chairs.applyReadings(readings);
      broadcastReadings(io, readings);
      if (feed && bus) {
        feed.noteLocal(readings);
        bus.readingsCommitted(readings.at(-1)?.seq ?? 0);
      } else {
        // Alerts first: a new BP then updates the session, whose context reaches the engine after the reading.
        alerts.onReadings(readings).catch(logFailure('alert evaluation failed'));
      }
      sessions.onReadingsCommitted(readings);
    },
  });
  const health = new StoreHealth(io, clock, logger);
  const ingest = new IngestService(
    store,
    batcher,
    clock,
    sessions,
    (problem) => health.failed(problem),
    () => health.recovered(),
    deps.maxReadingAgeDays,
  );

  return {
    ingest,
    health,
    async close() {
      await batcher.close();
      await feed?.idle();
      feed?.stop();
    },
  };
}
