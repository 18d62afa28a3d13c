import {
  type Alert,
  type AlertContext,
  type AlertEngineState,
  type AlertEvent,
  type AlertInput,
  type AlertListItem,
  type AudioPause,
  type DischargeGateResult,
  isSessionEnded,
  parseAlertId,
  pauseAudio,
  type Reading,
  type SessionSummary,
} from '@chairside/shared';
import type { Clock } from '../clock';
import { AppError, conflict, notFound } from '../http/app-error';
import type { Logger } from '../logger';
import type { AlertRecord, Store, StoreLease } from '../store/store';
import { alertContextFor } from './alert-context';
import { createEngineHost, type EngineHost } from './engine-host';
import type { RoundAnswer } from './engine-protocol';
import { type Engine, type Job, type Outcome, Round } from './alert-round';
import { loadEngine } from './engine-loader';

export { alertContextFor, rulesForSession } from './alert-context';

/** Who acknowledges, and with what note. */
export interface AcknowledgeRequest {
  alertId: string;
  by: { userId: string; username: string };
  note?: string;
}

/** An acknowledgement's outcome in plain data (it may travel between nodes). */
export type AcknowledgeOutcome =
  | { ok: true; item: AlertListItem }
  | { ok: false; code: 'not_found' | 'conflict' | 'unavailable'; message: string };

/** The open alerts of one session, as the node running the engine last saved them. */
export interface SessionAlerts {
  sessionId: string;
  chairId: string;
  alerts: Alert[];
}

/** How the alert service talks to the other nodes of a cluster (absent on a single node). */
export interface AlertsCluster {
  /** Tells the other nodes a session's open alerts changed (after they were saved). */
  publishAlerts(changed: SessionAlerts): void;
  /** Tells the other nodes a chair's alarm audio was paused. */
  publishPause(message: { chairId: string; pause: AudioPause; by: string }): void;
  /** Asks the node that runs the engine to acknowledge; `unavailable` when none answers in time. */
  forwardAcknowledge(request: AcknowledgeRequest): Promise<AcknowledgeOutcome>;
}

export interface AlertsServiceDeps {
  store: Pick<Store, 'alerts' | 'sessions' | 'catalog' | 'readings'>;
  clock: Clock;
  logger: Logger;
  /** The active sessions now (the engines to run when this node takes the engine over). */
  activeSessions: () => readonly SessionSummary[];
  /** The discharge gate as the sessions service last evaluated it (the not-ready advisory's input). */
  lastGate?: (sessionId: string) => DischargeGateResult | null;
  /** Called after an evaluation's state and alerts are stored. */
  onEvents: (chairId: string, sessionId: string, events: readonly AlertEvent[]) => void;
  cluster?: AlertsCluster;
  /** How often a node without the engine tries to take it over. Default 2000 ms. */
  leaseRetryMs?: number;
  /** How soon a state that told no one anything is saved. Default 5000 ms (a crash loses nothing: the readings after the saved state are evaluated again on load). */
  quietSaveMs?: number;
  /** Where the engines evaluate: a worker thread (default) or this thread (`ALERT_ENGINE_THREAD=0`). */
  engineMode?: EngineHost['mode'];
}

/**
 * The server side of alerting: one pure engine state per active session, fed with the session's
 * readings (in sequence order), its context and the passing time. Every evaluation is stored before
 * anyone is told.
 *
 * Work runs in rounds, one after another: the jobs queued while a round's transaction commits form
 * the next round, whose evaluations for every session are saved in one transaction (group commit,
 * like readings). The engines evaluate in a worker thread (engine-host.ts); this thread keeps the
 * lease, the store, the order of rounds and a copy of the open alerts (docs/architecture.md "The
 * alert engine"). Of several nodes sharing a PostgreSQL store, exactly one runs the engines — the holder
 * of the store's `alert-engine` lease — so each alert condition fires once; the others keep a copy
 * of the open alerts and forward acknowledgements. When the holder stops, another node takes the
 * lease over and catches every session up from its stored state: the state records the last reading
 * it evaluated, so nothing is evaluated twice or skipped. A failed save and a crashed engine thread
 * are caught up the same way.
 */
