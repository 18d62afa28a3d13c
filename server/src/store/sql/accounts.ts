import type { AccountsRepository } from '../repositories';
import type { AuthSessionRecord, DeviceTokenRecord, UserRecord, UserUpdate } from '../records';
import { toAuthSession, toCount, toDeviceToken, toUser } from '../rows';
import type { Dialect, SqlRunner } from './runner';

/** The column of each field of a user update (a field the interface gains fails to compile until it is mapped). */
const userUpdateColumns: Record<keyof UserUpdate, string> = {
  displayName: 'display_name',
  role: 'role',
  passwordHash: 'password_hash',
  disabled: 'disabled',
  isDemo: 'is_demo',
};

/** Users, login sessions and device tokens: the same SQL in both dialects. */
export class AccountsSql implements AccountsRepository {
  constructor(
    private readonly db: SqlRunner,
    private readonly dialect: Dialect,
  ) {}

  async countUsers(): Promise<number> {
    return (await this.db.one('SELECT COUNT(*) AS n FROM users', [], toCount)) ?? 0;
  }

  async createUser(user: UserRecord): Promise<void> {
    const { flag } = this.dialect;
    await this.db.run(
      `INSERT INTO users (id, username, display_name, role, password_hash, disabled, is_demo, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [user.id, user.username, user.displayName, user.role, user.passwordHash, flag(user.disabled), flag(user.isDemo), user.createdAt],
    );
  }

  findUserById(id: string): Promise<UserRecord | null> {
    return this.db.one('SELECT * FROM users WHERE id = ?', [id], toUser);
  }

  findUserByUsername(username: string): Promise<UserRecord | null> {
    return this.db.one('SELECT * FROM users WHERE username = ?', [username], toUser);
  }

  listUsers(): Promise<UserRecord[]> {
    return this.db.all('SELECT * FROM users ORDER BY username', [], toUser);
  }

  async setDemoUsersDisabled(disabled: boolean): Promise<void> {
    await this.db.run(`UPDATE users SET disabled = ? WHERE is_demo = ${this.dialect.trueSql}`, [this.dialect.flag(disabled)]);
  }

  async updateUser(id: string, update: UserUpdate): Promise<UserRecord | null> {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [field, column] of Object.entries(userUpdateColumns) as [keyof UserUpdate, string][]) {
      const value = update[field];
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      params.push(typeof value === 'boolean' ? this.dialect.flag(value) : value);
    }
    if (sets.length > 0) await this.db.run(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
    return this.findUserById(id);
  }

  async deleteAuthSessionsOfUser(userId: string): Promise<void> {
    await this.db.run('DELETE FROM auth_sessions WHERE user_id = ?', [userId]);
  }

  async createAuthSession(s: AuthSessionRecord): Promise<void> {
    await this.db.run(
      'INSERT INTO auth_sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      [s.tokenHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt],
    );
  }

  findAuthSession(tokenHash: string): Promise<AuthSessionRecord | null> {
    return this.db.one('SELECT * FROM auth_sessions WHERE token_hash = ?', [tokenHash], toAuthSession);
  }

  async touchAuthSession(tokenHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    await this.db.run('UPDATE auth_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?', [lastSeenAt, expiresAt, tokenHash]);
  }

  async deleteAuthSession(tokenHash: string): Promise<void> {
    await this.db.run('DELETE FROM auth_sessions WHERE token_hash = ?', [tokenHash]);
  }

  async createDeviceToken(t: DeviceTokenRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO device_tokens (id, label, token_hash, created_at, created_by, revoked_at, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [t.id, t.label, t.tokenHash, t.createdAt, t.createdBy, t.revokedAt, t.lastUsedAt],
    );
  }

  listDeviceTokens(): Promise<DeviceTokenRecord[]> {
    return this.db.all('SELECT * FROM device_tokens ORDER BY created_at DESC', [], toDeviceToken);
  }

  findDeviceTokenByHash(tokenHash: string): Promise<DeviceTokenRecord | null> {
    return this.db.one('SELECT * FROM device_tokens WHERE token_hash = ?', [tokenHash], toDeviceToken);
  }

  async revokeDeviceToken(id: string, atMs: number): Promise<boolean> {
    return (await this.db.run('UPDATE device_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [atMs, id])) === 1;
  }

  async touchDeviceToken(id: string, atMs: number): Promise<void> {
    await this.db.run('UPDATE device_tokens SET last_used_at = ? WHERE id = ?', [atMs, id]);
  }
}
