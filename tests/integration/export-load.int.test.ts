/**
 * The event loop belongs to monitoring: exports of a long, note-heavy session render in worker
 * threads, so `/api/health` (sampled every 50 ms, with the event loop's delay; the server runs in
 * this process) stays prompt while they run. The figures are printed.
 */
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadingInput } from '@chairside/shared';
import { sampleHealth, sleep, worstAllowedMs } from '../helpers/event-loop';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer, storeKind } from '../helpers/test-server';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const note = (i: number): string => `Note ${i}: patient calm, mild dissociation, talking with the escort; infusion rate unchanged. `.repeat(60).slice(0, 4000);

/**
 * A finished 3-hour session on chair-1 with a reading every second (10,800, a BP every 5 min) and
 * 300 notes of 4,000 characters: the worst a report may meet, stored through the API.
 */
async function heavySession(clock: ManualClock): Promise<{ id: string; clinician: string }> {
  const nurse = await server.login('nurse');
  const clinician = await server.login('clinician');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Heavy Session', mrn: 'MRN-900' });
  const s = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  expect(s.status).toBe(201);
  const id: string = s.body.id;
  // Notes first: each event on a session re-reads it, which is quick while it has few readings.
  let t = performance.now();
  for (let i = 0; i < 300; i += 1) {
    expect((await api(server.url, 'POST', `/api/v1/sessions/${id}/events`, nurse, { type: 'note', text: note(i) })).status).toBe(201);
  }
  console.log(`setup: 300 notes in ${Math.round(performance.now() - t)} ms`);
  t = performance.now();
  const startMs = clock.now();
  for (let batch = 0; batch < 11; batch += 1) {
    clock.advance(1000 / 60);
    const readings: ReadingInput[] = [];
    for (let i = batch * 1000; i < Math.min(10_800, (batch + 1) * 1000); i += 1) {
      const bp = i % 300 === 0;
      readings.push(
        reading({
          measuredAt: new Date(startMs + (i + 1) * 1000).toISOString(),
          systolic: bp ? 126 + (i % 9) : undefined,
          diastolic: bp ? 80 + (i % 5) : undefined,
          mean: undefined,
          heartRate: 72 + (i % 11),
          spo2: 96 + (i % 3),
        }),
      );
    }
    expect((await postReadings(server.url, readings)).status).toBe(201);
  }
  console.log(`setup: 10,800 readings in ${Math.round(performance.now() - t)} ms`);
  expect((await api(server.url, 'POST', `/api/v1/sessions/${id}/events`, nurse, { type: 'cancelled', reason: 'load test' })).status).toBe(201);
  return { id, clinician };
}

async function exportOnce(id: string, cookie: string, query: string): Promise<{ status: number; ms: number; bytes: Buffer; retryAfter: string | null; body: string }> {
  const t = performance.now();
  const res = await fetch(`${server.url}/api/v1/sessions/${id}/export?${query}`, { headers: { cookie } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, ms: Math.round(performance.now() - t), bytes, retryAfter: res.headers.get('retry-after'), body: res.status === 200 ? '' : bytes.toString('utf8') };
}

// Measures this server's event loop; the store's part is covered on both stores elsewhere, so it runs on SQLite only (the suite's time is bounded).
describe.runIf(storeKind === 'sqlite')('exports render off the event loop', () => {
  it('3 PDFs of a note-heavy, reading-heavy session at once keep /api/health answering promptly', async () => {
    const clock = new ManualClock(Date.parse('2026-11-20T08:00:00Z'));
    server = await startTestServer({ clock });
    const { id, clinician } = await heavySession(clock);
    const detail = await api(server.url, 'GET', `/api/v1/sessions/${id}`, clinician);
    expect(detail.body.readings).toHaveLength(10_800);

    // A clinician opens the report before exporting it: the session is read afresh once (a figure of
    // its own: sessions.detail reads 10,800 readings on the event loop) and kept for the exports.
    const first = sampleHealth(server.url);
    expect((await api(server.url, 'GET', `/api/v1/sessions/${id}/report`, clinician)).status).toBe(200);
    console.log(`report view, session read afresh: /api/health ${JSON.stringify(await first.stop())}`);

    const sampler = sampleHealth(server.url);
    await sleep(200);
    const pdfs = await Promise.all([1, 2, 3].map(() => exportOnce(id, clinician, 'format=pdf&paper=a4')));
    const health = await sampler.stop();
    console.log(`3 PDFs at once: ${pdfs.map((p) => `${p.ms} ms, ${Math.round(p.bytes.length / 1024)} KiB`).join('; ')}; /api/health ${JSON.stringify(health)}`);
    for (const pdf of pdfs) {
      expect(pdf.status).toBe(200);
      expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    expect(health.samples).toBeGreaterThan(5);
    expect(health.worstMs).toBeLessThan(worstAllowedMs);
    expect(health.loopDelayMaxMs).toBeLessThan(worstAllowedMs);

    // CSV and FHIR of the same session (a 3-hour FHIR bundle is tens of megabytes) are made off the loop too.
    const again = sampleHealth(server.url);
    await sleep(200);
    const [csv, fhir] = await Promise.all([exportOnce(id, clinician, 'format=csv'), exportOnce(id, clinician, 'format=fhir')]);
    const health2 = await again.stop();
    console.log(`CSV ${csv.ms} ms, ${Math.round(csv.bytes.length / 1024)} KiB and FHIR ${fhir.ms} ms, ${Math.round(fhir.bytes.length / 1024 / 1024)} MiB at once: /api/health ${JSON.stringify(health2)}`);
    expect(csv.status).toBe(200);
    expect(csv.bytes.toString('utf8').trim().split('\r\n')).toHaveLength(10_801);
    expect(fhir.status).toBe(200);
    expect(JSON.parse(fhir.bytes.toString('utf8'))).toMatchObject({ resourceType: 'Bundle' });
    expect(health2.worstMs).toBeLessThan(worstAllowedMs);
    expect(health2.loopDelayMaxMs).toBeLessThan(worstAllowedMs);
  }, 300_000);

  it('takes 2 exports at once and 4 waiting; more are refused with 503 and Retry-After, and audited only when made', async () => {
    const clock = new ManualClock(Date.parse('2026-11-20T08:00:00Z'));
    server = await startTestServer({ clock });
    const nurse = await server.login('nurse');
    const clinician = await server.login('clinician');
    const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Busy Export' });
    const s = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
    const id: string = s.body.id;
    expect((await postReadings(server.url, reading({ measuredAt: clock.iso() }))).status).toBe(201);

    const answers = await Promise.all(Array.from({ length: 9 }, () => exportOnce(id, clinician, 'format=pdf')));
    const made = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 503);
    expect(made).toHaveLength(6);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(2);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'unavailable', message: expect.stringMatching(/busy with other exports/) } });
    }
    const admin = await server.login('admin');
    const audit = await api(server.url, 'GET', '/api/v1/audit?action=session-exported', admin);
    expect(audit.body.filter((e: { action: string }) => e.action === 'session-exported')).toHaveLength(6);
  });
});
