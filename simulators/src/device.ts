/**
 * A simulated bedside monitor on one chair. It measures its patient (NIBP on a schedule of patient
 * time, HR/SpO₂/RR every few real seconds), keeps what it measured in a bounded outbox, and posts it
 * to the public ingest API like a real device: real HTTP through an injected `fetch`, a Bearer
 * token, one batch per POST, and on failure the very same request again (same ids, same body) after
 * a backoff, so the server stores every reading exactly once.
 *
 * Time: the device never reads a clock by itself for data. `collect(nowMs)` gets the time; patient
 * time runs `speed` times faster than real time, while `measuredAt` is always the real wall-clock
 * instant of the measurement (the server refuses future timestamps).
 */
import { randomUUID } from 'node:crypto';
import { errorBodySchema, maxReadingsPerRequest, type ReadingInput } from '@chairside/shared';
import type { PatientFactory, PatientModel } from './patient-model';
import { deriveSeed, forkRandom, uniform } from './random';
import {
  chairMomentAt,
  nibpEventsBetween,
  nibpSlots,
  treatmentStartSec,
  type ChairMoment,
  type NibpIntervals,
  type SessionSchedule,
  type SimPhase,
} from './session-cycle';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** The subset of the global `fetch` the device uses; tests pass a fake that records requests. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Where the simulator reports. Messages name chairs, never patient values. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** A chair changed phase (or the simulator started and reports where the chair is). */
export interface PhaseChange {
  chairId: string;
  /** Which patient of this chair's run: 0, 1, 2, … */
  cycleIndex: number;
  phase: SimPhase;
  /** Real wall-clock time, ISO 8601 with offset. */
  at: string;
}

export interface DeviceStats {
  /** Readings measured and put in the outbox. */
  generated: number;
  /** Readings the server acknowledged (2xx). */
  sent: number;
  /** POST attempts that did not succeed (network error, timeout, 401/403/404/408/429/5xx, 413 split). */
  failedPosts: number;
  /** Readings the server refused for good (400, 409, other 4xx), not retried. */
  rejected: number;
  /** Readings dropped because the outbox was full (oldest first). */
  dropped: number;
  /** Readings waiting in the outbox. */
  pending: number;
}

export interface RetryPolicy {
  /** Delay before the first retry. */
  initialMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  /** Growth per attempt. */
  factor: number;
}

/** Limits that rarely need changing. */
export interface DeviceTuning {
  /** Readings the outbox keeps while the server is unreachable (20 000 ≈ 27 h of 5-s vitals). */
  maxOutbox: number;
  /** Readings per POST (the API accepts ≤ 1000; halved automatically on 413). */
  maxBatch: number;
  retry: RetryPolicy;
  /** A POST that has not answered by then is aborted and retried. */
  requestTimeoutMs: number;
  /**
   * After a pause longer than this (laptop asleep, process stopped), the device resumes measuring
   * from now instead of inventing the readings it missed.
   */
  maxCatchUpMs: number;
}

export const defaultDeviceTuning: DeviceTuning = {
  maxOutbox: 20_000,
  maxBatch: maxReadingsPerRequest,
  retry: { initialMs: 1_000, maxMs: 30_000, factor: 2 },
  requestTimeoutMs: 10_000,
  maxCatchUpMs: 60_000,
};

export interface DeviceOptions {
  chairId: string;
  /** Server origin, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** Device token, sent as `Authorization: Bearer <token>`. */
  token: string;
  fetch: FetchLike;
  clock: Clock;
  /** Patient seconds per real second. */
  speed: number;
  /** Seed of this chair; its patients and retry jitter flow from it. */
  seed: number;
  /** Real epoch ms when the device starts. */
  startMs: number;
  /** Where on the chair's timeline (patient seconds) the device starts: staggers chairs. */
  startChairSec: number;
  schedule: SessionSchedule;
  nibpIntervalsSec: NibpIntervals;
  /** Real milliseconds between HR/SpO₂/RR readings. */
  vitalsIntervalMs: number;
  patientFactory: PatientFactory;
  logger?: Logger;
  onPhaseChange?: (change: PhaseChange) => void;
  tuning?: Partial<DeviceTuning>;
}

