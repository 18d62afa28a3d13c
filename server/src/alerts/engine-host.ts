/**
 * Where the alert engines run (docs/architecture.md "The alert engine"): by default in a worker thread of
 * their own, so that evaluating thousands of readings a second does not share the event loop with
 * HTTP parsing, the commits and the broadcast; with ALERT_ENGINE_THREAD=0 in the server's own thread
 * (to compare, e.g. in the bench). The alert service sees the same four calls either way.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type * as Esbuild from 'esbuild';
import type { Logger } from '../logger';
import type { WorkerScript } from '../review/export-pool';
import { EngineCore } from './engine-core';
import type { HostMessage, RoundAnswer, RoundRequest, WorkerMessage } from './engine-protocol';

export interface EngineHost {
  readonly mode: 'thread' | 'in-process';
  /** Gets ready for the first round (starts the worker thread while the store is read). */
  warmUp(): void;
  /** Evaluates a round (one at a time: the service awaits each before the next). */
  round(request: RoundRequest): Promise<RoundAnswer>;
  /** The round to be saved was saved: it becomes the engines' state. */
  commit(): void;
  /** The round to be saved was not saved: nothing of it happened. */
  discard(): void;
  /** Forgets every engine (this node no longer runs them). */
  reset(): void;
  /** Ends the host (the worker thread, if any). */
  close(): Promise<void>;
}

/** The worker thread died (or was ended) before it answered: the round did not happen. */
export class EngineThreadError extends Error {
  override name = 'EngineThreadError';
}

export interface EngineHostOptions {
  logger: Logger;
  /** The worker died unasked: every engine's memory is gone, so the service reloads them from the store. */
  onCrash: () => void;
}

/** Bundled once per process from source (tests, `npm run dev`, the bench). */
let bundledFromSource: string | null = null;

/**
 * How to start the engine's worker. A compiled build runs `engine-worker.js` beside its bundle
 * (server/build.mjs makes it), like the export workers (review/export-pool.ts). From source, the
 * export workers load tsx inside the worker, which takes 0.6–0.9 s each time; the engine's worker
 * starts with every server (each integration test's too), so its source is bundled once per process
 * with esbuild instead — as the build does, in memory — and each worker starts from that in about
 * 0.1 s. esbuild is a development dependency: it is loaded only here, never in a compiled server.
 */
export function engineWorkerScript(here: string = import.meta.url): WorkerScript {
  if (!here.endsWith('.ts')) return { script: new URL('./engine-worker.js', here), options: {} };
  if (bundledFromSource === null) {
    const esbuild = createRequire(here)('esbuild') as typeof Esbuild;
    const built = esbuild.buildSync({
      entryPoints: [fileURLToPath(new URL('./engine-worker.ts', here))],
      bundle: true,
      write: false,
      format: 'cjs', // an `eval` worker runs a script
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
    bundledFromSource = built.outputFiles[0]?.text ?? '';
  }
  return { script: bundledFromSource, options: { eval: true } };
}

export function createEngineHost(mode: EngineHost['mode'], options: EngineHostOptions): EngineHost {
  return mode === 'thread' ? new ThreadEngineHost(options) : new InProcessEngineHost();
}

/** The engines in the server's own thread (ALERT_ENGINE_THREAD=0). */
export class InProcessEngineHost implements EngineHost {
  readonly mode = 'in-process';
  private readonly core = new EngineCore();

  warmUp(): void {}

  round(request: RoundRequest): Promise<RoundAnswer> {
    return Promise.resolve(this.core.round(request));
  }

  commit(): void {
    this.core.commit();
  }

  discard(): void {
    this.core.discard();
  }

  reset(): void {
    this.core.reset();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The engines in a worker thread (engine-worker.ts). The worker is started when first needed and
 * again after it died: a death fails the round in flight (the service treats it as a failed save)
 * and calls `onCrash`, since the engines' memory went with it.
 */
export class ThreadEngineHost implements EngineHost {
  readonly mode = 'thread';
  private worker: Worker | null = null;
  private pending: { resolve: (answer: RoundAnswer) => void; reject: (error: unknown) => void } | null = null;
  private closed = false;
  /** Worker threads started so far. */
  starts = 0;

  constructor(
    private readonly options: EngineHostOptions,
    private readonly script: WorkerScript = engineWorkerScript(),
  ) {}

  warmUp(): void {
    if (!this.closed) this.worker ??= this.spawn();
  }

  round(request: RoundRequest): Promise<RoundAnswer> {
    if (this.closed) return Promise.reject(new EngineThreadError('The alert engine has stopped.'));
    if (this.pending) return Promise.reject(new Error('A round of the alert engine is in flight already.'));
    const worker = (this.worker ??= this.spawn());
    return new Promise<RoundAnswer>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.post(worker, { type: 'round', request });
    });
  }

  commit(): void {
    if (this.worker) this.post(this.worker, { type: 'commit' });
  }

  discard(): void {
    if (this.worker) this.post(this.worker, { type: 'discard' });
  }

  reset(): void {
    if (this.worker) this.post(this.worker, { type: 'reset' });
  }

  /** Ends the worker as a crash would (the tests of what a crash costs: nothing). */
  async crash(): Promise<void> {
    await this.worker?.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.fail(new EngineThreadError('The alert engine has stopped.'));
    await worker?.terminate();
  }

  private post(worker: Worker, message: HostMessage): void {
    worker.postMessage(message);
  }

  private spawn(): Worker {
    this.starts += 1;
    const worker = new Worker(this.script.script, { ...this.script.options, name: 'alert-engine' });
    worker.unref(); // the server's own handles keep it alive; a forgotten service never holds the process
    worker.on('message', (message: WorkerMessage) => {
      const pending = this.pending;
      this.pending = null;
      pending?.resolve(message.answer);
    });
    worker.on('error', (error) => this.options.logger.error('the alert engine thread failed', { error: error.message }));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return; // ended on purpose (close)
      this.worker = null;
      this.fail(new EngineThreadError(`The alert engine thread stopped (exit code ${code}).`));
      this.options.logger.error('the alert engine thread stopped; its engines are reloaded from the store', { exitCode: code });
      this.options.onCrash();
    });
    return worker;
  }

  private fail(error: EngineThreadError): void {
    const pending = this.pending;
    this.pending = null;
    pending?.reject(error);
  }
}
