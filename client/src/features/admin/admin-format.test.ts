import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditNames } from '@chairside/shared';
import { auditSentence } from './admin-format';

const at = new Date(2026, 10, 22, 10, 42).toISOString();
const noNames: AuditNames = { actor: null, chair: null, session: null, alert: null, user: null, deviceToken: null, protocol: null };
const session = { checkedInAt: new Date(2026, 10, 22, 10, 5).toISOString(), protocol: 'IV ketamine' };

function entry(action: string, fields: Partial<AuditEntry> = {}, names: Partial<AuditNames> = {}): AuditEntry {
  return {
    seq: 1,
    at,
    userId: 'u-jo',
    username: 'jo',
    role: 'nurse',
    action,
    targetType: null,
    targetId: null,
    sessionId: null,
    details: {},
    ip: null,
    names: { ...noNames, actor: 'Jo Smith', ...names },
    ...fields,
  };
}

const inSession = (action: string, details: Record<string, unknown> = {}, targetType = 'session') =>
  entry(action, { targetType, targetId: 's-1', sessionId: 's-1', details }, { chair: 'Chair 3', session });
const admin = (action: string, fields: Partial<AuditEntry>, names: Partial<AuditNames> = {}) =>
  entry(action, { userId: 'u-ad', username: 'ad', role: 'admin', ...fields }, { actor: 'Ada Admin', ...names });

