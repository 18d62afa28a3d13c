import { z } from 'zod';
import type { PushRepository, PushSubscriptionRecord } from '../repositories';
import type { SqlRunner } from './runner';

const subscriptionRowSchema = z.object({
  id: z.string(),
  user_id: z.string(),
  endpoint: z.string(),
  p256dh: z.string(),
  auth: z.string(),
  label: z.string().nullable(),
  created_at: z.number(),
  last_success_at: z.number().nullable(),
  failures: z.number(),
});

function toSubscription(row: unknown): PushSubscriptionRecord {
  const r = subscriptionRowSchema.parse(row);
  return {
    id: r.id,
    userId: r.user_id,
    endpoint: r.endpoint,
    p256dh: r.p256dh,
    auth: r.auth,
    label: r.label,
    createdAt: r.created_at,
    lastSuccessAt: r.last_success_at,
    failures: r.failures,
  };
}

const keyValue = (row: unknown): string => z.object({ value: z.string() }).parse(row).value;

/**
 * Devices' Web Push subscriptions and the server's own keys (the VAPID pair), one query text for both
 * dialects: `ON CONFLICT` upserts are spelled alike by SQLite and PostgreSQL.
 */
export class PushSql implements PushRepository {
  constructor(private readonly db: SqlRunner) {}

  async saveSubscription(s: PushSubscriptionRecord): Promise<PushSubscriptionRecord> {
    // The same endpoint subscribed again (another user logged in on that phone, new keys): it moves to them.
    await this.db.run(
      `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, label, created_at, last_success_at, failures)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
         label = excluded.label, created_at = excluded.created_at, failures = 0`,
      [s.id, s.userId, s.endpoint, s.p256dh, s.auth, s.label, s.createdAt],
    );
    const saved = await this.db.one('SELECT * FROM push_subscriptions WHERE endpoint = ?', [s.endpoint], toSubscription);
    if (!saved) throw new Error('push subscription vanished after saving');
    return saved;
  }

  findSubscription(id: string): Promise<PushSubscriptionRecord | null> {
    return this.db.one('SELECT * FROM push_subscriptions WHERE id = ?', [id], toSubscription);
  }

  listSubscriptionsOf(userIds: readonly string[]): Promise<PushSubscriptionRecord[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    const marks = userIds.map(() => '?').join(', ');
    return this.db.all(
      `SELECT * FROM push_subscriptions WHERE user_id IN (${marks}) ORDER BY created_at, id`,
      userIds,
      toSubscription,
    );
  }

  async deleteSubscription(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM push_subscriptions WHERE id = ?', [id])) === 1;
  }

  async pruneSubscription(id: string, endpoint: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM push_subscriptions WHERE id = ? AND endpoint = ?', [id, endpoint])) === 1;
  }

  async markPushSuccess(id: string, atMs: number): Promise<void> {
    await this.db.run('UPDATE push_subscriptions SET last_success_at = ?, failures = 0 WHERE id = ?', [atMs, id]);
  }

  async markPushFailure(id: string): Promise<void> {
    await this.db.run('UPDATE push_subscriptions SET failures = failures + 1 WHERE id = ?', [id]);
  }

  async serverKey(name: string, create: () => string, atMs: number): Promise<string> {
    const existing = await this.db.one('SELECT value FROM server_keys WHERE name = ?', [name], keyValue);
    if (existing !== null) return existing;
    // Several servers starting at once each make a value; the first insert wins and all read it back.
    await this.db.run('INSERT INTO server_keys (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [name, create(), atMs]);
    const value = await this.db.one('SELECT value FROM server_keys WHERE name = ?', [name], keyValue);
    if (value === null) throw new Error(`server key ${name} vanished after saving`);
    return value;
  }
}
