import { type FieldIssue, errorBodySchema, fieldIssueSchema } from '@chairside/shared';
import { z } from 'zod';

/** `network` when the server could not be reached, `unexpected` when it answered something we cannot read. */
export type ApiErrorCode = z.infer<typeof errorBodySchema>['error']['code'] | 'network' | 'unexpected';

/** A failed API call, carrying the server's own message and per-field details. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: FieldIssue[];
  /** `error.details` exactly as the server sent it, e.g. a refused discharge's `{ failingItems }`. */
  readonly rawDetails: unknown;

  constructor(status: number, code: ApiErrorCode, message: string, details: FieldIssue[] = [], rawDetails: unknown = undefined) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.rawDetails = rawDetails;
  }
}

const fieldIssuesSchema = z.array(fieldIssueSchema);

/** Builds an ApiError from a non-2xx answer, whatever its body looks like. */
export function apiErrorFromBody(status: number, body: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) {
    return new ApiError(status, 'unexpected', `The server answered ${status} without an explanation`);
  }
  const { code, message, details } = parsed.data.error;
  const issues = fieldIssuesSchema.safeParse(details);
  return new ApiError(status, code, message, issues.success ? issues.data : [], details);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}
