import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { useNow } from '../../hooks/use-now';
import { defaultHistoryLimits } from '../../store/reading-history';
import { useAppStore } from '../../store/store-context';
import { TrendChart } from './TrendChart';

const periods = [
  { id: '1h', label: '1 h', ms: 60 * 60 * 1000, tickMs: 10 * 60 * 1000 },
  { id: '3h', label: '3 h', ms: 3 * 60 * 60 * 1000, tickMs: 30 * 60 * 1000 },
  { id: '12h', label: '12 h', ms: 12 * 60 * 60 * 1000, tickMs: 2 * 60 * 60 * 1000 },
] as const;
type PeriodId = (typeof periods)[number]['id'];

type LoadState = { key: string; status: 'loaded' } | { key: string; status: 'failed'; error: string };

/** Loads the chair's last 12 h once per visit; the socket extends it live. */
function useHistoryLoad(chairId: string): { status: 'loading' | 'loaded' | 'failed'; error: string | null; retry: () => void } {
  const { api, clock } = useServices();
  const applyReadings = useAppStore((s) => s.applyReadings);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<LoadState | null>(null);
  const key = `${chairId}#${attempt}`;

  useEffect(() => {
    let cancelled = false;
    const from = new Date(clock.now() - defaultHistoryLimits.windowMs).toISOString();
    api.chairReadings(chairId, { from }).then(
      (readings) => {
        if (cancelled) return;
        applyReadings(readings);
        setState({ key, status: 'loaded' });
      },
      (error: unknown) => {
        if (!cancelled) setState({ key, status: 'failed', error: errorMessage(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, clock, applyReadings, chairId, key]);

  const retry = () => setAttempt((n) => n + 1);
  if (state === null || state.key !== key) return { status: 'loading', error: null, retry };
  return { status: state.status, error: state.status === 'failed' ? state.error : null, retry };
}

export function ChairTrend({ chairId }: { chairId: string }) {
  const [periodId, setPeriodId] = useState<PeriodId>('3h');
  const period = periods.find((p) => p.id === periodId) ?? periods[1];
  const points = useAppStore((s) => s.history[chairId]?.points);
  const load = useHistoryLoad(chairId);
  // The axis moves every few seconds; redrawing hours of data every second buys nothing.
  const nowMs = useNow(5000);

  return (
    <section className="panel" aria-labelledby="trend-heading">
      <div className="panel__bar">
        <h2 id="trend-heading" className="panel__title">
          Trend
        </h2>
        <div className="segmented" role="group" aria-label="Trend period">
          {periods.map((p) => (
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
      {load.status === 'loading' && (
        <p className="muted" role="status">
          Loading the last 12 hours…
        </p>
      )}
      <TrendChart points={points ?? []} fromMs={nowMs - period.ms} toMs={nowMs} tickStepMs={period.tickMs} />
    </section>
  );
}
