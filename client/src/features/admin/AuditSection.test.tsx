import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../api/api-client';
import { fakeApi, fakeServices, renderWithApp, testNow } from '../../test-utils';
import type { AuditEntry } from '@chairside/shared';
import type { AuditQuery } from '../../api/audit-query';
import { AuditSection, auditPageSize } from './AuditSection';

function entries(count: number, start = 0): AuditEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: 1000 - start - i,
    at: new Date(testNow - (start + i) * 60_000).toISOString(),
    userId: 'u-nurse',
    username: 'nurse',
    role: 'nurse',
    action: i % 2 === 0 ? 'session-viewed' : 'login',
    targetType: 'session',
    targetId: `s-${start + i}`,
    sessionId: `s-${start + i}`,
    details: { n: start + i },
    ip: '10.0.0.7',
  }));
}

function setup() {
  const listAudit = vi.fn((query: AuditQuery) => Promise.resolve(entries(Math.min(query.limit ?? 500, 120 - (query.offset ?? 0)), query.offset ?? 0)));
  const real = createApiClient({ fetch: () => Promise.reject(new Error('no fetch')) });
  renderWithApp(<AuditSection />, { services: fakeServices({ api: fakeApi({ listAudit, auditCsvUrl: real.auditCsvUrl }) }) });
  return { listAudit, user: userEvent.setup() };
}

describe('AuditSection', () => {
  it('shows the newest entries a page at a time', async () => {
    const { listAudit, user } = setup();
    const list = await screen.findByRole('list', { name: 'Audit trail' });
    expect(listAudit).toHaveBeenLastCalledWith({ limit: auditPageSize + 1, offset: 0 });
    expect(within(list).getAllByRole('listitem')).toHaveLength(auditPageSize);
    expect(screen.getByText('Entries 1–50')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('Entries 51–100')).toBeInTheDocument();
    expect(listAudit).toHaveBeenLastCalledWith({ limit: auditPageSize + 1, offset: 50 });

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('Entries 101–120')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('reads as sentences, with the record as stored behind a disclosure', async () => {
    const entry: AuditEntry = {
      seq: 77,
      at: new Date(2026, 10, 22, 10, 42).toISOString(),
      userId: 'u-jo',
      username: 'jo',
      role: 'nurse',
      action: 'alert-acknowledged',
      targetType: 'alert',
      targetId: 'session-1.bp-severe.1',
      sessionId: 'session-1',
      details: { note: 'cuff refitted' },
      ip: '10.0.0.7',
      names: {
        actor: 'Jo Smith',
        chair: 'Chair 3',
        session: { checkedInAt: new Date(2026, 10, 22, 10, 5).toISOString(), protocol: 'IV ketamine' },
        alert: { title: 'Recheck BP now: 186/100', priority: 'low' },
        user: null,
        deviceToken: null,
        protocol: null,
      },
    };
    const real = createApiClient({ fetch: () => Promise.reject(new Error('no fetch')) });
    renderWithApp(<AuditSection />, { services: fakeServices({ api: fakeApi({ listAudit: () => Promise.resolve([entry]), auditCsvUrl: real.auditCsvUrl }) }) });
    const item = within(await screen.findByRole('list', { name: 'Audit trail' })).getByRole('listitem');
    const sentence = within(item).getByText(/^Nurse Jo Smith/);
    expect(sentence).toHaveTextContent(
      'Nurse Jo Smith acknowledged the low alarm “Recheck BP now: 186/100” on Chair 3, in the session checked in 10:05 (IV ketamine), noting “cuff refitted” at 10:42',
    );
    expect(sentence).not.toHaveTextContent('session-1.bp-severe.1');

    const raw = within(item).getByText(/entry 77/);
    expect(raw.closest('details')).not.toHaveAttribute('open');
    expect(raw).toHaveTextContent('from 10.0.0.7');
    const json = item.querySelector('pre');
    expect(JSON.parse(json?.textContent ?? '')).toEqual({ ...entry, names: undefined });
  });

  it('filters, checks the dates, and downloads what it shows as CSV', async () => {
    const { listAudit, user } = setup();
    await screen.findByRole('list', { name: 'Audit trail' });
    await user.type(screen.getByLabelText('From'), '2026-11-22T10:00');
    await user.type(screen.getByLabelText('To'), '2026-11-22T09:00');
    await user.click(screen.getByRole('button', { name: 'Show entries' }));
    expect(screen.getByLabelText('To')).toHaveAccessibleDescription(expect.stringContaining('Must be after “From”'));
    expect(listAudit).toHaveBeenCalledTimes(1);

    await user.clear(screen.getByLabelText('To'));
    await user.type(screen.getByLabelText('User'), 'Nurse');
    await user.type(screen.getByLabelText('Action'), 'login-failed');
    await user.type(screen.getByLabelText('Session id'), 's-1');
    await user.click(screen.getByRole('button', { name: 'Show entries' }));
    await vi.waitFor(() => expect(listAudit).toHaveBeenCalledTimes(2));
    const query = listAudit.mock.lastCall?.[0];
    expect(query).toMatchObject({ user: 'nurse', action: 'login-failed', sessionId: 's-1', offset: 0, limit: auditPageSize + 1 });
    expect(Date.parse(query?.from ?? '')).toBe(new Date(2026, 10, 22, 10, 0).getTime());

    const csv = screen.getByRole('link', { name: 'Download CSV' });
    const url = new URL(csv.getAttribute('href') ?? '', 'http://chairside.test');
    expect(url.pathname).toBe('/api/v1/audit');
    expect(url.searchParams.get('format')).toBe('csv');
    expect(url.searchParams.get('user')).toBe('nurse');
    expect(url.searchParams.get('action')).toBe('login-failed');
    expect(url.searchParams.get('from')).toBe(query?.from);
  });
});
