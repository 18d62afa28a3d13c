import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { type ErrorBody, type ErrorCode, errorStatus, fieldIssues } from '@chairside/shared';
import { AppError } from './app-error';
import type { Logger } from '../logger';

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

const retryAfterSecSchema = z.object({ retryAfterSec: z.number().int().positive() });

/**
 * Errors of reading the request carry an HTTP `status`: body-parser's also a `type`; the router's
 * for a path parameter that is not valid percent-encoding, and a body that does not inflate, none.
 */
const parserErrorSchema = z.object({ type: z.string().optional(), status: z.number() });

export function errorBodyFor(error: unknown): { status: number; body: ErrorBody } | null {
  if (error instanceof AppError) {
    return { status: errorStatus[error.code], body: body(error.code, error.message, error.details) };
  }
  if (error instanceof z.ZodError) {
    return {
      status: 400,
      body: body('invalid_input', 'The input is not valid; see details for each field.', fieldIssues(error)),
    };
  }
  const parserError = parserErrorSchema.safeParse(error);
  if (parserError.success) {
    const { type, status } = parserError.data;
    if (type === 'entity.too.large') {
      return { status: 413, body: body('payload_too_large', 'The request body is too large.') };
    }
    if (type === 'entity.parse.failed') {
      return { status: 400, body: body('invalid_input', 'The request body is not valid JSON.') };
    }
    if (status >= 400 && status < 500) {
      return { status, body: body('invalid_input', type === undefined ? 'The request could not be read.' : 'The request body could not be read.') };
    }
  }
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = errorBodyFor(error);
    if (known) {
      const retryAfter = retryAfterSecSchema.safeParse(known.body.error.details);
      if (retryAfter.success) res.set('Retry-After', String(retryAfter.data.retryAfterSec));
      res.status(known.status).json(known.body);
      return;
    }
    logger.error('unhandled error', {
      method: req.method,
      path: req.path,
      error: error instanceof Error ? error.message : String(error),
    });
    res.status(500).json(body('internal', 'Something went wrong on the server. The error was logged.'));
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(body('not_found', `No such endpoint: ${req.method} ${req.path}`));
};
