import { useState } from 'react';
import { useNow } from '../../hooks/use-now';
import { defaultHistoryLimits } from '../../store/reading-history';
import { useAppStore } from '../../store/store-context';
import { TrendChart } from './TrendChart';
import { type TrendPeriod, defaultTrendPeriod, trendPeriods } from './trend-periods';
import type { HistoryLoad } from './use-chair-history';

type PeriodId = TrendPeriod['id'];

/** Shown before the chair holds any trend (a stable empty one, so the chart does not redraw). */
const noTrend: readonly never[] = [];

/** The chair's trend over a chosen period: drawn at once from what the dashboard holds, filled in as `load` brings the rest. */
export function ChairTrend({ chairId, load }: { chairId: string; load: HistoryLoad }) {
  const [periodId, setPeriodId] = useState<PeriodId>(defaultTrendPeriod.id);
  const period = trendPeriods.find((p) => p.id === periodId) ?? defaultTrendPeriod;
  const trend = useAppStore((s) => s.history[chairId]?.trend) ?? noTrend;
  const latest = useAppStore((s) => s.chairs[chairId]?.latest);
  // The axis moves every few seconds; redrawing hours of data every second buys nothing.
  const nowMs = useNow(5000);
  // The axis' now lags the clock by up to a tick: a period loaded a moment ago counts as complete.
  const covers = (fromMs: number | null) => fromMs !== null && fromMs <= nowMs - period.ms + 10_000;
  const complete = covers(load.trendFromMs) || covers(load.loadedFromMs);

  return (
    <section className="panel" aria-labelledby="trend-heading">
      <div className="panel__bar">
        <h2 id="trend-heading" className="panel__title">
          Trend
        </h2>
        <div className="segmented" role="group" aria-label="Trend period">
          {trendPeriods.map((p) => (
            <button key={p.id} type="button" className="segmented__option" aria-pressed={p.id === periodId} onClick={() => setPeriodId(p.id)}>
              {p.label}
            </button>
          ))}
        </div>
      </div>
      {load.status === 'failed' && (
        <div role="alert" className="notice notice--error">
          <span>Could not load the earlier readings: {load.error}</span>
          <button type="button" className="button button--secondary" onClick={load.retry}>
            Retry
          </button>
        </div>
      )}
      {load.status !== 'failed' && !complete && (
        <p className="muted" role="status">
          Loading the last {period.label}…
        </p>
      )}
      <TrendChart
        trend={trend}
        latest={latest}
        bucketMs={defaultHistoryLimits.bucketMs}
        fromMs={nowMs - period.ms}
        toMs={nowMs}
        tickStepMs={period.tickMs}
        // Building the chart takes a while (recharts): with nothing to draw yet and the readings on
        // their way, it is built once, with them.
        waiting={trend.length === 0 && load.status === 'loading'}
      />
    </section>
  );
}
