import { Router } from 'express';
import {
  type AuthStatus,
  type CreatedDeviceToken,
  type DeviceToken,
  createDeviceTokenSchema,
  createUserSchema,
  type DemoAccount,
  idSchema,
  loginRequestSchema,
  updateUserSchema,
  type UserListItem,
} from '@chairside/shared';
import { type AuditService, auditActorOf, clientIp } from '../audit/audit.service';
import { audited } from '../audit/audited';
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

  router.post('/login', async (req, res, next) => {
    const { username, password } = loginRequestSchema.parse(req.body);
    // A refused login is recorded too, under the name it tried (never the password).
    await audited(options.audit, {
      run: () => auth.login(username, password, clientIp(req)),
      entry: ({ user }) => ({ actor: auditActorOf(user), action: 'login' }),
      refusal: (error) =>
        error instanceof AppError
          ? { actor: { userId: null, username: username.trim().toLowerCase(), role: 'anonymous' }, action: 'login-failed', details: { reason: error.code } }
          : null,
      reply: (answer, { user, token }) => {
        setSessionCookie(req, answer, token, options.idleTimeoutMs);
        answer.json({ user });
      },
    })(req, res, next);
  });

  router.post(
    '/logout',
    audited(options.audit, {
      run: async (req) => {
        const token = sessionTokenFromCookieHeader(req.get('cookie'));
        if (token) await auth.logout(token);
      },
      // Recorded for a logged-in user only (a stale cookie's logout did nothing to record).
      entry: (_done, _req, res) => (res.locals.actor?.kind === 'user' ? { action: 'logout' } : null),
      reply: (res) => {
        res.clearCookie(sessionCookieName, { path: '/' });
        res.status(204).end();
      },
    }),
  );

  return router;
}

export function userRoutes(auth: AuthService, audit: AuditService, onSessionsRevoked: (userId: string) => void): Router {
  const router = Router();
  router.use(requireRole('admin'));
  router.get('/', async (_req, res) => {
    res.json((await auth.listUsers()) satisfies UserListItem[]); // shapes are the dashboard's schemas (docs/architecture.md, "The contract")
  });
  router.post(
    '/',
    audited(audit, {
      run: (req) => auth.createUser(createUserSchema.parse(req.body)),
      entry: (created) => ({ action: 'user-created', targetType: 'user', targetId: created.id, details: { username: created.username, role: created.role } }),
      status: 201,
    }),
  );
  router.patch(
    '/:id',
    audited(audit, {
      run: async (req, res) => {
        const update = updateUserSchema.parse(req.body);
        return { update, updated: await auth.updateUser(idSchema.parse(req.params.id), update, userOf(res).user, onSessionsRevoked) };
      },
      entry: ({ update, updated }) => ({
        action: 'user-updated',
        targetType: 'user',
        targetId: updated.id,
        details: {
          username: updated.username,
          changed: Object.keys(update),
          ...(update.disabled !== undefined ? { disabled: update.disabled } : {}),
          ...(update.role !== undefined ? { role: update.role } : {}),
        },
      }),
      reply: (res, { updated }) => res.json(updated),
    }),
  );
  return router;
}

/** `onRevoked` runs after a token is revoked (the app disconnects the device sockets it opened). */
export function deviceTokenRoutes(auth: AuthService, audit: AuditService, onRevoked: () => void = () => undefined): Router {
  const router = Router();
  router.use(requireRole('admin'));
  router.get('/', async (_req, res) => {
    res.json((await auth.listDeviceTokens()) satisfies DeviceToken[]);
  });
  router.post(
    '/',
    audited(audit, {
      run: async (req, res) => {
        const { label } = createDeviceTokenSchema.parse(req.body);
        return { label, created: await auth.createDeviceToken(label, userOf(res).user.username) };
      },
      entry: ({ label, created }) => ({ action: 'device-token-created', targetType: 'device-token', targetId: created.id, details: { label } }),
      reply: (res, { created }) => res.status(201).json(created satisfies CreatedDeviceToken),
    }),
  );
  router.delete(
    '/:id',
    audited(audit, {
      run: async (req) => {
        const id = idSchema.parse(req.params.id);
        await auth.revokeDeviceToken(id);
        return id;
      },
      entry: (id) => ({ action: 'device-token-revoked', targetType: 'device-token', targetId: id }),
      reply: (res) => {
        onRevoked();
        res.status(204).end();
      },
    }),
  );
  return router;
}
