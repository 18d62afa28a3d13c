import { createHash } from 'node:crypto';
import {
  checkPlausibility,
  type FieldIssue,
  type Reading,
  type ReadingInput,
  vitalFields,
} from '@chairside/shared';
import type { Actor } from '../auth/auth.service';
import type { Clock } from '../clock';
import { conflict, invalidInput } from '../http/app-error';
import type { NewReading, Store } from '../store/store';
import type { WriteBatcher } from './write-batcher';

/** A reading timestamped further ahead than this is refused: the sender's clock is wrong. */
export const maxFutureSkewMs = 5 * 60 * 1000;

export interface IngestResult {
  readings: Reading[];
  /** How many of them were new (the rest were retries of stored readings). */
  createdCount: number;
}

/** Canonical hash of a reading as sent: the same reading retried hashes the same. */
export function payloadHash(input: ReadingInput): string {
  const canonical = {
    id: input.id,
    chairId: input.chairId ?? null,
    sessionId: input.sessionId ?? null,
    measuredAt: Date.parse(input.measuredAt),
    source: input.source,
    values: vitalFields.map((f) => input[f] ?? null),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * Turns validated readings into stored ones: checks who may send what, that the chair exists and the
 * time is sane, splits implausible values off with their reasons, and commits through the group-commit
 * batcher. Resolves only after the readings are durable.
 */
export class IngestService {
  constructor(
    private readonly store: Store,
    private readonly batcher: WriteBatcher,
    private readonly clock: Clock,
  ) {}

  async ingest(inputs: readonly ReadingInput[], actor: Actor): Promise<IngestResult> {
    const issues: FieldIssue[] = [];
    const now = this.clock.now();
    const chairIds = new Map<string, boolean>();

    for (const [index, input] of inputs.entries()) {
      const at = (field: string, message: string): void => {
        issues.push({ path: inputs.length === 1 ? [field] : [index, field], message });
      };
      if (actor.kind === 'user' && input.source !== 'manual') {
        at('source', 'a reading entered by a logged-in user must have source "manual"');
      }
      if (actor.kind === 'device' && input.source === 'manual') {
        at('source', 'manual readings are entered by a logged-in nurse or clinician, not with a device token');
      }
      if (Date.parse(input.measuredAt) > now + maxFutureSkewMs) {
        at('measuredAt', 'is more than 5 minutes in the future; check the sending clock');
      }
      if (input.chairId === undefined) {
        at('sessionId', 'unknown session (send chairId)');
        continue;
      }
      if (!chairIds.has(input.chairId)) chairIds.set(input.chairId, (await this.store.findChair(input.chairId)) !== null);
      if (!chairIds.get(input.chairId)) at('chairId', `no chair with id "${input.chairId}"`);
    }
    if (issues.length > 0) throw invalidInput('Some readings are not valid; nothing was stored.', issues);

    const rows = inputs.map((input) => this.toNewReading(input, actor, now));
    const result = await this.batcher.write(rows);
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

  private toNewReading(input: ReadingInput, actor: Actor, now: number): NewReading {
    const { accepted, rejected, flags } = checkPlausibility(input);
    return {
      id: input.id,
      chairId: input.chairId ?? '',
      sessionId: null,
      measuredAt: new Date(Date.parse(input.measuredAt)).toISOString(),
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
      payloadHash: payloadHash(input),
    };
  }
}
