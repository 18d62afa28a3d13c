import { type RecordEntry, type RecordEventInput, type SessionState, deriveSessionRecord, esketamineProtocol, initialSessionState, ivKetamineProtocol } from '@chairside/shared';
import { render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatClock } from '../../lib/vital-format';
import { testNow } from '../../test-utils';
import { TrendChart } from './TrendChart';

const minute = 60 * 1000;
const t0 = testNow - 60 * minute;

// jsdom lays nothing out: give every chart container a size, so recharts draws.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ x: 0, y: 0, top: 0, left: 0, right: 800, bottom: 200, width: 800, height: 200, toJSON: () => ({}) });
});
afterEach(() => vi.restoreAllMocks());

let seq = 0;
const entry = (m: number, body: RecordEventInput): RecordEntry => {
  seq += 1;
  return { seq, type: body.type, atMs: t0 + m * minute, username: 'nurse', payload: body };
};
const state: SessionState = { ...initialSessionState(t0), phase: 'treatment', treatmentStartedAtMs: t0 + 10 * minute, pauses: [{ fromMs: t0 + 30 * minute, toMs: t0 + 35 * minute, reason: null }] };

function ivRecord(extra: RecordEntry[] = []) {
  return deriveSessionRecord({
    protocol: ivKetamineProtocol,
    state,
    entries: [
      entry(0, { type: 'infusion-set', drug: 'ketamine', weightKg: 80, doseMgPerKg: 0.5, concentrationMgPerMl: 1, rateMlPerH: 60 }),
      entry(20, { type: 'infusion-rate-changed', rateMlPerH: 30, reason: 'BP surge' }),
      entry(22, { type: 'prn-given', drug: 'labetalol', doseMg: 10, route: 'iv', indication: 'SBP 182' }),
      entry(25, { type: 'adverse-event', kind: 'nausea', severity: 'mild', serious: false }),
      entry(5, { type: 'score-recorded', scale: 'moaa-s', value: 5 }),
      entry(28, { type: 'score-recorded', scale: 'moaa-s', value: 3 }),
      entry(28, { type: 'score-recorded', scale: 'cadss-6', items: [1, 1, 1, 1, 0, 0] }),
      ...extra,
    ],
  });
}

const chart = (record: ReturnType<typeof ivRecord>, protocol = ivKetamineProtocol, s = state) => (
  <TrendChart trend={[]} latest={undefined} bucketMs={15_000} fromMs={t0} toMs={testNow} session={{ state: s, treatmentLabel: 'Infusion' }} record={{ record, protocol }} />
);

