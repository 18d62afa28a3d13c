/**
 * A simulated bedside monitor on one chair. It measures its patient (NIBP on a schedule of patient
 * time, HR/SpO₂/RR every few real seconds), keeps what it measured in a bounded outbox, and sends it
 * like a real device, through its transport:
 *
 * - `http` (default): the public ingest API, real HTTP through an injected `fetch`, a Bearer token,
 *   one batch per POST (http-transport.ts);
 * - `mllp`: HL7 v2 ORU^R01 messages over MLLP to the server's HL7 listener, one message in flight,
 *   each waiting for its ACK (mllp-transport.ts).
 *
 * On failure the very same request goes again (same ids, same body or message) after a backoff, so
 * the server stores every reading exactly once.
 *
 * Time: the device never reads a clock by itself for data. `collect(nowMs)` gets the time; patient
 * time runs `speed` times faster than real time, while `measuredAt` is always the real wall-clock
 * instant of the measurement (the server refuses future timestamps).
 */
import { randomUUID } from 'node:crypto';
import { maxReadingsPerRequest, type ReadingInput } from '@chairside/shared';
import {
  affectsPhysiology,
  isActive,
  noReadingSentinel,
  perturbPhysiology,
  sensorsOffAt,
  shiftMeasurement,
  windowCovers,
  type ChairEvent,
  type ChairEventKind,
  type ChairEventSource,
} from './chair-events';
import { createHttpSender, type FetchLike } from './http-transport';
import { createMllpSender, type MllpTransport } from './mllp-transport';
import {
  cuffArtefactValues,
  cuffAttempts,
  defaultMonitorBehaviour,
  drawMonitorEpisodes,
  maxCuffLagSec,
  type CuffAttempt,
  type MonitorBehaviour,
} from './monitor';
import type { PatientFactory, PatientModel, VitalSigns } from './patient-model';
import { deriveSeed, forkRandom, uniform } from './random';
import { createVisitTimeline, type PatientsLeave, type TimelineNibpEvent } from './visit-timeline';
import { cycleSec, treatmentStartSec, type ChairMoment, type NibpIntervals, type SessionSchedule, type SimPhase } from './session-cycle';
import { errorMessage, type Batch, type HttpTransport, type ReadingSender } from './transport';

export type { FetchLike } from './http-transport';

/** How the device sends: the ingest API over HTTP (default), or HL7 v2 over MLLP like a bedside monitor. */
export type DeviceTransport = HttpTransport | MllpTransport;

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

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
  /** The chair's patient profile, when the simulation assigned one (e.g. 'hypertensive-surger'). */
  profileId?: string;
  /** Which kind of protocol the simulated visit follows. */
  protocolKind?: 'iv-infusion' | 'nasal-spray';
}

/** Something that happened on a chair beyond the patient's pharmacology (for logs and tests). */
export interface SimulationEvent {
  chairId: string;
  kind: ChairEventKind | 'cuff-failed';
  source: ChairEventSource;
  /** Which patient of the chair's run. */
  cycleIndex: number;
  /** Real wall-clock time it started, ISO 8601. */
  at: string;
  /** Real wall-clock time it ends, ISO 8601; null for a moment (a failed cuff, an artefact reading). */
  until: string | null;
}

