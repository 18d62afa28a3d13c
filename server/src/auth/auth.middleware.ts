import type { Request, RequestHandler, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import type { Role } from '@chairside/shared';
import { forbidden, unauthorized } from '../http/app-error';
import type { Actor, AuthService } from './auth.service';

export const sessionCookieName = 'chairside_session';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      actor?: Actor;
    }
  }
}

/**
 * Sends the session cookie with a full Max-Age: at login, and again whenever a request moves the
 * session's idle expiry on (at most once a minute), so the browser keeps the cookie exactly as long
 * as the server keeps the session: until `idleTimeoutMs` without activity.
 */
export function setSessionCookie(req: Request, res: Response, token: string, maxAgeMs: number): void {
  res.cookie(sessionCookieName, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    maxAge: maxAgeMs,
  });
}

export function sessionTokenFromCookieHeader(header: string | undefined): string | null {
  if (!header) return null;
  return parseCookie(header)[sessionCookieName] ?? null;
}

function bearerToken(req: Request): string | null {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** Finds who is calling (session cookie or device bearer token); rejects nothing by itself. */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    const bearer = bearerToken(req);
    if (bearer !== null) {
      const device = await auth.deviceForToken(bearer);
      if (!device) throw unauthorized('The device token is not valid.');
      res.locals.actor = device;
    } else {
      const token = sessionTokenFromCookieHeader(req.get('cookie'));
      const user = token ? await auth.userForSession(token) : null;
      if (user) res.locals.actor = user;
      // Sliding idle timeout: the cookie's Max-Age is renewed with the session's expiry.
      if (token && user?.renewed) setSessionCookie(req, res, token, auth.idleTimeoutMs);
    }
    next();
  };
}

/** Lets a logged-in user with one of `roles` through; 401 without login, 403 for another role or a device. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const actor = res.locals.actor;
    if (!actor) throw unauthorized();
    if (actor.kind !== 'user' || !roles.includes(actor.user.role)) {
      throw forbidden(`This needs the ${roles.join(' or ')} role.`);
    }
    next();
  };
}

export const anyUser = requireRole('nurse', 'clinician', 'admin');

/** The authenticated caller of a request that passed a require* middleware. */
export function actorOf(res: Response): Actor {
  const actor = res.locals.actor;
  if (!actor) throw unauthorized();
  return actor;
}

export function userOf(res: Response): Extract<Actor, { kind: 'user' }> {
  const actor = actorOf(res);
  if (actor.kind !== 'user') throw forbidden('This needs a logged-in user, not a device token.');
  return actor;
}
