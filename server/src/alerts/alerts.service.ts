import {
  type Alert,
  type AlertContext,
  type AlertEngineState,
  alertEngineStateSchema,
  type AlertEvent,
  type AlertInput,
  type AlertListItem,
  type AlertRule,
  alertLimitsSchema,
  applyAlertLimits,
  type AudioPause,
  createAlertEngineState,
  type DischargeGateResult,
  defaultAlertRules,
  evaluate,
  isSessionEnded,
  parseAlertId,
  pauseAudio,
  type Reading,
  recordSettingsOf,
  sessionClocks,
  type SessionSummary,
} from '@chairside/shared';
import type { Clock } from '../clock';
import { AppError, conflict, notFound } from '../http/app-error';
import type { Logger } from '../logger';
import type { AlertEvaluationRecord, AlertRecord, Store, StoreLease } from '../store/store';

interface Engine {
  sessionId: string;
  chairId: string;
  state: AlertEngineState;
  rules: readonly AlertRule[];
  /** The session as last seen, to rebuild the engine's context as time passes. */
  session: SessionSummary;
}

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
}

/** The rules a session runs: the defaults with the session's limit changes applied. */
export function rulesForSession(session: SessionSummary): readonly AlertRule[] {
  if (session.state.alertLimits === null) return defaultAlertRules;
  const limits = alertLimitsSchema.safeParse(session.state.alertLimits);
  if (!limits.success) return defaultAlertRules;
  const applied = applyAlertLimits(defaultAlertRules, limits.data);
  return applied.ok ? applied.rules : defaultAlertRules;
}

/**
 * What the alert engine needs to know of a session at `nowMs`. `gate` is the discharge gate as last
 * evaluated: the not-ready advisory fires only on a gate evaluated at or after the end of the
 * minimum observation that failed, never on an older copy.
 */
export function alertContextFor(session: SessionSummary, nowMs: number, gate: DischargeGateResult | null = null): AlertContext {
  const { protocol, state, baseline } = session;
  const clocks = sessionClocks(
    protocol,
    state,
    { lastBpAtMs: session.bpTimesMs.at(-1) ?? null, bpReadingTimes: session.bpTimesMs },
    nowMs,
  );
  const bpIntervalMin =
    state.phase === 'observation' ? protocol.observation.bpIntervalMin : protocol.treatment.bpIntervalMin;
  const observation = clocks.observation;
  const gateFailsAtObservationEnd =
    state.phase === 'observation' &&
    state.gateFirstHeldAtMs === null &&
    observation !== null &&
    observation.minimumReached &&
    gate !== null &&
    !gate.holds &&
    gate.atMs >= observation.minimumEndsAtMs;
  return {
    phase: state.phase,
    // Rules about the baseline wait for a complete one: a provisional baseline raises nothing.
    baseline:
      baseline.complete && baseline.systolic !== null && baseline.diastolic !== null
        ? { systolic: baseline.systolic, diastolic: baseline.diastolic }
        : null,
    bpIntervalMin,
    bpDueAtMs: clocks.nextBp?.dueAtMs ?? null,
    checkpoints: clocks.checkpoints.map((c) => ({
      id: c.id,
      label: c.label,
      status: c.status,
      windowStartAtMs: c.windowStartAtMs,
      windowEndAtMs: c.windowEndAtMs,
    })),
    gateFailsAtObservationEnd,
    treatmentStartedAtMs: state.treatmentStartedAtMs,
    treatmentEndedAtMs: state.treatmentEndedAtMs,
    monitorRemovedAtMs: state.monitorRemovedAtMs ?? null,
    ...recordContextOf(session),
  };
}

/**
 * The session record's timers for the alert engine (docs/clinical-defaults.md "The session record beyond vitals"):
 * open PRN reassessments, and the next eyes-on check with the protocol's overdue thresholds.
 */
function recordContextOf(session: SessionSummary): Pick<AlertContext, 'rounding' | 'reassessments'> {
  const { record } = session;
  if (record === undefined) return { rounding: null, reassessments: [] };
  const thresholds = recordSettingsOf(session.protocol).rounding;
  // Eyes-on checks are due from the start of treatment, the first one an interval after it, whether or not any was
  // recorded yet (docs/clinical-defaults.md "Eyes-on checks from the start").
  const due = record.due.find((d) => d.kind === 'rounding');
  return {
    rounding: due === undefined ? null : { dueAtMs: due.dueAtMs, lowAfterMin: thresholds.lowAfterMin, mediumAfterMin: thresholds.mediumAfterMin },
    reassessments: record.due.filter((d) => d.kind === 'reassessment').map((d) => ({ id: d.id, label: d.label, dueAtMs: d.dueAtMs })),
  };
}