export interface DeviceStats {
  /** Readings measured and put in the outbox. */
  generated: number;
  /** Readings the server acknowledged (HTTP 2xx, HL7 ACK AA). */
  sent: number;
  /**
   * Attempts that did not succeed: POSTs (network error, timeout, 401/403/404/408/429/5xx, 413 split)
   * or MLLP messages (no connection, no ACK in time, connection closed, AR).
   */
  failedPosts: number;
  /** Readings the server refused for good (HTTP 400, 409, other 4xx; HL7 AE), not retried. */
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
  /** Readings per POST (the API accepts ≤ 1000; halved automatically on 413); MLLP sends at most 50 per message. */
  maxBatch: number;
  retry: RetryPolicy;
  /** A POST that has not answered (or an MLLP message not acknowledged) by then is abandoned and retried. */
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
  /** Server origin, e.g. `http://127.0.0.1:3000`. Required for the http transport. */
  baseUrl?: string;
  /** Device token, sent as `Authorization: Bearer <token>`. Required for the http transport. */
  token?: string;
  /** Required for the http transport. */
  fetch?: FetchLike;
  /** Default `{ kind: 'http' }`. */
  transport?: DeviceTransport;
  clock: Clock;
  /** Patient seconds per real second. */
  speed: number;
  /** Seed of this chair; its patients and retry jitter flow from it. */
  seed: number;
  /** Real epoch ms when the device starts. */
  startMs: number;
  /**
   * Where on the chair's timeline (patient seconds) the device starts: staggers chairs. Negative:
   * the chair starts empty and its first patient sits down that much patient time later.
   */
  startChairSec: number;
  schedule: SessionSchedule;
  /**
   * `on-schedule` (default): each patient leaves when the schedule's observation ends.
   * `when-released`: each patient stays (in observation past the schedule) until `leave` is called.
   */
  patientsLeave?: PatientsLeave;
  nibpIntervalsSec: NibpIntervals;
  /** Real milliseconds between HR/SpO₂/RR readings. */
  vitalsIntervalMs: number;
  patientFactory: PatientFactory;
  logger?: Logger;
  onPhaseChange?: (change: PhaseChange) => void;
  tuning?: Partial<DeviceTuning>;
  /** Cuff timing and failures, artefacts, probe-offs, disconnects. Default `defaultMonitorBehaviour`. */
  monitor?: Partial<MonitorBehaviour>;
  /** Reported in phase changes. */
  profileId?: string;
  protocolKind?: 'iv-infusion' | 'nasal-spray';
  /** Told when an event starts on this chair (scenario, trigger, or the monitor's own episodes). */
  onEvent?: (event: SimulationEvent) => void;
}

export interface SimulatedDevice {
  readonly chairId: string;
  /** Measures everything due by `nowMs` into the outbox and returns the new readings, oldest first. */
  collect(nowMs: number): ReadingInput[];
  /**
   * Sends the outbox, one batch per request (POST or HL7 message), until it is empty or a request
   * fails (then the same batch waits for its backoff). While a request is in flight, returns that
   * work instead of starting another.
   */
  flush(): Promise<void>;
  /**
   * Stops measuring; lets the request in flight finish and tries one last send, aborting whatever is
   * still in flight after `graceMs`, then closes the connection. Readings still unsent are abandoned
   * (and logged as a count).
   */
  close(graceMs: number): Promise<void>;
  /** Where the chair is at `nowMs`. */
  momentAt(nowMs: number): ChairMoment;
  /**
   * With `patientsLeave: 'when-released'`: the patient of visit `cycleIndex` leaves at `atMs` (real
   * time, not before what was already measured); nothing of theirs is measured after it, and
   * readings measured after it that are still unsent are dropped. False when that visit is not the
   * chair's current one or its patient has left already.
   */
  leave(cycleIndex: number, atMs: number): boolean;
  /** The chair's timeline position at `nowMs`, in patient seconds. */
  chairSecAt(nowMs: number): number;
  /** Real epoch ms of a position on the chair's timeline. */
  realMsAt(chairSec: number): number;
  /** Applies an event (scenario or trigger) on this chair's timeline from its `fromChairSec`. */
  inject(event: ChairEvent): void;
  /** True while the monitor's network is down (it measures but does not post). */
  isDisconnected(nowMs: number): boolean;
  stats(): DeviceStats;
}

