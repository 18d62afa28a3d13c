import { hash } from 'node:crypto';
import {
  checkPlausibility,
  deviceClockAheadToleranceMs,
  type FieldIssue,
  type Reading,
  type ReadingInput,
  vitalFields,
} from '@chairside/shared';
import type { Actor } from '../auth/auth.service';
import type { Clock } from '../clock';
import { AppError, conflict, invalidInput } from '../http/app-error';
import { describeStoreFailure } from '../store/store-errors';
import type { NewReading, Store } from '../store/store';
import type { SessionPlace } from '../sessions/sessions.service';
import type { WriteBatcher } from './write-batcher';

/** A reading timestamped further ahead than this is refused: the sender's clock is wrong. */
export const maxFutureSkewMs = 5 * 60 * 1000;

/** By default a reading measured more than this long ago is refused (READING_MAX_AGE_DAYS). */
export const defaultMaxReadingAgeDays = 30;
const msPerDay = 24 * 60 * 60 * 1000;

export interface IngestResult {
  readings: Reading[];
  /** How many of them were new (the rest were retries of stored readings). */
  createdCount: number;
}

/** A number as JSON writes it (`null` for what JSON cannot hold). */
const jsonNumber = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? 'null' : String(n));
const jsonText = (text: string | undefined): string => (text === undefined ? 'null' : JSON.stringify(text));

/**
 * Canonical hash of a reading as sent: the same reading retried hashes the same. Stored with every
 * reading, so it must never change: it is the sha256 of
 * `JSON.stringify({ id, chairId, sessionId, measuredAt: epochMs, source, values: [the six vitals], supersedes? })`
 * (absent fields as null; `supersedes` only when present, so readings stored before corrections
 * existed keep their hash), written out here without building the object (ingest's hot path).
 */
export function payloadHash(input: ReadingInput, measuredAtMs: number = Date.parse(input.measuredAt)): string {
  const values = vitalFields.map((f) => jsonNumber(input[f])).join(',');
  const canonical =
    `{"id":${jsonText(input.id)},"chairId":${jsonText(input.chairId)},"sessionId":${jsonText(input.sessionId)},` +
    `"measuredAt":${jsonNumber(measuredAtMs)},"source":${jsonText(input.source)},"values":[${values}]` +
    `${input.supersedes === undefined ? '' : `,"supersedes":${jsonText(input.supersedes)}`}}`;
  return hash('sha256', canonical, 'hex');
}

/** How ingest finds the session a reading belongs to. */
export interface SessionLookup {
  /** The active session of the chair, if the reading was measured during it. */
  sessionForReading(chairId: string, measuredAtMs: number): string | null;
  /** Where and when a session ran and whether it is signed, or null when there is no such session. */
  findSessionPlace(sessionId: string): Promise<SessionPlace | null>;
}

/**
 * Turns validated readings into stored ones: checks who may send what, that the chair exists and the
 * time is sane, splits implausible values off with their reasons, and commits through the group-commit
 * batcher. Resolves only after the readings are durable.
 */
export class IngestService {
  /**
   * Chairs known to exist. Chairs are never deleted, so a chair once found stays valid; one not found
   * is looked up again next time (another server may have created it meanwhile).
   */
  private readonly knownChairs = new Set<string>();

  constructor(
    private readonly store: Pick<Store, 'catalog' | 'readings' | 'sessions'>,
    private readonly batcher: WriteBatcher,
    private readonly clock: Clock,
    private readonly sessions: SessionLookup,
    /** Told when a write failed (why, in plain words) and when writes work again. */
    private readonly onStoreFailure?: (why: string) => void,
    private readonly onStoreRecovered?: () => void,
    /** How far back a reading may have been measured. */
    private readonly maxReadingAgeDays: number = defaultMaxReadingAgeDays,
  ) {}

