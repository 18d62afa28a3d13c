import { randomUUID } from 'node:crypto';
import type { CreateUser, PublicUser, Role } from '@chairside/shared';
import type { Clock } from '../clock';
import type { Store, UserRecord } from '../store/store';
import { AppError, conflict, unauthorized } from '../http/app-error';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';
import { hashToken, newToken, secretsEqual } from './tokens';

export interface AuthOptions {
  /** A login session ends after this long without activity. */
  idleTimeoutMs: number;
  /** Device tokens accepted for reading ingest (INGEST_TOKEN, the demo simulator's token). */
  deviceTokens: readonly string[];
}

/** Who is making a request. */
export type Actor =
  | { kind: 'user'; user: PublicUser; sessionTokenHash: string }
  | { kind: 'device'; deviceLabel: string };

export function toPublicUser(user: UserRecord): PublicUser {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

/** Touching a session writes to the store; once a minute is enough to keep it alive. */
const touchEveryMs = 60_000;

export class AuthService {
  private readonly deviceTokens: string[];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: AuthOptions,
  ) {
    this.deviceTokens = [...options.deviceTokens];
  }

  addDeviceToken(token: string): void {
    this.deviceTokens.push(token);
  }

  async login(username: string, password: string): Promise<{ user: PublicUser; token: string }> {
    const user = await this.store.findUserByUsername(username.trim().toLowerCase());
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok) throw unauthorized('Wrong username or password.');
    if (user.disabled) throw new AppError('forbidden', 'This account is disabled. Ask an admin to enable it.');
    const token = newToken();
    const now = this.clock.now();
    await this.store.createAuthSession({
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.options.idleTimeoutMs,
    });
    return { user: toPublicUser(user), token };
  }

  async logout(token: string): Promise<void> {
    await this.store.deleteAuthSession(hashToken(token));
  }

  /** The user behind a session token, or null when the session is unknown, expired or the user disabled. */
  async userForSession(token: string): Promise<Extract<Actor, { kind: 'user' }> | null> {
    const tokenHash = hashToken(token);
    const session = await this.store.findAuthSession(tokenHash);
    const now = this.clock.now();
    if (!session) return null;
    if (session.expiresAt <= now) {
      await this.store.deleteAuthSession(tokenHash);
      return null;
    }
    const user = await this.store.findUserById(session.userId);
    if (!user || user.disabled) return null;
    if (now - session.lastSeenAt >= touchEveryMs) {
      await this.store.touchAuthSession(tokenHash, now, now + this.options.idleTimeoutMs);
    }
    return { kind: 'user', user: toPublicUser(user), sessionTokenHash: tokenHash };
  }

  deviceForToken(token: string): Extract<Actor, { kind: 'device' }> | null {
    const index = this.deviceTokens.findIndex((t) => secretsEqual(t, token));
    return index === -1 ? null : { kind: 'device', deviceLabel: `token-${index + 1}` };
  }

  async createUser(input: CreateUser & { isDemo?: boolean }): Promise<PublicUser> {
    if (await this.store.findUserByUsername(input.username)) {
      throw conflict(`The username "${input.username}" is taken.`);
    }
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
    await this.store.createUser(record);
    return toPublicUser(record);
  }

  async listUsers(): Promise<(PublicUser & { disabled: boolean })[]> {
    return (await this.store.listUsers()).map((u) => ({ ...toPublicUser(u), disabled: u.disabled }));
  }
}

export function hasRole(actor: Actor | undefined, roles: readonly Role[]): boolean {
  return actor?.kind === 'user' && roles.includes(actor.user.role);
}