export function createDevice(options: DeviceOptions): SimulatedDevice {
  const { chairId, clock, speed, schedule, startMs, startChairSec } = options;
  const tuning: DeviceTuning = { ...defaultDeviceTuning, ...options.tuning };
  const retry: RetryPolicy = { ...defaultDeviceTuning.retry, ...options.tuning?.retry };
  const monitor: MonitorBehaviour = { ...defaultMonitorBehaviour, ...options.monitor };
  const logger = options.logger ?? silentLogger;
  const sender = createSender(options, tuning);
  const timeline = createVisitTimeline(schedule, options.nibpIntervalsSec, options.patientsLeave);
  const jitter = forkRandom(options.seed, 'retry-jitter');
  const infusion = { startSec: treatmentStartSec(schedule), durationSec: schedule.treatmentSec };
  const cycle = cycleSec(schedule);
  const cuffLagSec = maxCuffLagSec(monitor);

  const chairSecAt = (ms: number): number => startChairSec + ((ms - startMs) / 1000) * speed;
  const realMsAt = (chairSec: number): number => startMs + ((chairSec - startChairSec) / speed) * 1000;

  // Measuring.
  let collectedUntilMs: number | null = null;
  let nextVitalsIndex = 0;
  let lastMoment: ChairMoment | null = null;
  const visits = new Map<number, Visit>();
  /** Scenario and trigger events, oldest first. */
  let injected: ChairEvent[] = [];
  const reported = new Set<ChairEvent>();
  const artefactTargets = new Map<ChairEvent, Set<string>>();

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
  let lastRefusal: string | null = null;
  let refusalsInARow = 0;
  const abort = new AbortController();
  const stats = { generated: 0, sent: 0, failedPosts: 0, rejected: 0, dropped: 0 };

  interface Visit {
    patient: PatientModel;
    /** The monitor's own random episodes during this visit (probe off, artefacts, network drops). */
    episodes: ChairEvent[];
    startChairSec: number;
    endChairSec: number;
  }

  /** A visit that has begun (its start is known). */
  function visitOf(cycleIndex: number): Visit {
    let visit = visits.get(cycleIndex);
    if (visit === undefined) {
      const visitStart = timeline.visitStartSec(cycleIndex) ?? cycleIndex * cycle;
      visit = {
        patient: options.patientFactory({ seed: deriveSeed(options.seed, 'patient', cycleIndex), infusion }),
        episodes: drawMonitorEpisodes(options.seed, cycleIndex, visitStart, visitStart + cycle, monitor),
        startChairSec: visitStart,
        // A patient who stays until released: no cuff cycle is cut short for an end not known yet.
        endChairSec: timeline.leaves === 'when-released' ? Number.POSITIVE_INFINITY : (timeline.visitEndSec(cycleIndex) ?? visitStart + cycle),
      };
      visits.set(cycleIndex, visit);
      for (const key of visits.keys()) if (key < cycleIndex - 1) visits.delete(key);
    }
    return visit;
  }

  /** Every event that may apply at `chairSec`: the visit's episodes and the injected ones. */
  function eventsAt(chairSec: number): ChairEvent[] {
    return [...visitOf(timeline.momentAt(chairSec).cycleIndex).episodes, ...injected];
  }

  function isoAt(chairSec: number, nowMs: number): string {
    return new Date(Math.min(nowMs, Math.round(realMsAt(chairSec)))).toISOString();
  }

  function report(event: ChairEvent | { kind: 'cuff-failed' | 'cuff-artefact'; fromChairSec: number; source: ChairEventSource }, nowMs: number): void {
    const until = 'untilChairSec' in event && event.untilChairSec > event.fromChairSec ? event.untilChairSec : null;
    options.onEvent?.({
      chairId,
      kind: event.kind,
      source: event.source,
      cycleIndex: Math.max(0, Math.floor(event.fromChairSec / cycle)),
      at: isoAt(event.fromChairSec, nowMs),
      until: until === null ? null : new Date(Math.round(realMsAt(until))).toISOString(),
    });
  }

  /** The patient's measured vitals at `chairSec`, with the physiological events applied. */
  function measure(visit: Visit, chairSec: number, events: readonly ChairEvent[]): VitalSigns {
    const sessionSec = chairSec - visit.startChairSec;
    const measured = visit.patient.measureAt(sessionSec);
    const active = events.filter((e) => affectsPhysiology(e, chairSec));
    if (active.length === 0) return measured;
    const truth = visit.patient.physiologyAt(sessionSec);
    return shiftMeasurement(measured, truth, perturbPhysiology(truth, active, chairSec));
  }

  /** A cuff cycle that never starts: BP skipped, or the cuff is off. */
  function cuffBlocked(events: readonly ChairEvent[], chairSec: number): boolean {
    return windowCovers(events, 'skip-bp', chairSec) || sensorsOffAt(events, chairSec).has('nibp');
  }

  function attemptsOf(event: TimelineNibpEvent): CuffAttempt[] {
    const visit = visitOf(event.cycleIndex);
    const attempts = cuffAttempts({
      seed: options.seed,
      cycleIndex: event.cycleIndex,
      slotSessionSec: event.sessionSec,
      slotChairSec: event.chairSec,
      nextSlotChairSec: event.nextChairSec,
      visitEndChairSec: visit.endChairSec,
      behaviour: monitor,
    });
    // A blocked cycle never starts, and nothing retries it; a patient who left takes the cuff along.
    const leftAt = timeline.leaves === 'when-released' ? (timeline.visitEndSec(event.cycleIndex) ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    const started: CuffAttempt[] = [];
    for (const a of attempts) {
      if (cuffBlocked(eventsAt(a.startChairSec), a.startChairSec) || a.endChairSec >= leftAt) break;
      started.push(a);
    }
    return started;
  }

  const attemptKey = (event: TimelineNibpEvent, a: CuffAttempt): string => `${event.cycleIndex}:${event.sessionSec}:${a.attempt}`;

  /** The cuff readings a scenario's cuff-artefact event spoils: the first `count` started at or after it. */
  function targetsOf(event: Extract<ChairEvent, { kind: 'cuff-artefact' }>): Set<string> {
    let targets = artefactTargets.get(event);
    if (targets === undefined) {
      targets = new Set();
      for (const slot of timeline.nibpEventsBetween(event.fromChairSec - cuffLagSec, event.fromChairSec + 2 * cycle)) {
        for (const a of attemptsOf(slot)) {
          if (targets.size < event.count && a.startChairSec >= event.fromChairSec && a.outcome === 'reading') targets.add(attemptKey(slot, a));
        }
        if (targets.size >= event.count) break;
      }
      artefactTargets.set(event, targets);
    }
    return targets;
  }

  function collect(nowMs: number): ReadingInput[] {
    if (state !== 'open' || nowMs < startMs) return [];
    const fresh: { atSec: number; reading: ReadingInput }[] = [];
    const catchUpFromMs = nowMs - tuning.maxCatchUpMs;
    const nowChairSec = chairSecAt(nowMs);
    const fromSec = Math.max(
      collectedUntilMs === null ? startChairSec - 1e-6 : chairSecAt(collectedUntilMs),
      chairSecAt(catchUpFromMs),
    );

    // Events that start now: the monitor's episodes, then scenario and trigger events.
    for (let c = timeline.momentAt(fromSec).cycleIndex; c <= timeline.momentAt(nowChairSec).cycleIndex; c++) {
      for (const e of visitOf(c).episodes) if (e.fromChairSec > fromSec && e.fromChairSec <= nowChairSec) report(e, nowMs);
    }
    for (const e of injected) {
      if (!reported.has(e) && e.fromChairSec <= nowChairSec) {
        reported.add(e);
        if (e.untilChairSec + ('rampSec' in e ? e.rampSec : 0) >= fromSec || e.kind === 'cuff-artefact') report(e, nowMs);
      }
    }

    // NIBP: each scheduled cycle takes 30–40 s and is timed when it ends; a failed one is retried.
    for (const slot of timeline.nibpEventsBetween(fromSec - cuffLagSec, nowChairSec)) {
      const visit = visitOf(slot.cycleIndex);
      for (const a of attemptsOf(slot)) {
        if (a.endChairSec <= fromSec || a.endChairSec > nowChairSec) continue;
        if (a.outcome === 'failed') {
          report({ kind: 'cuff-failed', fromChairSec: a.endChairSec, source: 'monitor' }, nowMs);
          continue;
        }
        const events = eventsAt(a.endChairSec);
        const spoiler = injected.find(
          (e): e is Extract<ChairEvent, { kind: 'cuff-artefact' }> => e.kind === 'cuff-artefact' && targetsOf(e).has(attemptKey(slot, a)),
        );
        let bp: { systolic: number; diastolic: number; mean: number };
        if (spoiler !== undefined) bp = spoiler;
        else if (a.outcome === 'artefact') {
          bp = cuffArtefactValues(forkRandom(options.seed, 'cuff-artefact', slot.cycleIndex, Math.round(slot.sessionSec), a.attempt));
          report({ kind: 'cuff-artefact', fromChairSec: a.endChairSec, source: 'monitor' }, nowMs);
        } else bp = measure(visit, a.endChairSec, events);
        fresh.push({
          atSec: a.endChairSec,
          reading: {
            id: randomUUID(),
            chairId,
            measuredAt: isoAt(a.endChairSec, nowMs),
            systolic: bp.systolic,
            diastolic: bp.diastolic,
            mean: bp.mean,
            source: 'simulator',
          },
        });
      }
    }

    // HR, SpO₂ and RR every few real seconds, while a patient is in the chair.
    const interval = options.vitalsIntervalMs;
    nextVitalsIndex = Math.max(nextVitalsIndex, Math.ceil((catchUpFromMs - startMs) / interval));
    for (; startMs + nextVitalsIndex * interval <= nowMs; nextVitalsIndex++) {
      const chairSec = chairSecAt(startMs + nextVitalsIndex * interval);
      const moment = timeline.momentAt(chairSec);
      if (moment.phase === 'gap') continue;
      const events = eventsAt(chairSec);
      const off = sensorsOffAt(events, chairSec);
      const v = measure(visitOf(moment.cycleIndex), chairSec, events);
      const motion = events.find((e): e is Extract<ChairEvent, { kind: 'motion-artefact' }> => e.kind === 'motion-artefact' && isActive(e, chairSec));
      const value = (sensor: 'heartRate' | 'spo2' | 'respRate', measured: number): number | undefined => {
        const how = off.get(sensor);
        return how === 'omit' ? undefined : how === 'sentinel' ? noReadingSentinel : measured;
      };
      const heartRate = value('heartRate', motion?.heartRate ?? v.heartRate);
      const spo2 = value('spo2', motion?.spo2 ?? v.spo2);
      const respRate = value('respRate', v.respRate);
      if (heartRate === undefined && spo2 === undefined && respRate === undefined) continue;
      fresh.push({
        atSec: chairSec,
        reading: {
          id: randomUUID(),
          chairId,
          measuredAt: isoAt(chairSec, nowMs),
          ...(heartRate === undefined ? {} : { heartRate }),
          ...(spo2 === undefined ? {} : { spo2 }),
          ...(respRate === undefined ? {} : { respRate }),
          source: 'simulator',
        },
      });
    }
    collectedUntilMs = nowMs;
    // Forget injected events long past.
    injected = injected.filter((e) => e.untilChairSec + ('rampSec' in e ? e.rampSec : 0) + 2 * cycle > nowChairSec);
    for (const e of artefactTargets.keys()) if (!injected.includes(e)) artefactTargets.delete(e);
    for (const e of reported) if (!injected.includes(e)) reported.delete(e);

    fresh.sort((a, b) => a.atSec - b.atSec);
    const readings = fresh.map((f) => f.reading);
    outbox.push(...readings);
    stats.generated += readings.length;
    enforceOutboxBound();

    // Last, with this round's readings in the outbox: the listener may act on the chair at once.
    const moment = timeline.momentAt(nowChairSec);
    const previous = lastMoment;
    lastMoment = moment;
    if (previous === null || previous.phase !== moment.phase || previous.cycleIndex !== moment.cycleIndex) {
      options.onPhaseChange?.({
        chairId,
        cycleIndex: moment.cycleIndex,
        phase: moment.phase,
        at: new Date(nowMs).toISOString(),
        ...(options.profileId === undefined ? {} : { profileId: options.profileId }),
        ...(options.protocolKind === undefined ? {} : { protocolKind: options.protocolKind }),
      });
    }
    return readings;
  }

  function isDisconnected(nowMs: number): boolean {
    const chairSec = chairSecAt(nowMs);
    return chairSec >= 0 && windowCovers(eventsAt(chairSec), 'disconnect', chairSec);
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
    return sender.batch(outbox.slice(0, batchLimit));
  }

  function removeFromOutbox(batch: Batch): void {
    const ids = new Set(batch.readings.map((r) => r.id));
    outbox = outbox.filter((r) => !ids.has(r.id));
  }

  function backoffMs(retryAfterMs: number | null): number {
    const exponential = Math.min(retry.maxMs, retry.initialMs * retry.factor ** Math.max(0, attempt - 1));
    const delay = exponential * uniform(jitter, 0.5, 1);
    return retryAfterMs === null ? delay : Math.max(delay, Math.min(retryAfterMs, retry.maxMs * 2));
  }

  async function drain(): Promise<void> {
    while (state !== 'closed' && !abort.signal.aborted) {
      if (state === 'open' && clock.now() < retryAtMs) return;
      // Network down: keep everything, send nothing; the outbox catches up when it is back.
      if (state === 'open' && isDisconnected(clock.now())) {
        sender.suspend();
        return;
      }
      const batch = retryBatch ?? nextBatch();
      if (batch === null) return;
      sending = batch;
      const outcome = await sender.send(batch, abort.signal);
      sending = null;

      switch (outcome.kind) {
        case 'delivered':
          removeFromOutbox(batch);
          stats.sent += batch.readings.length;
          if (attempt > 0) logger.info(`${chairId}: delivered again after ${attempt} failed attempt(s)`);
          attempt = 0;
          retryBatch = null;
          retryAtMs = Number.NEGATIVE_INFINITY;
          lastRefusal = null;
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
              `${chairId}: ${sender.attemptName} to ${sender.target} failed (${outcome.reason}), attempt ${attempt}; ` +
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
    // The same refusal again and again (a chair the server cannot map) is logged at 1, 10, 100… times.
    refusalsInARow = reason === lastRefusal ? refusalsInARow + 1 : 1;
    lastRefusal = reason;
    if (Number.isInteger(Math.log10(refusalsInARow))) {
      const again = refusalsInARow > 1 ? ` (${refusalsInARow} times in a row)` : '';
      logger.error(`${chairId}: the server refused ${batch.readings.length} reading(s) (${reason}); not retried${again}`);
    }
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
      sender.close();
    }
    if (outbox.length > 0) logger.warn(`${chairId}: stopped with ${outbox.length} reading(s) unsent`);
  }

  return {
    chairId,
    collect,
    flush,
    close,
    momentAt: (nowMs) => timeline.momentAt(chairSecAt(nowMs)),
    leave(cycleIndex, atMs) {
      if (state !== 'open') return false;
      const atChairSec = chairSecAt(atMs);
      if (timeline.momentAt(atChairSec).cycleIndex !== cycleIndex || !timeline.leave(cycleIndex, atChairSec)) return false;
      // Measured after the patient left (a tick between the discharge and this call): not theirs to send.
      const locked = new Set([...(sending?.readings ?? []), ...(retryBatch?.readings ?? [])].map((r) => r.id));
      outbox = outbox.filter((r) => locked.has(r.id) || Date.parse(r.measuredAt) <= atMs);
      return true;
    },
    chairSecAt,
    realMsAt,
    inject(event) {
      injected = [...injected, event].sort((a, b) => a.fromChairSec - b.fromChairSec);
    },
    isDisconnected,
    stats: () => ({ ...stats, pending: outbox.length }),
  };
}

/** The sender of the device's transport; the http transport needs the server's URL, a token and fetch. */
function createSender(options: DeviceOptions, tuning: DeviceTuning): ReadingSender {
  const transport = options.transport ?? { kind: 'http' };
  if (transport.kind === 'mllp') {
    return createMllpSender({
      transport,
      chairId: options.chairId,
      clock: options.clock,
      ackTimeoutMs: tuning.requestTimeoutMs,
      maxBatch: tuning.maxBatch,
    });
  }
  const { baseUrl, token, fetch } = options;
  if (baseUrl === undefined || token === undefined || fetch === undefined) {
    throw new Error(`${options.chairId}: the http transport needs baseUrl, token and fetch`);
  }
  return createHttpSender({ baseUrl, token, fetch, requestTimeoutMs: tuning.requestTimeoutMs });
}
