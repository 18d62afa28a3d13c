import { Router } from 'express';
import { type AuthStatus, createUserSchema, type DemoAccount, loginRequestSchema } from '@chairside/shared';
import type { AuthService } from './auth.service';
import { requireRole, sessionCookieName, sessionTokenFromCookieHeader, userOf } from './auth.middleware';

export interface AuthRoutesOptions {
  /** Demo logins shown on the login page; null outside demo mode. */
  demoAccounts: () => DemoAccount[] | null;
  idleTimeoutMs: number;
}

export function authRoutes(auth: AuthService, options: AuthRoutesOptions): Router {
  const router = Router();

  router.get('/session', (_req, res) => {
    const actor = res.locals.actor;
    const status: AuthStatus = {
      user: actor?.kind === 'user' ? actor.user : null,
      demoAccounts: options.demoAccounts(),
    };
    res.json(status);
  });

  router.post('/login', async (req, res) => {
    const { username, password } = loginRequestSchema.parse(req.body);
    const { user, token } = await auth.login(username, password);
    res.cookie(sessionCookieName, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: options.idleTimeoutMs,
    });
    res.json({ user });
  });

  router.post('/logout', async (req, res) => {
    const token = sessionTokenFromCookieHeader(req.get('cookie'));
    if (token) await auth.logout(token);
    res.clearCookie(sessionCookieName, { path: '/' });
    res.status(204).end();
  });

  return router;
}

export function userRoutes(auth: AuthService): Router {
  const router = Router();
  router.use(requireRole('admin'));
  router.get('/', async (_req, res) => {
    res.json(await auth.listUsers());
  });
  router.post('/', async (req, res) => {
    userOf(res);
    const input = createUserSchema.parse(req.body);
    res.status(201).json(await auth.createUser(input));
  });
  return router;
}
