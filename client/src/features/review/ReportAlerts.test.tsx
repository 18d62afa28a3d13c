import type { EscalationStep } from '@chairside/shared';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ReportAlerts } from './ReportAlerts';
import { reportView } from './report-view';
import { alertAt, at, reportFixture } from './review-fixtures';

/* The report's alert section: whom an unacknowledged alarm reached, step by step (the clinic zone is UTC). */

const high = alertAt(1, 'high', 42);
const acknowledged = alertAt(2, 'medium', 60, { min: 61, by: 'nina' });

function step(kind: EscalationStep['step'], seconds: number, names: string[]): EscalationStep {
  return {
    type: 'escalated-to',
    alertId: high.id,
    sessionId: 'session-1',
    chairId: 'chair-1',
    priority: 'high',
    step: kind,
    recipients: names.map((displayName) => ({ userId: displayName.toLowerCase(), displayName })),
    atMs: at(42) + seconds * 1000,
  };
}

function renderAlerts(escalations: EscalationStep[] | undefined) {
  const report = reportFixture({ alerts: [high, acknowledged] });
  const view = reportView({ ...report, input: { ...report.input, ...(escalations === undefined ? {} : { escalations }) } }, { signature: null, addenda: [] });
  return render(<ReportAlerts view={view} />);
}

describe('ReportAlerts', () => {
  it('names whom each escalation step reached and when, under the alarm it belongs to', () => {
    renderAlerts([step('all', 60, ['Dana', 'Sam', 'Kim']), step('primary', 0, ['Dana']), step('backup', 30, ['Sam'])]);
    const rows = within(screen.getByRole('table', { name: 'Alerts' })).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0] as HTMLElement).getByText('Reached Dana (primary) 09:42:00 · Sam (backup) 09:42:30 · everyone on shift 09:43:00')).toBeInTheDocument();
    expect(rows[1]?.textContent).not.toContain('Reached');
  });

  it('says nothing of reach for a report without steps (or from a server older than alarm reach)', () => {
    renderAlerts(undefined);
    expect(screen.queryByText(/Reached/)).not.toBeInTheDocument();
  });
});
