/**
 * The alert engines themselves: one pure state per active session, its rules, and the round being
 * evaluated (docs/architecture.md "The alert engine"). It runs in the engine's worker thread
 * (engine-worker.ts), or in the server's own thread with ALERT_ENGINE_THREAD=0; either way the alert
 * service on the main thread decides what each round holds and when it is durable.
 *
 * A round is evaluated against tentative states. A quiet round (nothing anyone must be told) is
 * applied at once and its states stay in memory only (`dirty`) until a later round saves them; a
 * round to be saved waits for `commit` (its transaction committed) or `discard` (it failed: the
 * service then reloads every engine from the store, so nothing of it is lost or done twice).
 */
import { type AlertContext, type AlertEngineState, type AlertEvent, type AlertInput, type AlertRule, evaluate } from '@chairside/shared';
import { rulesForLimits } from './alert-context';
import type { EngineOp, OpResult, RoundAnswer, RoundRequest } from './engine-protocol';

interface Engine {
  sessionId: string;
  chairId: string;
  state: AlertEngineState;
  rules: readonly AlertRule[];
}

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
    if (events.length > 0) this.addEvents(engine, events);
  }

  addEvents(engine: Engine, events: readonly AlertEvent[]): void {
    this.events.set(engine, [...(this.events.get(engine) ?? []), ...events]);
  }

  get empty(): boolean {
    return this.states.size === 0 && this.added.size === 0 && this.removed.size === 0;
  }
}

/**
 * The most states one flush saves. Engines are independent (each state records the last reading it
 * evaluated), so a state left in memory a little longer only means more readings to evaluate again
 * after a crash; a flush of every engine at once (1,000 sessions, each state several KiB) held the
 * server's loop for up to a second while it was copied, encoded and written.
 */
export const maxStatesPerFlush = 100;

export class EngineCore {
  private engines = new Map<string, Engine>();
  /** Engines whose newest state is only in memory (applied by a quiet round, not saved yet), oldest first. */
  private dirty = new Set<Engine>();
  /** The round waiting for its transaction (a round to be saved), with the engines it saves. */
  private pending: { round: Round; saved: ReadonlySet<Engine> } | null = null;

  /** Evaluates a round. A round still pending is dropped first (its commit never came). */
  round(request: RoundRequest): RoundAnswer {
    this.pending = null;
    const round = new Round(request.now);
    const results = request.ops.map((op) => this.applySafely(round, op));
    const flush = request.flush && this.dirty.size > 0;
    const answer: RoundAnswer = { empty: round.empty, saves: null, events: [], alerts: [], results, dirty: this.dirty.size };
    if (round.empty && !flush) return answer;
    answer.alerts = changedAlerts(round);
    // A round that tells anyone anything (events, an ended session) is saved first, with every state
    // kept in memory so far. A quiet round (newest values, the last reading seen) is only kept in
    // memory and saved within the service's quiet-save time: lost in a crash, it is recomputed from
    // the stored readings when the engines are loaded again, so it need not cost a commit of its own.
    if (round.events.size > 0 || round.removed.size > 0 || flush) {
      const states = this.statesToSave(round, flush);
      answer.saves = [...states].map(([engine, state]) => ({
        sessionId: engine.sessionId,
        chairId: engine.chairId,
        state,
        events: round.events.get(engine) ?? [],
      }));
      answer.events = [...round.events].map(([engine, events]) => ({ sessionId: engine.sessionId, chairId: engine.chairId, events }));
      answer.dirty = [...this.dirty].filter((engine) => !states.has(engine) && this.engines.get(engine.sessionId) === engine).length;
      this.pending = { round, saved: new Set(states.keys()) };
    } else {
      for (const engine of round.states.keys()) this.dirty.add(engine);
      this.apply(round);
      answer.dirty = this.dirty.size;
    }
    return answer;
  }

  /** The pending round's transaction committed: its states become the engines'. */
  commit(): void {
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    this.apply(pending.round);
    for (const engine of this.dirty) {
      if (pending.saved.has(engine) || this.engines.get(engine.sessionId) !== engine) this.dirty.delete(engine);
    }
  }

  /** The pending round's transaction failed: nothing of it happened. */
  discard(): void {
    this.pending = null;
  }

  /** Forgets every engine (this node no longer runs them). */
  reset(): void {
    this.engines.clear();
    this.dirty.clear();
    this.pending = null;
  }

  /**
   * What a saved round writes: every state the round changed (those with events must be durable
   * before anyone is told), the last state of each session that ended, and on a flush up to `maxStatesPerFlush` of the states kept in memory
   * only, oldest first. The others stay in memory for a later flush.
   */
  private statesToSave(round: Round, flush: boolean): Map<Engine, AlertEngineState> {
    const states = new Map(round.states);
    // An ended session's last state is saved with its end, wherever it was kept.
    for (const engine of this.dirty) {
      if (round.removed.has(engine.sessionId) && !states.has(engine) && this.engines.get(engine.sessionId) === engine) states.set(engine, engine.state);
    }
    if (!flush) return states;
    let added = 0;
    for (const engine of this.dirty) {
      if (added >= maxStatesPerFlush) break;
      if (states.has(engine) || this.engines.get(engine.sessionId) !== engine) continue;
      states.set(engine, engine.state);
      added += 1;
    }
    return states;
  }

