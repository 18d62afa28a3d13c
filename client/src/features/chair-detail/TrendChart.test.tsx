import { type SessionState, addToTrend, initialSessionState } from '@chairside/shared';
import { render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testNow } from '../../test-utils';
import { makeAlert } from '../alarms/test-alerts';
import { TrendChart } from './TrendChart';
import { limitLines } from './trend-annotations';

const minute = 60 * 1000;
const t0 = testNow - 40 * minute;

// jsdom lays nothing out: give every chart container a size, so recharts draws.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ x: 0, y: 0, top: 0, left: 0, right: 800, bottom: 200, width: 800, height: 200, toJSON: () => ({}) });
});
afterEach(() => vi.restoreAllMocks());

/** 40 minutes of a session: BP every 5 min, HR/SpO₂/RR every 15 s with a desaturation to 81 %. */
function sessionTrend() {
  const points = [];
  for (let t = t0; t <= testNow; t += 15_000) {
    const bp = (t - t0) % (5 * minute) === 0;
    const desaturating = t > t0 + 20 * minute && t < t0 + 24 * minute;
    points.push({
      t,
      reading: { systolic: bp ? 128 : null, diastolic: bp ? 82 : null, mean: bp ? 97 : null, heartRate: 78, spo2: desaturating ? 81 : 97, respRate: 14 },
    });
  }
  return addToTrend([], points, { bucketMs: 15_000, windowMs: 12 * 60 * minute });
}

const state: SessionState = { ...initialSessionState(t0), phase: 'treatment', treatmentStartedAtMs: t0 + 10 * minute };

// Four recharts charts in jsdom take a few seconds on a busy machine.
describe('TrendChart', { timeout: 20_000 }, () => {
  it('draws BP, HR, SpO₂ and RR in stacked panes, with the session’s phases, limits and alarms marked and listed', () => {
    const desaturation = makeAlert({
      id: 'a.spo2-low.1',
      ruleId: 'spo2-low',
      label: 'Desaturation',
      priority: 'medium',
      raisedAtMs: t0 + 21 * minute,
      facts: { kind: 'sustained-vital', breach: { field: 'spo2', value: 81, comparator: '<', limit: 92 }, sustainedSec: 15, readings: 15, bySpotReadings: false, measuredAt: '' },
    });
    render(
      <TrendChart
        trend={sessionTrend()}
        latest={undefined}
        bucketMs={15_000}
        fromMs={t0 - 2 * minute}
        toMs={testNow}
        session={{ state, treatmentLabel: 'Infusion' }}
        limits={limitLines(null)}
        alerts={[desaturation]}
      />,
    );

    const panes = screen.getAllByRole('figure');
    expect(panes.map((pane) => pane.querySelector('figcaption')?.textContent)).toEqual([
      expect.stringMatching(/^Blood pressure mmHg/),
      'Heart rate /min',
      'SpO₂ %',
      'Respiratory rate /min',
    ]);
    // Every pane has its own chart and line.
    for (const pane of panes) expect(pane.querySelector('.recharts-line-curve')).not.toBeNull();

    // The desaturation is marked in the SpO₂ pane only, numbered as in the list below.
    const [bp, , spo2] = panes;
    expect(spo2?.querySelectorAll('.trend__marker--medium')).toHaveLength(1);
    expect(bp?.querySelectorAll('.trend__marker')).toHaveLength(0);
    const list = screen.getByRole('list', { name: 'Alarms marked on the chart' });
    expect(within(list).getByRole('listitem')).toHaveTextContent(/1.*Medium.*Desaturation/);

    // The SpO₂ axis follows the dip instead of a fixed 85 % floor.
    const spo2Ticks = [...(spo2?.querySelectorAll('.recharts-yAxis-tick-labels .trend__tick') ?? [])].map((tick) => Number(tick.textContent));
    expect(Math.min(...spo2Ticks)).toBeLessThan(81);
    // Limit lines, labelled; phase bands, named.
    expect(spo2).toHaveTextContent('SpO₂ < 92');
    expect(bp).toHaveTextContent('SBP ≥ 180');
    expect(bp).toHaveTextContent('Infusion');
    expect(screen.getByText(/^Phases: Baseline/)).toHaveTextContent('Infusion');
  });

  it('draws no bands, limits or markers for a chair without a session', () => {
    const { container } = render(<TrendChart trend={sessionTrend()} latest={undefined} bucketMs={15_000} fromMs={testNow - 60 * minute} toMs={testNow} />);
    expect(screen.getAllByRole('figure')).toHaveLength(4);
    expect(container.querySelector('.recharts-reference-line, .recharts-reference-area')).toBeNull();
    expect(screen.queryByText(/Alarms marked/)).not.toBeInTheDocument();
  });

  it("draws no values before `dataFromMs` (a young session's chart without the chair's previous patient)", () => {
    const firstX = (dataFromMs: number) => {
      const { container, unmount } = render(<TrendChart trend={sessionTrend()} latest={undefined} bucketMs={15_000} fromMs={t0} toMs={testNow} dataFromMs={dataFromMs} />);
      const d = container.querySelector('.trend__panel--heartRate .recharts-line-curve')?.getAttribute('d') ?? '';
      unmount();
      return Number(/^M([\d.]+)/.exec(d)?.[1]);
    };
    // The plot runs from x = 40 (after the value axis) to about 792 over the 40 minutes.
    expect(firstX(t0)).toBeLessThan(60);
    expect(firstX(t0 + 20 * minute)).toBeGreaterThan(400);
  });
});
