/**
 * Several server processes on one PostgreSQL store: what they tell each other.
 *
 * Readings reach each node's dashboards from that node: the committing node emits them to its own
 * dashboards at once, and every other node emits the ones its ReadingsFeed reads back from the store
 * in sequence order (so a node that dies between its commit and its message loses no reading to the
 * others' dashboards: they read it back at their next poll). Alert, session and audio-pause events
 * fan out through Socket.IO's PostgreSQL adapter (LISTEN/NOTIFY): an emit to the dashboards room on any
 * node reaches every node's dashboards. The nodes' own messages (caches to refresh, new readings to
 * fetch, acknowledgements for the node running the alert engine) travel the same way, as Socket.IO
 * server-side events. Nothing here is durable, and nothing needs to be: the store is the record, and
 * every message only says "look again".
 */
import { randomUUID } from 'node:crypto';
import type { AudioPauseMessage, Reading } from '@chairside/shared';
import type { AcknowledgeOutcome, AcknowledgeRequest, SessionAlerts } from '../alerts/alerts.service';
import type { Logger } from '../logger';
import type { ReadingsRepository } from '../store/store';

/** Server-side events between nodes (Socket.IO's `ServerSideEvents`). */
export interface ClusterEvents {
  /** Readings up to `maxSeq` are committed: fetch what you have not seen. */
  'readings:committed': (message: { maxSeq: number }) => void;
  /** A session changed: reread it. */
  'session:changed': (message: { sessionId: string }) => void;
  /** The node running the alert engine saved a session's open alerts. */
  'alerts:changed': (message: SessionAlerts) => void;
  'audio:paused': (message: AudioPauseMessage) => void;
  /** For the node running the alert engine: please acknowledge. */
  'alerts:acknowledge': (message: { requestId: string; from: string; request: AcknowledgeRequest }) => void;
  /** The answer, for the node that asked. */
  'alerts:acknowledged': (message: { requestId: string; to: string; outcome: AcknowledgeOutcome }) => void;
}

/** What the bus needs of the Socket.IO server (its server-side events). */
export interface ServerSideEmitter {
  serverSideEmit<E extends keyof ClusterEvents>(event: E, ...args: Parameters<ClusterEvents[E]>): boolean;
  on<E extends keyof ClusterEvents>(event: E, listener: ClusterEvents[E]): unknown;
}

export interface ClusterHandlers {
  onReadingsCommitted(maxSeq: number): void;
  onSessionChanged(sessionId: string): void;
  onAlertsChanged(changed: SessionAlerts): void;
  onAudioPaused(message: AudioPauseMessage): void;
  /** Null when this node does not run the alert engine (another one answers). */
  acknowledge(request: AcknowledgeRequest): Promise<AcknowledgeOutcome | null>;
}

/** How long a node waits for the alert engine's node to answer an acknowledgement. */
const acknowledgeTimeoutMs = 5_000;

export class ClusterBus {
  /** This node's name in requests and answers. */
  readonly nodeId = randomUUID();
  private waiting = new Map<string, (outcome: AcknowledgeOutcome) => void>();

  constructor(
    private readonly io: ServerSideEmitter,
    private readonly logger: Logger,
  ) {}

  listen(handlers: ClusterHandlers): void {
    const guard =
      <A extends unknown[]>(name: string, handler: (...args: A) => void) =>
      (...args: A): void => {
        try {
          handler(...args);
        } catch (error) {
          this.logger.error('a message from another server failed', { event: name, error: String(error) });
        }
      };
    this.io.on('readings:committed', guard('readings:committed', (m) => handlers.onReadingsCommitted(m.maxSeq)));
    this.io.on('session:changed', guard('session:changed', (m) => handlers.onSessionChanged(m.sessionId)));
    this.io.on('alerts:changed', guard('alerts:changed', (m) => handlers.onAlertsChanged(m)));
    this.io.on('audio:paused', guard('audio:paused', (m) => handlers.onAudioPaused(m)));
    this.io.on(
      'alerts:acknowledge',
      guard('alerts:acknowledge', ({ requestId, from, request }) => {
        handlers
          .acknowledge(request)
          .then((outcome) => {
            if (outcome) this.io.serverSideEmit('alerts:acknowledged', { requestId, to: from, outcome });
          })
          .catch((error: unknown) => this.logger.error('a forwarded acknowledgement failed', { error: String(error) }));
      }),
    );
    this.io.on(
      'alerts:acknowledged',
      guard('alerts:acknowledged', ({ requestId, to, outcome }) => {
        if (to !== this.nodeId) return;
        this.waiting.get(requestId)?.(outcome);
      }),
    );
  }

