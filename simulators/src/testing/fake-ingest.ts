/**
 * Test double of `POST /api/v1/readings` behind a `fetch`: records every request, stores readings by
 * id like the server does (a retry of a stored id is not stored twice), and can be told to fail.
 */
import type { ReadingInput } from '@chairside/shared';
import type { Clock, FetchLike } from '../device';

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** The raw body, to compare retries byte for byte. */
  body: string;
  readings: ReadingInput[];
  /** Clock time when the request was sent. */
  sentAtMs: number;
  /** What the fake answered: an HTTP status, or 'network' for a thrown error. */
  answer: number | 'network';
}

/** What to do with one request: answer normally, or fail. */
export type Failure =
  | { kind: 'status'; status: number; retryAfterSec?: number }
  /** The request never reaches the server. */
  | { kind: 'network' }
  /** The server stores the readings, but the answer is lost on the way back. */
  | { kind: 'lost-answer' };

export interface FakeIngest {
  fetch: FetchLike;
  requests: RecordedRequest[];
  /** Readings stored, by id, in arrival order. */
  stored: Map<string, ReadingInput>;
  /** How many times an id already stored arrived again. */
  duplicates: number;
  /** Queues failures for the next requests, in order. */
  failNext(...failures: Failure[]): void;
  /** A rule applied to every request after the queued failures (null: succeed). */
  rule: ((readings: ReadingInput[]) => Failure | null) | null;
}

export function createFakeIngest(clock: Clock): FakeIngest {
  const queue: Failure[] = [];
  const fake: FakeIngest = {
    requests: [],
    stored: new Map(),
    duplicates: 0,
    rule: null,
    failNext: (...failures) => queue.push(...failures),
    fetch: async (url, init) => {
      const body = typeof init.body === 'string' ? init.body : '';
      const parsed: unknown = JSON.parse(body);
      const readings = (Array.isArray(parsed) ? parsed : [parsed]) as ReadingInput[];
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const failure = queue.shift() ?? fake.rule?.(readings) ?? null;
      const record: RecordedRequest = {
        url,
        method: init.method ?? 'GET',
        headers,
        body,
        readings,
        sentAtMs: clock.now(),
        answer: failure === null || failure.kind === 'lost-answer' ? 201 : failure.kind === 'network' ? 'network' : failure.status,
      };
      fake.requests.push(record);

      if (failure?.kind === 'network') throw new TypeError('fetch failed');
      if (failure?.kind === 'status') {
        const retryAfter: Record<string, string> = failure.retryAfterSec === undefined ? {} : { 'retry-after': String(failure.retryAfterSec) };
        return new Response(JSON.stringify({ error: { code: 'unavailable', message: 'fake failure' } }), {
          status: failure.status,
          headers: { 'content-type': 'application/json', ...retryAfter },
        });
      }
      let fresh = false;
      for (const reading of readings) {
        if (fake.stored.has(reading.id)) fake.duplicates++;
        else {
          fake.stored.set(reading.id, reading);
          fresh = true;
        }
      }
      if (failure?.kind === 'lost-answer') throw new TypeError('fetch failed: socket hang up');
      return new Response(JSON.stringify(readings), { status: fresh ? 201 : 200, headers: { 'content-type': 'application/json' } });
    },
  };
  return fake;
}

/** A clock the test moves by hand. */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function createManualClock(startMs: number): ManualClock {
  let now = startMs;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}
