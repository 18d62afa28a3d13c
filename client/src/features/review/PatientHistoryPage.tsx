import { type VitalPeak, formatClinicDateTime, formatDuration, toClinicIso } from '@chairside/shared';
import { useCallback, useId, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import { Link, useParams, useSearchParams } from 'react-router';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { useAppStore } from '../../store/store-context';
import { trendColors } from '../../lib/trend-colors';
import { patientLine } from './PatientFilter';
import { ReviewNotForRole } from './SessionListPage';
import { displayZone, zoneNote } from './clinic-zone';
import { type HistorySeries, highlightedSessionId, historySeries, minutesDomain } from './history-series';
import type { PatientHistoryItem } from '@chairside/shared';
import { formatNumber, isFinished, phaseWord, signedDelta } from './review-format';
import { valueDomain } from './session-chart-data';
import { useLoad } from '../../hooks/use-load';
import '../../styles/review.css';
import '../../styles/print.css';

const axisTick = { fill: trendColors.axis, fontSize: 12 };

function peakText(peak: VitalPeak | null): string {
  if (peak === null) return '—';
  return peak.deltaFromBaseline === null ? formatNumber(peak.value) : `${formatNumber(peak.value)} (${signedDelta(peak.deltaFromBaseline)})`;
}

function timeToPeakText(peak: VitalPeak | null): string {
  if (peak === null || peak.sinceTreatmentStartMs === null) return '—';
  return formatDuration(peak.sinceTreatmentStartMs);
}

function overrideText(item: PatientHistoryItem): string {
  return item.stats.gate.dischargedVia === 'override' ? `Yes: ${item.stats.gate.overrideReason ?? 'no reason recorded'}` : 'No';
}

function alertsText(item: PatientHistoryItem): string {
  const { total, byPriority } = item.stats.alerts;
  if (total === 0) return 'None';
  return byPriority.high === 0 ? String(total) : `${total} (${byPriority.high} high)`;
}

interface OverlayProps {
  series: HistorySeries[];
  highlighted: string | null;
  onHighlight: (sessionId: string) => void;
}

/** Every session's BP on treatment-relative time: one colour per session, SBP solid, DBP dashed. */
function BpOverlay({ series, highlighted, onHighlight }: OverlayProps) {
  const headingId = useId();
  const domain = useMemo(() => minutesDomain(series), [series]);
  const bpDomain = useMemo(() => valueDomain([...series.map((s) => s.systolic), ...series.map((s) => s.diastolic)], [], { min: 60, max: 160 }, 20), [series]);
  // The highlighted session is drawn last, on top of the others.
  const ordered = [...series.filter((s) => s.sessionId !== highlighted), ...series.filter((s) => s.sessionId === highlighted)];
  const common = { type: 'linear' as const, dataKey: 'v', isAnimationActive: false, activeDot: false };

  return (
    <section className="panel review-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Blood pressure by session
      </h2>
      <p className="muted panel__hint">
        Minutes since treatment start (0 = infusion or dosing start); solid SBP, dashed DBP. Pick a session to highlight it.
      </p>
      <div className="review-history__legend" role="group" aria-label="Sessions in the chart">
        {series.map((s) => (
          <button
            key={s.sessionId}
            type="button"
            className="review-history__legend-item"
            aria-pressed={s.sessionId === highlighted}
            onClick={() => onHighlight(s.sessionId)}
          >
            <span className="trend__swatch" style={{ borderColor: s.color }} aria-hidden="true" />
            {s.label}
            {s.systolic.length === 0 && <span className="muted"> (no BP since treatment start)</span>}
          </button>
        ))}
      </div>
      <figure className="trend__panel">
        <figcaption className="visually-hidden">Systolic and diastolic blood pressure of each session against minutes since treatment start</figcaption>
        <LineChart responsive style={{ width: '100%', height: 320 }} margin={{ top: 8, right: 12, bottom: 16, left: 4 }} accessibilityLayer={false} className="review-chart__svg">
          <CartesianGrid stroke={trendColors.grid} strokeDasharray="3 6" />
          <XAxis
            dataKey="t"
            type="number"
            domain={domain}
            allowDataOverflow
            tick={axisTick}
            stroke={trendColors.grid}
            tickFormatter={(m: number) => `${m} min`}
          />
          <YAxis width={44} domain={bpDomain} allowDataOverflow tick={axisTick} stroke={trendColors.grid} />
          <ReferenceLine x={0} stroke={trendColors.axis} strokeDasharray="4 4" label={{ value: 'Start', position: 'insideTopLeft', fill: trendColors.axis, fontSize: 12 }} />
          {ordered.flatMap((s) => {
            const strong = s.sessionId === highlighted;
            const style = { stroke: s.color, strokeOpacity: strong ? 1 : 0.45, strokeWidth: strong ? 3 : 1.5 };
            const dot = strong ? { r: 3, fill: s.color, stroke: s.color } : false;
            return [
              <Line key={`${s.sessionId}-sys`} {...common} {...style} data={s.systolic} name={`${s.label} SBP`} dot={dot} className="review-line review-line--history" />,
              <Line key={`${s.sessionId}-dia`} {...common} {...style} data={s.diastolic} name={`${s.label} DBP`} strokeDasharray="6 4" dot={dot} className="review-line review-line--history" />,
            ];
          })}
        </LineChart>
      </figure>
    </section>
  );
}

function HistoryTable({ items, series, highlighted, timeZone }: { items: PatientHistoryItem[]; series: HistorySeries[]; highlighted: string | null; timeZone: string }) {
  const headingId = useId();
  const numberOf = new Map(series.map((s) => [s.sessionId, s.number]));
  return (
    <section className="panel review-section review-section--table" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Sessions side by side
      </h2>
      <div className="table-scroll">
        <table className="readings-table review-table" aria-label="Session history">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Protocol</th>
              <th scope="col">Peak SBP (Δ)</th>
              <th scope="col">Peak DBP (Δ)</th>
              <th scope="col">Time to peak SBP</th>
              <th scope="col">Peak HR (Δ)</th>
              <th scope="col">Alerts</th>
              <th scope="col">Override</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const atMs = Date.parse(item.checkedInAt);
              const { peaks } = item.stats;
              return (
                <tr key={item.sessionId} className={item.sessionId === highlighted ? 'is-highlighted' : undefined} aria-current={item.sessionId === highlighted ? 'true' : undefined}>
                  <td className="num">
                    <span className="muted">{numberOf.get(item.sessionId)}.</span>{' '}
                    <Link to={`/sessions/${encodeURIComponent(item.sessionId)}`}>
                      <time dateTime={toClinicIso(atMs, timeZone)}>{formatClinicDateTime(atMs, timeZone)}</time>
                    </Link>
                  </td>
                  <td>{item.protocolName}</td>
                  <td className="num">{peakText(peaks.systolic)}</td>
                  <td className="num">{peakText(peaks.diastolic)}</td>
                  <td className="num">{timeToPeakText(peaks.systolic)}</td>
                  <td className="num">{peakText(peaks.heartRate)}</td>
                  <td className="num">{alertsText(item)}</td>
                  <td>{overrideText(item)}</td>
                  <td>{isFinished(item.phase) ? phaseWord(item.phase) : `${phaseWord(item.phase)} (running)`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PatientHistory({ patientId }: { patientId: string }) {
  const { api, clock } = useServices();
  const [params, setParams] = useSearchParams();
  const headingId = useId();
  const [nowMs] = useState(() => clock.now());
  const zone = displayZone();
  const loadHistory = useCallback(() => api.patientHistory(patientId), [api, patientId]);
  const loadPatient = useCallback(() => api.getPatient(patientId), [api, patientId]);
  const history = useLoad(loadHistory);
  const patient = useLoad(loadPatient);
  const items = useMemo(() => history.answer ?? [], [history.answer]);
  const series = useMemo(() => historySeries(items, zone.timeZone), [items, zone.timeZone]);
  const highlighted = highlightedSessionId(items, params.get('session'));

  return (
    <section className="page review-page review-history" aria-labelledby={headingId}>
      <PageTitle title="Patient history" />
      <p className="no-print">
        <Link to={`/sessions?patientId=${encodeURIComponent(patientId)}`} className="button button--quiet back-button">
          <span aria-hidden="true">←</span> Sessions of this patient
        </Link>
      </p>
      <div className="page__bar">
        <h1 id={headingId} className="page__title">
          Patient history
        </h1>
        <p className="page__summary">{patient.answer === null ? (patient.status === 'failed' ? `Patient ${patientId}` : 'Loading…') : patientLine(patient.answer)}</p>
      </div>
      <p className="muted">{zoneNote(zone, nowMs)}</p>
      {history.status === 'failed' && (
        <div role="alert" className="notice notice--error">
          <span>Could not load the patient’s history: {history.error}</span>
          <button type="button" className="button button--secondary" onClick={history.reload}>
            Retry
          </button>
        </div>
      )}
      {history.status === 'loading' && (
        <p className="empty-state" role="status">
          Loading the patient’s sessions…
        </p>
      )}
      {history.status === 'loaded' && items.length === 0 && <p className="empty-state">No sessions for this patient yet.</p>}
      {items.length > 0 && (
        <>
          <BpOverlay
            series={series}
            highlighted={highlighted}
            onHighlight={(sessionId) => {
              const next = new URLSearchParams(params);
              next.set('session', sessionId);
              setParams(next, { replace: true });
            }}
          />
          <HistoryTable items={items} series={series} highlighted={highlighted} timeZone={zone.timeZone} />
        </>
      )}
    </section>
  );
}

/** Every session of one patient, side by side and overlaid: `/patients/:patientId`. */
export function PatientHistoryPage() {
  const { patientId = '' } = useParams();
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  if (role !== 'nurse' && role !== 'clinician') return <ReviewNotForRole />;
  return <PatientHistory key={patientId} patientId={patientId} />;
}
