import type { SessionEventView } from '@chairside/shared';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ReportEvents } from './ReportEvents';
import { ReportRecord } from './ReportRecord';
import { reportView } from './report-view';
import { at, reportFixture, sessionEvent } from './review-fixtures';

/*
 * The report's session-record sections on an IV session (check-in 09:00 UTC, infusion 09:10–09:50, discharge 10:55;
 * the clinic zone is UTC): one entry of every type, and a MOAA/S corrected from 4 to 3.
 */
function recordEvent(seq: number, minutes: number, payload: Record<string, unknown>, fields: Partial<SessionEventView> = {}): SessionEventView {
  return sessionEvent(seq, minutes, { type: String(payload['type']), payload: { ...payload, occurredAtMs: at(minutes) }, ...fields });
}

const events: SessionEventView[] = [
  sessionEvent(1, 0, { type: 'checked-in' }),
  recordEvent(2, 2, { type: 'readiness-answered', answers: { 'weight-today': true, 'consent-on-file': true, 'iv-site-checked': false } }),
  recordEvent(3, 3, { type: 'escort-recorded', name: 'Sam B.', phone: '555-0100' }),
  recordEvent(4, 5, { type: 'infusion-set', drug: 'Ketamine', weightKg: 80, doseMgPerKg: 0.5, concentrationMgPerMl: 1, rateMlPerH: 60 }),
  recordEvent(5, 6, { type: 'score-recorded', scale: 'moaa-s', value: 5 }),
  recordEvent(6, 6, { type: 'score-recorded', scale: 'cadss-6', items: [0, 0, 0, 0, 0, 0] }),
  sessionEvent(7, 10, { type: 'treatment-started', username: 'nina' }),
  recordEvent(8, 20, { type: 'rounding-check', status: 'comfortable' }),
  recordEvent(9, 30, { type: 'infusion-rate-changed', rateMlPerH: 30, reason: 'BP surge' }, { username: 'dr.lee', role: 'clinician' }),
  recordEvent(10, 30, { type: 'score-recorded', scale: 'moaa-s', value: 4 }),
  recordEvent(11, 30, { type: 'score-recorded', scale: 'cadss-6', items: [1, 2, 1, 0, 1, 0] }),
  { ...recordEvent(12, 33, { type: 'score-recorded', scale: 'moaa-s', value: 3, corrects: 10 }), payload: { type: 'score-recorded', scale: 'moaa-s', value: 3, corrects: 10, occurredAtMs: at(30) } },
  recordEvent(13, 35, { type: 'adverse-event', kind: 'emergence-reaction', severity: 'moderate', serious: true, note: 'agitated' }),
  recordEvent(14, 36, { type: 'prn-given', drug: 'Midazolam', doseMg: 2, route: 'iv', indication: 'emergence reaction' }),
  recordEvent(15, 40, { type: 'rounding-check', status: 'distressed' }),
  sessionEvent(16, 50, { type: 'treatment-ended', username: 'nina' }),
  recordEvent(17, 54, { type: 'prn-reassessed', prnSeq: 14, response: 'Calm again' }),
  recordEvent(18, 110, { type: 'escort-handoff', collectedBy: 'Sam B.' }),
];

function renderRecord(withEvents: SessionEventView[]) {
  const view = reportView(reportFixture({ events: withEvents }), { signature: null, addenda: [] });
  return render(<ReportRecord view={view} />);
}

const rowTexts = (table: HTMLElement): string[] =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((r) => [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim()).join(' | '));

