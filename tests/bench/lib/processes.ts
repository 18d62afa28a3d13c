/**
 * The processes of a benchmark run: the real server (`server/src/main.ts` from source through tsx —
 * the code `npm start` runs compiled, kept on source so the figures compare with the README's and
 * the heap probe can load) and load-generating workers, each its own Node process so none shares the
 * server's event loop.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../helpers/server-process';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface HeapUse {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface BenchServer {
  url: string;
  pid: number;
  output(): string;
  /** With `heapProbe`: a full GC in the server, then its memory use (bytes). */
  heapAfterGc(): Promise<HeapUse>;
  /** SIGTERM and wait for the exit (a CPU profile, if asked for, is written then). */
  stop(): Promise<void>;
}

export interface ServerOptions {
  env: Record<string, string>;
  /** Write a V8 CPU profile of the server into this folder when it stops. */
  cpuProfileDir?: string;
  /** Load probe/heap-probe.ts into the server (full GC and memory use on SIGUSR2). */
  heapProbe?: boolean;
}

/** Starts the real server as its own process and waits for the URL it prints. */
export async function startServer(options: ServerOptions): Promise<BenchServer> {
  const nodeArgs = ['--import', 'tsx'];
  if (options.cpuProfileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  if (options.heapProbe) nodeArgs.push('--expose-gc', '--import', path.join(benchDir, 'probe', 'heap-probe.ts'));
  const child = spawn(process.execPath, [...nodeArgs, 'server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      HL7_PORT: '0',
      DEMO_CHAIRS: '0',
      CLINIC_TIMEZONE: 'UTC',
      NODE_ENV: 'production',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const heapWaiters: ((use: HeapUse) => void)[] = [];
  const keep = (chunk: Buffer): void => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  let partial = '';
  child.stdout?.on('data', keep);
  child.stderr?.on('data', (chunk: Buffer) => {
    keep(chunk);
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^\[bench-heap\] (\{.*\})$/.exec(line);
      if (match?.[1]) heapWaiters.shift()?.(JSON.parse(match[1]) as HeapUse);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 60_000);
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(match[1]);
      }
    }, 20);
    void exited.then(() => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`the server exited:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid ?? -1,
    output: () => output,
    heapAfterGc() {
      if (!options.heapProbe) return Promise.reject(new Error('the server was started without the heap probe'));
      return new Promise<HeapUse>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer from the heap probe')), 30_000);
        heapWaiters.push((use) => {
          clearTimeout(timer);
          resolve(use);
        });
        child.kill('SIGUSR2');
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

/** A message between the coordinator and a worker: `type` plus anything JSON. */
export interface Message {
  type: string;
  [key: string]: unknown;
}

/** A worker process (tests/bench/workers/<name>.ts) spoken to by messages. */
export class Worker {
  private readonly inbox: Message[] = [];
  private waiters: { type: string; resolve: (m: Message) => void; reject: (e: Error) => void }[] = [];
  private exited = false;
  readonly done: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (raw) => {
      const message = raw as Message;
      if (message.type === 'error') {
        const error = new Error(`worker ${name}: ${String(message.message)}`);
        for (const w of this.waiters.splice(0)) w.reject(error);
        return;
      }
      const index = this.waiters.findIndex((w) => w.type === message.type);
      if (index >= 0) {
        const [waiter] = this.waiters.splice(index, 1);
        waiter?.resolve(message);
      } else this.inbox.push(message);
    });
    this.done = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.exited = true;
        const error = new Error(`worker ${name} exited (${code})`);
        for (const w of this.waiters.splice(0)) w.reject(error);
        resolve();
      }),
    );
  }

  static spawn(name: string, nodeArgs: string[] = []): Worker {
    const child = fork(path.join(benchDir, 'workers', `${name}.ts`), [], {
      cwd: repoRoot,
      execArgv: ['--import', 'tsx', ...nodeArgs],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    return new Worker(name, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  send(message: Message): void {
    this.child.send(message);
  }

  /** The next message of this type (one that already arrived, or the next to arrive). */
  next<T extends Message = Message>(type: string, timeoutMs = 15 * 60_000): Promise<T> {
    const index = this.inbox.findIndex((m) => m.type === type);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0] as T);
    if (this.exited) return Promise.reject(new Error(`worker ${this.name} has exited`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`worker ${this.name}: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (m: Message): void => {
        clearTimeout(timer);
        resolve(m as T);
      };
      this.waiters.push({
        type,
        resolve: done,
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /** Sends a message and waits for the answer of type `answer`. */
  async ask<T extends Message = Message>(message: Message, answer: string, timeoutMs?: number): Promise<T> {
    const reply = this.next<T>(answer, timeoutMs);
    this.send(message);
    return reply;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.send({ type: 'exit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.done;
    clearTimeout(timer);
  }
}

/** In a worker: handles the coordinator's messages, answering errors as `{type: 'error'}`. */
export function serveMessages(handler: (message: Message) => Promise<void> | void): void {
  process.on('message', (raw) => {
    const message = raw as Message;
    if (message.type === 'exit') {
      process.exit(0);
    }
    Promise.resolve()
      .then(() => handler(message))
      .catch((error: unknown) => {
        process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      });
  });
  process.on('disconnect', () => process.exit(0));
}

export function reply(message: Message): void {
  process.send?.(message);
}
