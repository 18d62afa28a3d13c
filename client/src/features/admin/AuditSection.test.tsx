import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../api/api-client';
import { fakeApi, fakeServices, renderWithApp, testNow } from '../../test-utils';
import type { AuditEntry, AuditQuery } from './admin-api';
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
    const table = await screen.findByRole('table', { name: 'Audit trail' });
    expect(listAudit).toHaveBeenLastCalledWith({ limit: auditPageSize + 1, offset: 0 });
    expect(within(table).getAllByRole('row')).toHaveLength(auditPageSize + 1);
    expect(screen.getByText('Entries 1–50')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('Entries 51–100')).toBeInTheDocument();
    expect(listAudit).toHaveBeenLastCalledWith({ limit: auditPageSize + 1, offset: 50 });

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('Entries 101–120')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('filters, checks the dates, and downloads what it shows as CSV', async () => {
    const { listAudit, user } = setup();
    await screen.findByRole('table', { name: 'Audit trail' });
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
