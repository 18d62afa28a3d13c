import type { AlertPriority, Role } from '@chairside/shared';
import type { AuditEntry } from '@chairside/shared';
import { formatDateTime } from '../../lib/vital-format';

export const roleLabels: Record<Role, string> = { nurse: 'Nurse', clinician: 'Clinician', admin: 'Admin' };
export const roleOptions = (Object.keys(roleLabels) as Role[]).map((role) => ({ value: role, label: roleLabels[role] }));

export function isRole(value: string): value is Role {
  return value in roleLabels;
}

/** "22 Nov 2026, 10:15:00", or the text as sent when it is not an instant. */
export function formatInstant(iso: string | null, none = '—'): string {
  if (iso === null) return none;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formatDateTime(ms);
}

// ——— The audit trail as sentences ———

const roleWord: Record<string, string> = { nurse: 'Nurse', clinician: 'Clinician', admin: 'Admin' };
const priorityWord: Record<AlertPriority, string> = { high: 'high', medium: 'medium', low: 'low' };
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** What a session event did, as the audit trail says it ("started treatment"). */
const sessionEventWords: Record<string, string> = {
  'treatment-started': 'started treatment in',
  'treatment-paused': 'paused treatment in',
  'treatment-resumed': 'resumed treatment in',
  'treatment-ended': 'ended treatment in',
  discharged: 'discharged the patient of',
  cancelled: 'cancelled',
  note: 'added a note to',
  'checklist-updated': 'updated the discharge checklist of',
  'monitor-removed': 'recorded the monitor taken off in',
};

/** What a record view was of, by the entry's target type. */
const viewedWords: Record<string, string> = {
  session: 'opened',
  'session-report': 'read the report of',
  'session-alerts': 'read the alerts of',
};

const loginFailures: Record<string, string> = {
  unauthorized: 'wrong username or password',
  rate_limited: 'too many attempts',
  unavailable: 'server busy',
};

