import { type Alert, ivKetamineProtocol } from '@chairside/shared';
import { describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../store/store';
import { type AuditNameSource, withAuditNames } from './audit-names';

const at = Date.parse('2026-11-22T10:42:00Z');

function entry(fields: Partial<AuditEntry> & Pick<AuditEntry, 'action'>): AuditEntry {
  return { seq: 1, at, userId: 'u-jo', username: 'jo', role: 'nurse', targetType: null, targetId: null, sessionId: null, details: {}, ip: null, ...fields };
}

const prompt: Alert = {
  id: 'session-1.bp-severe.1',
  ruleId: 'bp-severe',
  subject: null,
  label: 'Severe hypertension',
  category: 'physiological',
  priority: 'low',
  status: 'acknowledged',
  message: 'SBP 186 ≥ 180 — recheck BP now',
  facts: { kind: 'bp-threshold', breaches: [{ field: 'systolic', value: 186, comparator: '>=', limit: 180 }], readings: 1, requiredReadings: 2, prompt: 'recheck BP now', bp: { systolic: 186, diastolic: 100 }, measuredAt: '2026-11-22T10:41:00Z' },
  readingSeq: 7,
  raisedAtMs: at - 60_000,
  escalatedAtMs: null,
  conditionResolvedAtMs: null,
  clearedAtMs: null,
  clearReason: null,
  acknowledgements: [],
};

function source(): AuditNameSource & { findSession: ReturnType<typeof vi.fn> } {
  return {
    listUsers: () =>
      Promise.resolve([
        { id: 'u-jo', username: 'jo', displayName: 'Jo Smith' },
        { id: 'u-sam', username: 'sam', displayName: 'Sam Lee' },
      ]),
    listChairs: () => Promise.resolve([{ id: 'chair-3', name: 'Chair 3' }]),
    listDeviceTokens: () => Promise.resolve([{ id: 'tok-1', label: 'Gateway, bay 2' }]),
    listProtocols: () =>
      Promise.resolve([
        { id: 'iv-ketamine', version: 1, definition: ivKetamineProtocol },
        { id: 'iv-ketamine', version: 2, definition: { ...ivKetamineProtocol, version: 2, name: 'IV ketamine (2027)' } },
        { id: 'broken', version: 1, definition: { nonsense: true } },
      ]),
    findSession: vi.fn((id: string) =>
      Promise.resolve(id === 'session-1' ? { chairId: 'chair-3', protocolId: 'iv-ketamine', protocolVersion: 1, checkedInAt: Date.parse('2026-11-22T10:05:00Z') } : null),
    ),
    listSessionAlerts: () => Promise.resolve([{ alert: prompt }]),
  };
}

describe('withAuditNames', () => {
  it('names the actor, the alert by its dashboard title, its chair and its session, never the patient', async () => {
    const [named] = await withAuditNames(
      [entry({ action: 'alert-acknowledged', targetType: 'alert', targetId: prompt.id, sessionId: 'session-1', details: { note: 'cuff refitted' } })],
      source(),
    );
    expect(named?.names).toEqual({
      actor: 'Jo Smith',
      chair: 'Chair 3',
      session: { checkedInAt: '2026-11-22T10:05:00.000Z', protocol: 'IV ketamine' },
      alert: { title: 'Recheck BP now: 186/100', priority: 'low' },
      user: null,
      deviceToken: null,
      protocol: null,
    });
  });

  it('names a target account, a device token, a monitor’s chair and the newest name of a protocol', async () => {
    const named = await withAuditNames(
      [
        entry({ action: 'user-updated', userId: 'u-sam', targetType: 'user', targetId: 'u-jo' }),
        entry({ action: 'device-token-revoked', targetType: 'device-token', targetId: 'tok-1' }),
        entry({ action: 'device-registered', targetType: 'device', targetId: 'MX-1', details: { chairId: 'chair-3' } }),
        entry({ action: 'protocol-saved', targetType: 'protocol', targetId: 'iv-ketamine', details: { version: 2 } }),
        entry({ action: 'audio-paused', targetType: 'chair', targetId: 'chair-3' }),
      ],
      source(),
    );
    expect(named.map((e) => e.names)).toMatchObject([
      { actor: 'Sam Lee', user: { displayName: 'Jo Smith', username: 'jo' } },
      { deviceToken: 'Gateway, bay 2' },
      { chair: 'Chair 3' },
      { protocol: 'IV ketamine (2027)' },
      { chair: 'Chair 3' },
    ]);
  });

  it('leaves unknown things null: a failed login’s typed name, a gone session; reads each session once', async () => {
    const names = source();
    const named = await withAuditNames(
      [
        entry({ action: 'login-failed', userId: null, username: 'jo', role: 'anonymous' }),
        entry({ action: 'session-viewed', targetType: 'session', targetId: 'session-9', sessionId: 'session-9' }),
        entry({ action: 'session-viewed', targetType: 'session-report', targetId: 'session-1', sessionId: 'session-1' }),
        entry({ action: 'session-signed', targetType: 'session', targetId: 'session-1', sessionId: 'session-1' }),
      ],
      names,
    );
    expect(named.map((e) => e.names.actor)).toEqual([null, 'Jo Smith', 'Jo Smith', 'Jo Smith']);
    expect(named[1]?.names.session).toBeNull();
    expect(named[2]?.names).toMatchObject({ chair: 'Chair 3', session: { protocol: 'IV ketamine' } });
    expect(names.findSession).toHaveBeenCalledTimes(2);
  });
});