/**
 * One round of work on the engines: evaluations change states here first, and reach the engines,
 * the store and the listeners together, after one durable transaction (group commit).
 */
class Round {
  readonly states = new Map<Engine, AlertEngineState>();
  readonly events = new Map<Engine, AlertEvent[]>();
  /** Engines that joined (or left) during the round: applied with the states. */
  readonly added = new Map<string, Engine>();
  readonly removed = new Set<string>();

  constructor(readonly now: number) {}

  stateOf(engine: Engine): AlertEngineState {
    return this.states.get(engine) ?? engine.state;
  }

  /** Evaluates inputs in order against the round's state of the engine. */
  run(engine: Engine, inputs: readonly AlertInput[]): void {
    let state = this.stateOf(engine);
    const events: AlertEvent[] = [];
    for (const input of inputs) {
      const result = evaluate(engine.rules, state, input, this.now);
      state = result.state;
      events.push(...result.events);
    }
    if (state === this.stateOf(engine) && events.length === 0) return;
    this.states.set(engine, state);
    if (events.length > 0) this.events.set(engine, [...(this.events.get(engine) ?? []), ...events]);
  }

  get empty(): boolean {
    return this.states.size === 0 && this.added.size === 0 && this.removed.size === 0;
  }
}

interface Job {
  /** Adds its evaluations to the round; may read the store. Returns what the caller waits for. */
  apply(round: Round): Promise<() => unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * The server side of alerting: one pure engine state per active session, fed with the session's
 * readings (in sequence order), its context and the passing time. Every evaluation is stored before
 * anyone is told.
 *
 * Work runs in rounds, one after another: the jobs queued while a round's transaction commits form
 * the next round, whose evaluations for every session are saved in one transaction (group commit,
 * like readings). Of several nodes sharing a PostgreSQL store, exactly one runs the engines — the
 * holder of the store's `alert-engine` lease — so each alert condition fires once; the others keep a
 * copy of the open alerts and forward acknowledgements. When the holder stops, another node takes
 * the lease over and catches every session up from its stored state: the state records the last
 * reading it evaluated, so nothing is evaluated twice or skipped.
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
  /** Engines whose newest state is only in memory (a quiet round), and when it is to be saved. */
  private dirty = new Set<Engine>();
  private flushDue = false;
  private quietSaveTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: AlertsServiceDeps) {}

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
    this.dirty.clear();
    for (const session of this.deps.activeSessions()) {
      const { engine, readings } = await this.loadEngine(session);
      round.added.set(session.id, engine);
      const inputs: AlertInput[] = [];
      const context = this.contextInput(engine, round);
      if (context) inputs.push(context);
      inputs.push(...(await this.unseenReadings(engine, readings)));
      inputs.push({ kind: 'tick' });
      round.run(engine, inputs);
    }
  }

  /**
   * The readings of a session its engine has not evaluated: those committed after its last
   * evaluated one, and readings attached to the session later whose evaluation was not saved.
   */
  private async unseenReadings(engine: Engine, readings: readonly Reading[]): Promise<AlertInput[]> {
    const { lastReadingSeq, attachedSeqs } = engine.state.tracking;
    const lastSeq = lastReadingSeq ?? Number.NEGATIVE_INFINITY;
    const attachedIds = new Set<string>();
    if (readings.some((r) => r.seq <= lastSeq)) {
      for (const event of await this.deps.store.sessions.listSessionEvents(engine.sessionId)) {
        const ids = event.type === 'readings-attached' ? (event.payload as { readingIds?: unknown }).readingIds : undefined;
        if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') attachedIds.add(id);
      }
    }
    const evaluated = new Set(attachedSeqs);
    return readings.flatMap((reading): AlertInput[] => {
      if (reading.seq > lastSeq) return [{ kind: 'reading', reading }];
      if (attachedIds.has(reading.id) && !evaluated.has(reading.seq)) return [{ kind: 'reading', reading, attached: true }];
      return [];
    });
  }

  private async loadEngine(session: SessionSummary): Promise<{ engine: Engine; readings: Reading[] }> {
    const stored = await this.deps.store.alerts.loadAlertEngine(session.id);
    const parsed = stored === null ? null : alertEngineStateSchema.safeParse(stored);
    if (parsed && !parsed.success) {
      this.deps.logger.error('stored alert state is not valid; starting a fresh one', { sessionId: session.id });
    }
    const readings = await this.deps.store.readings.listSessionReadings(session.id);
    const engine: Engine = {
      sessionId: session.id,
      chairId: session.chairId,
      state: parsed?.success ? parsed.data : createAlertEngineState({ idPrefix: session.id }),
      rules: rulesForSession(session),
      session,
    };
    return { engine, readings };
  }

  /** The engine of a session in this round (joined earlier in the round, or before). */
  private engineIn(round: Round, sessionId: string): Engine | undefined {
    if (round.removed.has(sessionId)) return undefined;
    return round.added.get(sessionId) ?? this.engines.get(sessionId);
  }

  private contextInput(engine: Engine, round: Round): AlertInput | null {
    const context = alertContextFor(engine.session, round.now, this.deps.lastGate?.(engine.sessionId) ?? null);
    if (JSON.stringify(context) === JSON.stringify(round.stateOf(engine).context)) return null;
    return { kind: 'context', ...context };
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
    const outcomes: { job: Job; result: (() => unknown) | null; error: unknown }[] = [];
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
      if (!lease || lease.isLost()) {
        outcomes.push({ job, result: null, error: new AppError('unavailable', 'This server no longer runs the alert engine; retry.') });
        continue;
      }
      try {
        outcomes.push({ job, result: await job.apply(round), error: null });
      } catch (error) {
        outcomes.push({ job, result: null, error });
      }
    }
    if (catchingUp && round.empty) this.needsCatchUp = false;
    const flush = this.flushDue && this.dirty.size > 0;
    if (lease && (!round.empty || flush)) {
      // A round that tells anyone anything (events, an ended session) is saved first, with every
      // state kept in memory so far. A quiet round (newest values, the last reading seen) is only
      // kept in memory and saved within `quietSaveMs`: lost in a crash, it is recomputed from the
      // stored readings when the engines are loaded again, so it need not cost a commit of its own.
      if (round.events.size > 0 || round.removed.size > 0 || flush) {
        const states = new Map(round.states);
        for (const engine of this.dirty) {
          if (!states.has(engine) && this.engines.get(engine.sessionId) === engine) states.set(engine, engine.state);
        }
        const saves: AlertEvaluationRecord[] = [...states].map(([engine, state]) => ({
          sessionId: engine.sessionId,
          chairId: engine.chairId,
          state,
          events: round.events.get(engine) ?? [],
        }));
        try {
          if (saves.length > 0) await this.deps.store.alerts.saveAlertEvaluations(saves, round.now, lease);
        } catch (error) {
          // Nothing of this round happened. The next round first reloads the engines from the store
          // and evaluates every reading they have not seen, so none is skipped.
          this.deps.logger.error('alert evaluations could not be saved', { error: String(error) });
          for (const { job } of outcomes) job.reject(new AppError('unavailable', 'The alert state could not be saved; retry.'));
          this.needsCatchUp = true;
          return;
        }
        this.dirty.clear();
        this.flushDue = false;
      } else {
        for (const engine of round.states.keys()) this.dirty.add(engine);
        this.scheduleQuietSave();
      }
      if (catchingUp) this.needsCatchUp = false;
      for (const [sessionId, engine] of round.added) this.engines.set(sessionId, engine);
      for (const [engine, state] of round.states) engine.state = state;
      for (const sessionId of round.removed) this.engines.delete(sessionId);
      for (const [engine, events] of round.events) this.deps.onEvents(engine.chairId, engine.sessionId, events);
      if (this.deps.cluster) {
        for (const engine of round.events.keys()) {
          const ended = round.removed.has(engine.sessionId);
          this.deps.cluster.publishAlerts({ sessionId: engine.sessionId, chairId: engine.chairId, alerts: ended ? [] : engine.state.alerts });
        }
        for (const sessionId of round.removed) {
          if (![...round.events.keys()].some((e) => e.sessionId === sessionId)) {
            this.deps.cluster.publishAlerts({ sessionId, chairId: '', alerts: [] });
          }
        }
      }
    }
    for (const { job, result, error } of outcomes) {
      if (result === null) {
        job.reject(error);
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
        const loaded = await this.loadEngine(session);
        engine = loaded.engine;
        round.added.set(session.id, engine);
        // Readings may have come before this node heard of the session (another node checked it in):
        // the ones the engine has not evaluated yet are evaluated now.
        unseen = await this.unseenReadings(engine, loaded.readings);
      }
      engine.session = session;
      engine.rules = rulesForSession(session);
      const input = this.contextInput(engine, round);
      round.run(engine, [...(input ? [input] : []), ...unseen, { kind: 'tick' }]);
      if (isSessionEnded(session.state)) {
        round.added.delete(session.id);
        round.removed.add(session.id);
      }
      return () => undefined;
    });
  }

  /** Readings committed to the store, in sequence order. Ignored unless this node runs the engine. */
  onReadings(readings: readonly Reading[]): Promise<void> {
    if (!this.leading || !readings.some((r) => r.sessionId !== null)) return Promise.resolve();
    return this.enqueue(async (round) => {
      const bySession = new Map<Engine, Reading[]>();
      for (const r of readings) {
        const engine = r.sessionId === null ? undefined : this.engineIn(round, r.sessionId);
        if (!engine) continue;
        const list = bySession.get(engine) ?? [];
        list.push(r);
        bySession.set(engine, list);
      }
      for (const [engine, list] of bySession) {
        round.run(engine, list.map((reading): AlertInput => ({ kind: 'reading', reading })));
      }
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
      const engine = this.engineIn(round, sessionId);
      if (!engine) return () => undefined;
      const sorted = [...readings].sort((a, b) => a.seq - b.seq);
      round.run(engine, [...sorted.map((reading): AlertInput => ({ kind: 'reading', reading, attached: true })), { kind: 'tick' }]);
      return () => undefined;
    });
  }

  /** Time passes: technical rules, escalation, clearing after the minimum visible time. */
  tick(): Promise<void> {
    if (!this.leading || this.engines.size === 0) return Promise.resolve();
    return this.enqueue(async (round) => {
      for (const engine of this.engines.values()) {
        if (round.removed.has(engine.sessionId)) continue;
        const context = this.contextInput(engine, round);
        round.run(engine, context ? [context, { kind: 'tick' }] : [{ kind: 'tick' }]);
      }
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
      const result = evaluate(engine.rules, round.stateOf(engine), { kind: 'acknowledge', alertId, by, ...(note ? { note } : {}) }, round.now);
      if (result.error) {
        if (result.error.code === 'unknown-alert') throw notFound(result.error.message);
        throw conflict(result.error.message);
      }
      round.states.set(engine, result.state);
      round.events.set(engine, [...(round.events.get(engine) ?? []), ...result.events]);
      const alert = result.state.alerts.find((a) => a.id === alertId) ?? result.events.find((e) => e.alert.id === alertId)?.alert;
      if (!alert) throw notFound(`No alert with id "${alertId}".`);
      return () => ({ chairId: engine.chairId, sessionId: engine.sessionId, alert });
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
    return [...this.engines.values()].flatMap((e) =>
      e.state.alerts.map((alert: Alert) => ({ chairId: e.chairId, sessionId: e.sessionId, alert })),
    );
  }

  /**
   * A session's open alerts, as the engine keeps them (or, on a node without it, as last published):
   * the discharge gate's input, which picks those that hold discharge (`alarmsHoldingDischarge`).
   */
  /** Every alert a session raised, as stored (ended sessions included), oldest first. */
  storedSessionAlerts(sessionId: string): Promise<AlertRecord[]> {
    return this.deps.store.alerts.listSessionAlerts(sessionId);
  }

  sessionAlerts(sessionId: string): Alert[] {
    const alerts = this.leading ? this.engines.get(sessionId)?.state.alerts : this.mirror.get(sessionId)?.alerts;
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
    if (this.leading && this.dirty.size > 0) {
      this.flushDue = true;
      await this.enqueue(async () => () => undefined).catch(() => undefined);
    }
    await this.idle();
    const lease = this.lease;
    this.lease = null;
    await lease?.release();
  }
}
