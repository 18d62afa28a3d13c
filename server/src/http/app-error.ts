import type { ErrorCode, FieldIssue } from '@chairside/shared';

/** A failure with a meaning for the client; the error handler turns it into `{ error: {...} }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalidInput = (message: string, details?: FieldIssue[]): AppError =>
  new AppError('invalid_input', message, details);
export const unauthorized = (message = 'Log in first.'): AppError => new AppError('unauthorized', message);
export const forbidden = (message = 'Your role may not do this.'): AppError => new AppError('forbidden', message);
export const notFound = (message: string): AppError => new AppError('not_found', message);
export const conflict = (message: string, details?: unknown): AppError => new AppError('conflict', message, details);
