/**
 * An export worker thread (export-pool.ts starts it): renders one export at a time, off the
 * server's event loop, and answers with the file's bytes (transferred, not copied) or the error.
 */
import { parentPort } from 'node:worker_threads';
import { type ExportJob, renderExport } from './export-render';

export type ExportAnswer = { ok: true; body: Uint8Array } | { ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('export-worker runs in a worker thread (see export-pool.ts)');

port.on('message', (job: ExportJob) => {
  renderExport(job).then(
    (body) => {
      // A small Buffer may be a view of Node's shared pool: send a copy of exactly its bytes then.
      const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : new Uint8Array(body);
      const answer: ExportAnswer = { ok: true, body: own };
      port.postMessage(answer, [own.buffer as ArrayBuffer]);
    },
    (error: unknown) => {
      const answer: ExportAnswer = { ok: false, message: error instanceof Error ? error.message : String(error) };
      port.postMessage(answer);
    },
  );
});
