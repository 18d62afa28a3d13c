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
  defaultAlertRules,
  evaluate,
  isSessionEnded,
  parseAlertId,
  pauseAudio,
  type Reading,
  sessionClocks,
  type SessionSummary,
} from '@chairside/shared';
import type { Clock } from '../clock';
import { conflict, notFound } from '../http/app-error';
import type { Logger } from '../logger';
import type { Store } from '../store/store';

interface Engine {
  sessionId: string;
  chairId: string;
  state: AlertEngineState;
  rules: readonly AlertRule[];
  /** The session as last seen, to rebuild the engine's context as time passes. */
  session: SessionSummary;
  /** A device (monitor or simulator) has sent readings in this session. */
  deviceSeen: boolean;
}

export interface AlertsServiceDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Called after an evaluation's state and alerts are stored. */
  onEvents: (chairId: string, sessionId: string, events: readonly AlertEvent[]) => void;
}

/** The rules a session runs: the defaults with the session's limit changes applied. */
export function rulesForSession(session: SessionSummary): readonly AlertRule[] {
  if (session.state.alertLimits === null) return defaultAlertRules;
  const limits = alertLimitsSchema.safeParse(session.state.alertLimits);
  if (!limits.success) return defaultAlertRules;
  const applied = applyAlertLimits(defaultAlertRules, limits.data);
  return applied.ok ? applied.rules : defaultAlertRules;
}

/** What the alert engine needs to know of a session at `nowMs`. */
export function alertContextFor(session: SessionSummary, deviceConnected: boolean, nowMs: number): AlertContext {
  const { protocol, state, baseline } = session;
  const clocks = sessionClocks(
    protocol,
    state,
    { lastBpAtMs: session.bpTimesMs.at(-1) ?? null, bpReadingTimes: session.bpTimesMs },
    nowMs,
  );
  const bpIntervalMin =
    state.phase === 'observation' ? protocol.observation.bpIntervalMin : protocol.treatment.bpIntervalMin;
  return {
    phase: state.phase,
    baseline:
      baseline.systolic !== null && baseline.diastolic !== null
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
    gateFailsAtObservationEnd:
      state.phase === 'observation' && (clocks.observation?.minimumReached ?? false) && state.gateFirstHeldAtMs === null,
    deviceConnected,
  };
}

/**
 * The server side of alerting: one pure engine state per active session, fed with the session's
 * readings, its context and the passing time; every evaluation is stored before anyone is told.
 * Work on one session runs in order (a queue per session), so a reading, a tick and an
 * acknowledgement never interleave.
 */
export class AlertsService {
  private engines = new Map<string, Engine>();
  private queues = new Map<string, Promise<unknown>>();
  private pauses = new Map<string, { pause: AudioPause; by: string }>();

  constructor(private readonly deps: AlertsServiceDeps) {}

  /** Loads (or creates) the engines of the active sessions. */
  async load(sessions: readonly SessionSummary[]): Promise<void> {
    for (const session of sessions) await this.engineFor(session);
  }

  private async engineFor(session: SessionSummary): Promise<Engine> {
    const existing = this.engines.get(session.id);
    if (existing) return existing;
    const stored = await this.deps.store.loadAlertEngine(session.id);
    const parsed = stored === null ? null : alertEngineStateSchema.safeParse(stored);
    if (parsed && !parsed.success) {
      this.deps.logger.error('stored alert state is not valid; starting a fresh one', { sessionId: session.id });
    }
    const readings = await this.deps.store.listSessionReadings(session.id);
    const engine: Engine = {
      sessionId: session.id,
      chairId: session.chairId,
      state: parsed?.success ? parsed.data : createAlertEngineState({ idPrefix: session.id }),
      rules: rulesForSession(session),
      session,
      deviceSeen: readings.some((r) => r.source !== 'manual'),
    };
    this.engines.set(session.id, engine);
    return engine;
  }

  /** Runs `work` after everything queued for the session. */
  private enqueue<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.queues.set(sessionId, next);
    const forget = (): void => {
      if (this.queues.get(sessionId) === next) this.queues.delete(sessionId);
    };
    next.then(forget, forget); // the caller handles the outcome

