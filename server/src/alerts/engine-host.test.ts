import { createAlertEngineState, type Reading } from '@chairside/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { EngineThreadError, engineWorkerScript, InProcessEngineHost, ThreadEngineHost } from './engine-host';
import type { RoundRequest } from './engine-protocol';
import { storedReading, t0, treatment } from './test-fixtures';

const context = treatment;

function crisis(seq: number): Reading {
  return storedReading(seq, { source: 'manual', systolic: 204, diastolic: 100, heartRate: null, spo2: null, respRate: null });
}

const rounds: RoundRequest[] = [
  {
    now: t0,
    flush: false,
    ops: [
      { kind: 'add', sessionId: 's1', chairId: 'chair-1', state: createAlertEngineState({ idPrefix: 's1', context }), limits: null },
      { kind: 'run', sessionId: 's1', context, inputs: [{ kind: 'tick' }] },
    ],
  },
  { now: t0 + 1000, flush: false, ops: [{ kind: 'readings', readings: [crisis(1)] }] },
];

let host: ThreadEngineHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

describe('engine hosts', () => {
  it('a worker thread started from the TypeScript source answers as the engines do in-process', async () => {
    const crashes: number[] = [];
    host = new ThreadEngineHost({ logger: silentLogger, onCrash: () => crashes.push(1) });
    const inProcess = new InProcessEngineHost();
    for (const request of rounds) {
      const [there, here] = [await host.round(request), await inProcess.round(request)];
      expect(there).toEqual(here);
    }
    expect(crashes).toEqual([]);
  }, 60_000);

  it('a worker that dies fails the round in flight, reports it, and the next round starts a fresh one', async () => {
    let crashes = 0;
    host = new ThreadEngineHost({ logger: silentLogger, onCrash: () => (crashes += 1) });
    const first = rounds[0];
    const second = rounds[1];
    if (!first || !second) throw new Error('rounds missing');
    await host.round(first);
    const inFlight = host.round(second);
    await host.crash();
    await expect(inFlight).rejects.toBeInstanceOf(EngineThreadError);
    expect(crashes).toBe(1);
    // The fresh worker knows no engine: the service reloads them from the store (a catch-up).
    const after = await host.round(second);
    expect(after.empty).toBe(true);
    expect(host.starts).toBe(2);
  }, 60_000);

  it('finds the compiled worker beside the bundle', () => {
    expect(engineWorkerScript('file:///srv/chairside/dist/chunk-ABC.js')).toEqual({ script: new URL('file:///srv/chairside/dist/engine-worker.js'), options: {} });
  });
});
