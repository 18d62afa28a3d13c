import { Router } from 'express';
import {
  type AuthStatus,
  createDeviceTokenSchema,
  createUserSchema,
  type DemoAccount,
  idSchema,
  loginRequestSchema,
  updateUserSchema,
} from '@chairside/shared';
import { type AuditService, auditActorOf, clientIp } from '../audit/audit.service';
import { AppError } from '../http/app-error';
import type { AuthService } from './auth.service';
import { requireRole, sessionCookieName, sessionTokenFromCookieHeader, setSessionCookie, userOf } from './auth.middleware';

export interface AuthRoutesOptions {
  audit: AuditService;
  /** Demo logins shown on the login page; null outside demo mode. */
  demoAccounts: () => DemoAccount[] | null;
  idleTimeoutMs: number;
}

export function authRoutes(auth: AuthService, options: AuthRoutesOptions): Router {
  const router = Router();

  router.get('/session', async (_req, res) => {
    const actor = res.locals.actor;
    const user = actor?.kind === 'user' ? actor.user : null;
    const status: AuthStatus = {
      user,
      demoAccounts: options.demoAccounts(),
      // Only worth asking while nobody is logged in: the login page's first-start hint.
      ...(user === null && (await auth.noUsersYet()) ? { noUsersYet: true } : {}),
    };
    res.json(status);
  });

  router.post('/login', async (req, res) => {
    const { username, password } = loginRequestSchema.parse(req.body);
    let login: Awaited<ReturnType<AuthService['login']>>;
    try {
      login = await auth.login(username, password, clientIp(req));
    } catch (error) {
      if (error instanceof AppError) {
        await options.audit.record(
          { userId: null, username: username.trim().toLowerCase(), role: 'anonymous' },
          { action: 'login-failed', details: { reason: error.code }, ip: clientIp(req) },
        );
      }
      throw error;
    }
    const { user, token } = login;
    await options.audit.record(auditActorOf(user), { action: 'login', ip: clientIp(req) });
    setSessionCookie(req, res, token, options.idleTimeoutMs);
    res.json({ user });
  });

  router.post('/logout', async (req, res) => {
    const token = sessionTokenFromCookieHeader(req.get('cookie'));
    const actor = res.locals.actor;
    if (actor?.kind === 'user') await options.audit.record(auditActorOf(actor.user), { action: 'logout', ip: clientIp(req) });
    if (token) await auth.logout(token);
    res.clearCookie(sessionCookieName, { path: '/' });
    res.status(204).end();
  });

  return router;
}

export function userRoutes(auth: AuthService, audit: AuditService, onSessionsRevoked: (userId: string) => void): Router {
  const router = Router();
  router.use(requireRole('admin'));
  router.get('/', async (_req, res) => {
    res.json(await auth.listUsers());
  });
  router.post('/', async (req, res) => {
    const { user: admin } = userOf(res);
    const input = createUserSchema.parse(req.body);
    const created = await auth.createUser(input);
    await audit.record(auditActorOf(admin), {
      action: 'user-created',
      targetType: 'user',
      targetId: created.id,
      details: { username: created.username, role: created.role },
      ip: clientIp(req),
    });
    res.status(201).json(created);
  });
  router.patch('/:id', async (req, res) => {
    const { user: admin } = userOf(res);
    const update = updateUserSchema.parse(req.body);
    const updated = await auth.updateUser(idSchema.parse(req.params.id), update, admin, onSessionsRevoked);
    await audit.record(auditActorOf(admin), {
      action: 'user-updated',
      targetType: 'user',
      targetId: updated.id,
      details: {
        username: updated.username,
        changed: Object.keys(update),
        ...(update.disabled !== undefined ? { disabled: update.disabled } : {}),
        ...(update.role !== undefined ? { role: update.role } : {}),
      },
      ip: clientIp(req),
    });
    res.json(updated);
  });
  return router;
}

/** `onRevoked` runs after a token is revoked (the app disconnects the device sockets it opened). */
export function deviceTokenRoutes(auth: AuthService, audit: AuditService, onRevoked: () => void = () => undefined): Router {
  const router = Router();
  router.use(requireRole('admin'));
  router.get('/', async (_req, res) => {
    res.json(await auth.listDeviceTokens());
  });
  router.post('/', async (req, res) => {
    const { user } = userOf(res);
    const { label } = createDeviceTokenSchema.parse(req.body);
    const created = await auth.createDeviceToken(label, user.username);
    await audit.record(auditActorOf(user), { action: 'device-token-created', targetType: 'device-token', targetId: created.id, details: { label }, ip: clientIp(req) });
    res.status(201).json(created);
  });
  router.delete('/:id', async (req, res) => {
    const { user } = userOf(res);
    const id = idSchema.parse(req.params.id);
    await auth.revokeDeviceToken(id);
    await audit.record(auditActorOf(user), { action: 'device-token-revoked', targetType: 'device-token', targetId: id, ip: clientIp(req) });
    onRevoked();
    res.status(204).end();
  });
  return router;
}