  async ingest(inputs: readonly ReadingInput[], actor: Actor): Promise<IngestResult> {
    const issues: FieldIssue[] = [];
    const now = this.clock.now();
    const missingChairs = new Set<string>();
    const sessionPlaces = new Map<string, SessionPlace | null>();
    const resolved: { chairId: string; sessionId: string | null; measuredAtMs: number }[] = [];

    let index = -1;
    const at = (field: string, message: string): void => {
      issues.push({ path: inputs.length === 1 ? [field] : [index, field], message });
    };
    for (const input of inputs) {
      index += 1;
      if (actor.kind === 'user' && input.source !== 'manual') {
        at('source', 'a reading entered by a logged-in user must have source "manual"');
      }
      if (actor.kind === 'device' && input.source === 'manual') {
        at('source', 'manual readings are entered by a logged-in nurse or clinician, not with a device token');
      }
      const measuredAtMs = Date.parse(input.measuredAt);
      if (measuredAtMs > now + maxFutureSkewMs) {
        at('measuredAt', 'is more than 5 minutes in the future; check the sending clock');
      } else if (measuredAtMs < now - this.maxReadingAgeDays * msPerDay) {
        at('measuredAt', `is more than ${this.maxReadingAgeDays} days in the past; check the sending clock`);
      }
      let chairId = input.chairId;
      let sessionId: string | null = null;
      if (input.sessionId !== undefined) {
        if (!sessionPlaces.has(input.sessionId)) {
          sessionPlaces.set(input.sessionId, await this.sessions.findSessionPlace(input.sessionId));
        }
        const place = sessionPlaces.get(input.sessionId) ?? null;
        if (place === null) at('sessionId', `no session with id "${input.sessionId}"`);
        else if (place.signed) throw conflict('This session is signed and locked: nothing can be added to it. Add an addendum to correct the record.');
        else if (chairId !== undefined && chairId !== place.chairId) at('chairId', 'is not the chair of that session');
        else if (place.endedAtMs !== null && measuredAtMs > place.endedAtMs) {
          at(
            'measuredAt',
            `measured after this session ended at ${new Date(place.endedAtMs).toISOString()}; send it with chairId to keep it on the chair's timeline`,
          );
        } else if (measuredAtMs < place.checkedInAtMs) {
          // A session's readings are its patient's: one measured before check-in may be the previous patient's.
          at(
            'measuredAt',
            `measured before this session's check-in at ${new Date(place.checkedInAtMs).toISOString()}; send it with chairId to keep it on the chair's timeline, then attach it`,
          );
        } else {
          chairId = place.chairId;
          sessionId = input.sessionId;
        }
      }
      if (chairId === undefined) continue;
      if (!this.knownChairs.has(chairId) && !missingChairs.has(chairId)) {
        if ((await this.store.catalog.findChair(chairId)) !== null) this.knownChairs.add(chairId);
        else missingChairs.add(chairId);
      }
      if (missingChairs.has(chairId)) at('chairId', `no chair with id "${chairId}"`);
      if (input.supersedes !== undefined) {
        // Checked against the chair the correction lands on, whether it named chairId or sessionId.
        const original = await this.store.readings.findReading(input.supersedes);
        if (input.source !== 'manual') at('supersedes', 'only a manual entry can correct a reading');
        else if (!original) at('supersedes', `no reading with id "${input.supersedes}"`);
        else if (original.chairId !== chairId) at('supersedes', 'names a reading of another chair');
        else if (original.sessionId !== null && (await this.store.sessions.findSignature(original.sessionId))) {
          throw conflict('That reading belongs to a signed session; correct it with an addendum.');
        }
      }
      resolved.push({ chairId, sessionId: sessionId ?? this.sessions.sessionForReading(chairId, measuredAtMs), measuredAtMs });
    }
    if (issues.length > 0) throw invalidInput('Some readings are not valid; nothing was stored.', issues);

    const rows = inputs.map((input, i) => {
      const where = resolved[i];
      if (!where) throw new Error('every valid reading has a chair');
      return this.toNewReading(input, where, actor, now);
    });
    let result: Awaited<ReturnType<WriteBatcher['write']>>;
    try {
      result = await this.batcher.write(rows);
    } catch (error) {
      const why = describeStoreFailure(error);
      this.onStoreFailure?.(why ?? 'an unexpected storage error');
      if (why) throw new AppError('unavailable', `Nothing was stored: ${why}. Keep the readings and retry; the clinic's admin has been alerted.`);
      throw error;
    }
    this.onStoreRecovered?.();
    if (!result.ok) {
      throw conflict('These reading ids are already stored with different values; nothing was stored.', {
        ids: result.conflictingIds,
      });
    }
    return {
      readings: result.results.map((r) => r.reading),
      createdCount: result.results.filter((r) => r.created).length,
    };
  }

  private toNewReading(
    input: ReadingInput,
    where: { chairId: string; sessionId: string | null; measuredAtMs: number },
    actor: Actor,
    now: number,
  ): NewReading {
    const { accepted, rejected, flags: plausibilityFlags } = checkPlausibility(input);
    // Kept with its own stamp, flagged; it is ordered as if measured when it arrived (docs/clinical-defaults.md, "Late data").
    const flags = where.measuredAtMs > now + deviceClockAheadToleranceMs ? [...plausibilityFlags, 'device-clock-ahead' as const] : plausibilityFlags;
    return {
      id: input.id,
      chairId: where.chairId,
      sessionId: where.sessionId,
      measuredAt: new Date(where.measuredAtMs).toISOString(),
      receivedAt: now,
      source: input.source,
      systolic: accepted.systolic ?? null,
      diastolic: accepted.diastolic ?? null,
      mean: accepted.mean ?? null,
      heartRate: accepted.heartRate ?? null,
      spo2: accepted.spo2 ?? null,
      respRate: accepted.respRate ?? null,
      rejected,
      flags,
      enteredBy: actor.kind === 'user' ? actor.user.username : null,
      supersedes: input.supersedes ?? null,
      payloadHash: payloadHash(input, where.measuredAtMs),
    };
  }
}
