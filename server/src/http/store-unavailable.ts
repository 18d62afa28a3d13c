import type { ErrorRequestHandler } from 'express';
import { describeStoreFailure } from '../store/store-errors';
import { AppError } from './app-error';

/**
 * A request the store cannot serve now (locked by another program, a full or failing disk) answers
 * 503 with the cause, promptly (the store's lock wait is short), never a 500.
 */
export const storeFailureIsUnavailable: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  const why = describeStoreFailure(error);
  next(why === null ? error : new AppError('unavailable', `The database cannot answer now: ${why}. Try again shortly.`, { retryAfterSec: 5 }));
};
