/**
 * What the alert service (main thread) and the engine's worker thread say to each other
 * (docs/architecture.md "The alert engine"). Plain data: every message is structured-cloned between
 * threads. Engines' states (≈17 KiB each) cross only when an engine is loaded and when a round is
 * to be saved; the rest of the time the worker keeps them.
 */
import type { Alert, AlertActor, AlertContext, AlertEngineErrorCode, AlertEngineState, AlertEvent, AlertInput, Reading } from '@chairside/shared';

/** One piece of a round's work, in the order the round's jobs queued it. */
export type EngineOp =
  /** The catch-up: every engine is forgotten at once (and loaded again from the store in this round). */
  | { kind: 'reset' }
  /** An engine joins the round with its stored (or a fresh) state and its session's limit changes. */
  | { kind: 'add'; sessionId: string; chairId: string; state: AlertEngineState; limits: unknown }
  /** An engine leaves (its session ended). */
  | { kind: 'remove'; sessionId: string }
  /**
   * Inputs for one engine, after its context when that changed (compared in the worker). `limits`,
   * when present, are the session's limit changes now (the engine's rules follow them at once).
   */
  | { kind: 'run'; sessionId: string; context: AlertContext | null; inputs: AlertInput[]; limits?: unknown }
  /** Committed readings in sequence order: each goes to its session's engine (others are skipped). */
  | { kind: 'readings'; readings: Reading[] }
  /** Time passes: each named engine gets its context (if that changed) and a tick. */
  | { kind: 'tick'; contexts: [sessionId: string, context: AlertContext][] }
  | { kind: 'acknowledge'; sessionId: string; alertId: string; by: AlertActor; note?: string };

export interface RoundRequest {
  now: number;
  /** The quiet-save time came: save the states kept in memory only, even if nothing else happened. */
  flush: boolean;
  ops: EngineOp[];
}

/** The outcome of one op: `null` for most, an acknowledgement's answer, or what went wrong. */
export type OpResult =
  | null
  | { kind: 'acknowledged'; alert: Alert }
  | { kind: 'refused'; code: AlertEngineErrorCode | 'no-engine'; message: string }
  | { kind: 'failed'; message: string };

/** One engine's evaluation to store: its newest state and the events of this round. */
export interface EngineSave {
  sessionId: string;
  chairId: string;
  state: AlertEngineState;
  events: AlertEvent[];
}

export interface RoundAnswer {
  /** Nothing changed: no state, no engine joined or left. */
  empty: boolean;
  /**
   * The round is to be saved (events, an ended session, or a flush): these evaluations go into one
   * transaction, and the worker holds the round until it hears `commit` or `discard`. `null`: a quiet
   * round (or an empty one), which the worker has already applied in memory.
   */
  saves: EngineSave[] | null;
  /** The events of the round per engine, in the order they first happened (only in a saved round). */
  events: { sessionId: string; chairId: string; events: AlertEvent[] }[];
  /** The open alerts of every engine whose alerts may have changed (the main thread keeps a copy). */
  alerts: { sessionId: string; alerts: Alert[] }[];
  /** One per op, in order. */
  results: OpResult[];
  /** Engines whose newest state will be in memory only once this round is applied. */
  dirty: number;
}

/** Main → worker. Only `round` is answered (one `answer`); the worker handles messages in order. */
export type HostMessage = { type: 'round'; request: RoundRequest } | { type: 'commit' } | { type: 'discard' } | { type: 'reset' };

/** Worker → main. */
export type WorkerMessage = { type: 'answer'; answer: RoundAnswer };