describe('TrendChart with the session record', { timeout: 20_000 }, () => {
  it('adds a dose pane under BP and the scores under the vitals, with the rate, markers and due times in words', () => {
    render(chart(ivRecord()));
    const captions = screen.getAllByRole('figure').map((pane) => pane.querySelector('figcaption')?.textContent ?? '');
    expect(captions).toEqual([
      expect.stringMatching(/^Blood pressure/),
      expect.stringMatching(/^Dose mL\/h/),
      'Heart rate /min',
      'SpO₂ %',
      'Respiratory rate /min',
      expect.stringMatching(/^Sedation MOAA\/S 0–5.*upside down/),
      expect.stringMatching(/^Dissociation CADSS-6/),
    ]);
    // 10 min at 1 mg/min, 10 at 0.5, paused 5, 25 more at 0.5: 27.5 of 40 mg in, 30 mL/h now.
    expect(captions[1]).toContain('ketamine 30 mL/h (0.38 mg/kg/h) now · 27.5 of 40 mg in');
    expect(screen.getByText(/^Infusion rate:/)).toHaveTextContent(
      `${formatClock(t0 + 10 * minute)} 60 mL/h (0.75 mg/kg/h) (10 mg by ${formatClock(t0 + 20 * minute)}) · ${formatClock(t0 + 20 * minute)} 30 mL/h (0.38 mg/kg/h), BP surge`,
    );
    expect(screen.getByText(/^Infusion rate:/)).toHaveTextContent('paused');

    // The rate as a step line; the pause shaded; markers in their shapes, in the dose pane, and as lines across BP.
    const [bp, dose] = screen.getAllByRole('figure');
    expect(dose?.querySelector('.recharts-line-curve')).not.toBeNull();
    expect(dose?.querySelectorAll('.record-marker--prn')).toHaveLength(1);
    expect(dose?.querySelectorAll('.record-marker--adverse-event')).toHaveLength(1);
    expect(bp?.querySelectorAll('.trend__record-line')).toHaveLength(2);
    const list = screen.getByRole('list', { name: 'Doses, PRNs and adverse events on the chart' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringMatching(/PRN P1.*labetalol 10 mg iv for SBP 182 · not reassessed yet/),
      expect.stringMatching(/Adverse event A1.*nausea, mild/),
    ]);

    // Scores with due times (dosing from minute 10: ~20 min at 30 met by the scores at 28 — only MOAA/S and CADSS both).
    expect(screen.getByText(/^Scores:/)).toHaveTextContent(`MOAA/S 5 at ${formatClock(t0 + 5 * minute)}, 3 at ${formatClock(t0 + 28 * minute)} · CADSS-6 4 at`);
    expect(screen.getByText(/^Scores:/)).toHaveTextContent(`due ~20 min ${formatClock(t0 + 30 * minute)} done, ~40 min ${formatClock(t0 + 50 * minute)}`);
    const moaa = screen.getAllByRole('figure')[5];
    expect(moaa?.querySelectorAll('.trend__due--met')).toHaveLength(1);
    expect(moaa?.querySelectorAll('.trend__due--open')).toHaveLength(1);
    expect(moaa).toHaveTextContent('✓ ~20 min');
  });

  it('a new entry shows at once: the chart follows the record it is given', () => {
    const { rerender } = render(chart(ivRecord()));
    expect(screen.queryByText(/ondansetron/)).not.toBeInTheDocument();
    rerender(chart(ivRecord([entry(40, { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'iv', indication: 'nausea' })])));
    const items = within(screen.getByRole('list', { name: 'Doses, PRNs and adverse events on the chart' })).getAllByRole('listitem');
    expect(items.at(-1)).toHaveTextContent(/PRN P2.*ondansetron 4 mg iv for nausea/);
  });

  it('esketamine: three devices numbered in circles, each with its lot in words', () => {
    const s: SessionState = { ...initialSessionState(t0), phase: 'treatment', treatmentStartedAtMs: t0 + 10 * minute };
    const device = (m: number, n: number) => entry(m, { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', device: n, lot: `LOT-${n}` });
    const record = deriveSessionRecord({ protocol: esketamineProtocol, state: s, entries: [device(10, 1), device(15, 2), device(20, 3)] });
    render(chart(record, esketamineProtocol, s));
    const dose = screen.getAllByRole('figure')[1];
    expect(dose?.querySelector('figcaption')).toHaveTextContent('esketamine 3 devices · 84 mg');
    expect([...(dose?.querySelectorAll('.record-marker--device') ?? [])].map((g) => g.textContent)).toEqual(['1', '2', '3']);
    // No rate line without an infusion.
    expect(dose?.querySelector('.recharts-line-curve')).toBeNull();
    const items = within(screen.getByRole('list', { name: 'Doses, PRNs and adverse events on the chart' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringMatching(/Device 1esketamine 28 mg intranasal, lot LOT-1$/),
      expect.stringMatching(/Device 2esketamine 28 mg intranasal, lot LOT-2$/),
      expect.stringMatching(/Device 3esketamine 28 mg intranasal, lot LOT-3$/),
    ]);
    // The 40-min score is due from the first device.
    expect(screen.getByText(/^Scores:/)).toHaveTextContent(`~40 min ${formatClock(t0 + 50 * minute)}`);
  });

  it('a session with nothing recorded keeps the four vitals panes only', () => {
    render(chart(deriveSessionRecord({ protocol: ivKetamineProtocol, state, entries: [] })));
    expect(screen.getAllByRole('figure')).toHaveLength(4);
    expect(screen.queryByText(/^Scores:/)).not.toBeInTheDocument();
  });
});
