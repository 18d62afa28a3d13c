import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { sessionReadingsCsv } from './csv-export';
import { ExportBusyError, ExportFailedError, ExportPool, workerScript } from './export-pool';
import { type ExportJob, exportJobOf, renderExport } from './export-render';
import { at, makeReviewInput } from './test-fixtures';

const input = makeReviewInput();
const readingsJson = Buffer.from(JSON.stringify(input.session.readings), 'utf8');
const job = (format: ExportJob['format']): ExportJob =>
  exportJobOf(input, readingsJson, { format, paper: 'a4', timeZone: 'Europe/Berlin', generatedAtMs: at(200) });

let pool: ExportPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('workerScript', () => {
  it('runs the compiled sibling .js directly, and the .ts source through tsx', () => {
    expect(workerScript('export-worker', 'file:///srv/chairside/review/export-pool.js')).toEqual({
      script: new URL('file:///srv/chairside/review/export-worker.js'),
      options: {},
    });
    const fromSource = workerScript('export-worker', 'file:///work/server/src/review/export-pool.ts');
    expect(fromSource.options).toEqual({ eval: true });
    expect(fromSource.script).toContain('tsImport("file:///work/server/src/review/export-worker.ts"');
  });
});

describe('exportJobOf', () => {
  it('carries the readings as JSON bytes of its own, and renders what the exporters make in-process', async () => {
    const j = job('csv');
    expect(j.input.session.readings).toEqual([]);
    expect(j.readingsJson.buffer).not.toBe(readingsJson.buffer);
    const csv = Buffer.from(await renderExport(j)).toString('utf8');
    expect(csv).toBe(sessionReadingsCsv(input.session, { timeZone: 'Europe/Berlin' }));
  });
});

describe('ExportPool', () => {
  it('renders in a worker thread loaded from the TypeScript source', async () => {
    pool = new ExportPool(silentLogger);
    const [csv, pdf, fhir] = await Promise.all([pool.run(job('csv')), pool.run(job('pdf')), pool.run(job('fhir'))]);
    expect(Buffer.from(csv).toString('utf8')).toBe(sessionReadingsCsv(input.session, { timeZone: 'Europe/Berlin' }));
    expect(Buffer.from(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(JSON.parse(Buffer.from(fhir).toString('utf8'))).toMatchObject({ resourceType: 'Bundle' });
  }, 60_000);

  it('takes maxRunning exports and maxQueued more, and refuses the next with a time to retry', async () => {
    pool = new ExportPool(silentLogger, { maxRunning: 1, maxQueued: 1 });
    const first = pool.run(job('pdf'));
    const second = pool.run(job('csv'));
    expect(pool.load).toEqual({ running: 1, queued: 1 });
    expect(pool.hasRoom).toBe(false);
    const refused = await pool.run(job('csv')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ExportBusyError);
    expect((refused as ExportBusyError).retryAfterSec).toBeGreaterThanOrEqual(2);
    expect(() => pool?.assertRoom()).toThrow(ExportBusyError);
    await Promise.all([first, second]);
    expect(pool.hasRoom).toBe(true);
    expect(pool.load).toEqual({ running: 0, queued: 0 });
  }, 60_000);

  it('stops an export that takes too long, and renders the next one in a fresh worker', async () => {
    pool = new ExportPool(silentLogger, { timeoutMs: 1 });
    await expect(pool.run(job('pdf'))).rejects.toBeInstanceOf(ExportFailedError);
    pool = new ExportPool(silentLogger, { maxRunning: 1 });
    expect(Buffer.from(await pool.run(job('csv'))).length).toBeGreaterThan(0);
  }, 60_000);

  it('ends a worker idle for idleMs, and starts another for the next export', async () => {
    pool = new ExportPool(silentLogger, { idleMs: 20 });
    expect(Buffer.from(await pool.run(job('csv'))).length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(Buffer.from(await pool.run(job('csv'))).length).toBeGreaterThan(0);
  }, 60_000);

  it('fails an export whose worker cannot start, without harming the server', async () => {
    pool = new ExportPool(silentLogger, {}, { script: 'throw new Error("no such module")', options: { eval: true } });
    await expect(pool.run(job('csv'))).rejects.toThrow(/no such module/);
  });

  it('refuses exports once closed', async () => {
    pool = new ExportPool(silentLogger);
    await pool.close();
    await expect(pool.run(job('csv'))).rejects.toBeInstanceOf(ExportBusyError);
  });
});