describe('ReportRecord', () => {
  it('shows nothing for a session without record entries', () => {
    const { container } = renderRecord([sessionEvent(1, 0, { type: 'checked-in' })]);
    expect(container).toBeEmptyDOMElement();
  });

  it('lists what was given with who, the rate and the cumulative mg, and the total', () => {
    renderRecord(events);
    const section = screen.getByRole('region', { name: 'Session record' });
    // 60 mL/h at 1 mg/mL for 20 min (20 mg), then 30 mL/h for 20 min (10 mg)
    expect(within(section).getByText(/Total given: 30 mg \(0\.38 mg\/kg at 80 kg\)/)).toBeInTheDocument();
    const table = within(section).getByRole('table', { name: 'Administration' });
    expect(rowTexts(table)).toEqual([
      '09:05 | Infusion set up | Ketamine | 0.5 mg/kg × 80 kg = 40 mg60 mL/h (0.75 mg/kg/h), 1 mg/mL, planned 40 min | IV | — | nina | 0',
      '09:10 | Infusion started | Ketamine | 60 mL/h (0.75 mg/kg/h) | IV | — | nina | 0',
      '09:30 | Rate changed | Ketamine | 30 mL/h (0.38 mg/kg/h)BP surge | IV | — | dr.lee | 20',
      '09:50 | Infusion ended | Ketamine | — | IV | — | nina | 30',
    ]);
    expect(within(section).getByRole('group', { name: 'Administration' })).toHaveAttribute('tabindex', '0');
  });

  it('lists the scores with the corrected entry marked, and says whether sedation resolved', () => {
    renderRecord(events);
    const section = screen.getByRole('region', { name: 'Sedation and dissociation' });
    expect(section).toHaveTextContent('Not resolved');
    expect(section).toHaveTextContent('sedation seen · dissociation seen');
    expect(rowTexts(within(section).getByRole('table', { name: 'Scores' }))).toEqual([
      '09:06 | -4 min | MOAA/S | 5 of 5 | — | nina',
      '09:06 | -4 min | CADSS-6 | 0 of 24 | 0 0 0 0 0 0 | nina',
      '09:30 | 20 min | CADSS-6 | 5 of 24 | 1 2 1 0 1 0 | nina',
      '09:30 | 20 min | MOAA/Scorrected entry | 3 of 5 | — | nina',
    ]);
  });

  it('lists the PRN with its reassessment and the adverse event, serious in words', () => {
    renderRecord(events);
    expect(rowTexts(screen.getByRole('table', { name: 'Interventions' }))).toEqual(['09:36 | Midazolam 2 mg IV | emergence reaction | nina | 09:54 by nina (after its due time): Calm again']);
    expect(rowTexts(screen.getByRole('table', { name: 'Adverse events' }))).toEqual(['09:35 | Emergence reaction | moderate | Serious | nina | agitated']);
  });

  it('summarises the eyes-on checks with the longest gap, and shows readiness, escort and hand-off', () => {
    renderRecord(events);
    const rounding = screen.getByRole('region', { name: 'Eyes-on checks' });
    expect(rounding).toHaveTextContent('Checks2 (one expected every 15 min)');
    // start 09:10, checks at 09:20 and 09:40, discharge at 10:55: 20 min (15 + the 5 min margin) and 75 min are overdue
    expect(rounding).toHaveTextContent('Longest gap1 h 15 min (09:40–10:55) · 2 gaps past the overdue margin');
    expect(rounding).toHaveTextContent('Not comfortable09:40 distressed (nina)');
    const readiness = screen.getByRole('region', { name: 'Readiness and escort' });
    expect(readiness).toHaveTextContent('Weight measured today (hard stop)Yes — nina, 09:02');
    expect(readiness).toHaveTextContent('IV site checkedNo — nina, 09:02');
    expect(readiness).toHaveTextContent('Transport home arrangedNot answered');
    expect(readiness).toHaveTextContent('EscortSam B., 555-0100 — recorded 09:03 by nina');
    expect(readiness).toHaveTextContent('Hand-offCollected by Sam B. at 10:50 — recorded by nina');
  });

  it('shows an esketamine device with its lot', () => {
    renderRecord([
      recordEvent(2, 10, { type: 'dose-given', drug: 'Esketamine', doseMg: 28, route: 'intranasal', device: 1, lot: 'AB12' }),
      recordEvent(3, 15, { type: 'dose-given', drug: 'Esketamine', doseMg: 28, route: 'intranasal', device: 2, lot: 'AB12' }),
    ]);
    expect(rowTexts(screen.getByRole('table', { name: 'Administration' }))).toEqual([
      '09:10 | Device 1 | Esketamine | 28 mg | intranasal | Device 1 · lot AB12 | nina | 28',
      '09:15 | Device 2 | Esketamine | 28 mg | intranasal | Device 2 · lot AB12 | nina | 56',
    ]);
    expect(screen.getByText(/Total given: 56 mg, 2 devices/)).toBeInTheDocument();
  });

  it('names record entries in the event log with their fields, and the correction', () => {
    const view = reportView(reportFixture({ events }), { signature: null, addenda: [] });
    render(<ReportEvents view={view} />);
    const log = screen.getByRole('table', { name: 'Events' });
    const row = (seq: number): string => rowTexts(log)[events.findIndex((e) => e.seq === seq)] ?? '';
    expect(row(9)).toContain('Infusion rate changed | dr.lee (clinician)');
    expect(row(9)).toContain('Rate: 30 mL/h · Reason: BP surge');
    expect(row(12)).toContain('MOAA/S recorded');
    expect(row(12)).toContain('MOAA/S: 3Corrects entry #10');
    expect(row(14)).toContain('Drug: Midazolam · Dose: 2 mg · Route: IV · Indication: emergence reaction');
  });
});
