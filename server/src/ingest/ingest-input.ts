import { maxReadingsPerRequest, type ReadingInput, readingArrayInputSchema, readingInputSchema } from '@chairside/shared';
import { AppError } from '../http/app-error';

/**
 * The readings of one request (HTTP body or `readings:ingest` payload): one reading or an array of at
 * most `maxReadingsPerRequest`. Throws a 413 for a longer array and the ZodError of the first bad
 * item otherwise: parsed as one or the other, never as a union, so every error names the field
 * (`[3, "systolic"]` in an array, `["systolic"]` for one reading).
 */
export function readingsOfRequest(body: unknown): { inputs: ReadingInput[]; isArray: boolean } {
  if (!Array.isArray(body)) return { inputs: [readingInputSchema.parse(body)], isArray: false };
  if (body.length > maxReadingsPerRequest) {
    throw new AppError('payload_too_large', `Send at most ${maxReadingsPerRequest} readings per request.`);
  }
  return { inputs: readingArrayInputSchema.parse(body), isArray: true };
}
