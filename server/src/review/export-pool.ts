/**
 * Session exports (PDF, CSV, FHIR) rendered in worker threads, so that the event loop stays with
 * monitoring: a PDF of a 3-hour session takes about a second of CPU, a FHIR bundle of one two, and
 * a note-heavy session more. At most `maxRunning` exports render at once, each in a worker of its
 * own; `maxQueued` more wait; another is refused at once (`ExportBusyError`: 503, retry later).
 * Workers are started when first needed and kept for the next export until idle for `idleMs`.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { ExportJob } from './export-render';
import type { ExportAnswer } from './export-worker';

export interface ExportPoolLimits {
  /** Exports rendered at once, each in a worker thread of its own. */
  maxRunning: number;
  /** Exports waiting for a worker; one more is refused (503 with Retry-After). */
  maxQueued: number;
  /** An export still rendering after this long is stopped (its worker is ended). */
  timeoutMs: number;
  /** A worker with nothing to do for this long is ended; the next export starts one again. */
  idleMs: number;
  /** Heap limit of a worker; an export that needs more fails without harming the server. */
  maxHeapMb: number;
}

export const defaultExportPoolLimits: ExportPoolLimits = {
  maxRunning: 2,
  maxQueued: 4,
  timeoutMs: 60_000,
  idleMs: 5 * 60_000,
  maxHeapMb: 1024,
};

/** Every worker is busy and the queue is full: nothing was rendered; retry in a few seconds. */
export class ExportBusyError extends Error {
  constructor(readonly retryAfterSec: number) {
    super('The server is busy with other exports.');
    this.name = 'ExportBusyError';
  }
}

/** The export did not finish within its time (its worker was ended) or its worker died. */
export class ExportFailedError extends Error {
  override name = 'ExportFailedError';
}

/** How to start a worker thread whose module is `name`, beside this file. */
export interface WorkerScript {
  script: string | URL;
  options: WorkerOptions;
}

/**
 * The one place that knows where a worker's module is. A compiled build runs `name.js` beside this
 * file directly. From source (tsx under `npm start`, vitest), Node 20 does not apply the tsx loader
 * to a worker's own entry module (`--import tsx` in execArgv is not enough), so the worker runs a
 * one-line bootstrap that imports `name.ts` through tsx's API; everything it imports is then
 * TypeScript-aware.
 */
export function workerScript(name: string, here: string = import.meta.url): WorkerScript {
  if (!here.endsWith('.ts')) return { script: new URL(`./${name}.js`, here), options: {} };
  const entry = new URL(`./${name}.ts`, here).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return {
    script: `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(here)}))`,
    options: { eval: true },
  };
}

interface Task {
  job: ExportJob;
  resolve: (body: Uint8Array) => void;
  reject: (error: unknown) => void;
}

/** One worker thread, one export at a time. */
class ExportWorker {
  private readonly worker: Worker;
  private pending: { resolve: (body: Uint8Array) => void; reject: (error: unknown) => void; timer: NodeJS.Timeout } | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  exited = false;
  /** Ended (or being ended) for idleness: not to be given work. */
  retired = false;

  constructor(script: WorkerScript, maxHeapMb: number, logger: Logger, onExit: (worker: ExportWorker) => void) {
    this.worker = new Worker(script.script, { ...script.options, resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    this.worker.unref(); // an idle export worker never keeps the process alive
    this.worker.on('message', (answer: ExportAnswer) => {
      if (answer.ok) this.settle(null, answer.body);
      else this.settle(new Error(answer.message));
    });
    this.worker.on('error', (error) => {
      logger.error('export worker failed', { error: error.message });
      this.settle(new ExportFailedError(`The export failed: ${error.message}`));
    });
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.settle(new ExportFailedError(`The export worker stopped (exit code ${code}).`));
      onExit(this);
    });
  }

  render(job: ExportJob, timeoutMs: number): Promise<Uint8Array> {
    this.clearIdle();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(new ExportFailedError(`The export took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`));
        void this.worker.terminate();
      }, timeoutMs);
      this.pending = { resolve, reject, timer };
      this.worker.postMessage(job, [job.readingsJson.buffer as ArrayBuffer]);
    });
  }

  /** Ends the worker after `idleMs` without work. */
  idleFor(idleMs: number): void {
    this.clearIdle();
    this.idleTimer = setTimeout(() => {
      this.retired = true;
      void this.terminate();
    }, idleMs);
    this.idleTimer.unref();
  }

  terminate(): Promise<number> {
    this.clearIdle();
    return this.worker.terminate();
  }

  private clearIdle(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private settle(error: unknown, body?: Uint8Array): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    if (error === null && body !== undefined) pending.resolve(body);
    else pending.reject(error);
  }
}

export class ExportPool {
  readonly limits: ExportPoolLimits;
  private readonly idle: ExportWorker[] = [];
  private readonly queue: Task[] = [];
  private readonly busyWorkers = new Set<ExportWorker>();
  private running = 0;
  private closed = false;

  constructor(
    private readonly logger: Logger,
    limits: Partial<ExportPoolLimits> = {},
    private readonly script: WorkerScript = workerScript('export-worker'),
  ) {
    this.limits = { ...defaultExportPoolLimits, ...limits };
  }

  /** Whether an export asked for now would be taken (rendered or queued) rather than refused. */
  get hasRoom(): boolean {
    return !this.closed && (this.running < this.limits.maxRunning || this.queue.length < this.limits.maxQueued);
  }

  /** Exports rendering now, and waiting. */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  /** Throws `ExportBusyError` unless an export asked for now would be taken. */
  assertRoom(): void {
    if (!this.hasRoom) throw new ExportBusyError(this.retryAfterSec());
  }

  /** Renders `job` in a worker; its `readingsJson` bytes move to the worker (the job cannot be used again). */
  run(job: ExportJob): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.assertRoom();
      this.queue.push({ job, resolve, reject });
      this.next();
    });
  }

  /** Ends every worker; exports waiting or rendering fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new ExportBusyError(this.retryAfterSec()));
    await Promise.all([...this.idle.splice(0), ...this.busyWorkers].map((w) => w.terminate()));
  }

  private retryAfterSec(): number {
    // About how long a queued export waits: a few seconds, more the longer the queue.
    return Math.max(2, Math.ceil((this.queue.length + this.running) / this.limits.maxRunning) * 2);
  }

  private next(): void {
    while (!this.closed && this.running < this.limits.maxRunning && this.queue.length > 0) {
      const task = this.queue.shift();
      if (!task) break;
      this.running += 1;
      void this.execute(task).finally(() => {
        this.running -= 1;
        this.next();
      });
    }
  }

  private async execute(task: Task): Promise<void> {
    let idle = this.idle.pop();
    while (idle && (idle.exited || idle.retired)) idle = this.idle.pop();
    const worker = idle ?? new ExportWorker(this.script, this.limits.maxHeapMb, this.logger, (w) => this.forget(w));
    this.busyWorkers.add(worker);
    let reuse = true;
    try {
      task.resolve(await worker.render(task.job, this.limits.timeoutMs));
    } catch (error) {
      // A timed-out, crashed or out-of-memory worker is not used again; one whose render threw is.
      reuse = !(error instanceof ExportFailedError);
      task.reject(error);
    } finally {
      this.busyWorkers.delete(worker);
    }
    if (reuse && !this.closed && !worker.exited) {
      worker.idleFor(this.limits.idleMs);
      this.idle.push(worker);
    } else {
      void worker.terminate();
    }
  }

  private forget(worker: ExportWorker): void {
    const i = this.idle.indexOf(worker);
    if (i !== -1) this.idle.splice(i, 1);
  }
}
