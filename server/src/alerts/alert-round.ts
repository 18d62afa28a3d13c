import type { Alert, SessionSummary } from '@chairside/shared';
import type { EngineOp, OpResult } from './engine-protocol';

/** What the main thread keeps of an engine; its state lives with the engines (engine-host.ts). */
export interface Engine {
  sessionId: string;
  chairId: string;
  /** The session as last seen, to rebuild the engine's context as time passes. */
  session: SessionSummary;
  /** Its open alerts as of the last applied round (openAlerts() and sessionAlerts() answer at once). */
  alerts: Alert[];
}

/**
 * One round of work on the engines as the main thread composes it: the ops for the engines (in the
 * order of the round's jobs) and the engines joining or leaving. The engines evaluate the ops in one
 * go; their states reach the engines, the store and the listeners together, after one durable
 * transaction (group commit).
 */
export class Round {
  readonly ops: EngineOp[] = [];
  readonly added = new Map<string, Engine>();
  readonly removed = new Set<string>();
  /** One per op, once the engines answered. */
  results: readonly OpResult[] = [];

  constructor(readonly now: number) {}

  /** Queues an op; the returned function gives its result once the engines answered. */
  push(op: EngineOp): () => OpResult | undefined {
    const index = this.ops.push(op) - 1;
    return () => this.results[index];
  }
}

export interface Job {
  /** Adds its ops to the round; may read the store. Returns what the caller waits for. */
  apply(round: Round): Promise<() => unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface Outcome {
  job: Job;
  result: (() => unknown) | null;
  error: unknown;
  /** The round's ops this job queued: [from, to). */
  ops: [number, number];
}