describe('auditSentence', () => {
  it.each([
    // action kind, entry, sentence
    ['login', entry('login'), 'Nurse Jo Smith logged in'],
    ['logout', entry('logout'), 'Nurse Jo Smith logged out'],
    ['login-failed', entry('login-failed', { userId: null, role: 'anonymous', details: { reason: 'unauthorized' } }, { actor: null }), 'A login as “jo” failed (wrong username or password)'],
    ['user-created', admin('user-created', { targetType: 'user', targetId: 'u-jo', details: { username: 'jo', role: 'nurse' } }, { user: { displayName: 'Jo Smith', username: 'jo' } }), 'Admin Ada Admin created the account Jo Smith (jo), role Nurse'],
    [
      'user-updated',
      admin('user-updated', { targetType: 'user', targetId: 'u-jo', details: { username: 'jo', changed: ['disabled', 'role'], disabled: true, role: 'clinician' } }, { user: { displayName: 'Jo Smith', username: 'jo' } }),
      'Admin Ada Admin changed the account Jo Smith (jo): disabled it, made it Clinician',
    ],
    ['user-updated (password)', admin('user-updated', { targetType: 'user', targetId: 'u-9', details: { username: 'sam', changed: ['password'] } }), 'Admin Ada Admin changed the account sam: set a new password'],
    ['device-token-created', admin('device-token-created', { targetType: 'device-token', targetId: 't1', details: { label: 'Gateway 2' } }), 'Admin Ada Admin created the device token “Gateway 2”'],
    ['device-token-revoked', admin('device-token-revoked', { targetType: 'device-token', targetId: 't1' }, { deviceToken: 'Gateway 2' }), 'Admin Ada Admin revoked the device token “Gateway 2”'],
    ['device-registered', admin('device-registered', { targetType: 'device', targetId: 'MX-1', details: { chairId: 'chair-3' } }, { chair: 'Chair 3' }), 'Admin Ada Admin bound monitor “MX-1” to Chair 3'],
    ['device-removed', admin('device-removed', { targetType: 'device', targetId: 'MX-1' }), 'Admin Ada Admin removed monitor “MX-1”'],
    ['chair-created', admin('chair-created', { targetType: 'chair', targetId: 'chair-7' }, { chair: 'Chair 7' }), 'Admin Ada Admin added Chair 7'],
    ['protocol-saved', admin('protocol-saved', { targetType: 'protocol', targetId: 'iv-ketamine', details: { version: 2 } }, { protocol: 'IV ketamine' }), 'Admin Ada Admin saved the protocol IV ketamine, version 2'],
    ['patient-created', entry('patient-created', { targetType: 'patient', targetId: 'p-1' }), 'Nurse Jo Smith registered a patient'],
    ['session-checked-in', inSession('session-checked-in', { chairId: 'chair-3' }), 'Nurse Jo Smith checked a patient into Chair 3 (IV ketamine)'],
    ['session-event', inSession('session-event', { type: 'treatment-started' }), 'Nurse Jo Smith started treatment in the session on Chair 3 checked in 10:05 (IV ketamine)'],
    ['session-event (note)', inSession('session-event', { type: 'note' }), 'Nurse Jo Smith added a note to the session on Chair 3 checked in 10:05 (IV ketamine)'],
    ['start-override', inSession('start-override', { type: 'treatment-started', reason: 'second BP declined' }), 'Nurse Jo Smith started treatment in the session on Chair 3 checked in 10:05 (IV ketamine) overriding the start gate, giving the reason “second BP declined”'],
    ['discharge-override', inSession('discharge-override', { type: 'discharged', reason: 'escort waiting' }), 'Nurse Jo Smith discharged the patient of the session on Chair 3 checked in 10:05 (IV ketamine) overriding the discharge gate, giving the reason “escort waiting”'],
    ['limits-changed', inSession('limits-changed', { type: 'limits-changed', reason: 'known hypertensive' }), 'Nurse Jo Smith changed the alarm limits of the session on Chair 3 checked in 10:05 (IV ketamine), giving the reason “known hypertensive”'],
    ['session-viewed', inSession('session-viewed'), 'Nurse Jo Smith opened the session on Chair 3 checked in 10:05 (IV ketamine)'],
    ['session-viewed (report)', inSession('session-viewed', {}, 'session-report'), 'Nurse Jo Smith read the report of the session on Chair 3 checked in 10:05 (IV ketamine)'],
    ['session-viewed (history)', entry('session-viewed', { targetType: 'patient-history', targetId: 'p-1' }), 'Nurse Jo Smith read a patient’s history'],
    ['session-exported', inSession('session-exported', { format: 'pdf', paper: 'a4' }), 'Nurse Jo Smith exported the session on Chair 3 checked in 10:05 (IV ketamine) as PDF (A4)'],
    ['session-signed', inSession('session-signed'), 'Nurse Jo Smith signed the session on Chair 3 checked in 10:05 (IV ketamine)'],
    ['addendum-added', inSession('addendum-added'), 'Nurse Jo Smith added an addendum to the session on Chair 3 checked in 10:05 (IV ketamine)'],
    ['readings-attached', inSession('readings-attached', { readingIds: ['a', 'b', 'c'] }), 'Nurse Jo Smith attached 3 readings to the session on Chair 3 checked in 10:05 (IV ketamine)'],
    [
      'alert-acknowledged',
      entry('alert-acknowledged', { targetType: 'alert', targetId: 's-1.bp-severe.1', sessionId: 's-1', details: { note: null } }, { chair: 'Chair 3', session, alert: { title: 'Recheck BP now: 186/100', priority: 'low' } }),
      'Nurse Jo Smith acknowledged the low alarm “Recheck BP now: 186/100” on Chair 3, in the session checked in 10:05 (IV ketamine)',
    ],
    ['audio-paused', entry('audio-paused', { targetType: 'chair', targetId: 'chair-3' }, { chair: 'Chair 3' }), 'Nurse Jo Smith paused alarm sound on Chair 3'],
    ['audit-viewed', admin('audit-viewed', { details: { filter: {} } }), 'Admin Ada Admin read the audit trail'],
    ['demo-triggered', admin('demo-triggered', { targetType: 'chair', targetId: 'chair-3', details: { kind: 'surge' } }, { chair: 'Chair 3' }), 'Admin Ada Admin started the demo scenario “surge” on Chair 3'],
    [
      'assignment-set (herself)',
      entry('assignment-set', { targetType: 'chair', targetId: 'chair-3', details: { primaryUserId: 'u-jo', backupUserId: null, previousPrimaryUserId: null, previousBackupUserId: null } }, { chair: 'Chair 3' }),
      'Nurse Jo Smith took Chair 3 as primary nurse',
    ],
    [
      'assignment-set (someone else, with a backup, reassigned)',
      entry('assignment-set', { role: 'clinician', targetType: 'chair', targetId: 'chair-3', details: { primaryUserId: 'u-sam', backupUserId: 'u-dana', previousPrimaryUserId: 'u-kim', previousBackupUserId: null } }, { chair: 'Chair 3' }),
      'Clinician Jo Smith assigned Chair 3 to a primary nurse, with a backup nurse, in place of the previous primary nurse',
    ],
    [
      'assignment-set (backup herself)',
      entry('assignment-set', { targetType: 'chair', targetId: 'chair-3', details: { primaryUserId: 'u-sam', backupUserId: 'u-jo', previousPrimaryUserId: 'u-sam', previousBackupUserId: null } }, { chair: 'Chair 3' }),
      'Nurse Jo Smith assigned Chair 3 to a primary nurse, themselves as backup',
    ],
    [
      'assignment-released',
      entry('assignment-released', { targetType: 'chair', targetId: 'chair-3', details: { primaryUserId: null, backupUserId: null, previousPrimaryUserId: 'u-jo', previousBackupUserId: null } }, { chair: 'Chair 3' }),
      'Nurse Jo Smith released Chair 3: no nurse assigned to it now',
    ],
    ['push-subscribed', entry('push-subscribed', { targetType: 'push-device', targetId: 'd-1', details: { label: 'Ward phone', service: 'fcm.googleapis.com' } }), 'Nurse Jo Smith turned on alarms on the device “Ward phone” (fcm.googleapis.com)'],
    ['push-subscribed (no label)', entry('push-subscribed', { targetType: 'push-device', targetId: 'd-1', details: { label: null, service: 'web.push.apple.com' } }), 'Nurse Jo Smith turned on alarms on a device (web.push.apple.com)'],
    ['push-removed', admin('push-removed', { targetType: 'push-device', targetId: 'd-1', details: { label: 'Ward phone', service: 'fcm.googleapis.com' } }), 'Admin Ada Admin removed the device “Ward phone” (fcm.googleapis.com) from the devices that get alarms'],
    ['an action not known here', entry('teleported', { targetType: 'chair', targetId: 'chair-3' }), 'Nurse Jo Smith did “teleported” to chair chair-3'],
  ])('%s', (_kind, auditEntry, sentence) => {
    expect(auditSentence(auditEntry)).toBe(sentence);
  });

  it('shows ids where the server named nothing (an entry from an older server, a deleted session)', () => {
    const bare = { ...inSession('session-signed'), names: undefined };
    expect(auditSentence({ ...bare, role: 'clinician', username: 'dr.lee' })).toBe('Clinician dr.lee signed session s-1');
    expect(auditSentence({ ...entry('alert-acknowledged', { targetType: 'alert', targetId: 's-1.x.1', sessionId: 's-1' }), names: undefined })).toBe(
      'Nurse jo acknowledged alarm s-1.x.1 in session s-1',
    );
  });

  it('gives the date of a session checked in on another day', () => {
    const yesterday = { ...session, checkedInAt: new Date(2026, 10, 21, 23, 50).toISOString() };
    expect(auditSentence(entry('session-signed', { targetType: 'session', targetId: 's-1', sessionId: 's-1' }, { chair: 'Chair 3', session: yesterday }))).toMatch(
      /^Nurse Jo Smith signed the session on Chair 3 checked in .*2026, 23:50 \(IV ketamine\)$/,
    );
  });
});