    return next;
  }

  /** Evaluates inputs in order, stores the outcome, then tells listeners. */
  private async run(engine: Engine, inputs: readonly AlertInput[]): Promise<AlertEvent[]> {
    const now = this.deps.clock.now();
    let state = engine.state;
    const events: AlertEvent[] = [];
    for (const input of inputs) {
      const result = evaluate(engine.rules, state, input, now);
      state = result.state;
      events.push(...result.events);
    }
    if (state === engine.state && events.length === 0) return events;
    await this.deps.store.saveAlertEvaluation(engine.sessionId, engine.chairId, state, events, now);
    engine.state = state;
    if (events.length > 0) this.deps.onEvents(engine.chairId, engine.sessionId, events);
    return events;
  }

  private contextInput(engine: Engine): AlertInput | null {
    const context = alertContextFor(engine.session, engine.deviceSeen, this.deps.clock.now());
    if (JSON.stringify(context) === JSON.stringify(engine.state.context)) return null;
    return { kind: 'context', ...context };
  }

  /** A session was checked in or changed (phase, baseline, new BP, limits). */
  onSessionChanged(session: SessionSummary): Promise<void> {
    return this.enqueue(session.id, async () => {
      if (!this.engines.has(session.id) && isSessionEnded(session.state)) return;
      const engine = await this.engineFor(session);
      engine.session = session;
      engine.rules = rulesForSession(session);
      const input = this.contextInput(engine);
      await this.run(engine, input ? [input, { kind: 'tick' }] : [{ kind: 'tick' }]);
      if (isSessionEnded(session.state)) this.engines.delete(session.id);
    });
  }

  /** Readings committed to the store, in sequence order. */
  async onReadings(readings: readonly Reading[]): Promise<void> {
    const bySession = new Map<string, Reading[]>();
    for (const r of readings) {
      if (r.sessionId === null || !this.engines.has(r.sessionId)) continue;
      const list = bySession.get(r.sessionId) ?? [];
      list.push(r);
      bySession.set(r.sessionId, list);
    }
    await Promise.all(
      [...bySession].map(([sessionId, list]) =>
        this.enqueue(sessionId, async () => {
          const engine = this.engines.get(sessionId);
          if (!engine) return;
          const inputs: AlertInput[] = [];
          if (!engine.deviceSeen && list.some((r) => r.source !== 'manual')) {
            engine.deviceSeen = true;
            const context = this.contextInput(engine);
            if (context) inputs.push(context);
          }
          for (const reading of list) inputs.push({ kind: 'reading', reading });
          await this.run(engine, inputs);
        }),
      ),
    );
  }

  /** Time passes: technical rules, escalation, clearing after the minimum visible time. */
  async tick(): Promise<void> {
    await Promise.all(
      [...this.engines.values()].map((engine) =>
        this.enqueue(engine.sessionId, async () => {
          if (!this.engines.has(engine.sessionId)) return;
          const context = this.contextInput(engine);
          await this.run(engine, context ? [context, { kind: 'tick' }] : [{ kind: 'tick' }]);
        }),
      ),
    );
  }

  async acknowledge(alertId: string, by: { userId: string; username: string }, note: string | undefined): Promise<AlertListItem> {
    const sessionId = parseAlertId(alertId)?.idPrefix;
    const engine = sessionId ? this.engines.get(sessionId) : undefined;
    if (!sessionId || !engine) {
      const stored = sessionId ? (await this.deps.store.listSessionAlerts(sessionId)).find((a) => a.alert.id === alertId) : undefined;
      if (stored) throw conflict('This alert has already cleared; it stays in the session’s history.');
      throw notFound(`No alert with id "${alertId}".`);
    }
    return this.enqueue(sessionId, async () => {
      const now = this.deps.clock.now();
      const result = evaluate(engine.rules, engine.state, { kind: 'acknowledge', alertId, by, ...(note ? { note } : {}) }, now);
      if (result.error) {
        if (result.error.code === 'unknown-alert') throw notFound(result.error.message);
        throw conflict(result.error.message);
      }
      await this.deps.store.saveAlertEvaluation(engine.sessionId, engine.chairId, result.state, result.events, now);
      engine.state = result.state;
      this.deps.onEvents(engine.chairId, engine.sessionId, result.events);
      const alert = result.state.alerts.find((a) => a.id === alertId) ?? result.events.find((e) => e.alert.id === alertId)?.alert;
      if (!alert) throw notFound(`No alert with id "${alertId}".`);
      return { chairId: engine.chairId, sessionId: engine.sessionId, alert };
    });
  }

  /** Pauses a chair's alarm audio on every screen for 2 min; a higher priority breaks through. */
  async pauseAudio(chairId: string, username: string): Promise<{ chairId: string; pause: AudioPause; by: string }> {
    if (!(await this.deps.store.findChair(chairId))) throw notFound(`No chair with id "${chairId}".`);
    const alerts = this.openAlerts()
      .filter((a) => a.chairId === chairId)
      .map((a) => a.alert);
    const pause = pauseAudio(alerts, this.deps.clock.now());
    this.pauses.set(chairId, { pause, by: username });
    return { chairId, pause, by: username };
  }

  audioPauses(): { chairId: string; pause: AudioPause; by: string }[] {
    const now = this.deps.clock.now();
    return [...this.pauses].filter(([, p]) => (p.pause.pausedUntilMs ?? 0) > now).map(([chairId, p]) => ({ chairId, ...p }));
  }

  /** Open alerts (active or acknowledged) of every active session. */
  openAlerts(): AlertListItem[] {
    return [...this.engines.values()].flatMap((e) =>
      e.state.alerts.map((alert: Alert) => ({ chairId: e.chairId, sessionId: e.sessionId, alert })),
    );
  }

  /** Unacknowledged or latched high and medium alarms of a session (the discharge gate's input). */
  activeHighOrMedium(sessionId: string): number {
    const engine = this.engines.get(sessionId);
    if (!engine) return 0;
    return engine.state.alerts.filter((a) => a.status === 'active' && (a.priority === 'high' || a.priority === 'medium')).length;
  }

  /** Resolves when all queued work is done (for shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
  }
}
