import { randomUUID } from 'node:crypto';
import type { CreateUser, DeviceToken, PublicUser, Role, UpdateUser, UserListItem } from '@chairside/shared';
import type { Clock } from '../clock';
import type { Store, UserRecord } from '../store/store';
import { AppError, conflict, forbidden, invalidInput, notFound, unauthorized } from '../http/app-error';
import { dummyPasswordHash, hashPassword, PasswordWorkBusyError, verifyPassword } from './password';
import { passwordWeakness } from './password-policy';
import { digestsEqual, hashToken, newToken, secretDigest } from './tokens';
import { isAttempt, type LoginRefusal, LoginThrottle, type LoginThrottleOptions } from './login-throttle';

export interface AuthOptions {
  /** A login session ends after this long without activity. */
  idleTimeoutMs: number;
  /** Device tokens accepted for reading ingest (INGEST_TOKEN, the demo simulator's token). */
  deviceTokens: readonly string[];
  loginThrottle?: LoginThrottleOptions;
}

/** Who is making a request. */
export type Actor =
  /** `renewed`: this request moved the session's idle expiry on (the cookie is sent again with a full Max-Age). */
  | { kind: 'user'; user: PublicUser; sessionTokenHash: string; renewed?: boolean }
  | { kind: 'device'; deviceLabel: string };

