import type { SessionEventView } from '@chairside/shared';
import { render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportView } from './report-view';
import { reportFixture, sessionEvent } from './review-fixtures';
import { SessionChart } from './SessionChart';

// jsdom lays nothing out: give every chart container a size, so recharts draws.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ x: 0, y: 0, top: 0, left: 0, right: 800, bottom: 200, width: 800, height: 200, toJSON: () => ({}) });
});
afterEach(() => vi.restoreAllMocks());

/** The report of the fixtures' IV session (infusion 09:10–09:50) with its record as stored events. */
function chartOf(events: SessionEventView[]) {
  render(<SessionChart view={reportView(reportFixture({ events }), { signature: null, addenda: [] })} />);
}

describe('SessionChart with the session record', { timeout: 20_000 }, () => {
  it('draws the dose pane and the scores under the vitals, with the markers listed and the rate in words', () => {
    chartOf([
      sessionEvent(1, 1, { type: 'infusion-set', payload: { type: 'infusion-set', drug: 'ketamine', weightKg: 80, doseMgPerKg: 0.5, concentrationMgPerMl: 1, rateMlPerH: 60 } }),
      sessionEvent(2, 25, { type: 'infusion-rate-changed', payload: { type: 'infusion-rate-changed', rateMlPerH: 30, reason: 'BP surge' } }),
      sessionEvent(3, 26, { type: 'prn-given', payload: { type: 'prn-given', drug: 'labetalol', doseMg: 10, route: 'iv', indication: 'SBP 178' } }),
      sessionEvent(4, 41, { type: 'prn-reassessed', payload: { type: 'prn-reassessed', prnSeq: 3, response: 'SBP 150' } }),
      sessionEvent(5, 32, { type: 'adverse-event', payload: { type: 'adverse-event', kind: 'emergence-reaction', severity: 'moderate', serious: false } }),
      sessionEvent(6, 30, { type: 'score-recorded', payload: { type: 'score-recorded', scale: 'moaa-s', value: 3 } }),
      sessionEvent(7, 30, { type: 'score-recorded', payload: { type: 'score-recorded', scale: 'cadss-6', items: [2, 2, 1, 1, 0, 0] } }),
    ]);
    const figures = screen.getAllByRole('figure');
    expect(figures).toHaveLength(4);
    // 15 min at 1 mg/min, 25 at 0.5 by the end at 09:50: 27.5 of 40 mg.
    expect(figures[2]).toHaveTextContent('ketamine 27.5 mg of 40 mg given');
    expect(figures[2]?.querySelector('.review-line--rate')).not.toBeNull();
    expect(figures[2]?.querySelectorAll('.record-marker--prn')).toHaveLength(1);
    expect(figures[2]?.querySelectorAll('.record-marker--adverse-event')).toHaveLength(1);
    expect(figures[0]?.querySelectorAll('.review-chart__record-line')).toHaveLength(2);
    expect(figures[3]).toHaveTextContent(/MOAA\/S 0–5 .*higher is deeper sedation/);
    expect(figures[3]?.querySelector('.review-line--moaa-s')).not.toBeNull();
    expect(figures[3]?.querySelectorAll('.review-chart__due')).toHaveLength(3);

    expect(screen.getByText(/^Infusion rate:/)).toHaveTextContent('09:10 60 mL/h (0.75 mg/kg/h) (15 mg by 09:25) · 09:25 30 mL/h (0.38 mg/kg/h), BP surge (27.5 mg by 09:50)');
    expect(screen.getByText(/^Scores:/)).toHaveTextContent('MOAA/S 3 at 09:30 · CADSS-6 6 at 09:30 · due ~20 min 09:30 done, ~40 min 09:50, end of treatment 09:50');
    const items = within(screen.getByRole('list', { name: 'Doses, PRNs and adverse events on the chart' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringMatching(/^P109:26PRN P1labetalol 10 mg iv for SBP 178 · reassessed 09:41: SBP 150$/),
      expect.stringMatching(/^A109:32Adverse event A1emergence reaction, moderate$/),
    ]);
  });

  it('esketamine devices: numbered circles, the lot in the list', () => {
    const device = (seq: number, min: number, n: number) =>
      sessionEvent(seq, min, { type: 'dose-given', payload: { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', device: n, lot: `L${n}` } });
    chartOf([device(1, 10, 1), device(2, 15, 2), device(3, 20, 3)]);
    const dose = screen.getAllByRole('figure')[2];
    expect(dose).toHaveTextContent('esketamine 3 devices · 84 mg');
    expect([...(dose?.querySelectorAll('.record-marker--device') ?? [])].map((g) => g.textContent)).toEqual(['1', '2', '3']);
    expect(screen.getByRole('list', { name: 'Doses, PRNs and adverse events on the chart' })).toHaveTextContent('Device 3esketamine 28 mg intranasal, lot L3');
  });

  it('a session without a record draws the vitals only', () => {
    chartOf([]);
    expect(screen.getAllByRole('figure')).toHaveLength(2);
    expect(screen.queryByText(/^Scores:/)).not.toBeInTheDocument();
  });
});