  private apply(round: Round): void {
    for (const [sessionId, engine] of round.added) this.engines.set(sessionId, engine);
    for (const [engine, state] of round.states) engine.state = state;
    for (const sessionId of round.removed) this.engines.delete(sessionId);
  }

  /** An op that throws fails alone (its job is refused); the round goes on, as on one thread. */
  private applySafely(round: Round, op: EngineOp): OpResult {
    try {
      return this.applyOp(round, op);
    } catch (error) {
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  }

  private applyOp(round: Round, op: EngineOp): OpResult {
    switch (op.kind) {
      case 'reset':
        this.engines.clear();
        this.dirty.clear();
        return null;
      case 'add': {
        const engine: Engine = { sessionId: op.sessionId, chairId: op.chairId, state: op.state, rules: rulesForLimits(op.limits) };
        round.added.set(op.sessionId, engine);
        return null;
      }
      case 'remove':
        round.added.delete(op.sessionId);
        round.removed.add(op.sessionId);
        return null;
      case 'run': {
        const engine = this.engineIn(round, op.sessionId);
        if (!engine) return null;
        if ('limits' in op) engine.rules = rulesForLimits(op.limits);
        const context = op.context === null ? null : contextInput(op.context, round.stateOf(engine));
        round.run(engine, context ? [context, ...op.inputs] : op.inputs);
        return null;
      }
      case 'readings': {
        const bySession = new Map<Engine, AlertInput[]>();
        for (const reading of op.readings) {
          const engine = reading.sessionId === null ? undefined : this.engineIn(round, reading.sessionId);
          if (!engine) continue;
          const list = bySession.get(engine) ?? [];
          list.push({ kind: 'reading', reading });
          bySession.set(engine, list);
        }
        for (const [engine, inputs] of bySession) round.run(engine, inputs);
        return null;
      }
      case 'tick':
        for (const [sessionId, context] of op.contexts) {
          const engine = this.engineIn(round, sessionId);
          if (!engine) continue;
          const input = contextInput(context, round.stateOf(engine));
          round.run(engine, input ? [input, { kind: 'tick' }] : [{ kind: 'tick' }]);
        }
        return null;
      case 'acknowledge':
        return this.acknowledge(round, op);
    }
  }

  private acknowledge(round: Round, op: Extract<EngineOp, { kind: 'acknowledge' }>): OpResult {
    const engine = this.engineIn(round, op.sessionId);
    if (!engine) return { kind: 'refused', code: 'no-engine', message: `No alert with id "${op.alertId}".` };
    const input: AlertInput = { kind: 'acknowledge', alertId: op.alertId, by: op.by, ...(op.note ? { note: op.note } : {}) };
    const result = evaluate(engine.rules, round.stateOf(engine), input, round.now);
    if (result.error) return { kind: 'refused', code: result.error.code, message: result.error.message };
    round.states.set(engine, result.state);
    round.addEvents(engine, result.events);
    const alert = result.state.alerts.find((a) => a.id === op.alertId) ?? result.events.find((e) => e.alert.id === op.alertId)?.alert;
    if (!alert) return { kind: 'refused', code: 'unknown-alert', message: `No alert with id "${op.alertId}".` };
    return { kind: 'acknowledged', alert };
  }

  /** The engine of a session in this round (joined earlier in the round, or before). */
  private engineIn(round: Round, sessionId: string): Engine | undefined {
    if (round.removed.has(sessionId)) return undefined;
    return round.added.get(sessionId) ?? this.engines.get(sessionId);
  }
}

/** The context as an input, or null when the engine has it already. */
function contextInput(context: AlertContext, state: AlertEngineState): AlertInput | null {
  if (JSON.stringify(context) === JSON.stringify(state.context)) return null;
  return { kind: 'context', ...context };
}

/**
 * The open alerts of the engines the round evaluated whose alerts changed, for the main thread's
 * copy. An open alert's facts follow its condition, so they are compared by value (here, off the
 * main thread) and only a change crosses: a round of chairs whose alarms stand as they were sends none.
 */
function changedAlerts(round: Round): RoundAnswer['alerts'] {
  const changed: RoundAnswer['alerts'] = [];
  for (const [engine, state] of round.states) {
    const before = engine.state.alerts;
    const after = state.alerts;
    if (before === after || (before.length === 0 && after.length === 0)) continue;
    if (before.length === after.length && JSON.stringify(before) === JSON.stringify(after)) continue;
    changed.push({ sessionId: engine.sessionId, alerts: after });
  }
  return changed;
}
