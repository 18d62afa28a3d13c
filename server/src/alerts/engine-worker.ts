/**
 * The alert engine's worker thread (engine-host.ts starts it): keeps every active session's engine
 * and evaluates the rounds the alert service sends, off the server's event loop
 * (docs/architecture.md "The alert engine").
 */
import { parentPort } from 'node:worker_threads';
import { EngineCore } from './engine-core';
import type { HostMessage, WorkerMessage } from './engine-protocol';

const port = parentPort;
if (!port) throw new Error('engine-worker runs in a worker thread (see engine-host.ts)');

const core = new EngineCore();
port.on('message', (message: HostMessage) => {
  switch (message.type) {
    case 'round': {
      const answer: WorkerMessage = { type: 'answer', answer: core.round(message.request) };
      port.postMessage(answer);
      return;
    }
    case 'commit':
      core.commit();
      return;
    case 'discard':
      core.discard();
      return;
    case 'reset':
      core.reset();
      return;
  }
});