export function toPublicUser(user: UserRecord): PublicUser {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

/** Touching a session writes to the store; once a minute is enough to keep it alive. */
const touchEveryMs = 60_000;

export class AuthService {
  /** SHA-256 digests of the device tokens from the configuration, made once: every ingest request is checked against them. */
  private readonly deviceTokenDigests: Buffer[];
  private readonly throttle: LoginThrottle;
  private usersSeen = false;

  constructor(
    private readonly store: Pick<Store, 'accounts'>,
    private readonly clock: Clock,
    private readonly options: AuthOptions,
  ) {
    this.deviceTokenDigests = options.deviceTokens.map(secretDigest);
    this.throttle = new LoginThrottle(clock, options.loginThrottle);
  }

  /** A login ends after this long without activity (the session cookie's Max-Age). */
  get idleTimeoutMs(): number {
    return this.options.idleTimeoutMs;
  }

  addDeviceToken(token: string): void {
    this.deviceTokenDigests.push(secretDigest(token));
  }

  /**
   * Checks a login. The throttle counts the attempt before its password is checked, so parallel
   * attempts cannot exceed its limits. A wrong password, an unknown username and a disabled account
   * all answer the same 401 (and all count as failures). 429 when throttled, 503 when the server is
   * checking too many passwords at once already.
   */
  async login(username: string, password: string, address: string | null = null): Promise<{ user: PublicUser; token: string }> {
    const name = username.trim().toLowerCase();
    const attempt = this.throttle.reserve(name, address);
    if (!isAttempt(attempt)) throw rateLimited(attempt);
    let user: UserRecord | null;
    let ok: boolean;
    try {
      user = await this.store.accounts.findUserByUsername(name);
      ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    } catch (error) {
      attempt.cancelled();
      if (error instanceof PasswordWorkBusyError) {
        throw new AppError('unavailable', 'The server is busy checking other logins. Try again in a few seconds.', { retryAfterSec: 2 });
      }
      throw error;
    }
    if (!user || !ok || user.disabled) {
      const locked = attempt.failed();
      throw unauthorized(
        locked
          ? 'Wrong username or password. That was the last try from this device: the account is now locked here for 15 minutes.'
          : 'Wrong username or password.',
      );
    }
    attempt.succeeded();
    const token = newToken();
    const now = this.clock.now();
    await this.store.accounts.createAuthSession({
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.options.idleTimeoutMs,
    });
    this.usersSeen = true;
    return { user: toPublicUser(user), token };
  }

  /**
   * True while the clinic has no account at all (a first start without ADMIN_PASSWORD): the login
   * page then says how to create the first one. Once there is one, it is not asked again.
   */
  async noUsersYet(): Promise<boolean> {
    if (this.usersSeen) return false;
    this.usersSeen = (await this.store.accounts.countUsers()) > 0;
    return !this.usersSeen;
  }

  async logout(token: string): Promise<void> {
    await this.store.accounts.deleteAuthSession(hashToken(token));
  }

  /** The user behind a session token, or null when the session is unknown, expired or the user disabled. */
  async userForSession(token: string): Promise<Extract<Actor, { kind: 'user' }> | null> {
    const tokenHash = hashToken(token);
    const session = await this.store.accounts.findAuthSession(tokenHash);
    const now = this.clock.now();
    if (!session) return null;
    if (session.expiresAt <= now) {
      await this.store.accounts.deleteAuthSession(tokenHash);
      return null;
    }
    const user = await this.store.accounts.findUserById(session.userId);
    if (!user || user.disabled) return null;
    const renewed = now - session.lastSeenAt >= touchEveryMs;
    if (renewed) await this.store.accounts.touchAuthSession(tokenHash, now, now + this.options.idleTimeoutMs);
    return { kind: 'user', user: toPublicUser(user), sessionTokenHash: tokenHash, renewed };
  }

  /** The device behind a bearer token: INGEST_TOKEN, the demo simulator's, or one an admin made. */
  async deviceForToken(token: string): Promise<Extract<Actor, { kind: 'device' }> | null> {
    const presented = secretDigest(token);
    const index = this.deviceTokenDigests.findIndex((digest) => digestsEqual(digest, presented));
    if (index !== -1) return { kind: 'device', deviceLabel: `env-token-${index + 1}` };
    const record = await this.store.accounts.findDeviceTokenByHash(hashToken(token));
    if (!record || record.revokedAt !== null) return null;
    const now = this.clock.now();
    if (record.lastUsedAt === null || now - record.lastUsedAt >= touchEveryMs) await this.store.accounts.touchDeviceToken(record.id, now);
    return { kind: 'device', deviceLabel: `token:${record.label}` };
  }

  async createDeviceToken(label: string, createdBy: string): Promise<DeviceToken & { token: string }> {
    const token = `cs_${newToken()}`;
    const record = { id: randomUUID(), label, tokenHash: hashToken(token), createdAt: this.clock.now(), createdBy, revokedAt: null, lastUsedAt: null };
    await this.store.accounts.createDeviceToken(record);
    return { ...deviceTokenView(record), token };
  }

  async listDeviceTokens(): Promise<DeviceToken[]> {
    return (await this.store.accounts.listDeviceTokens()).map(deviceTokenView);
  }

  async revokeDeviceToken(id: string): Promise<void> {
    if (!(await this.store.accounts.revokeDeviceToken(id, this.clock.now()))) {
      throw notFound(`No active device token with id "${id}".`);
    }
  }

  /**
   * Admin changes to an account. Disabling it, resetting its password or changing its role ends
   * its login sessions at once (`onSessionsRevoked` disconnects its sockets). A demo account (whose
   * password, "demo", is published) is enabled again only with a new password, which makes it a
   * regular account.
   */
  async updateUser(id: string, update: UpdateUser, by: PublicUser, onSessionsRevoked: (userId: string) => void): Promise<UserListItem> {
    if (id === by.id && (update.disabled === true || (update.role !== undefined && update.role !== 'admin'))) {
      throw forbidden('You cannot disable your own account or remove your own admin role.');
    }
    const existing = await this.store.accounts.findUserById(id);
    if (!existing) throw notFound(`No user with id "${id}".`);
    if (existing.isDemo && existing.disabled && update.disabled === false && update.password === undefined) {
      const message = 'a demo account has the published password "demo": give it a new password to enable it';
      throw invalidInput(`This is a demo account: ${message}.`, [{ path: ['password'], message }]);
    }
    if (update.password !== undefined) assertUsablePassword(update.password, existing.username);
    const updated = await this.store.accounts.updateUser(id, {
      ...(update.displayName !== undefined ? { displayName: update.displayName } : {}),
      ...(update.role !== undefined ? { role: update.role } : {}),
      ...(update.disabled !== undefined ? { disabled: update.disabled } : {}),
      ...(update.password !== undefined ? { passwordHash: await hashPassword(update.password), isDemo: false } : {}),
    });
    if (!updated) throw notFound(`No user with id "${id}".`);
    if (update.password !== undefined) this.throttle.unlock(updated.username);
    if (update.disabled === true || update.password !== undefined || (update.role !== undefined && update.role !== existing.role)) {
      await this.store.accounts.deleteAuthSessionsOfUser(id);
      onSessionsRevoked(id);
    }
    return { ...toPublicUser(updated), disabled: updated.disabled };
  }

  /** Creates an account; its password must not be a common one (demo accounts excepted: theirs is published anyway). */
  async createUser(input: CreateUser & { isDemo?: boolean }): Promise<PublicUser> {
    if (await this.store.accounts.findUserByUsername(input.username)) {
      throw conflict(`The username "${input.username}" is taken.`);
    }
    if (!input.isDemo) assertUsablePassword(input.password, input.username);
    const record: UserRecord = {
      id: randomUUID(),
      username: input.username,
      displayName: input.displayName ?? input.username,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      isDemo: input.isDemo ?? false,
      createdAt: this.clock.now(),
    };
    await this.store.accounts.createUser(record);
    this.usersSeen = true;
    return toPublicUser(record);
  }

  async listUsers(): Promise<(PublicUser & { disabled: boolean })[]> {
    return (await this.store.accounts.listUsers()).map((u) => ({ ...toPublicUser(u), disabled: u.disabled }));
  }
}

/** 400 for a password on the deny-list (or the username itself), naming the field. */
function assertUsablePassword(password: string, username: string): void {
  const weakness = passwordWeakness(password, username);
  if (weakness !== null) throw invalidInput(`Choose another password: ${weakness}.`, [{ path: ['password'], message: weakness }]);
}

function rateLimited(refusal: LoginRefusal): AppError {
  const minutes = Math.max(1, Math.ceil(refusal.retryAfterMs / 60_000));
  const inMinutes = `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const message =
    refusal.reason === 'account-locked'
      ? `Too many failed logins for this account from this device. It is locked for ${minutes} more minute${minutes === 1 ? '' : 's'} on this device; an admin can unlock it by resetting the password.`
      : refusal.reason === 'account-busy'
        ? 'Too many login attempts for this account at once. Try again in a few seconds.'
        : `Too many login attempts from this device. Try again in ${refusal.retryAfterMs < 60_000 ? 'a few seconds' : inMinutes}.`;
  return new AppError('rate_limited', message, { retryAfterSec: Math.max(1, Math.ceil(refusal.retryAfterMs / 1000)) });
}

function deviceTokenView(r: { id: string; label: string; createdAt: number; createdBy: string; revokedAt: number | null; lastUsedAt: number | null }): DeviceToken {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return { id: r.id, label: r.label, createdAt: new Date(r.createdAt).toISOString(), createdBy: r.createdBy, revokedAt: iso(r.revokedAt), lastUsedAt: iso(r.lastUsedAt) };
}

export function hasRole(actor: Actor | undefined, roles: readonly Role[]): boolean {
  return actor?.kind === 'user' && roles.includes(actor.user.role);
}