function record(details: unknown): Record<string, unknown> {
  return typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function quoted(value: string): string {
  return `“${value}”`;
}

/** "Nurse Jo Smith"; the username where the account has no name (any more). */
function actorText(entry: AuditEntry): string {
  const name = entry.names?.actor ?? entry.username;
  const role = roleWord[entry.role];
  return role === undefined ? name : `${role} ${name}`;
}

/**
 * "the session on Chair 3 checked in 10:05 (IV ketamine)" (without "on Chair 3" when the sentence
 * names the chair already), or its id when it cannot be named.
 */
function sessionText(entry: AuditEntry, options: { chair?: boolean } = {}): string {
  const id = entry.sessionId ?? entry.targetId;
  const session = entry.names?.session ?? null;
  if (session === null) return id === null ? 'a session' : `session ${id}`;
  const chair = options.chair === false ? null : (entry.names?.chair ?? null);
  const checkedIn = Date.parse(session.checkedInAt);
  const when = Number.isNaN(checkedIn) ? '' : ` checked in ${dayTimeText(checkedIn, Date.parse(entry.at))}`;
  const protocol = session.protocol === null ? '' : ` (${session.protocol})`;
  return `the session${chair === null ? '' : ` on ${chair}`}${when}${protocol}`;
}

function chairText(entry: AuditEntry): string {
  return entry.names?.chair ?? (entry.targetId === null ? 'a chair' : `chair ${entry.targetId}`);
}

function userText(entry: AuditEntry, details: Record<string, unknown>): string {
  const user = entry.names?.user ?? null;
  if (user !== null) return user.displayName === user.username ? user.username : `${user.displayName} (${user.username})`;
  return text(details.username) ?? entry.targetId ?? 'an account';
}

function withReason(sentence: string, details: Record<string, unknown>): string {
  const reason = text(details.reason);
  return reason === null ? sentence : `${sentence}, giving the reason ${quoted(reason)}`;
}

/** "10:05" on the day of `dayOfMs`, "21 Nov 2026, 10:05" on another. */
function dayTimeText(ms: number, dayOfMs: number): string {
  const sameDay = !Number.isNaN(dayOfMs) && new Date(ms).toDateString() === new Date(dayOfMs).toDateString();
  return sameDay ? clockFormat.format(ms) : `${dateFormat.format(ms)}, ${clockFormat.format(ms)}`;
}

/**
 * Who watches a chair, as the entry's actor set it. The details hold user ids only, so the sentence names the actor
 * where they are one of the nurses and says "a nurse" for the others.
 */
function assignmentSentence(entry: AuditEntry, who: string, details: Record<string, unknown>): string {
  const primary = text(details.primaryUserId);
  const backup = text(details.backupUserId);
  const previous = text(details.previousPrimaryUserId);
  const chair = chairText(entry);
  const self = entry.userId;
  const withBackup = backup === null ? '' : backup === self ? ', themselves as backup' : ', with a backup nurse';
  const replacing = previous !== null && previous !== primary ? ', in place of the previous primary nurse' : '';
  if (primary !== null && primary === self) return `${who} took ${chair} as primary nurse${withBackup}${replacing}`;
  return `${who} assigned ${chair} to a primary nurse${withBackup}${replacing}`;
}

/** "the device “Ward phone” (fcm.googleapis.com)", "a device (web.push.apple.com)". */
function pushDeviceText(details: Record<string, unknown>): string {
  const label = text(details.label);
  const service = text(details.service);
  const device = label === null ? 'a device' : `the device ${quoted(label)}`;
  return service === null ? device : `${device} (${service})`;
}

/** "at 10:42", the local time of the entry. */
export function auditTimeText(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `at ${clockFormat.format(ms)}`;
}

/**
 * One audit entry as a sentence: who did what to which session, chair or account, with the names
 * the server resolved ("Nurse Jo Smith acknowledged the low alarm “Recheck BP now: 186/100” on
 * Chair 3, in the session checked in 10:05 (IV ketamine)"). Ids stand in where nothing could be named; an
 * action this screen does not know yet reads "did x". The time is shown beside it (`auditTimeText`).
 */
export function auditSentence(entry: AuditEntry): string {
  const who = actorText(entry);
  const details = record(entry.details);
  switch (entry.action) {
    case 'login':
      return `${who} logged in`;
    case 'logout':
      return `${who} logged out`;
    case 'login-failed': {
      const reason = text(details.reason);
      return `A login as ${quoted(entry.username)} failed${reason === null ? '' : ` (${loginFailures[reason] ?? reason})`}`;
    }
    case 'user-created': {
      const role = text(details.role);
      return `${who} created the account ${userText(entry, details)}${role === null ? '' : `, role ${roleWord[role] ?? role}`}`;
    }
    case 'user-updated': {
      const changes: string[] = [];
      if (details.disabled === true) changes.push('disabled it');
      if (details.disabled === false) changes.push('enabled it');
      const role = text(details.role);
      if (role !== null) changes.push(`made it ${roleWord[role] ?? role}`);
      const changed = Array.isArray(details.changed) ? details.changed : [];
      if (changed.includes('password')) changes.push('set a new password');
      if (changed.includes('displayName')) changes.push('renamed it');
      return `${who} changed the account ${userText(entry, details)}${changes.length === 0 ? '' : `: ${changes.join(', ')}`}`;
    }
    case 'device-token-created':
      return `${who} created the device token ${quoted(text(details.label) ?? entry.names?.deviceToken ?? entry.targetId ?? '?')}`;
    case 'device-token-revoked':
      return `${who} revoked the device token ${quoted(entry.names?.deviceToken ?? entry.targetId ?? '?')}`;
    case 'device-registered':
      return `${who} bound monitor ${quoted(entry.targetId ?? '?')} to ${chairText(entry)}`;
    case 'device-removed':
      return `${who} removed monitor ${quoted(entry.targetId ?? '?')}`;
    case 'chair-created':
      return `${who} added ${chairText(entry)}`;
    case 'protocol-saved': {
      const version = typeof details.version === 'number' ? `, version ${details.version}` : '';
      return `${who} saved the protocol ${entry.names?.protocol ?? entry.targetId ?? '?'}${version}`;
    }
    case 'patient-created':
      return `${who} registered a patient`;
    case 'session-checked-in':
      return `${who} checked a patient into ${chairText(entry)}${entry.names?.session?.protocol ? ` (${entry.names.session.protocol})` : ''}`;
    case 'session-event': {
      const type = text(details.type) ?? '?';
      const words = sessionEventWords[type];
      return words === undefined ? `${who} recorded ${quoted(type)} in ${sessionText(entry)}` : `${who} ${words} ${sessionText(entry)}`;
    }
    case 'start-override':
      return withReason(`${who} started treatment in ${sessionText(entry)} overriding the start gate`, details);
    case 'discharge-override':
      return withReason(`${who} discharged the patient of ${sessionText(entry)} overriding the discharge gate`, details);
    case 'limits-changed':
      return withReason(`${who} changed the alarm limits of ${sessionText(entry)}`, details);
    case 'session-viewed':
      if (entry.targetType === 'patient-history') return `${who} read a patient’s history`;
      return `${who} ${viewedWords[entry.targetType ?? 'session'] ?? 'opened'} ${sessionText(entry)}`;
    case 'session-exported': {
      const format = text(details.format);
      const paper = text(details.paper);
      const as = format === null ? '' : ` as ${format.toUpperCase()}${paper === null ? '' : ` (${paper === 'a4' ? 'A4' : 'Letter'})`}`;
      return `${who} exported ${sessionText(entry)}${as}`;
    }
    case 'session-signed':
      return `${who} signed ${sessionText(entry)}`;
    case 'addendum-added':
      return `${who} added an addendum to ${sessionText(entry)}`;
    case 'readings-attached': {
      const count = Array.isArray(details.readingIds) ? details.readingIds.length : null;
      return `${who} attached ${count === null ? 'readings' : `${count} reading${count === 1 ? '' : 's'}`} to ${sessionText(entry)}`;
    }
    case 'alert-acknowledged': {
      const alert = entry.names?.alert ?? null;
      const what = alert === null ? `alarm ${entry.targetId ?? ''}`.trim() : `the ${priorityWord[alert.priority]} alarm ${quoted(alert.title)}`;
      const chair = entry.names?.chair;
      const note = text(details.note);
      const where = chair ? ` on ${chair}, in ${sessionText(entry, { chair: false })}` : ` in ${sessionText(entry)}`;
      return `${who} acknowledged ${what}${where}${note === null ? '' : `, noting ${quoted(note)}`}`;
    }
    case 'audio-paused':
      return `${who} paused alarm sound on ${chairText(entry)}`;
    case 'audit-viewed':
      return `${who} read the audit trail`;
    case 'assignment-set':
      return assignmentSentence(entry, who, details);
    case 'assignment-released':
      return `${who} released ${chairText(entry)}: no nurse assigned to it now`;
    case 'push-subscribed':
      return `${who} turned on alarms on ${pushDeviceText(details)}`;
    case 'push-removed':
      return `${who} removed ${pushDeviceText(details)} from the devices that get alarms`;
    case 'demo-triggered':
      return `${who} started the demo scenario ${quoted(text(details.kind) ?? '?')} on ${chairText(entry)}`;
    default:
      return `${who} did ${quoted(entry.action)}${entry.targetType === null ? '' : ` to ${entry.targetType} ${entry.targetId ?? ''}`.trimEnd()}`;
  }
}
