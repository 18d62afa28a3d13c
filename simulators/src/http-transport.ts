/**
 * The device's sender for the public ingest API: one `POST /api/v1/readings` per batch through an
 * injected `fetch`, with the Bearer device token. 2xx delivered; 413 too large (the device halves
 * its batches); 401/403/404/408/425/429 and 5xx retried (honouring Retry-After); other 4xx refused.
 */
import { errorBodySchema, type ReadingInput } from '@chairside/shared';
import { errorMessage, type Batch, type ReadingSender, type SendOutcome } from './transport';

/** The subset of the global `fetch` the device uses; tests pass a fake that records requests. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpSenderOptions {
  /** Server origin, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** Device token, sent as `Authorization: Bearer <token>`. */
  token: string;
  fetch: FetchLike;
  /** A POST that has not answered by then is aborted (and retried by the device). */
  requestTimeoutMs: number;
}

const retryableStatuses = new Set([401, 403, 404, 408, 425, 429]);

export function createHttpSender(options: HttpSenderOptions): ReadingSender {
  const ingestUrl = `${options.baseUrl.replace(/\/+$/, '')}/api/v1/readings`;
  return {
    attemptName: 'POST',
    target: ingestUrl,
    batch(candidates: readonly ReadingInput[]): Batch {
      return { readings: candidates, body: JSON.stringify(candidates) };
    },
    async send(batch, signal): Promise<SendOutcome> {
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
          signal: AbortSignal.any([signal, AbortSignal.timeout(options.requestTimeoutMs)]),
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
    },
    suspend() {
      // Each POST is its own request: nothing to drop.
    },
    close() {
      // fetch holds no connection of ours.
    },
  };
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
