import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, XAxis, YAxis } from 'recharts';
import type { TrendPoint } from '../../store/reading-history';
import { formatClock } from '../chairs/vital-format';
import { type SeriesPoint, downsampleMinMax } from './downsample';
import { timeTicks } from './time-ticks';
import { trendColors } from './trend-colors';
import { type TrendField, seriesOf } from './trend-series';

interface TrendChartProps {
  points: readonly TrendPoint[];
  fromMs: number;
  toMs: number;
  tickStepMs: number;
}

/** Enough for a tablet-wide chart; hours of per-second data render as fast as minutes. */
const displayBuckets = 240;
/** Longer than this without a value breaks the line (observation BP is every 15 min). */
const maxGapMs = 20 * 60 * 1000;
/** Sparse series (cuff BP, manual entries) show their points. */
const dotsBelow = 60;

function useSeries(points: readonly TrendPoint[], field: TrendField, fromMs: number, toMs: number): SeriesPoint[] {
  return useMemo(() => downsampleMinMax(seriesOf(points, field, fromMs, toMs, maxGapMs), displayBuckets), [points, field, fromMs, toMs]);
}

function dotFor(series: readonly SeriesPoint[], color: string) {
  return series.length <= dotsBelow ? { r: 3, fill: color, stroke: color } : false;
}

const roundDown = (step: number, floor: number) => (min: number) => Math.min(floor, Math.floor(min / step) * step);
const roundUp = (step: number, ceiling: number) => (max: number) => Math.max(ceiling, Math.ceil(max / step) * step);

interface LegendItem {
  label: string;
  color: string;
  dashed?: boolean;
}

function Legend({ items }: { items: LegendItem[] }) {
  return (
    <ul className="trend__legend" aria-hidden="true">
      {items.map((item) => (
        <li key={item.label}>
          <span className={`trend__swatch${item.dashed === true ? ' trend__swatch--dashed' : ''}`} style={{ borderColor: item.color }} />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

const axisTick = { fill: trendColors.axis, fontSize: 13 };

/** Live trend of one chair: BP with HR on a second axis, and SpO₂ with RR below, on one time axis. */
export function TrendChart({ points, fromMs, toMs, tickStepMs }: TrendChartProps) {
  const systolic = useSeries(points, 'systolic', fromMs, toMs);
  const diastolic = useSeries(points, 'diastolic', fromMs, toMs);
  const mean = useSeries(points, 'mean', fromMs, toMs);
  const heartRate = useSeries(points, 'heartRate', fromMs, toMs);
  const spo2 = useSeries(points, 'spo2', fromMs, toMs);
  const respRate = useSeries(points, 'respRate', fromMs, toMs);
  const ticks = useMemo(() => timeTicks(fromMs, toMs, tickStepMs), [fromMs, toMs, tickStepMs]);

  const xAxis = (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={[fromMs, toMs]}
      allowDataOverflow
      ticks={ticks}
      tickFormatter={formatClock}
      tick={axisTick}
      stroke={trendColors.grid}
    />
  );
  const grid = <CartesianGrid stroke={trendColors.grid} strokeDasharray="3 6" vertical={false} />;
  const common = { type: 'linear' as const, dataKey: 'v', isAnimationActive: false, activeDot: false, strokeWidth: 2 };

  return (
    <div className="trend">
      <figure className="trend__panel">
        <figcaption className="trend__caption">
          <span>Blood pressure and heart rate</span>
          <Legend
            items={[
              { label: 'SBP / DBP mmHg', color: trendColors.bp },
              { label: 'MAP', color: trendColors.mean, dashed: true },
              { label: 'HR /min', color: trendColors.heartRate },
            ]}
          />
        </figcaption>
        <LineChart responsive style={{ width: '100%', height: 260 }} margin={{ top: 8, right: 4, bottom: 0, left: 4 }}>
          {grid}
          {xAxis}
          <YAxis yAxisId="mmHg" width={44} domain={[roundDown(20, 60), roundUp(20, 180)]} tick={axisTick} stroke={trendColors.grid} />
          <YAxis yAxisId="rate" orientation="right" width={44} domain={[roundDown(20, 40), roundUp(20, 140)]} tick={axisTick} stroke={trendColors.grid} />
          <Line {...common} yAxisId="mmHg" data={systolic} name="Systolic" stroke={trendColors.bp} dot={dotFor(systolic, trendColors.bp)} />
          <Line {...common} yAxisId="mmHg" data={diastolic} name="Diastolic" stroke={trendColors.bp} dot={dotFor(diastolic, trendColors.bp)} />
          <Line {...common} yAxisId="mmHg" data={mean} name="MAP" stroke={trendColors.mean} strokeWidth={1.5} strokeDasharray="5 5" dot={false} />
          <Line {...common} yAxisId="rate" data={heartRate} name="Heart rate" stroke={trendColors.heartRate} dot={dotFor(heartRate, trendColors.heartRate)} />
        </LineChart>
      </figure>

      <figure className="trend__panel">
        <figcaption className="trend__caption">
          <span>Oxygen saturation and respiration</span>
          <Legend
            items={[
              { label: 'SpO₂ %', color: trendColors.spo2 },
              { label: 'RR /min', color: trendColors.respRate },
            ]}
          />
        </figcaption>
        <LineChart responsive style={{ width: '100%', height: 180 }} margin={{ top: 8, right: 4, bottom: 0, left: 4 }}>
          {grid}
          {xAxis}
          <YAxis yAxisId="pct" width={44} domain={[roundDown(5, 85), 100]} tick={axisTick} stroke={trendColors.grid} />
          <YAxis yAxisId="rr" orientation="right" width={44} domain={[0, roundUp(10, 30)]} tick={axisTick} stroke={trendColors.grid} />
          <Line {...common} yAxisId="pct" data={spo2} name="SpO₂" stroke={trendColors.spo2} dot={dotFor(spo2, trendColors.spo2)} />
          <Line {...common} yAxisId="rr" data={respRate} name="Respiratory rate" stroke={trendColors.respRate} strokeWidth={1.5} dot={dotFor(respRate, trendColors.respRate)} />
        </LineChart>
      </figure>
    </div>
  );
}
