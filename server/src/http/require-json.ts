import type { RequestHandler } from 'express';
import { AppError } from './app-error';

const changingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The media type of a Content-Type header, lowercase and without parameters (`charset`). */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Every request that changes something must say `Content-Type: application/json`, with a body or
 * without (logout, a DELETE). A plain HTML form can only send `text/plain`, `multipart/form-data`
 * or `application/x-www-form-urlencoded`, and a page of another origin can send JSON only after a
 * CORS preflight, which this server never grants: so a page of another origin — even one on the
 * same host, to which the SameSite cookie is still sent — cannot act as the logged-in user.
 * Device tokens are held to the same rule. Anything else is answered 415.
 */
export const requireJsonForChanges: RequestHandler = (req, _res, next) => {
  if (changingMethods.has(req.method) && mediaType(req.get('content-type')) !== 'application/json') {
    throw new AppError(
      'unsupported_media_type',
      `${req.method} requests must send "Content-Type: application/json" (also without a body).`,
    );
  }
  next();
};
