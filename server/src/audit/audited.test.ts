import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { AppError } from '../http/app-error';
import type { NewAuditEntry } from '../store/store';
import { AuditService, type AuditStore } from './audit.service';
import { audited } from './audited';

/** An audit service over a trail in memory; `failing` makes every write fail, as a broken store does. */
function trail(failing = false): { audit: AuditService; entries: NewAuditEntry[]; log: string[] } {
  const entries: NewAuditEntry[] = [];
  const log: string[] = [];
  const store = {
    audit: {
      appendAudit: async (entry: NewAuditEntry) => {
        if (failing) throw new Error('disk full');
        log.push(`audit ${entry.action}`);
        entries.push(entry);
      },
    },
  } as unknown as AuditStore;
  return { audit: new AuditService(store, { now: () => 1_000 }, silentLogger), entries, log };
}

const nurse = { id: 'u-1', username: 'jo', role: 'nurse' as const, displayName: 'Jo' };

function request(): { req: Request; res: Response; sent: { status: number; body: unknown }[] } {
  const sent: { status: number; body: unknown }[] = [];
  let status = 200;
  const res = {
    locals: { actor: { kind: 'user', user: nurse } },
    status(code: number) {
      status = code;
      return this;
    },
    json(body: unknown) {
      sent.push({ status, body });
      return this;
    },
  } as unknown as Response;
  return { req: { ip: '10.0.0.7', body: {} } as Request, res, sent };
}

describe('audited actions', () => {
  it('records one entry with the caller and address after the action, before the answer', async () => {
    const { audit, entries, log } = trail();
    const { req, res, sent } = request();
    const handler = audited(audit, {
      run: async () => {
        log.push('run');
        return { id: 'chair-9' };
      },
      entry: (chair) => ({ action: 'chair-created', targetType: 'chair', targetId: chair.id }),
      status: 201,
    });
    await handler(req, res, () => undefined);
    expect(log).toEqual(['run', 'audit chair-created']);
    expect(sent).toEqual([{ status: 201, body: { id: 'chair-9' } }]);
    expect(entries).toEqual([
      {
        at: 1_000,
        userId: 'u-1',
        username: 'jo',
        role: 'nurse',
        action: 'chair-created',
        targetType: 'chair',
        targetId: 'chair-9',
        sessionId: null,
        details: {},
        ip: '10.0.0.7',
      },
    ]);
  });

  it('records nothing for a refused action, unless refusals are audited', async () => {
    const { audit, entries } = trail();
    const { req, res, sent } = request();
    const refused = new AppError('conflict', 'no');
    const run = async (): Promise<{ id: string }> => {
      throw refused;
    };
    const entry = () => ({ action: 'chair-created' as const });
    await expect(audited(audit, { run, entry })(req, res, () => undefined)).rejects.toBe(refused);
    expect(entries).toEqual([]);
    const refusal = () => ({ actor: { userId: null, username: 'jo', role: 'anonymous' }, action: 'login-failed' as const, details: { reason: 'conflict' } });
    await expect(audited(audit, { run, entry, refusal })(req, res, () => undefined)).rejects.toBe(refused);
    expect(entries).toMatchObject([{ userId: null, username: 'jo', role: 'anonymous', action: 'login-failed', details: { reason: 'conflict' }, ip: '10.0.0.7' }]);
    expect(sent).toEqual([]);
  });

  it('fails the request, unanswered, when the entry cannot be written', async () => {
    const { audit } = trail(true);
    const { req, res, sent } = request();
    const handler = audited(audit, { run: async () => 'done', entry: () => ({ action: 'logout' }) });
    await expect(handler(req, res, () => undefined)).rejects.toThrow('disk full');
    expect(sent).toEqual([]);
  });

  it('records nothing when the entry says so, and refuses an entry without an actor', async () => {
    const { audit, entries } = trail();
    await expect(audit.audited({ actor: null, ip: null }, async () => 1, () => null)).resolves.toBe(1);
    expect(entries).toEqual([]);
    await expect(audit.audited({ actor: null, ip: null }, async () => 1, () => ({ action: 'logout' }))).rejects.toThrow(/names no actor/);
  });
});
