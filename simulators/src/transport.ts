/**
 * How a simulated monitor's readings leave it. The device keeps the outbox, the retry schedule and
 * the bookkeeping; a sender turns readings into one request (HTTP POST, or one HL7 message over
 * MLLP) and says how it went. A batch is serialised once, so a retry sends the very same bytes.
 */
import type { ReadingInput } from '@chairside/shared';

export interface Batch {
  readings: readonly ReadingInput[];
  /** The request as sent (JSON body, or HL7 message): a retry sends it unchanged. */
  body: string;
}

export type SendOutcome =
  | { kind: 'delivered' }
  /** Not delivered; the same batch is sent again after a backoff (and no sooner than `retryAfterMs`). */
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  /** Too large for the receiver: the device sends the readings again in smaller batches. */
  | { kind: 'too-large'; reason: string }
  /** Refused for good: logged, not retried. */
  | { kind: 'refused'; reason: string };

export interface ReadingSender {
  /** What one attempt is called in logs: `POST`, `MLLP message`. */
  readonly attemptName: string;
  /** Where the readings go, for logs: `http://…/api/v1/readings`, `mllp://host:port`. */
  readonly target: string;
  /**
   * A batch of the first readings of `candidates` (oldest first, at least one): as many as fit in
   * one request of this sender.
   */
  batch(candidates: readonly ReadingInput[]): Batch;
  /** Sends one batch; never rejects. `signal` aborts it (the device is closing). */
  send(batch: Batch, signal: AbortSignal): Promise<SendOutcome>;
  /** The (simulated) network went down: drop an idle connection, as a real outage would. */
  suspend(): void;
  /** Releases connections; the sender is not used afterwards. */
  close(): void;
}

/** The default transport: `POST /api/v1/readings` with a device token. */
export interface HttpTransport {
  kind: 'http';
}

/** An error as one line for logs. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}${cause}`;
  }
  return String(error);
}
