import { type Alert, type AlertPriority, alertTitle } from '@chairside/shared';
import { z } from 'zod';
import type { AuditEntry } from '../store/store';

/**
 * What the ids of an audit entry stand for, so the trail reads as sentences ("Nurse Jo Smith
 * acknowledged the high alarm 'Recheck BP now: 186/100' on Chair 3"): names as they are now, null
 * where the thing no longer exists or was never stored. A session is named by its chair, check-in
 * time and protocol, never by its patient: admins, who read the trail, do not see patients'
 * identities (README "API": sessions reach admins without the patient's name and MRN).
 */
export interface AuditNames {
  /** The acting user's display name. */
  actor: string | null;
  /** The chair the entry concerns: its target, a monitor's chair, or the session's chair. */
  chair: string | null;
  session: { checkedInAt: string; protocol: string | null } | null;
  alert: { title: string; priority: AlertPriority } | null;
  /** A target account: its display name and username. */
  user: { displayName: string; username: string } | null;
  deviceToken: string | null;
  /** A saved protocol's name. */
  protocol: string | null;
}

export type AuditEntryWithNames = AuditEntry & { names: AuditNames };

/** The store reads the names take: a page of entries costs one read per list and per session named. */
export interface AuditNameSource {
  listUsers(): Promise<readonly { id: string; username: string; displayName: string }[]>;
  listChairs(): Promise<readonly { id: string; name: string }[]>;
  listDeviceTokens(): Promise<readonly { id: string; label: string }[]>;
  /** Every saved version; the definition is validated here. */
  listProtocols(): Promise<readonly { id: string; version: number; definition: unknown }[]>;
  findSession(id: string): Promise<{ chairId: string; protocolId: string; protocolVersion: number; checkedInAt: number } | null>;
  listSessionAlerts(sessionId: string): Promise<readonly { alert: Alert }[]>;
}

const protocolNameSchema = z.object({ id: z.string(), version: z.number(), name: z.string() });
const chairIdSchema = z.object({ chairId: z.string() });

/** The entries with their names, in the same order. */
export async function withAuditNames(entries: readonly AuditEntry[], source: AuditNameSource): Promise<AuditEntryWithNames[]> {
  if (entries.length === 0) return [];
  const [users, chairs, tokens, protocols] = await Promise.all([source.listUsers(), source.listChairs(), source.listDeviceTokens(), source.listProtocols()]);
  const userById = new Map(users.map((u) => [u.id, u]));
  const chairName = new Map(chairs.map((c) => [c.id, c.name]));
  const tokenLabel = new Map(tokens.map((t) => [t.id, t.label]));
  const protocolName = new Map<string, string>();
  const newestVersion = new Map<string, number>();
  for (const record of protocols) {
    const parsed = protocolNameSchema.safeParse(record.definition);
    if (!parsed.success) continue;
    protocolName.set(`${record.id}@${record.version}`, parsed.data.name);
    if ((newestVersion.get(record.id) ?? -1) < record.version) {
      newestVersion.set(record.id, record.version);
      protocolName.set(record.id, parsed.data.name);
    }
  }

  // Each session named once, with its alerts only where an entry names one of them.
  const sessionIds = new Set(entries.map((e) => e.sessionId ?? (e.targetType === 'session' ? e.targetId : null)).filter((id): id is string => id !== null));
  const alertSessions = new Set(entries.filter((e) => e.targetType === 'alert' && e.sessionId !== null).map((e) => e.sessionId as string));
  const sessions = new Map(await Promise.all([...sessionIds].map(async (id) => [id, await source.findSession(id)] as const)));
  const alerts = new Map(await Promise.all([...alertSessions].map(async (id) => [id, await source.listSessionAlerts(id)] as const)));

  return entries.map((entry) => {
    // A failed login names no account (userId null): its username is only what was typed.
    const actor = entry.userId === null ? undefined : userById.get(entry.userId);
    const sessionId = entry.sessionId ?? (entry.targetType === 'session' ? entry.targetId : null);
    const session = sessionId === null ? null : (sessions.get(sessionId) ?? null);
    const targetUser = entry.targetType === 'user' && entry.targetId !== null ? userById.get(entry.targetId) : undefined;
    const alert =
      entry.targetType === 'alert' && entry.sessionId !== null ? alerts.get(entry.sessionId)?.find((record) => record.alert.id === entry.targetId)?.alert : undefined;
    const detailsChair = chairIdSchema.safeParse(entry.details);
    const chairId =
      entry.targetType === 'chair'
        ? entry.targetId
        : (session?.chairId ?? (entry.targetType === 'device' && detailsChair.success ? detailsChair.data.chairId : null));
    return {
      ...entry,
      names: {
        actor: actor?.displayName ?? null,
        chair: chairId === null ? null : (chairName.get(chairId) ?? null),
        session:
          session === null
            ? null
            : {
                checkedInAt: new Date(session.checkedInAt).toISOString(),
                protocol: protocolName.get(`${session.protocolId}@${session.protocolVersion}`) ?? protocolName.get(session.protocolId) ?? null,
              },
        alert: alert === undefined ? null : { title: alertTitle(alert), priority: alert.priority },
        user: targetUser === undefined ? null : { displayName: targetUser.displayName, username: targetUser.username },
        deviceToken: entry.targetType === 'device-token' && entry.targetId !== null ? (tokenLabel.get(entry.targetId) ?? null) : null,
        protocol: entry.targetType === 'protocol' && entry.targetId !== null ? (protocolName.get(entry.targetId) ?? null) : null,
      },
    };
  });
}