export class AlertsService {
  private engines = new Map<string, Engine>();
  /** Open alerts per session while another node runs the engine. */
  private mirror = new Map<string, SessionAlerts>();
  private pauses = new Map<string, { pause: AudioPause; by: string }>();
  private lease: StoreLease | null = null;
  private jobs: Job[] = [];
  private running: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The engines must be reloaded from the store before anything else (taken over, or a save failed). */
  private needsCatchUp = false;
  /** How many engines' newest state is only in the engines' memory (a quiet round), and when it is to be saved. */
  private dirty = 0;
  private flushDue = false;
  private quietSaveTimer: NodeJS.Timeout | null = null;
  /** Where the engines evaluate; made when this node first leads (and again after stop and start). */
  private host: EngineHost | null = null;
  /** Deaths of the engine thread so far, and in a row without a good round since (to pace the reloads). */
  private crashes = 0;
  private crashStreak = 0;

  constructor(private readonly deps: AlertsServiceDeps) {}

  /** Where the engines evaluate now (null before this node first led): for tests and diagnostics. */
  get engineHost(): EngineHost | null {
    return this.host;
  }

  /** True while this node runs the alert engine. */
  get leading(): boolean {
    return this.lease !== null && !this.lease.isLost();
  }

  /**
   * Takes the engine over if no other node runs it (loading and catching up the active sessions),
   * else copies the open alerts and keeps trying in the background.
   */
  async start(): Promise<void> {
    this.stopped = false;
    if (!(await this.tryLead())) await this.loadMirror();
    this.retryTimer = setInterval(() => {
      if (this.leading || this.stopped) return;
      this.tryLead().catch((error: unknown) => this.deps.logger.error('could not take the alert engine over', { error: String(error) }));
    }, this.deps.leaseRetryMs ?? 2_000);
    this.retryTimer.unref();
  }

  private async tryLead(): Promise<boolean> {
    if (this.leading) return true;
    const lease = await this.deps.store.alerts.tryAcquireLease('alert-engine');
    if (!lease) return false;
    if (this.stopped) {
      await lease.release();
      return false;
    }
    this.lease = lease;
    this.mirror.clear();
    this.needsCatchUp = true;
    this.engineHostNow().warmUp(); // the worker thread loads while the catch-up reads the store
    void lease.lost.then(() => this.onLeaseLost(lease));
    this.deps.logger.info('this server runs the alert engine');
    await this.enqueue(async () => () => undefined); // a round: it starts with the catch-up
    return true;
  }

  private onLeaseLost(lease: StoreLease): void {
    if (this.lease !== lease || this.stopped) return;
    this.deps.logger.error('this server lost the alert engine (its database connection dropped); another server takes it over');
    this.lease = null;
    this.engines.clear();
    this.dirty = 0;
    this.host?.reset();
    this.loadMirror().catch((error: unknown) => this.deps.logger.error('could not load the open alerts', { error: String(error) }));
  }

  private async loadMirror(): Promise<void> {
    const mirror = new Map<string, SessionAlerts>();
    for (const record of await this.deps.store.alerts.listOpenAlerts()) {
      const entry = mirror.get(record.sessionId) ?? { sessionId: record.sessionId, chairId: record.chairId, alerts: [] };
      entry.alerts.push(record.alert);
      mirror.set(record.sessionId, entry);
    }
    if (!this.leading) this.mirror = mirror;
  }

  /** Another node saved a session's open alerts. */
  applyPeerAlerts(changed: SessionAlerts): void {
    if (this.leading) return;
    if (changed.alerts.length === 0) this.mirror.delete(changed.sessionId);
    else this.mirror.set(changed.sessionId, changed);
  }

  /**
   * Loads every active session's engine from the store and evaluates what it has not seen yet:
   * readings committed after its last saved evaluation (a crash, or another node's last moments).
   */
  private async catchUp(round: Round): Promise<void> {
    this.engines.clear();
    this.dirty = 0;
    round.push({ kind: 'reset' });
    for (const session of this.deps.activeSessions()) {
      const { state, unseen } = await loadEngine(this.deps, session);
      const engine: Engine = { sessionId: session.id, chairId: session.chairId, session, alerts: state.alerts };
      this.addEngine(round, engine, state);
      round.push({ kind: 'run', sessionId: session.id, context: this.contextOf(engine, round.now), inputs: [...unseen, { kind: 'tick' }] });
    }
  }

