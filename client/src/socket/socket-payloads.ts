import {
  type Reading,
  type SessionSummary,
  errorBodySchema,
  readingSchema,
  sessionSummarySchema,
} from '@chairside/shared';
import { z } from 'zod';
import type { SyncPage } from './sync-cursor';

/**
 * Socket payloads are checked for shape before they reach the store. The server is trusted with
 * the content; this guards the tiles against a version mismatch or a bug, not against an attacker.
 */

function seqOf(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || !('seq' in value)) return null;
  return typeof value.seq === 'number' && Number.isFinite(value.seq) ? value.seq : null;
}

export interface ParsedReadings {
  readings: Reading[];
  /** How many items were dropped as malformed. */
  invalid: number;
  /** Highest seq among all items, malformed ones included, so paging never stalls on one. */
  maxSeq: number | null;
}

export function parseReadings(payload: unknown): ParsedReadings {
  if (!Array.isArray(payload)) return { readings: [], invalid: 1, maxSeq: null };
  const readings: Reading[] = [];
  let invalid = 0;
  let maxSeq: number | null = null;
  for (const item of payload) {
    const seq = seqOf(item);
    if (seq !== null && (maxSeq === null || seq > maxSeq)) maxSeq = seq;
    const parsed = readingSchema.safeParse(item);
    if (parsed.success) readings.push(parsed.data);
    else invalid += 1;
  }
  return { readings, invalid, maxSeq };
}

const syncAckSchema = z.object({
  readings: z.array(z.unknown()),
  latestSeq: z.number().int().min(0),
  hasMore: z.boolean(),
});

export type SyncAck =
  | { ok: true; page: SyncPage; invalid: number }
  | { ok: false; code: string; message: string };

export function parseSyncAck(payload: unknown): SyncAck {
  const error = errorBodySchema.safeParse(payload);
  if (error.success) return { ok: false, code: error.data.error.code, message: error.data.error.message };
  const ack = syncAckSchema.safeParse(payload);
  if (!ack.success) return { ok: false, code: 'unexpected', message: 'the sync answer has an unexpected shape' };
  const { readings, invalid, maxSeq } = parseReadings(ack.data.readings);
  return { ok: true, page: { readings, latestSeq: ack.data.latestSeq, hasMore: ack.data.hasMore, maxSeq }, invalid };
}

export function parseSessionSummary(payload: unknown): SessionSummary | null {
  const parsed = sessionSummarySchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}
