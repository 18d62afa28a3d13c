import { useMemo, useState } from 'react';
import { useNow } from '../../hooks/use-now';
import { defaultHistoryLimits } from '../../store/reading-history';
import { useAppStore } from '../../store/store-context';
import { type TrendRecord, type TrendSession, TrendChart } from './TrendChart';
import { type LimitLine, limitLines } from './trend-annotations';
import { type TrendPeriodId, defaultTrendPeriod, trendPeriods, trendWindow } from './trend-periods';
import type { HistoryLoad } from './use-chair-history';
import { useSessionAlerts } from './use-session-alerts';

/** Shown before the chair holds any trend (a stable empty one, so the chart does not redraw). */
const noTrend: readonly never[] = [];
const noLimits: readonly LimitLine[] = [];

/**
 * The chair's trend, by default over its session (check-in to now; a fixed period without one),
 * drawn at once from what the dashboard holds and filled in as `load` brings the rest.
 */
export function ChairTrend({ chairId, load }: { chairId: string; load: HistoryLoad }) {
  const [chosen, setChosen] = useState<TrendPeriodId>('session');
  const trend = useAppStore((s) => s.history[chairId]?.trend) ?? noTrend;
  const latest = useAppStore((s) => s.chairs[chairId]?.latest);
  const session = useAppStore((s) => s.chairs[chairId]?.session ?? null);
  // The axis moves every few seconds; redrawing hours of data every second buys nothing.
  const nowMs = useNow(5000);
  const checkedInAtMs = session?.state.checkedInAtMs ?? null;
  const periodId: TrendPeriodId = chosen === 'session' && checkedInAtMs === null ? defaultTrendPeriod.id : chosen;
  const { fromMs, toMs, dataFromMs } = trendWindow(periodId, checkedInAtMs, nowMs);
  // The axis' now lags the clock by up to a tick: a period loaded a moment ago counts as complete.
  const covers = (loadedFromMs: number | null) => loadedFromMs !== null && loadedFromMs <= dataFromMs + 10_000;
  const complete = covers(load.trendFromMs) || covers(load.loadedFromMs);
  const periodText = periodId === 'session' ? 'this session' : `the last ${trendPeriods.find((p) => p.id === periodId)?.label ?? ''}`;

  const state = session?.state ?? null;
  const treatmentLabel = session?.protocol.labels.treatmentPhase ?? '';
  const trendSession = useMemo((): TrendSession | null => (state === null ? null : { state, treatmentLabel }), [state, treatmentLabel]);
  const alertLimits = state?.alertLimits ?? null;
  const hasSession = state !== null;
  const limits = useMemo(() => (hasSession ? limitLines(alertLimits) : noLimits), [hasSession, alertLimits]);
  const alerts = useSessionAlerts(session?.id ?? null);
  // The record comes with the session (the summary the socket pushes on every entry): drawn at once, live, with no request of its own.
  const sessionRecord = session?.record ?? null;
  const protocol = session?.protocol ?? null;
  const record = useMemo((): TrendRecord | null => (sessionRecord === null || protocol === null ? null : { record: sessionRecord, protocol }), [sessionRecord, protocol]);

  const options: { id: TrendPeriodId; label: string }[] = [...(checkedInAtMs === null ? [] : [{ id: 'session' as const, label: 'Session' }]), ...trendPeriods];

  return (
    <section className="panel" aria-labelledby="trend-heading">
      <div className="panel__bar">
        <h2 id="trend-heading" className="panel__title">
          Trend
        </h2>
        <div className="segmented" role="group" aria-label="Trend period">
          {options.map((p) => (
            <button key={p.id} type="button" className="segmented__option" aria-pressed={p.id === periodId} onClick={() => setChosen(p.id)}>
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
          Loading {periodText}…
        </p>
      )}
      <TrendChart
        trend={trend}
        latest={latest}
        bucketMs={defaultHistoryLimits.bucketMs}
        fromMs={fromMs}
        toMs={toMs}
        dataFromMs={dataFromMs}
        session={trendSession}
        limits={limits}
        alerts={alerts}
        record={record}
        // Building the chart takes a while (recharts): with nothing to draw yet and the readings on
        // their way, it is built once, with them.
        waiting={trend.length === 0 && load.status === 'loading'}
      />
    </section>
  );
}