  /** An engine joins the round with its loaded state (the state crosses to the engines here, once). */
  private addEngine(round: Round, engine: Engine, state: AlertEngineState): void {
    round.added.set(engine.sessionId, engine);
    round.push({ kind: 'add', sessionId: engine.sessionId, chairId: engine.chairId, state, limits: engine.session.state.alertLimits });
  }

  /** The engine of a session in this round (joined earlier in the round, or before). */
  private engineIn(round: Round, sessionId: string): Engine | undefined {
    if (round.removed.has(sessionId)) return undefined;
    return round.added.get(sessionId) ?? this.engines.get(sessionId);
  }

  /** The session's context now; the engines compare it with the one they have (engine-core.ts). */
  private contextOf(engine: Engine, now: number): AlertContext {
    return alertContextFor(engine.session, now, this.deps.lastGate?.(engine.sessionId) ?? null);
  }

  private engineHostNow(): EngineHost {
    this.host ??= createEngineHost(this.deps.engineMode ?? 'thread', {
      logger: this.deps.logger,
      onCrash: () => this.onEngineCrash(),
    });
    return this.host;
  }

  /**
   * The engine thread died: the states it kept in memory only are gone, so every engine is reloaded
   * from the store and catches up on the readings it had not saved (as after a failed save). The
   * reload runs at once, not at the next reading, since alarms may be building up in those states;
   * a thread that dies again and again is restarted less and less often (up to every 10 s).
   */
  private onEngineCrash(): void {
    this.crashes += 1;
    this.crashStreak += 1;
    this.dirty = 0;
    if (!this.leading || this.stopped) return;
    this.needsCatchUp = true;
    const delayMs = this.crashStreak <= 1 ? 0 : Math.min(10_000, 250 * 2 ** (this.crashStreak - 2));
    setTimeout(() => {
      if (this.leading && !this.stopped) this.enqueue(async () => () => undefined).catch(() => undefined); // logged by the round
    }, delayMs).unref();
  }

  private scheduleQuietSave(): void {
    if (this.quietSaveTimer) return;
    this.quietSaveTimer = setTimeout(() => {
      this.quietSaveTimer = null;
      this.flushDue = true;
      this.enqueue(async () => () => undefined).catch(() => undefined); // logged by the round
    }, this.deps.quietSaveMs ?? 5_000);
    this.quietSaveTimer.unref();
  }