  readingsCommitted(maxSeq: number): void {
    this.io.serverSideEmit('readings:committed', { maxSeq });
  }

  sessionChanged(sessionId: string): void {
    this.io.serverSideEmit('session:changed', { sessionId });
  }

  alertsChanged(changed: SessionAlerts): void {
    this.io.serverSideEmit('alerts:changed', changed);
  }

  audioPaused(message: AudioPauseMessage): void {
    this.io.serverSideEmit('audio:paused', message);
  }

  /** Asks the node running the alert engine to acknowledge; the first answer wins. */
  forwardAcknowledge(request: AcknowledgeRequest): Promise<AcknowledgeOutcome> {
    const requestId = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        resolve({
          ok: false,
          code: 'unavailable',
          message: 'No server answered for the alert engine (one may be taking it over); retry in a few seconds.',
        });
      }, acknowledgeTimeoutMs);
      this.waiting.set(requestId, (outcome) => {
        clearTimeout(timer);
        this.waiting.delete(requestId);
        resolve(outcome);
      });
      this.io.serverSideEmit('alerts:acknowledge', { requestId, from: this.nodeId, request });
    });
  }
}

/**
 * Every committed reading, in sequence order, whichever node committed it. With several nodes the
 * readings are read back from the store (sequence order is commit order there), woken by the
 * committing node's message, by this node's own commits, and by a slow poll in case a message was
 * lost. Each reading is delivered once, with whether this node committed it.
 */
export class ReadingsFeed {
  private cursor = 0;
  private local = new Set<number>();
  private pulling: Promise<void> | null = null;
  private again = false;
  private poller: NodeJS.Timeout | null = null;

  constructor(
    private readonly readings: Pick<ReadingsRepository, 'readingsAfter' | 'latestSeq'>,
    private readonly logger: Logger,
    private readonly deliver: (readings: readonly Reading[], committedHere: (reading: Reading) => boolean) => Promise<void>,
  ) {}

  /** Starts after everything committed so far (the caches were loaded from the store). */
  async start(pollMs: number): Promise<void> {
    this.cursor = await this.readings.latestSeq();
    this.poller = setInterval(() => this.wake(), pollMs);
    this.poller.unref();
  }

  /** This node committed these readings. */
  noteLocal(readings: readonly Reading[]): void {
    for (const r of readings) if (r.seq > this.cursor) this.local.add(r.seq);
    this.wake();
  }

  /** New readings may be in the store. */
  wake(): void {
    if (this.pulling) {
      this.again = true;
      return;
    }
    this.pulling = this.pull().finally(() => {
      this.pulling = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pull(): Promise<void> {
    try {
      for (;;) {
        const readings = await this.readings.readingsAfter(this.cursor, 2_000);
        if (readings.length === 0) return;
        const local = this.local;
        await this.deliver(readings, (r) => local.has(r.seq));
        this.cursor = readings.at(-1)?.seq ?? this.cursor;
        for (const seq of local) if (seq <= this.cursor) local.delete(seq);
      }
    } catch (error) {
      this.logger.error('could not read new readings from the store', { error: String(error) });
    }
  }

  /** Resolves when the readings known so far are delivered. */
  async idle(): Promise<void> {
    while (this.pulling) await this.pulling;
  }

  stop(): void {
    if (this.poller) clearInterval(this.poller);
  }
}