export interface SimulatedDevice {
  readonly chairId: string;
  /** Measures everything due by `nowMs` into the outbox and returns the new readings, oldest first. */
  collect(nowMs: number): ReadingInput[];
  /**
   * Posts the outbox, one batch per request, until it is empty or a POST fails (then the same batch
   * waits for its backoff). While a POST is in flight, returns that work instead of starting another.
   */
  flush(): Promise<void>;
  /**
   * Stops measuring; lets the in-flight POST finish and tries one last send, aborting whatever is
   * still in flight after `graceMs`. Readings still unsent are abandoned (and logged as a count).
   */
  close(graceMs: number): Promise<void>;
  /** Where the chair is at `nowMs`. */
  momentAt(nowMs: number): ChairMoment;
  stats(): DeviceStats;
}

interface Batch {
  readings: readonly ReadingInput[];
  /** Serialised once: a retry sends the identical body. */
  body: string;
}

type PostOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  | { kind: 'too-large'; reason: string }
  | { kind: 'refused'; reason: string };

const retryableStatuses = new Set([401, 403, 404, 408, 425, 429]);

export function createDevice(options: DeviceOptions): SimulatedDevice {
  const { chairId, clock, speed, schedule, startMs, startChairSec } = options;
  const tuning: DeviceTuning = { ...defaultDeviceTuning, ...options.tuning };
  const retry: RetryPolicy = { ...defaultDeviceTuning.retry, ...options.tuning?.retry };
  const logger = options.logger ?? silentLogger;
  const ingestUrl = `${options.baseUrl.replace(/\/+$/, '')}/api/v1/readings`;
  const slots = nibpSlots(schedule, options.nibpIntervalsSec);
  const jitter = forkRandom(options.seed, 'retry-jitter');
  const infusion = { startSec: treatmentStartSec(schedule), durationSec: schedule.treatmentSec };

  const chairSecAt = (ms: number): number => startChairSec + ((ms - startMs) / 1000) * speed;
  const realMsAt = (chairSec: number): number => startMs + ((chairSec - startChairSec) / speed) * 1000;

  // Measuring.
  let collectedUntilMs: number | null = null;
  let nextVitalsIndex = 0;
  let lastMoment: ChairMoment | null = null;
  const patients = new Map<number, PatientModel>();

  // Sending.
  let outbox: ReadingInput[] = [];
  let batchLimit = Math.max(1, Math.min(tuning.maxBatch, maxReadingsPerRequest));
  let retryBatch: Batch | null = null;
  let sending: Batch | null = null;
  let attempt = 0;
  let retryAtMs = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;
  let state: 'open' | 'closing' | 'closed' = 'open';
  let overflowing = false;
  const abort = new AbortController();
  const stats = { generated: 0, sent: 0, failedPosts: 0, rejected: 0, dropped: 0 };

  function patientOf(cycleIndex: number): PatientModel {
    let patient = patients.get(cycleIndex);
    if (patient === undefined) {
      patient = options.patientFactory({ seed: deriveSeed(options.seed, 'patient', cycleIndex), infusion });
      patients.set(cycleIndex, patient);
      for (const key of patients.keys()) if (key < cycleIndex - 1) patients.delete(key);
    }
    return patient;
  }

  function isoAt(chairSec: number, nowMs: number): string {
    return new Date(Math.min(nowMs, Math.round(realMsAt(chairSec)))).toISOString();
  }

  function collect(nowMs: number): ReadingInput[] {
    if (state !== 'open' || nowMs < startMs) return [];
    const fresh: { atSec: number; reading: ReadingInput }[] = [];
    const catchUpFromMs = nowMs - tuning.maxCatchUpMs;

    // NIBP, on the protocol's schedule of patient time.
    const fromSec = Math.max(
      collectedUntilMs === null ? startChairSec - 1e-6 : chairSecAt(collectedUntilMs),
      chairSecAt(catchUpFromMs),
    );
    for (const event of nibpEventsBetween(schedule, slots, fromSec, chairSecAt(nowMs))) {
      const v = patientOf(event.cycleIndex).measureAt(event.sessionSec);
      fresh.push({
        atSec: event.chairSec,
        reading: {
          id: randomUUID(),
          chairId,
          measuredAt: isoAt(event.chairSec, nowMs),
          systolic: v.systolic,
          diastolic: v.diastolic,
          mean: v.mean,
          source: 'simulator',
        },
      });
    }

    // HR, SpO₂ and RR every few real seconds, while a patient is in the chair.
    const interval = options.vitalsIntervalMs;
    nextVitalsIndex = Math.max(nextVitalsIndex, Math.ceil((catchUpFromMs - startMs) / interval));
    for (; startMs + nextVitalsIndex * interval <= nowMs; nextVitalsIndex++) {
      const chairSec = chairSecAt(startMs + nextVitalsIndex * interval);
      const moment = chairMomentAt(schedule, chairSec);
      if (moment.phase === 'gap') continue;
      const v = patientOf(moment.cycleIndex).measureAt(moment.sessionSec);
      fresh.push({
        atSec: chairSec,
        reading: {
          id: randomUUID(),
          chairId,
          measuredAt: isoAt(chairSec, nowMs),
          heartRate: v.heartRate,
          spo2: v.spo2,
          respRate: v.respRate,
          source: 'simulator',
        },
      });
    }
    collectedUntilMs = nowMs;

    const moment = chairMomentAt(schedule, chairSecAt(nowMs));
    if (lastMoment === null || lastMoment.phase !== moment.phase || lastMoment.cycleIndex !== moment.cycleIndex) {
      options.onPhaseChange?.({ chairId, cycleIndex: moment.cycleIndex, phase: moment.phase, at: new Date(nowMs).toISOString() });
    }
    lastMoment = moment;

    fresh.sort((a, b) => a.atSec - b.atSec);
    const readings = fresh.map((f) => f.reading);
    outbox.push(...readings);
    stats.generated += readings.length;
    enforceOutboxBound();
    return readings;
  }

  /** Drops the oldest readings that are not part of a request being sent or retried. */
  function enforceOutboxBound(): void {
    if (outbox.length <= tuning.maxOutbox) {
      overflowing = false;
      return;
    }
    const locked = new Set([...(sending?.readings ?? []), ...(retryBatch?.readings ?? [])].map((r) => r.id));
    const excess = outbox.length - tuning.maxOutbox;
    let removed = 0;
    outbox = outbox.filter((r) => {
      if (removed < excess && !locked.has(r.id)) {
        removed++;
        return false;
      }
      return true;
    });
    stats.dropped += removed;
    if (!overflowing) {
      logger.warn(`${chairId}: outbox full (${tuning.maxOutbox} readings), dropping the oldest unsent readings`);
      overflowing = true;
    }
  }

  function nextBatch(): Batch | null {
    if (outbox.length === 0) return null;
    const readings = outbox.slice(0, batchLimit);
    return { readings, body: JSON.stringify(readings) };
  }

  function removeFromOutbox(batch: Batch): void {
    const ids = new Set(batch.readings.map((r) => r.id));
    outbox = outbox.filter((r) => !ids.has(r.id));
  }

  async function post(batch: Batch): Promise<PostOutcome> {
    let response: Response;
    try {
      response = await options.fetch(ingestUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: batch.body,
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(tuning.requestTimeoutMs)]),
      });
    } catch (error) {
      return { kind: 'retry', reason: `network error: ${errorMessage(error)}`, retryAfterMs: null };
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { kind: 'delivered' };

    const reason = `${response.status} ${describeErrorBody(text)}`;
    if (response.status === 413) return { kind: 'too-large', reason };
    if (response.status >= 500 || retryableStatuses.has(response.status)) {
      return { kind: 'retry', reason, retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')) };
    }
    return { kind: 'refused', reason };
  }

  function backoffMs(retryAfterMs: number | null): number {
    const exponential = Math.min(retry.maxMs, retry.initialMs * retry.factor ** Math.max(0, attempt - 1));
    const delay = exponential * uniform(jitter, 0.5, 1);
    return retryAfterMs === null ? delay : Math.max(delay, Math.min(retryAfterMs, retry.maxMs * 2));
  }

  async function drain(): Promise<void> {
    while (state !== 'closed' && !abort.signal.aborted) {
      if (state === 'open' && clock.now() < retryAtMs) return;
      const batch = retryBatch ?? nextBatch();
      if (batch === null) return;
      sending = batch;
      const outcome = await post(batch);
      sending = null;

      switch (outcome.kind) {
        case 'delivered':
          removeFromOutbox(batch);
          stats.sent += batch.readings.length;
          if (attempt > 0) logger.info(`${chairId}: delivered again after ${attempt} failed attempt(s)`);
          attempt = 0;
          retryBatch = null;
          retryAtMs = Number.NEGATIVE_INFINITY;
          continue;
        case 'too-large':
          stats.failedPosts++;
          if (batch.readings.length > 1) {
            // Resend the same readings, in smaller requests.
            batchLimit = Math.max(1, Math.floor(batch.readings.length / 2));
            retryBatch = null;
            logger.warn(`${chairId}: ${outcome.reason}; sending at most ${batchLimit} readings per request`);
            continue;
          }
          refuse(batch, outcome.reason);
          continue;
        case 'refused':
          refuse(batch, outcome.reason);
          continue;
        case 'retry':
          stats.failedPosts++;
          attempt++;
          retryBatch = batch;
          retryAtMs = clock.now() + backoffMs(outcome.retryAfterMs);
          if (state === 'open' && (attempt === 1 || attempt % 10 === 0)) {
            logger.warn(
              `${chairId}: POST failed (${outcome.reason}), attempt ${attempt}; ` +
                `${outbox.length} reading(s) kept, retrying the same batch`,
            );
          }
          return;
      }
    }
  }

  function refuse(batch: Batch, reason: string): void {
    removeFromOutbox(batch);
    stats.rejected += batch.readings.length;
    retryBatch = null;
    attempt = 0;
    logger.error(`${chairId}: the server refused ${batch.readings.length} reading(s) (${reason}); not retried`);
  }

  function flush(): Promise<void> {
    if (state === 'closed') return Promise.resolve();
    if (inFlight === null) {
      inFlight = drain()
        .catch((error: unknown) => logger.error(`${chairId}: sending failed unexpectedly: ${errorMessage(error)}`))
        .finally(() => {
          inFlight = null;
        });
    }
    return inFlight;
  }

  async function close(graceMs: number): Promise<void> {
    if (state !== 'open') return;
    state = 'closing';
    const deadline = AbortSignal.timeout(Math.max(0, graceMs));
    const onDeadline = (): void => abort.abort();
    deadline.addEventListener('abort', onDeadline, { once: true });
    try {
      if (inFlight !== null) await inFlight;
      // One last try, regardless of any backoff; a failure ends it.
      if (!abort.signal.aborted && outbox.length > 0) await flush();
    } finally {
      deadline.removeEventListener('abort', onDeadline);
      state = 'closed';
      abort.abort();
    }
    if (outbox.length > 0) logger.warn(`${chairId}: stopped with ${outbox.length} reading(s) unsent`);
  }

  return {
    chairId,
    collect,
    flush,
    close,
    momentAt: (nowMs) => chairMomentAt(schedule, chairSecAt(nowMs)),
    stats: () => ({ ...stats, pending: outbox.length }),
  };
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}${cause}`;
  }
  return String(error);
}

/** `code: message` from the API's error body, without `details` (they may quote values). */
function describeErrorBody(text: string): string {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) return `${parsed.data.error.code}: ${parsed.data.error.message}`;
  } catch {
    // not JSON
  }
  return 'no error body';
}

function parseRetryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}