  /** Queues a job for the next round; resolves with its result once the round is durable. */
  private enqueue<T>(apply: (round: Round) => Promise<() => T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ apply, resolve: resolve as (value: unknown) => void, reject });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.jobs.length > 0) {
      const jobs = this.jobs;
      this.jobs = [];
      await this.runRound(jobs);
    }
    this.running = null;
  }

  private async runRound(jobs: readonly Job[]): Promise<void> {
    const lease = this.lease;
    const round = new Round(this.deps.clock.now());
    const outcomes: Outcome[] = [];
    // The engine thread's deaths so far: one during this round means its engines are gone.
    const crashes = this.crashes;
    const catchingUp = this.needsCatchUp && lease !== null && !lease.isLost();
    if (catchingUp) {
      try {
        await this.catchUp(round);
      } catch (error) {
        this.deps.logger.error('could not load the alert engines', { error: String(error) });
        for (const job of jobs) job.reject(new AppError('unavailable', 'The alert state could not be loaded; retry.'));
        return;
      }
    }
    for (const job of jobs) {
      const from = round.ops.length;
      if (!lease || lease.isLost()) {
        outcomes.push({ job, result: null, error: new AppError('unavailable', 'This server no longer runs the alert engine; retry.'), ops: [from, from] });
        continue;
      }
      try {
        const result = await job.apply(round);
        outcomes.push({ job, result, error: null, ops: [from, round.ops.length] });
      } catch (error) {
        outcomes.push({ job, result: null, error, ops: [from, round.ops.length] });
      }
    }
    if (lease && (round.ops.length > 0 || (this.flushDue && this.dirty > 0))) {
      if (!(await this.evaluateAndSave(round, lease, catchingUp, crashes))) {
        for (const { job } of outcomes) job.reject(new AppError('unavailable', 'The alert state could not be saved; retry.'));
        return;
      }
    }
    this.settle(round, outcomes);
  }

  /**
   * Has the engines evaluate the round, saves it when it tells anyone anything (else the engines keep
   * it in memory, saved within `quietSaveMs`), then applies it here and tells the listeners. False
   * when nothing of the round happened (the save failed or the engine thread died): the next round
   * first reloads the engines from the store and evaluates every reading they have not seen, so none
   * is skipped.
   */
  private async evaluateAndSave(round: Round, lease: StoreLease, catchingUp: boolean, crashes: number): Promise<boolean> {
    // The thread died while this round was put together: a new one would not know its engines.
    if (this.crashes !== crashes) return false;
    const host = this.engineHostNow();
    let answer: RoundAnswer;
    try {
      answer = await host.round({ now: round.now, flush: this.flushDue, ops: round.ops });
    } catch (error) {
      this.deps.logger.error('the alert engines could not evaluate', { error: String(error) });
      this.needsCatchUp = true;
      return false;
    }
    round.results = answer.results;
    if (answer.saves !== null) {
      try {
        if (answer.saves.length > 0) await this.deps.store.alerts.saveAlertEvaluations(answer.saves, round.now, lease);
      } catch (error) {
        this.deps.logger.error('alert evaluations could not be saved', { error: String(error) });
        host.discard();
        this.needsCatchUp = true;
        return false;
      }
      host.commit();
      this.flushDue = false;
      // A flush saves a bounded number of states (engine-core.ts): the rest go with the next one.
      this.dirty = answer.dirty;
      if (this.dirty > 0) this.scheduleQuietSave();
    } else if (!answer.empty) {
      this.dirty = answer.dirty;
      this.scheduleQuietSave();
    }
    // A thread that died meanwhile took its memory along: the catch-up must run again.
    if (this.crashes === crashes) {
      this.crashStreak = 0;
      if (catchingUp) this.needsCatchUp = false;
    }
    if (!answer.empty || answer.saves !== null) this.apply(round, answer);
    return true;
  }

  /** The round happened: the engines joining and leaving, their open alerts, and who is told. */
  private apply(round: Round, answer: RoundAnswer): void {
    for (const [sessionId, engine] of round.added) this.engines.set(sessionId, engine);
    for (const { sessionId, alerts } of answer.alerts) {
      const engine = this.engines.get(sessionId);
      if (engine) engine.alerts = alerts;
    }
    const published = answer.events.map(({ sessionId, chairId }) => ({
      sessionId,
      chairId,
      alerts: round.removed.has(sessionId) ? [] : (this.engines.get(sessionId)?.alerts ?? []),
    }));
    for (const sessionId of round.removed) this.engines.delete(sessionId);
    for (const { sessionId, chairId, events } of answer.events) this.deps.onEvents(chairId, sessionId, events);
    if (this.deps.cluster) {
      for (const changed of published) this.deps.cluster.publishAlerts(changed);
      for (const sessionId of round.removed) {
        if (!published.some((p) => p.sessionId === sessionId)) this.deps.cluster.publishAlerts({ sessionId, chairId: '', alerts: [] });
      }
    }
  }

  /** Answers the round's jobs: each gets its result, or the error of its own part. */
  private settle(round: Round, outcomes: readonly Outcome[]): void {
    for (const { job, result, error, ops } of outcomes) {
      if (result === null) {
        job.reject(error);
        continue;
      }
      const failed = round.results.slice(ops[0], ops[1]).find((r) => r?.kind === 'failed');
      if (failed) {
        job.reject(new Error(failed.message));
        continue;
      }
      try {
        job.resolve(result());
      } catch (resultError) {
        job.reject(resultError);
      }
    }
  }

  /** A session was checked in or changed (phase, baseline, new BP, limits). Ignored unless this node runs the engine. */
  onSessionChanged(session: SessionSummary): Promise<void> {
    if (!this.leading) return Promise.resolve();
    return this.enqueue(async (round) => {
      let engine = this.engineIn(round, session.id);
      let unseen: AlertInput[] = [];
      if (!engine) {
        if (isSessionEnded(session.state)) return () => undefined;
        // Readings may have come before this node heard of the session (another node checked it in):
        // the ones the engine has not evaluated yet are evaluated now.
        const loaded = await loadEngine(this.deps, session);
        engine = { sessionId: session.id, chairId: session.chairId, session, alerts: loaded.state.alerts };
        this.addEngine(round, engine, loaded.state);
        unseen = loaded.unseen;
      }
      engine.session = session;
      round.push({
        kind: 'run',
        sessionId: session.id,
        limits: session.state.alertLimits,
        context: this.contextOf(engine, round.now),
        inputs: [...unseen, { kind: 'tick' }],
      });
      if (isSessionEnded(session.state)) {
        round.added.delete(session.id);
        round.removed.add(session.id);
        round.push({ kind: 'remove', sessionId: session.id });
      }
      return () => undefined;
    });
  }

  /** Readings committed to the store, in sequence order. Ignored unless this node runs the engine. */
  onReadings(readings: readonly Reading[]): Promise<void> {
    if (!this.leading || !readings.some((r) => r.sessionId !== null)) return Promise.resolve();
    return this.enqueue(async (round) => {
      const evaluated = readings.filter((r) => r.sessionId !== null && this.engineIn(round, r.sessionId) !== undefined);
      if (evaluated.length > 0) round.push({ kind: 'readings', readings: evaluated });
      return () => undefined;
    });
  }

  /**
   * Readings of a chair attached to one of its sessions after they were stored: evaluated in their
   * place like any late reading (their sequence numbers are older than readings already seen).
   */
  onReadingsAttached(sessionId: string, readings: readonly Reading[]): Promise<void> {
    if (!this.leading || readings.length === 0) return Promise.resolve();
    return this.enqueue(async (round) => {
      if (!this.engineIn(round, sessionId)) return () => undefined;
      const sorted = [...readings].sort((a, b) => a.seq - b.seq);
      const inputs = [...sorted.map((reading): AlertInput => ({ kind: 'reading', reading, attached: true })), { kind: 'tick' } as const];
      round.push({ kind: 'run', sessionId, context: null, inputs });
      return () => undefined;
    });
  }

  /** Time passes: technical rules, escalation, clearing after the minimum visible time. */
  tick(): Promise<void> {
    if (!this.leading || this.engines.size === 0) return Promise.resolve();
    return this.enqueue(async (round) => {
      const contexts: [string, AlertContext][] = [];
      for (const engine of this.engines.values()) {
        if (!round.removed.has(engine.sessionId)) contexts.push([engine.sessionId, this.contextOf(engine, round.now)]);
      }
      round.push({ kind: 'tick', contexts });
      return () => undefined;
    });
  }

  async acknowledge(alertId: string, by: { userId: string; username: string }, note: string | undefined): Promise<AlertListItem> {
    const request: AcknowledgeRequest = { alertId, by, ...(note ? { note } : {}) };
    if (!this.leading && this.deps.cluster) {
      const outcome = await this.deps.cluster.forwardAcknowledge(request);
      if (outcome.ok) return outcome.item;
      throw new AppError(outcome.code, outcome.message);
    }
    return this.acknowledgeHere(request);
  }

  /** Acknowledges on this node (it runs the engine); the outcome as data, for a request from another node. */
  async acknowledgeForPeer(request: AcknowledgeRequest): Promise<AcknowledgeOutcome | null> {
    if (!this.leading) return null;
    try {
      return { ok: true, item: await this.acknowledgeHere(request) };
    } catch (error) {
      if (error instanceof AppError && (error.code === 'not_found' || error.code === 'conflict' || error.code === 'unavailable')) {
        return { ok: false, code: error.code, message: error.message };
      }
      throw error;
    }
  }

  private async acknowledgeHere({ alertId, by, note }: AcknowledgeRequest): Promise<AlertListItem> {
    const sessionId = parseAlertId(alertId)?.idPrefix;
    if (!sessionId) throw notFound(`No alert with id "${alertId}".`);
    return this.enqueue(async (round) => {
      const engine = this.engineIn(round, sessionId);
      if (!engine) {
        const stored = (await this.deps.store.alerts.listSessionAlerts(sessionId)).find((a) => a.alert.id === alertId);
        if (stored) throw conflict('This alert has already cleared; it stays in the session’s history.');
        throw notFound(`No alert with id "${alertId}".`);
      }
      const outcome = round.push({ kind: 'acknowledge', sessionId, alertId, by, ...(note ? { note } : {}) });
      return (): AlertListItem => {
        const result = outcome();
        if (result?.kind === 'acknowledged') return { chairId: engine.chairId, sessionId: engine.sessionId, alert: result.alert };
        if (result?.kind === 'refused' && (result.code === 'already-cleared' || result.code === 'already-acknowledged')) throw conflict(result.message);
        if (result?.kind === 'refused') throw notFound(result.message);
        throw new AppError('unavailable', 'The alert engine did not answer; retry.');
      };
    });
  }

  /** Pauses a chair's alarm audio on every screen for 2 min; a higher priority breaks through. */
  async pauseAudio(chairId: string, username: string): Promise<{ chairId: string; pause: AudioPause; by: string }> {
    if (!(await this.deps.store.catalog.findChair(chairId))) throw notFound(`No chair with id "${chairId}".`);
    const alerts = this.openAlerts()
      .filter((a) => a.chairId === chairId)
      .map((a) => a.alert);
    const pause = pauseAudio(alerts, this.deps.clock.now());
    this.pauses.set(chairId, { pause, by: username });
    this.deps.cluster?.publishPause({ chairId, pause, by: username });
    return { chairId, pause, by: username };
  }

  /** Another node paused a chair's audio. */
  applyPeerPause(message: { chairId: string; pause: AudioPause; by: string }): void {
    this.pauses.set(message.chairId, { pause: message.pause, by: message.by });
  }

  audioPauses(): { chairId: string; pause: AudioPause; by: string }[] {
    const now = this.deps.clock.now();
    return [...this.pauses].filter(([, p]) => (p.pause.pausedUntilMs ?? 0) > now).map(([chairId, p]) => ({ chairId, ...p }));
  }

  /** Open alerts (active or acknowledged) of every active session. */
  openAlerts(): AlertListItem[] {
    if (!this.leading) {
      return [...this.mirror.values()].flatMap((m) => m.alerts.map((alert) => ({ chairId: m.chairId, sessionId: m.sessionId, alert })));
    }
    return [...this.engines.values()].flatMap((e) => e.alerts.map((alert) => ({ chairId: e.chairId, sessionId: e.sessionId, alert })));
  }

  /** Every alert a session raised, as stored (ended sessions included), oldest first. */
  storedSessionAlerts(sessionId: string): Promise<AlertRecord[]> {
    return this.deps.store.alerts.listSessionAlerts(sessionId);
  }

  /**
   * A session's open alerts, as the last applied round left them (or, on a node without the engine,
   * as last published): the discharge gate's input, which picks those that hold discharge
   * (`alarmsHoldingDischarge`).
   */
  sessionAlerts(sessionId: string): Alert[] {
    const alerts = this.leading ? this.engines.get(sessionId)?.alerts : this.mirror.get(sessionId)?.alerts;
    return alerts ?? [];
  }

  /** Resolves when all queued work is done. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Finishes queued work and gives the engine up (another node may take it over at once). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearInterval(this.retryTimer);
    if (this.quietSaveTimer) clearTimeout(this.quietSaveTimer);
    this.quietSaveTimer = null;
    if (this.leading && this.dirty > 0) {
      this.flushDue = true;
      await this.enqueue(async () => () => undefined).catch(() => undefined);
    }
    await this.idle();
    const lease = this.lease;
    this.lease = null;
    await lease?.release();
    const host = this.host;
    this.host = null;
    await host?.close();
  }
}
