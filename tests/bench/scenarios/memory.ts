/**
 * Scenario 5 (server half): server RSS under a scaled-down hour of 1,000-chair load:
 * `memoryRate` readings/s (1,000 chairs at memoryRate/1000 Hz, one reading per request) for
 * `memorySec` seconds with 50 dashboards connected — chairs without sessions by default, since the
 * server does not keep up with 1,000 sessions at 1 Hz (scenario 2), and a backlog would be measured
 * instead of a leak (`--memory-sessions` runs it anyway). RSS is sampled every second; its slope
 * against acknowledged readings over the second half, per 100k readings, says whether memory is
 * flat, and projects the hour (3.6M readings).
 */
import path from 'node:path';
import fs from 'node:fs';
import { checkInAll, createChairs, dashboardLogins, ingestToken, openClinic } from '../lib/clinic';
import { cpuSeconds, nowMs, rssMiB, runPrefix, slope, sleep, tempDir } from '../lib/common';
import type { Config, StoreKind } from '../lib/config';
import { Dashboards, Devices } from '../lib/fleet';
import { launchServer } from '../lib/launch';
import type { Results } from '../lib/report';

/** RSS growth per 100k readings over the second half that still counts as flat. */
export const flatMiBPer100k = 1;

export async function runMemory(cfg: Config, results: Results, store: StoreKind): Promise<void> {
  const label = store === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const total = cfg.memoryRate * cfg.memorySec;
  const hz = cfg.memoryRate / cfg.chairs;
  const clinicMinutes = total / cfg.chairs / 60;
  const scale = hz === 1 ? `an hour scaled down ${Math.round(60 / clinicMinutes)}× by duration` : `${hz}× accelerated`;
  console.log(
    `\n[memory ${label}] ${cfg.chairs} chairs ${cfg.memorySessions ? 'in session' : 'without sessions'} at ${hz} Hz for ${cfg.memorySec} s = ` +
      `${total.toLocaleString('en-US')} readings = ${clinicMinutes.toFixed(1)} min of ${cfg.chairs.toLocaleString('en-US')} chairs at 1 Hz (${scale}); ${cfg.dashboards} dashboards`,
  );
  const server = await launchServer(cfg, store, 'memory', undefined, { heapProbe: true });
  const devices = await Devices.start();
  let dashboards: Dashboards | null = null;
  try {
    const clinic = await openClinic(server.url);
    const chairIds = await createChairs(clinic, cfg.chairs);
    if (cfg.memorySessions) await checkInAll(clinic, chairIds);
    dashboards = await Dashboards.open(server.url, await dashboardLogins(clinic, cfg.dashboards), cfg.dashboardProcesses);
    const prefix = runPrefix();
    await dashboards.track(prefix, 0);
    const rssStart = rssMiB(server.pid);
    const heapStart = (await server.heapAfterGc()).heapUsed / 2 ** 20;
    const samples: { t: number; epochMs: number; rss: number }[] = [];
    const heaps: { t: number; epochMs: number; heapMiB: number; rssMiB: number }[] = [];
    const heapEverySec = cfg.quick ? 5 : 20;
    const t0 = nowMs();
    const cpu0 = cpuSeconds(server.pid);
    let sampling = true;
    const sampler = (async () => {
      let nextHeap = heapEverySec;
      while (sampling) {
        const t = (nowMs() - t0) / 1000;
        samples.push({ t, epochMs: Date.now(), rss: rssMiB(server.pid) });
        if (t >= nextHeap) {
          nextHeap += heapEverySec;
          // A full collection in the server (the probe), then its live heap: what a leak would grow.
          const use = await server.heapAfterGc();
          heaps.push({ t, epochMs: Date.now(), heapMiB: use.heapUsed / 2 ** 20, rssMiB: use.rss / 2 ** 20 });
        }
        await sleep(1000);
      }
    })();
    const dir = tempDir('memory');
    const sent = await devices.rate({
      url: server.url,
      token: ingestToken,
      chairIds,
      prefix,
      ratePerSec: cfg.memoryRate,
      count: total,
      sendTimesFile: path.join(dir, 'send.bin'),
    });
    const elapsedSec = (nowMs() - t0) / 1000;
    const cpuShare = (cpuSeconds(server.pid) - cpu0) / elapsedSec;
    sampling = false;
    await sampler;
    fs.rmSync(dir, { recursive: true, force: true });
    const drain = await dashboards.drain(sent.acked, 60_000, 10_000);
    const rssEnd = rssMiB(server.pid);
    const heapEnd = (await server.heapAfterGc()).heapUsed / 2 ** 20;
    const peak = Math.max(...samples.map((s) => s.rss));
    // RSS against readings acknowledged so far, over the second half of the run.
    const ackedAt = (epochMs: number): number => {
      const second = Math.floor((epochMs - sent.startedAtEpochMs) / 1000);
      if (second < 0) return 0;
      return sent.ackedBySecond[Math.min(second, sent.ackedBySecond.length - 1)] ?? 0;
    };
    // RSS saws up and down with V8's collections: fit the troughs (the lowest sample of each 20 s
    // window) over the second half, so a collection landing near either end does not fake a trend.
    const windowSec = 20;
    const troughs: { x: number; y: number }[] = [];
    for (let from = elapsedSec / 2; from < elapsedSec; from += windowSec) {
      const window = samples.filter((s) => s.t >= from && s.t < from + windowSec);
      const low = window.reduce<(typeof samples)[number] | null>((best, s) => (best === null || s.rss < best.rss ? s : best), null);
      if (low) troughs.push({ x: ackedAt(low.epochMs), y: low.rss });
    }
    const rawSlope = slope(samples.filter((s) => s.t >= elapsedSec / 2).map((s) => ({ x: ackedAt(s.epochMs), y: s.rss }))) * 100_000;
    const rssPer100k = slope(troughs) * 100_000;
    const heapPer100k = slope(heaps.filter((h) => h.t >= elapsedSec / 2).map((h) => ({ x: ackedAt(h.epochMs), y: h.heapMiB }))) * 100_000;
    const per100k = heapPer100k;
    const achievedRate = sent.acked / (sent.elapsedMs / 1000);
    results.detail(`memory.${store}`, {
      sessions: cfg.memorySessions,
      perSecond: sent.perSecond,
      rate: cfg.memoryRate,
      seconds: cfg.memorySec,
      readings: total,
      acked: sent.acked,
      statuses: sent.statuses,
      ack: sent.ack,
      maxInFlight: sent.maxInFlight,
      achievedRate,
      rssStartMiB: rssStart,
      rssEndMiB: rssEnd,
      rssPeakMiB: peak,
      heapAfterGcStartMiB: heapStart,
      heapAfterGcEndMiB: heapEnd,
      heapSlopeMiBPer100k: heapPer100k,
      rssTroughSlopeMiBPer100k: rssPer100k,
      rssSlopeOfAllSamplesMiBPer100k: rawSlope,
      heaps,
      troughs,
      serverCpuShareOfOneCore: cpuShare,
      dashboardsDrain: drain,
      samples,
    });
    console.log(
      `  RSS ${rssStart.toFixed(0)} → ${rssEnd.toFixed(0)} MiB (peak ${peak.toFixed(0)}; second-half trough slope ${rssPer100k.toFixed(1)} MiB/100k); ` +
        `heap after full GC ${heapStart.toFixed(1)} → ${heapEnd.toFixed(1)} MiB (second-half slope ${heapPer100k.toFixed(2)} MiB/100k); ` +
        `acked ${sent.acked}/${total} (${Math.round(achievedRate)}/s); ack p99 ${sent.ack.p99.toFixed(0)} ms; server CPU ${(cpuShare * 100).toFixed(0)} %`,
    );
    const scenario = `5 memory (${label})`;
    results.add({
      scenario,
      figure: `server RSS after ${(total / 1000).toLocaleString('en-US')}k readings (${clinicMinutes.toFixed(1)} min of ${cfg.chairs.toLocaleString('en-US')} chairs at 1 Hz, ${scale}, ${cfg.memorySessions ? 'in session' : 'no sessions'})`,
      unit: 'MiB',
      ours: rssEnd,
      baseline: null,
      target: null,
      met: null,
      note: `RSS at start ${rssStart.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`,
    });
    results.note(
      `Memory: ${total.toLocaleString('en-US')} readings stand for the hour (${scale}); at the measured heap slope an hour of 1,000 chairs at 1 Hz (3.6M readings) would add ${(per100k * 36).toFixed(0)} MiB of live heap.`,
    );
    results.add({
      scenario,
      figure: 'server RSS slope over the second half (lowest sample of each 20 s), per 100k readings',
      unit: 'MiB',
      ours: rssPer100k,
      baseline: null,
      target: null,
      met: null,
      note: 'RSS includes heap V8 has not collected yet; flatness is judged on the heap after a full GC',
    });
    results.add({
      scenario,
      figure: `server heap after a full GC: ${heapStart.toFixed(0)} MiB at start; slope over the second half, per 100k readings`,
      unit: 'MiB',
      ours: heapPer100k,
      baseline: null,
      target: `flat (≤ ${flatMiBPer100k} MiB/100k)`,
      // Too few readings (a --quick run) say nothing about a slope per 100k.
      met: total < 100_000 ? null : heapPer100k <= flatMiBPer100k,
      note: total < 100_000 ? 'too short to judge' : `heap after GC at the end ${heapEnd.toFixed(1)} MiB`,
    });
    results.add({
      scenario,
      figure: `readings acknowledged at ${cfg.memoryRate}/s (one per request)`,
      unit: '%',
      ours: (sent.acked / total) * 100,
      baseline: null,
      target: '100 %',
      met: sent.acked === total,
      note: `ack p99 ${sent.ack.p99.toFixed(0)} ms`,
    });
  } finally {
    await dashboards?.close();
    await devices.stop();
    await server.stop();
  }
}
